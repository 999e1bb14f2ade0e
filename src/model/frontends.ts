// Frontend facts the policy and services rules need: Gateway addresses, ingress-nginx
// controller ConfigMaps, and the Cloud Armor policies BackendConfig / GCPBackendPolicy attach.
// Sources: SEMANTICS-FRONTENDS.md sections 2 and 3; ingress-nginx docs (ConfigMap keys).

import type { Family, InputDocument, JsonPath, ResourceRef } from './types.ts';
import { parseIP } from '../emulate/ip.ts';
import { isObject, str, stringMap, toResource, type Resource } from './resources.ts';
import { coexist, noDuplicates, type Coexistence } from './coexist.ts';

export interface GatewayAddress {
  readonly type: string;
  readonly value?: string;
  /** Family of an IPAddress value that parses; undefined otherwise. */
  readonly family?: Family;
  readonly path: JsonPath;
}

export interface Gateway extends Resource {
  readonly gatewayClassName?: string;
  /** undefined when spec.addresses is absent. */
  readonly addresses?: readonly GatewayAddress[];
  /** status.addresses (live objects and snapshots): what the implementation bound. */
  readonly statusAddresses?: readonly GatewayAddress[];
}

export interface NginxConfigMap extends Resource {
  readonly data: Readonly<Record<string, string>>;
  /** Why it is taken for the ingress-nginx controller ConfigMap. */
  readonly evidence: string;
}

/** A Cloud Armor policy named by BackendConfig or GCPBackendPolicy. */
export interface SecurityPolicyRef extends Resource {
  readonly policyName: string;
  readonly path: JsonPath;
  /** Services that use it (BackendConfig: by annotation; GCPBackendPolicy: targetRef). */
  readonly services: readonly ResourceRef[];
  /** GCPBackendPolicy targetRef to a Service not in the input. */
  readonly targetName?: string;
}

export interface FrontendModel {
  readonly gateways: readonly Gateway[];
  readonly nginxConfigMaps: readonly NginxConfigMap[];
  readonly securityPolicies: readonly SecurityPolicyRef[];
}

const BACKEND_CONFIG_ANNOTATIONS = ['cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config'];
const NGINX_NAMES = new Set(['ingress-nginx-controller', 'nginx-configuration', 'nginx-ingress-controller']);
/** The kinds whose containers may be an ingress-nginx controller (nginxConfigMapArgs). */
export const NGINX_WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Pod']);

const apiGroup = (v: unknown): string => (typeof v === 'string' && v.includes('/') ? v.slice(0, v.indexOf('/')) : '');

function addressList(v: unknown, base: 'spec' | 'status'): GatewayAddress[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((a, i): GatewayAddress => {
    const o = isObject(a) ? a : {};
    const type = str(o.type) ?? 'IPAddress';
    const value = str(o.value);
    const ip = type === 'IPAddress' && value ? parseIP(value, { sloppy: false }) : undefined;
    return { type, ...(value !== undefined ? { value } : {}), ...(ip ? { family: ip.family } : {}), path: [base, 'addresses', i] };
  });
}

function gateway(doc: InputDocument): Gateway {
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const status = isObject(doc.object.status) ? doc.object.status : {};
  const cls = str(spec.gatewayClassName);
  const addresses = addressList(spec.addresses, 'spec');
  const statusAddresses = addressList(status.addresses, 'status');
  return {
    ...toResource(doc), ...(cls ? { gatewayClassName: cls } : {}),
    ...(addresses ? { addresses } : {}), ...(statusAddresses ? { statusAddresses } : {}),
  };
}

/** `--configmap=<ns>/<name>` of ingress-nginx controller containers. */
export function nginxConfigMapArgs(doc: InputDocument, out: Set<string>): void {
  const o = doc.object;
  const podSpec: unknown = o.kind === 'Pod' ? o.spec : isObject(o.spec) && isObject(o.spec.template) ? o.spec.template.spec : undefined;
  if (!isObject(podSpec)) return;
  const ns = toResource(doc).ref.namespace ?? 'default';
  for (const c of Array.isArray(podSpec.containers) ? podSpec.containers : []) {
    if (!isObject(c)) continue;
    const args = [...(Array.isArray(c.args) ? c.args : []), ...(Array.isArray(c.command) ? c.command : [])];
    for (const a of args) {
      const m = typeof a === 'string' ? /^--configmap=(.+)$/.exec(a) : null;
      if (!m) continue;
      const ref = m[1]!.replace('$(POD_NAMESPACE)', ns);
      out.add(ref.includes('/') ? ref : `${ns}/${ref}`);
    }
  }
}

export function nginxEvidence(r: Resource, referenced: ReadonlySet<string>): string | undefined {
  const key = `${r.ref.namespace ?? 'default'}/${r.ref.name}`;
  if (referenced.has(key)) return 'named by the controller\'s --configmap flag';
  if (r.labels['app.kubernetes.io/name'] === 'ingress-nginx' && r.labels['app.kubernetes.io/component'] !== 'admission-webhook') {
    return 'labelled app.kubernetes.io/name: ingress-nginx';
  }
  if (NGINX_NAMES.has(r.ref.name)) return `named ${r.ref.name}`;
  return undefined;
}

/** Links (BackendConfig and GCPBackendPolicy to Services) only between objects that can coexist (model/coexist.ts). */
export function buildFrontendModel(docs: readonly InputDocument[], services: readonly Resource[], coexistence: Coexistence = noDuplicates(),
  /** ConfigMaps named by controllers' --configmap flags, taken as the documents were read (the streaming build drops workload documents). */
  nginxReferences: Iterable<string> = []): FrontendModel {
  const gateways: Gateway[] = [];
  const configMaps: { r: Resource; data: Record<string, string> }[] = [];
  const referenced = new Set<string>(nginxReferences);
  const backendConfigs: { r: Resource; name: string }[] = [];
  const gcpPolicies: { r: Resource; name: string; target?: string }[] = [];
  for (const doc of docs) {
    const o = doc.object;
    const kind = o.kind;
    const group = apiGroup(o.apiVersion);
    const spec = isObject(o.spec) ? o.spec : {};
    if (kind === 'Gateway' && group === 'gateway.networking.k8s.io') gateways.push(gateway(doc));
    else if (kind === 'ConfigMap' && o.apiVersion === 'v1') configMaps.push({ r: toResource(doc), data: stringMap(o.data) });
    else if (typeof kind === 'string' && NGINX_WORKLOAD_KINDS.has(kind)) nginxConfigMapArgs(doc, referenced);
    else if (kind === 'BackendConfig' && group === 'cloud.google.com') {
      const name = isObject(spec.securityPolicy) ? str(spec.securityPolicy.name) : undefined;
      if (name) backendConfigs.push({ r: toResource(doc), name });
    } else if (kind === 'GCPBackendPolicy' && group === 'networking.gke.io') {
      const name = isObject(spec.default) ? str(spec.default.securityPolicy) : undefined;
      const t = isObject(spec.targetRef) ? spec.targetRef : {};
      const target = (str(t.kind) ?? 'Service') === 'Service' ? str(t.name) : undefined;
      if (name) gcpPolicies.push({ r: toResource(doc), name, ...(target ? { target } : {}) });
    }
  }
  const nginxConfigMaps: NginxConfigMap[] = [];
  for (const { r, data } of configMaps) {
    const evidence = nginxEvidence(r, referenced);
    if (evidence) nginxConfigMaps.push({ ...r, data, evidence });
  }
  // BackendConfig name -> Services naming it in their backend-config annotation (same namespace).
  const users = new Map<string, Resource[]>();
  const svcByName = new Map<string, Resource[]>();
  for (const s of services) {
    const sk = `${s.ref.namespace ?? 'default'}/${s.ref.name}`;
    const copies = svcByName.get(sk);
    if (copies) copies.push(s);
    else svcByName.set(sk, [s]);
    for (const a of BACKEND_CONFIG_ANNOTATIONS) {
      const v = s.annotations[a];
      if (!v) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        continue;
      }
      if (!isObject(parsed)) continue;
      const names = new Set<string>();
      if (typeof parsed.default === 'string') names.add(parsed.default);
      if (isObject(parsed.ports)) for (const n of Object.values(parsed.ports)) if (typeof n === 'string') names.add(n);
      for (const n of names) {
        const k = `${s.ref.namespace ?? 'default'}/${n}`;
        const l = users.get(k);
        if (l) l.push(s);
        else users.set(k, [s]);
      }
    }
  }
  // The Services a policy object reaches: copies that can be applied with it, each identity once.
  const linked = (l: readonly Resource[] | undefined, r: Resource): ResourceRef[] => {
    const out: ResourceRef[] = [];
    for (const s of l ?? []) if (coexist(coexistence, s.source, r.source) && !out.some((o) => o.name === s.ref.name && o.namespace === s.ref.namespace)) out.push(s.ref);
    return out;
  };
  const securityPolicies: SecurityPolicyRef[] = [
    ...backendConfigs.map(({ r, name }) => ({
      ...r, policyName: name, path: ['spec', 'securityPolicy', 'name'],
      services: linked(users.get(`${r.ref.namespace ?? 'default'}/${r.ref.name}`), r),
    })),
    ...gcpPolicies.map(({ r, name, target }) => {
      const svc = target ? linked(svcByName.get(`${r.ref.namespace ?? 'default'}/${target}`), r) : [];
      return {
        ...r, policyName: name, path: ['spec', 'default', 'securityPolicy'],
        services: svc, ...(target && svc.length === 0 ? { targetName: target } : {}),
      };
    }),
  ];
  return { gateways, nginxConfigMaps, securityPolicies };
}

// Envoy Gateway (gateway.envoyproxy.io/v1alpha1) facts the vendor rules read: EnvoyProxy IP
// families and who uses them, the Envoy Gateway GatewayClasses, SecurityPolicy authorization and
// BackendTrafficPolicy rate limits. Pure. Field names and defaults from envoyproxy/gateway
// api/v1alpha1 (envoyproxy_types.go, authorization_types.go, ratelimit_types.go,
// envoygateway_types.go) and internal/gatewayapi (listener.go, contexts.go).

import type { Family, InputDocument, JsonPath, ResourceRef } from './types.ts';
import { parseIPOrCIDR } from '../emulate/ip.ts';
import { loadAllEmbedded } from '../yaml/embedded.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';

export const EG_GROUP = 'gateway.envoyproxy.io';
/** envoygateway_types.go GatewayControllerName: the default GatewayClass controller. */
export const EG_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

const isEg = (doc: InputDocument): boolean => typeof doc.object.apiVersion === 'string' && doc.object.apiVersion.startsWith(`${EG_GROUP}/`);

export interface EnvoyProxy extends Resource {
  /** spec.ipFamily as written (IPv4, IPv6, DualStack); undefined when unset. */
  readonly ipFamily?: string;
  /** spec.mergeType: when set, unset fields come from the less specific level. */
  readonly mergeType?: string;
  /** The GatewayClasses and Gateways whose parametersRef names it. */
  readonly users: readonly ResourceRef[];
  /** The object has a spec mapping (where a fix adds ipFamily). */
  readonly hasSpec: boolean;
}

/** A Gateway (any class) as Envoy Gateway reads it: its class and the EnvoyProxy it names itself. */
export interface EgGateway {
  readonly ref: ResourceRef;
  readonly cls?: string;
  /** spec.infrastructure.parametersRef to an EnvoyProxy, as "namespace/name" (the Gateway's namespace). */
  readonly proxy?: string;
}

export interface EgGatewayClass extends Resource {
  readonly controllerName: string;
  /** spec.parametersRef to an EnvoyProxy, as "namespace/name"; undefined when absent or another kind. */
  readonly proxy?: string;
  /** Gateways of this class in the input, and whether each names its own EnvoyProxy. */
  readonly gateways: readonly { readonly ref: ResourceRef; readonly ownProxy: boolean }[];
}

export interface CidrText {
  readonly text: string;
  readonly family?: Family;
  readonly prefix?: number;
  readonly path: JsonPath;
}

export interface AuthorizationRule {
  readonly action: string;
  readonly name?: string;
  /** principal.clientCIDRs; undefined when the rule does not match on client addresses. */
  readonly cidrs?: readonly CidrText[];
  /** The rule also (or only) matches on something else: jwt, headers, geolocation, cel, operation. */
  readonly otherMatch: boolean;
  readonly path: JsonPath;
}

export interface SecurityPolicy extends Resource {
  /** spec.authorization; undefined when absent. */
  readonly authorization?: {
    /** As written; undefined means Deny (authorization_types.go). */
    readonly defaultAction?: string;
    readonly rules: readonly AuthorizationRule[];
    readonly path: JsonPath;
  };
  readonly targets: readonly string[];
}

export interface RateLimitSelector {
  readonly sourceCIDR?: CidrText & { readonly invert: boolean; readonly type: string };
  readonly path: JsonPath;
}

export interface RateLimitRule {
  /** global or local. */
  readonly scope: string;
  readonly index: number;
  readonly selectors: readonly RateLimitSelector[];
  readonly path: JsonPath;
  /** The rule as written (a fix copies it for the other family). */
  readonly raw: unknown;
}

export interface BackendTrafficPolicy extends Resource {
  readonly rateLimits: readonly RateLimitRule[];
  readonly targets: readonly string[];
}

export interface EnvoyGatewayModel {
  readonly proxies: readonly EnvoyProxy[];
  readonly gatewayClasses: readonly EgGatewayClass[];
  readonly securityPolicies: readonly SecurityPolicy[];
  readonly backendTrafficPolicies: readonly BackendTrafficPolicy[];
  /** Every Gateway of the input (to find the EnvoyProxy an Envoy Service is written from). */
  readonly gateways: readonly EgGateway[];
  /** envoyProxy.ipFamily of an EnvoyGateway configuration in the input (envoy-gateway.yaml in a ConfigMap, or the object). */
  readonly defaultIpFamily?: string;
}

const cidrText = (v: unknown, path: JsonPath): CidrText => {
  const text = typeof v === 'string' ? v : String(v);
  const c = parseIPOrCIDR(text.trim());
  return { text, path, ...(c ? { family: c.family, prefix: c.prefix } : {}) };
};

function targetsOf(spec: Record<string, unknown>): string[] {
  const refs = [...(Array.isArray(spec.targetRefs) ? spec.targetRefs : []), ...(isObject(spec.targetRef) ? [spec.targetRef] : [])];
  return refs.filter(isObject).map((r) => `${str(r.kind) ?? 'Gateway'}/${str(r.name) ?? '?'}`);
}

function securityPolicy(doc: InputDocument): SecurityPolicy {
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const a = spec.authorization;
  const base = { ...toResource(doc), targets: targetsOf(spec) };
  if (!isObject(a)) return base;
  const rules = (Array.isArray(a.rules) ? a.rules : []).map((r, i): AuthorizationRule => {
    const o = isObject(r) ? r : {};
    const path: JsonPath = ['spec', 'authorization', 'rules', i];
    const p = isObject(o.principal) ? o.principal : {};
    const cidrs = Array.isArray(p.clientCIDRs) ? p.clientCIDRs.map((c, j) => cidrText(c, [...path, 'principal', 'clientCIDRs', j])) : undefined;
    const otherMatch = ['jwt', 'headers', 'clientIPGeoLocations'].some((k) => p[k] !== undefined && p[k] !== null) || (o.cel !== undefined && o.cel !== null);
    const name = str(o.name);
    return { action: str(o.action) ?? '', ...(name ? { name } : {}), ...(cidrs ? { cidrs } : {}), otherMatch, path };
  });
  const defaultAction = str(a.defaultAction);
  return { ...base, authorization: { ...(defaultAction ? { defaultAction } : {}), rules, path: ['spec', 'authorization'] } };
}

function backendTrafficPolicy(doc: InputDocument): BackendTrafficPolicy {
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const rl = isObject(spec.rateLimit) ? spec.rateLimit : {};
  const rateLimits: RateLimitRule[] = [];
  for (const scope of ['global', 'local'] as const) {
    const s = rl[scope];
    if (!isObject(s) || !Array.isArray(s.rules)) continue;
    s.rules.forEach((r, index) => {
      const path: JsonPath = ['spec', 'rateLimit', scope, 'rules', index];
      const o = isObject(r) ? r : {};
      const selectors = (Array.isArray(o.clientSelectors) ? o.clientSelectors : []).map((c, j): RateLimitSelector => {
        const sp: JsonPath = [...path, 'clientSelectors', j];
        const src = isObject(c) && isObject(c.sourceCIDR) ? c.sourceCIDR : undefined;
        if (!src || src.value === undefined) return { path: sp };
        return { path: sp, sourceCIDR: { ...cidrText(src.value, [...sp, 'sourceCIDR', 'value']), invert: src.invert === true, type: str(src.type) ?? 'Exact' } };
      });
      // A copy: the model is frozen in place, the input documents are not.
      rateLimits.push({ scope, index, selectors, path, raw: JSON.parse(JSON.stringify(r ?? null)) as unknown });
    });
  }
  return { ...toResource(doc), rateLimits, targets: targetsOf(spec) };
}

/** envoyProxy.ipFamily of an EnvoyGateway configuration object. */
const configIpFamily = (o: unknown): string | undefined =>
  isObject(o) && o.kind === 'EnvoyGateway' && isObject(o.envoyProxy) ? str(o.envoyProxy.ipFamily) : undefined;

export function buildEnvoyGatewayModel(docs: readonly InputDocument[]): EnvoyGatewayModel {
  const proxyDocs: InputDocument[] = [];
  const classes: { doc: InputDocument; controllerName: string; proxy?: string }[] = [];
  const gateways: EgGateway[] = [];
  const securityPolicies: SecurityPolicy[] = [];
  const backendTrafficPolicies: BackendTrafficPolicy[] = [];
  let defaultIpFamily: string | undefined;
  for (const doc of docs) {
    const o = doc.object;
    const spec = isObject(o.spec) ? o.spec : {};
    if (o.kind === 'GatewayClass') {
      const controllerName = str(spec.controllerName) ?? '';
      if (!controllerName.startsWith(`${EG_GROUP}/`)) continue;
      const p = isObject(spec.parametersRef) ? spec.parametersRef : undefined;
      const proxy = p && p.group === EG_GROUP && p.kind === 'EnvoyProxy' ? `${str(p.namespace) ?? 'default'}/${str(p.name) ?? ''}` : undefined;
      classes.push({ doc, controllerName, ...(proxy ? { proxy } : {}) });
    } else if (o.kind === 'Gateway') {
      const r = toResource(doc);
      const infra = isObject(spec.infrastructure) && isObject(spec.infrastructure.parametersRef) ? spec.infrastructure.parametersRef : undefined;
      // contexts.go attachEnvoyProxy: a Gateway's parametersRef names an EnvoyProxy in its own namespace.
      const proxy = infra && infra.group === EG_GROUP && infra.kind === 'EnvoyProxy' ? `${r.ref.namespace ?? 'default'}/${str(infra.name) ?? ''}` : undefined;
      const cls = str(spec.gatewayClassName);
      gateways.push({ ref: r.ref, ...(cls ? { cls } : {}), ...(proxy ? { proxy } : {}) });
    } else if (o.kind === 'ConfigMap' && isObject(o.data) && typeof o.data['envoy-gateway.yaml'] === 'string') {
      for (const d of loadAllEmbedded(o.data['envoy-gateway.yaml'])) defaultIpFamily = configIpFamily(d) ?? defaultIpFamily;
    } else if (isEg(doc)) {
      if (o.kind === 'EnvoyProxy') proxyDocs.push(doc);
      else if (o.kind === 'SecurityPolicy') securityPolicies.push(securityPolicy(doc));
      else if (o.kind === 'BackendTrafficPolicy') backendTrafficPolicies.push(backendTrafficPolicy(doc));
      else if (o.kind === 'EnvoyGateway') defaultIpFamily = configIpFamily(o) ?? defaultIpFamily;
    }
  }
  const proxies = proxyDocs.map((doc): EnvoyProxy => {
    const r = toResource(doc);
    const key = `${r.ref.namespace ?? 'default'}/${r.ref.name}`;
    const spec = isObject(doc.object.spec) ? doc.object.spec : {};
    const ipFamily = str(spec.ipFamily);
    const mergeType = str(spec.mergeType);
    const users: ResourceRef[] = [
      ...classes.filter((c) => c.proxy === key).map((c) => toResource(c.doc).ref),
      ...gateways.filter((g) => g.proxy === key).map((g) => g.ref),
    ];
    return { ...r, ...(ipFamily ? { ipFamily } : {}), ...(mergeType ? { mergeType } : {}), users, hasSpec: isObject(doc.object.spec) };
  });
  const gatewayClasses = classes.map((c): EgGatewayClass => {
    const r = toResource(c.doc);
    return {
      ...r, controllerName: c.controllerName, ...(c.proxy ? { proxy: c.proxy } : {}),
      gateways: gateways.filter((g) => g.cls === r.ref.name).map((g) => ({ ref: g.ref, ownProxy: g.proxy !== undefined })),
    };
  });
  return { proxies, gatewayClasses, securityPolicies, backendTrafficPolicies, gateways, ...(defaultIpFamily ? { defaultIpFamily } : {}) };
}

// The Envoy Service. Envoy Gateway writes one Service per Gateway (per GatewayClass with merged
// Gateways) and server-side applies it on every reconcile; the labels below are how it recognises
// the Services it owns (internal/infrastructure/kubernetes/infra_resource.go createOrUpdateService
// and ownedByGateway; the label names are internal/gatewayapi's OwningGateway*Label, seen on the
// Services of internal/infrastructure/kubernetes/proxy/testdata/services/*.yaml). The Service's
// ipFamilyPolicy and ipFamilies come from the EnvoyProxy's spec.ipFamily (proxy/resource_provider.go
// Service(): IPv6 gives SingleStack [IPv6], DualStack RequireDualStack [IPv4, IPv6], IPv4 or unset
// leaves both to the apiserver's default).
export const EG_MANAGED_BY = 'envoy-gateway';
export const EG_OWNING_GATEWAY_NAME = 'gateway.envoyproxy.io/owning-gateway-name';
export const EG_OWNING_GATEWAY_NAMESPACE = 'gateway.envoyproxy.io/owning-gateway-namespace';
export const EG_OWNING_GATEWAYCLASS = 'gateway.envoyproxy.io/owning-gatewayclass';

/** A Service Envoy Gateway writes, and what decides its IP families. */
export interface EnvoyService {
  /** What it is written for: "Gateway ns/name" or "GatewayClass name" (merged Gateways). */
  readonly owner: string;
  /** Where the families come from, for messages: "EnvoyProxy ns/name", "GatewayClass eg, which names no EnvoyProxy"... */
  readonly setting: string;
  /** The EnvoyProxy to set spec.ipFamily in, for fixes. */
  readonly fixIn: string;
  /**
   * The input's object whose setting decides the families: the EnvoyProxy that applies, or the
   * Envoy Gateway GatewayClass that names none (the envoy-gateway-ipv4-listeners targets).
   * Undefined when the input does not hold it (or the EnvoyGateway configuration decides).
   */
  readonly decidedBy?: Resource;
}

const proxyKey = (p: EnvoyProxy): string => `${p.ref.namespace ?? 'default'}/${p.ref.name}`;
/** An EnvoyProxy with mergeType and no ipFamily leaves the family to the less specific level. */
const decides = (p: EnvoyProxy): boolean => p.ipFamily !== undefined || p.mergeType === undefined;

/**
 * The Envoy Gateway data plane a Service is, by its labels (ownedByGateway: managed-by
 * envoy-gateway and the owning Gateway's name and namespace, or the owning GatewayClass); undefined
 * for any other Service. Walks the EnvoyProxy levels as the envoy-gateway-ipv4-listeners rule does:
 * the Gateway's own, then its GatewayClass's, then the EnvoyGateway configuration's default.
 */
export function envoyServiceOf(svc: Resource, eg: EnvoyGatewayModel): EnvoyService | undefined {
  const l = svc.labels;
  if (l['app.kubernetes.io/managed-by'] !== EG_MANAGED_BY) return undefined;
  const gwName = l[EG_OWNING_GATEWAY_NAME];
  const gwNs = l[EG_OWNING_GATEWAY_NAMESPACE];
  const className = l[EG_OWNING_GATEWAYCLASS];
  const proxyAt = (key: string): EnvoyProxy | undefined => eg.proxies.find((p) => proxyKey(p) === key);
  const named = (key: string): Pick<EnvoyService, 'setting' | 'fixIn'> => ({ setting: `EnvoyProxy ${key}`, fixIn: `EnvoyProxy ${key}` });
  const unknown = (of: string): Pick<EnvoyService, 'setting' | 'fixIn'> => ({ setting: `the EnvoyProxy of ${of}`, fixIn: `the EnvoyProxy of ${of}` });
  // The class level: its EnvoyProxy, or the class itself when it names none (the noProxy finding).
  const classLevel = (name: string): Omit<EnvoyService, 'owner'> => {
    const cls = eg.gatewayClasses.find((c) => c.ref.name === name);
    if (!cls) return unknown(`GatewayClass ${name}`);
    if (!cls.proxy) return { setting: `GatewayClass ${name}, which names no EnvoyProxy`, fixIn: `an EnvoyProxy named in spec.parametersRef of GatewayClass ${name}`, decidedBy: cls };
    const p = proxyAt(cls.proxy);
    return p && decides(p) ? { ...named(cls.proxy), decidedBy: p } : named(cls.proxy);
  };
  if (gwName !== undefined && gwNs !== undefined) {
    const owner = `Gateway ${gwNs}/${gwName}`;
    const gw = eg.gateways.find((g) => g.ref.name === gwName && (g.ref.namespace ?? 'default') === gwNs);
    if (!gw) return { owner, ...unknown(owner) };
    if (gw.proxy) {
      const p = proxyAt(gw.proxy);
      if (p && decides(p)) return { owner, ...named(gw.proxy), decidedBy: p };
      // Merged over the class's EnvoyProxy, which then decides. Not over a class without one: the
      // class's noProxy finding is about the Gateways without an EnvoyProxy of their own.
      const c = p && gw.cls !== undefined ? classLevel(gw.cls) : undefined;
      return c?.decidedBy?.ref.kind === 'EnvoyProxy' ? { owner, ...c } : { owner, ...named(gw.proxy) };
    }
    return { owner, ...(gw.cls !== undefined ? classLevel(gw.cls) : unknown(owner)) };
  }
  if (className !== undefined) return { owner: `GatewayClass ${className}`, ...classLevel(className) };
  return undefined;
}

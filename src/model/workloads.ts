// Pod templates: every object that carries a pod spec (Pod, Deployment, StatefulSet, DaemonSet,
// ReplicaSet, ReplicationController, Job, CronJob), narrowed to the fields the workload rules
// read. Every fact keeps its JSON path from the object root, so findings point at the exact line.
// Also: ConfigMaps (indexed by namespace/name) and which of them each pod mounts or references,
// and which Services select each pod template (an index by namespace and label, never a loop
// over all Services times all pods).

import type { Family, InputDocument, JsonPath, ResourceRef } from './types.ts';
import { isObject, str, stringMap, toResource, type Resource } from './resources.ts';
import type { Service } from './services.ts';
import { coexist, noDuplicates, type Coexistence } from './coexist.ts';
import { exact, NONE, pathOf, rootPath } from './paths.ts';

/** Where the pod spec sits inside each kind (paths of model/paths.ts: every fact's path is made from them). */
const TEMPLATE_SPEC = rootPath('spec', 'template', 'spec');
export const POD_SPEC_PATHS: Readonly<Record<string, JsonPath>> = {
  Pod: rootPath('spec'),
  Deployment: TEMPLATE_SPEC,
  StatefulSet: TEMPLATE_SPEC,
  DaemonSet: TEMPLATE_SPEC,
  ReplicaSet: TEMPLATE_SPEC,
  ReplicationController: TEMPLATE_SPEC,
  Job: TEMPLATE_SPEC,
  CronJob: rootPath('spec', 'jobTemplate', 'spec', 'template', 'spec'),
};
export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);
/** API groups of the built-in kinds (a CRD called Job in another group is not a pod template). */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: [''], ReplicationController: [''],
  Deployment: ['apps', 'extensions'], StatefulSet: ['apps'], DaemonSet: ['apps', 'extensions'], ReplicaSet: ['apps', 'extensions'],
  Job: ['batch'], CronJob: ['batch'],
};

/** Whether an object is one of the built-in kinds that carry a pod template. */
export function isPodTemplateKind(apiVersion: unknown, kind: unknown): kind is string {
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !Object.hasOwn(GROUPS, kind)) return false;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return GROUPS[kind]!.includes(group);
}

/** A plain string field and the path of its key. */
export interface Located<T = string> {
  readonly value: T;
  readonly path: JsonPath;
}

export interface EnvVar {
  readonly name: string;
  /** The env entry (`- name: X`). */
  readonly path: JsonPath;
  readonly value?: string;
  /** valueFrom.fieldRef.fieldPath, with the path of the fieldPath key. */
  readonly fieldRef?: Located;
  /** valueFrom.configMapKeyRef. */
  readonly configMapKeyRef?: { readonly name: string; readonly key: string };
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
export interface Probe {
  readonly kind: ProbeKind;
  readonly handler: 'httpGet' | 'tcpSocket' | 'grpc' | 'exec' | 'none';
  /** httpGet.host / tcpSocket.host, when set. */
  readonly host?: Located;
  /** exec.command, each element with its path. */
  readonly exec: readonly Located[];
  readonly path: JsonPath;
}

export interface ContainerPort {
  readonly containerPort?: number;
  readonly hostPort?: number;
  readonly hostIP?: Located;
  readonly protocol: string;
  readonly path: JsonPath;
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly image?: string;
  readonly path: JsonPath;
  readonly command: readonly Located[];
  readonly args: readonly Located[];
  readonly env: readonly EnvVar[];
  readonly probes: readonly Probe[];
  readonly ports: readonly ContainerPort[];
  readonly privileged: boolean;
}

export interface HostAlias {
  readonly ip?: string;
  readonly hostnames: readonly string[];
  /** The hostAliases entry. */
  readonly path: JsonPath;
}

export interface Sysctl {
  readonly name: string;
  readonly value: string;
  /** The sysctls entry. */
  readonly path: JsonPath;
}

export type ConfigMapUseKind = 'volume' | 'projected' | 'envFrom' | 'configMapKeyRef';
export interface ConfigMapUse {
  readonly name: string;
  readonly namespace: string;
  readonly from: ConfigMapUseKind;
  /** The keys used; undefined means every key (a whole-volume mount or envFrom). */
  readonly keys?: readonly string[];
  /** Where the reference is in the workload. */
  readonly path: JsonPath;
  /** For configMapKeyRef: the env var it feeds. */
  readonly envName?: string;
  /** Container name for envFrom / configMapKeyRef. */
  readonly container?: string;
  /** Whether the ConfigMap is in the input. */
  readonly resolved: boolean;
  /** The ConfigMap it resolves to: of several with that namespace/name, the one in the pod's own file, else the last. */
  readonly configMap?: ConfigMap;
}

export interface ConfigMap extends Resource {
  /** data (binaryData is not text and is skipped). */
  readonly data: Readonly<Record<string, string>>;
}

export interface ServiceSelection {
  readonly ref: ResourceRef;
  /** The Service's families on a dual-stack cluster with the same primary (the migration target). */
  readonly families: readonly Family[];
}

export interface Workload extends Resource {
  /** JSON path of the pod spec inside the object. */
  readonly podSpecPath: JsonPath;
  /** Labels the pods get (the template's labels; a Pod's own labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** initContainers first, then containers (ephemeral containers are not part of a template). */
  readonly containers: readonly Container[];
  readonly hostNetwork?: Located<boolean>;
  readonly dnsPolicy?: Located;
  readonly hostAliases: readonly HostAlias[];
  /** dnsConfig.nameservers, each with its path. */
  readonly nameservers: readonly Located[];
  /** Path of dnsConfig.nameservers (for the count check). */
  readonly nameserversPath: JsonPath;
  readonly sysctls: readonly Sysctl[];
  readonly configMaps: readonly ConfigMapUse[];
  /** Services in the input whose selector matches podLabels. */
  readonly selectedBy: readonly ServiceSelection[];
  /**
   * Running Pods of the input this template stands for (stored Pods collapsed onto their top
   * controller, or onto their owner when it is not in the input); 0 for a manifest.
   */
  readonly pods: number;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (o: unknown, ...keys: string[]): unknown => {
  let cur: unknown = o;
  for (const k of keys) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
};
/** Scalars Kubernetes would accept as strings in a []string field (YAML may type them). */
const scalarText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function located(v: unknown, path: JsonPath): readonly Located[] {
  const out: Located[] = [];
  list(v).forEach((x, i) => {
    const s = scalarText(x);
    if (s !== undefined) out.push({ value: s, path: pathOf(path, i) });
  });
  return exact(out);
}

const PROBES: readonly ProbeKind[] = ['startupProbe', 'livenessProbe', 'readinessProbe'];

function buildProbe(kind: ProbeKind, p: Record<string, unknown>, path: JsonPath): Probe {
  const handler = isObject(p.httpGet) ? 'httpGet' : isObject(p.tcpSocket) ? 'tcpSocket' : isObject(p.grpc) ? 'grpc' : isObject(p.exec) ? 'exec' : 'none';
  const host = handler === 'httpGet' || handler === 'tcpSocket' ? str(at(p, handler, 'host')) : undefined;
  return {
    kind, handler, path,
    ...(host !== undefined ? { host: { value: host, path: pathOf(path, handler, 'host') } } : {}),
    exec: handler === 'exec' ? located(at(p, 'exec', 'command'), pathOf(path, 'exec', 'command')) : NONE,
  };
}

function buildContainer(c: Record<string, unknown>, init: boolean, path: JsonPath): Container {
  const env: EnvVar[] = [];
  list(c.env).forEach((e, i) => {
    if (!isObject(e) || typeof e.name !== 'string') return;
    const p = pathOf(path, 'env', i);
    const value = scalarText(e.value);
    const fieldPath = str(at(e, 'valueFrom', 'fieldRef', 'fieldPath'));
    const cmName = str(at(e, 'valueFrom', 'configMapKeyRef', 'name'));
    const cmKey = str(at(e, 'valueFrom', 'configMapKeyRef', 'key'));
    env.push({
      name: e.name, path: p,
      ...(value !== undefined ? { value } : {}),
      ...(fieldPath !== undefined ? { fieldRef: { value: fieldPath, path: pathOf(p, 'valueFrom', 'fieldRef', 'fieldPath') } } : {}),
      ...(cmName !== undefined && cmKey !== undefined ? { configMapKeyRef: { name: cmName, key: cmKey } } : {}),
    });
  });
  const probes: Probe[] = [];
  for (const k of PROBES) if (isObject(c[k])) probes.push(buildProbe(k, c[k], pathOf(path, k)));
  const ports: ContainerPort[] = [];
  list(c.ports).forEach((p, i) => {
    if (!isObject(p)) return;
    const pp = pathOf(path, 'ports', i);
    const hostIP = str(p.hostIP);
    ports.push({
      path: pp, protocol: str(p.protocol) ?? 'TCP',
      ...(typeof p.containerPort === 'number' ? { containerPort: p.containerPort } : {}),
      ...(typeof p.hostPort === 'number' ? { hostPort: p.hostPort } : {}),
      ...(hostIP !== undefined && hostIP !== '' ? { hostIP: { value: hostIP, path: pathOf(pp, 'hostIP') } } : {}),
    });
  });
  const image = str(c.image);
  return {
    name: str(c.name) ?? '(unnamed)', init, path,
    ...(image !== undefined ? { image } : {}),
    command: located(c.command, pathOf(path, 'command')),
    args: located(c.args, pathOf(path, 'args')),
    env: exact(env), probes: exact(probes), ports: exact(ports),
    privileged: at(c, 'securityContext', 'privileged') === true,
  };
}

function configMapUses(spec: Record<string, unknown>, prefix: JsonPath, ns: string, containers: readonly Container[], raw: readonly Record<string, unknown>[]): Omit<ConfigMapUse, 'resolved'>[] {
  const uses: Omit<ConfigMapUse, 'resolved'>[] = [];
  const itemKeys = (items: unknown): readonly string[] | undefined => {
    const keys = list(items).flatMap((it) => (isObject(it) && typeof it.key === 'string' ? [it.key] : []));
    return Array.isArray(items) && keys.length > 0 ? exact(keys) : undefined;
  };
  list(spec.volumes).forEach((v, i) => {
    if (!isObject(v)) return;
    const vp = pathOf(prefix, 'volumes', i);
    const cm = v.configMap;
    if (isObject(cm) && typeof cm.name === 'string') {
      const keys = itemKeys(cm.items);
      uses.push({ name: cm.name, namespace: ns, from: 'volume', path: pathOf(vp, 'configMap', 'name'), ...(keys ? { keys } : {}) });
    }
    list(at(v, 'projected', 'sources')).forEach((s, j) => {
      const pcm = at(s, 'configMap');
      if (isObject(pcm) && typeof pcm.name === 'string') {
        const keys = itemKeys(pcm.items);
        uses.push({
          name: pcm.name, namespace: ns, from: 'projected',
          path: pathOf(vp, 'projected', 'sources', j, 'configMap', 'name'), ...(keys ? { keys } : {}),
        });
      }
    });
  });
  containers.forEach((c, ci) => {
    const rc = raw[ci]!;
    list(rc.envFrom).forEach((ef, j) => {
      const name = str(at(ef, 'configMapRef', 'name'));
      if (name !== undefined) {
        uses.push({ name, namespace: ns, from: 'envFrom', path: pathOf(c.path, 'envFrom', j, 'configMapRef', 'name'), container: c.name });
      }
    });
    for (const e of c.env) {
      if (e.configMapKeyRef) {
        uses.push({
          name: e.configMapKeyRef.name, namespace: ns, from: 'configMapKeyRef', keys: [e.configMapKeyRef.key],
          path: pathOf(e.path, 'valueFrom', 'configMapKeyRef', 'name'), envName: e.name, container: c.name,
        });
      }
    }
  });
  return uses;
}

/** A pod template's facts before its ConfigMap references are resolved (workloadFacts). */
export type WorkloadFacts = Omit<Workload, 'selectedBy' | 'pods' | 'configMaps'> & { readonly configMaps: readonly Omit<ConfigMapUse, 'resolved'>[] };

/** The pod template of one object, or undefined when the kind has none (or the spec is missing). */
export function buildWorkload(doc: InputDocument, configMaps: ReadonlyMap<string, readonly ConfigMap[]>, coexistence: Coexistence = noDuplicates()): Omit<Workload, 'selectedBy' | 'pods'> | undefined {
  const f = workloadFacts(doc);
  return f ? resolveConfigMaps(f, configMaps, coexistence) : undefined;
}

/** The ConfigMaps of the input a template's references resolve to: of several with that namespace/name, the one in its own file, else the last that can coexist with it. */
export function resolveConfigMaps(f: WorkloadFacts, configMaps: ReadonlyMap<string, readonly ConfigMap[]>, coexistence: Coexistence = noDuplicates()): Omit<Workload, 'selectedBy' | 'pods'> {
  const uses = f.configMaps.map((u): ConfigMapUse => {
    const found = configMaps.get(configMapKey(u.namespace, u.name));
    const cm = found?.find((c) => c.source?.file !== undefined && c.source.file === f.source?.file) ?? (found ? [...found].reverse().find((c) => coexist(coexistence, c.source, f.source)) : undefined);
    return cm ? { ...u, resolved: true, configMap: cm } : { ...u, resolved: false };
  });
  return { ...f, configMaps: uses };
}

/**
 * The facts of one object's pod template that need no other document, or undefined when the kind
 * has none (or the spec is missing). The streaming model build takes them as the document is read.
 */
export function workloadFacts(doc: InputDocument): WorkloadFacts | undefined {
  const base = toResource(doc);
  if (!isPodTemplateKind(doc.object.apiVersion, base.ref.kind)) return undefined;
  const prefix = POD_SPEC_PATHS[base.ref.kind]!;
  const spec = at(doc.object, ...(prefix as string[]));
  if (!isObject(spec)) return undefined;
  const ns = base.ref.namespace ?? 'default';
  const podLabels = base.ref.kind === 'Pod' ? base.labels : stringMap(at(doc.object, ...(prefix.slice(0, -1) as string[]), 'metadata', 'labels'));
  const containers: Container[] = [];
  const raw: Record<string, unknown>[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    list(spec[field]).forEach((c, i) => {
      if (!isObject(c)) return;
      containers.push(buildContainer(c, init, pathOf(prefix, field, i)));
      raw.push(c);
    });
  }
  const hostAliases: HostAlias[] = [];
  list(spec.hostAliases).forEach((h, i) => {
    if (!isObject(h)) return;
    const ip = str(h.ip);
    hostAliases.push({
      path: pathOf(prefix, 'hostAliases', i),
      hostnames: exact(list(h.hostnames).filter((x): x is string => typeof x === 'string')),
      ...(ip !== undefined ? { ip } : {}),
    });
  });
  const sysctls: Sysctl[] = [];
  list(at(spec, 'securityContext', 'sysctls')).forEach((s, i) => {
    if (!isObject(s) || typeof s.name !== 'string') return;
    sysctls.push({ name: s.name, value: scalarText(s.value) ?? '', path: pathOf(prefix, 'securityContext', 'sysctls', i) });
  });
  const nameserversPath = pathOf(prefix, 'dnsConfig', 'nameservers');
  const dnsPolicy = str(spec.dnsPolicy);
  const uses = configMapUses(spec, prefix, ns, containers, raw);
  return {
    ...base,
    podSpecPath: prefix,
    podLabels,
    containers: exact(containers),
    ...(typeof spec.hostNetwork === 'boolean' ? { hostNetwork: { value: spec.hostNetwork, path: pathOf(prefix, 'hostNetwork') } } : {}),
    ...(dnsPolicy !== undefined ? { dnsPolicy: { value: dnsPolicy, path: pathOf(prefix, 'dnsPolicy') } } : {}),
    hostAliases: exact(hostAliases),
    nameservers: located(at(spec, 'dnsConfig', 'nameservers'), nameserversPath),
    nameserversPath,
    sysctls: exact(sysctls),
    configMaps: exact(uses),
  };
}

export function buildConfigMap(doc: InputDocument): ConfigMap {
  const base = toResource(doc);
  const data: Record<string, string> = {};
  const d = doc.object.data;
  if (isObject(d)) for (const [k, v] of Object.entries(d)) {
    const s = scalarText(v);
    if (s !== undefined) data[k] = s;
  }
  return { ...base, data };
}

export const configMapKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * Which Services select which pod templates. Pod templates are indexed by namespace and one
 * label pair; each Service looks up the candidates of its first selector pair and checks the
 * rest, so the cost is the number of Services plus the matching candidates, not a product.
 */
export function selectServices(workloads: readonly Omit<Workload, 'selectedBy'>[], services: readonly Service[], coexistence: Coexistence = noDuplicates()): Map<number, ServiceSelection[]> {
  const index = new Map<string, number[]>();
  workloads.forEach((w, i) => {
    const ns = w.ref.namespace ?? 'default';
    for (const [k, v] of Object.entries(w.podLabels)) {
      const key = `${ns}\u0000${k}\u0000${v}`;
      const l = index.get(key);
      if (l) l.push(i);
      else index.set(key, [i]);
    }
  });
  const out = new Map<number, ServiceSelection[]>();
  for (const svc of services) {
    const pairs = Object.entries(svc.selector);
    if (pairs.length === 0 || svc.type === 'ExternalName') continue;
    const ns = svc.ref.namespace ?? 'default';
    // The rarest pair gives the fewest candidates.
    let best: number[] | undefined;
    for (const [k, v] of pairs) {
      const c = index.get(`${ns}\u0000${k}\u0000${v}`) ?? [];
      if (!best || c.length < best.length) best = c;
      if (c.length === 0) break;
    }
    // One record per Service, shared by every pod template it selects: many Services in one
    // namespace with common labels select many templates each, and a record per pair was most of
    // the model's growth on such inputs.
    let sel: ServiceSelection | undefined;
    for (const i of best ?? []) {
      const labels = workloads[i]!.podLabels;
      if (!pairs.every(([k, v]) => labels[k] === v)) continue;
      // A Service selects only pods that can be in its cluster (model/coexist.ts).
      if (!coexist(coexistence, svc.source, workloads[i]!.source)) continue;
      sel ??= { ref: svc.ref, families: (svc.effectiveWhenDual ?? svc.effective)?.ipFamilies ?? [] };
      const l = out.get(i);
      if (l) l.push(sel);
      else out.set(i, [sel]);
    }
  }
  return out;
}

/**
 * Controllers whose Pods all run the controller's one template: Pods they own are judged once
 * per owner, also when the owner itself is not in the input (Pods read, their ReplicaSet not).
 * Not Node (mirror Pods of static manifests differ per node) nor custom controllers.
 */
const TEMPLATE_OWNERS: ReadonlySet<string> = new Set(['ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job']);

const objKey = (kind: string, ns: string, name: string): string => `${kind}\u0000${ns}\u0000${name}`;

interface OwnerRef { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly uid?: string }

/** metadata.ownerReferences' controller entry (controller: true), if any. */
function controllerOf(o: Readonly<Record<string, unknown>>): OwnerRef | undefined {
  for (const x of list(at(o, 'metadata', 'ownerReferences'))) {
    if (!isObject(x) || x.controller !== true || typeof x.kind !== 'string' || typeof x.name !== 'string') continue;
    return { apiVersion: str(x.apiVersion) ?? '', kind: x.kind, name: x.name, ...(typeof x.uid === 'string' ? { uid: x.uid } : {}) };
  }
  return undefined;
}

/**
 * The controller of an absent owner, when its name says which object of the input it is: the
 * Deployment controller names a ReplicaSet `<deployment>-<pod-template-hash>` and labels its
 * Pods pod-template-hash (kubernetes pkg/controller/deployment/sync.go), the CronJob controller
 * names a Job `<cronjob>-<scheduled time in minutes>` (pkg/controller/cronjob/cronjob_controllerv2.go
 * getJobName). So `kubectl get deploy,pod` collapses Pods onto their Deployment without the ReplicaSet.
 */
function ownerOfAbsent(o: OwnerRef, child: Readonly<Record<string, unknown>>, ns: string, present: ReadonlyMap<string, InputDocument>): string | undefined {
  if (o.kind === 'ReplicaSet') {
    const hash = str(at(child, 'metadata', 'labels', 'pod-template-hash'));
    if (hash && o.name.endsWith(`-${hash}`)) {
      const k = objKey('Deployment', ns, o.name.slice(0, -hash.length - 1));
      if (present.has(k)) return k;
    }
  } else if (o.kind === 'Job') {
    const m = /^(.+)-\d+$/.exec(o.name);
    const k = m ? objKey('CronJob', ns, m[1]!) : undefined;
    if (k && present.has(k)) return k;
  }
  return undefined;
}

/** Where a pod template is judged: its top controller in the input, or the absent owner of a Pod. */
interface Top {
  readonly key: string;
  /** The Pod's owner, not in the input: the Pods it owns are judged once, as it. */
  readonly absentOwner?: ResourceRef;
}

function topOf(doc: InputDocument, kind: string, ns: string, name: string, present: ReadonlyMap<string, InputDocument>): Top {
  let cur = doc.object;
  let curKey = objKey(kind, ns, name);
  const seen = new Set([curKey]);
  for (;;) {
    const o = controllerOf(cur);
    if (!o) return { key: curKey };
    let k: string | undefined = objKey(o.kind, ns, o.name);
    let next = present.get(k);
    // Same name, another object (deleted and recreated): not the owner.
    const uid = next ? str(at(next.object, 'metadata', 'uid')) : undefined;
    if (next && o.uid !== undefined && uid !== undefined && uid !== o.uid) next = undefined;
    if (!next) {
      k = ownerOfAbsent(o, cur, ns, present);
      next = k ? present.get(k) : undefined;
    }
    if (!next || k === undefined) {
      if (cur === doc.object && kind === 'Pod' && TEMPLATE_OWNERS.has(o.kind)) {
        return { key: objKey(o.kind, ns, o.name), absentOwner: { apiVersion: o.apiVersion, kind: o.kind, namespace: ns, name: o.name } };
      }
      return { key: curKey };
    }
    if (seen.has(k)) return { key: curKey };
    seen.add(k);
    cur = next.object;
    curKey = k;
  }
}

/** A Pod that runs or will run (stored with a phase that is not final). */
const isRunningPod = (o: Readonly<Record<string, unknown>>): boolean => {
  const phase = at(o, 'status', 'phase');
  return typeof phase === 'string' && phase !== 'Succeeded' && phase !== 'Failed';
};

/**
 * Pod templates and ConfigMaps of the (already namespace-filtered) documents. Each template is
 * judged once, on its top controller in the input (Pod -> ReplicaSet -> Deployment, Pod -> Job
 * -> CronJob, following metadata.ownerReferences' controller); the Pods of an owner that is not
 * in the input are judged once as that owner. `pods` counts the running Pods each stands for.
 */
export function buildWorkloads(docs: readonly InputDocument[], services: readonly Service[], coexistence: Coexistence = noDuplicates(),
  /**
   * The facts of templates taken as they were read (the streaming build): their documents in
   * `docs` are then only kind and metadata (what the owner walk reads), without the spec.
   */
  facts?: ReadonlyMap<InputDocument, WorkloadFacts>): {
  workloads: Workload[]; configMaps: Map<string, ConfigMap>;
  /** Each Pod judged as part of another template: the ref of that template (its top controller, or its absent owner). */
  podOwners: Map<InputDocument, ResourceRef>;
} {
  const configMaps = new Map<string, ConfigMap>();
  const byName = new Map<string, ConfigMap[]>();
  const present = new Map<string, InputDocument>();
  for (const doc of docs) {
    const kind = doc.object.kind;
    if (kind === 'ConfigMap' && doc.object.apiVersion === 'v1') {
      const cm = buildConfigMap(doc);
      const key = configMapKey(cm.ref.namespace ?? 'default', cm.ref.name);
      configMaps.set(key, cm);
      const l = byName.get(key);
      if (l) l.push(cm);
      else byName.set(key, [cm]);
    } else if (isPodTemplateKind(doc.object.apiVersion, kind)) {
      const r = toResource(doc);
      const k = objKey(kind, r.ref.namespace ?? 'default', r.ref.name);
      if (!present.has(k)) present.set(k, doc);
    }
  }
  // Each template's top, in input order of first appearance, and the running Pods under it.
  const tops = new Map<string, { doc: InputDocument; absentOwner?: ResourceRef; pods: number }>();
  const podOwners = new Map<InputDocument, ResourceRef>();
  for (const doc of docs) {
    const kind = doc.object.kind;
    if (!isPodTemplateKind(doc.object.apiVersion, kind)) continue;
    const r = toResource(doc);
    const ns = r.ref.namespace ?? 'default';
    const top = topOf(doc, kind, ns, r.ref.name, present);
    const own = top.key === objKey(kind, ns, r.ref.name);
    let key = top.key;
    // Another copy of the same object (another file: model/coexist.ts) is judged on its own, not dropped.
    if (own && doc.source && tops.has(key) && tops.get(key)!.doc !== doc) key += `\u0000${doc.source.file}\u0000${doc.source.doc}\u0000${doc.source.item ?? ''}`;
    let t = tops.get(key);
    if (!t && (own || top.absentOwner)) {
      t = { doc, ...(top.absentOwner ? { absentOwner: top.absentOwner } : {}), pods: 0 };
      tops.set(key, t);
    } else if (!t) {
      // The top is later in the input: it takes its own place when it comes.
      t = { doc: present.get(top.key)!, pods: 0 };
      tops.set(top.key, t);
    }
    if (kind === 'Pod' && isRunningPod(doc.object)) t.pods++;
    if (kind === 'Pod' && !own) podOwners.set(doc, top.absentOwner ?? toResource(present.get(top.key)!).ref);
  }
  const partial: Omit<Workload, 'selectedBy'>[] = [];
  for (const t of tops.values()) {
    const f = facts?.get(t.doc);
    const w = f ? resolveConfigMaps(f, byName, coexistence) : buildWorkload(t.doc, byName, coexistence);
    if (!w) continue;
    partial.push({ ...w, ...(t.absentOwner ? { ref: t.absentOwner } : {}), pods: t.pods });
  }
  const selected = selectServices(partial, services, coexistence);
  return { workloads: partial.map((w, i) => ({ ...w, selectedBy: selected.get(i) ?? [] })), configMaps, podOwners };
}

// Facts only a live cluster (or a snapshot of one) has: what the apiserver and the controllers
// actually allocated. Node pod CIDRs and addresses, Pod IPs, EndpointSlices per Service, the
// Service families the apiserver stored (SEMANTICS.md a.6, b.4, c); the cluster's Service families
// are inferred in model/families.ts. Pure.

import { FAMILIES, otherFamily, type ClusterFamilies, type Family, type InputDocument, type ResourceRef, type SourceRef } from './types.ts';
import { isObject, str, toResource } from './resources.ts';
import { parseCIDR, parseIP } from '../emulate/ip.ts';
import type { Service } from './services.ts';
import type { IPFamilyPolicy } from '../emulate/service-families.ts';

export interface LiveValue {
  readonly text: string;
  /** Position in its list (the JSON path index). */
  readonly index: number;
  /** undefined when the value does not parse. */
  readonly family?: Family;
}

export interface LiveNode {
  readonly ref: ResourceRef;
  readonly source?: SourceRef;
  readonly annotations: Readonly<Record<string, string>>;
  /** spec.podCIDRs (or the legacy spec.podCIDR alone). */
  readonly podCIDRs: readonly LiveValue[];
  readonly podCIDRsField: 'podCIDRs' | 'podCIDR' | undefined;
  readonly podCIDRFamilies: readonly Family[];
  /** status.addresses of type InternalIP. */
  readonly internalIPs: readonly LiveValue[];
  readonly internalIPFamilies: readonly Family[];
}

export interface LivePod {
  readonly ref: ResourceRef;
  readonly source?: SourceRef;
  readonly annotations: Readonly<Record<string, string>>;
  readonly phase?: string;
  readonly hostNetwork: boolean;
  readonly nodeName?: string;
  /** status.podIPs[].ip (or status.podIP alone). */
  readonly podIPs: readonly LiveValue[];
  readonly families: readonly Family[];
  /** The template it runs, when that is another object's (its top controller, or an owner not in the input: model/workloads.ts). */
  readonly owner?: ResourceRef;
}

export interface LiveSlice {
  readonly ref: ResourceRef;
  readonly source?: SourceRef;
  readonly addressType: string;
  readonly endpoints: number;
  /** Endpoints whose conditions.ready is not false (nil means ready, as kube-proxy reads it). */
  readonly ready: number;
}

export interface LiveFacts {
  readonly nodes: readonly LiveNode[];
  readonly pods: readonly LivePod[];
  /** EndpointSlices by "namespace/service-name" (label kubernetes.io/service-name). */
  readonly slicesByService: ReadonlyMap<string, readonly LiveSlice[]>;
  /** Kinds that could not be read (RBAC, errors): rules that need them do not judge. */
  readonly notRead: readonly string[];
  /** Families of the pod network seen on nodes and pods, primary (most common first entry) first. */
  readonly podFamilies: readonly Family[];
}

export interface LiveOptions {
  /** Kinds the live read could not list (403, errors). */
  readonly notRead?: readonly string[];
}

const familiesOf = (vals: readonly LiveValue[]): Family[] => {
  const out: Family[] = [];
  for (const v of vals) if (v.family && !out.includes(v.family)) out.push(v.family);
  return out;
};

function node(doc: InputDocument): LiveNode {
  const r = toResource(doc);
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const status = isObject(doc.object.status) ? doc.object.status : {};
  let podCIDRs: LiveValue[] = [];
  let field: LiveNode['podCIDRsField'];
  if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0) {
    field = 'podCIDRs';
    podCIDRs = spec.podCIDRs.flatMap((v, index) => (typeof v === 'string' ? [{ text: v, index, ...famOfCIDR(v) }] : []));
  } else if (typeof spec.podCIDR === 'string' && spec.podCIDR !== '') {
    field = 'podCIDR';
    podCIDRs = [{ text: spec.podCIDR, index: 0, ...famOfCIDR(spec.podCIDR) }];
  }
  const internalIPs: LiveValue[] = Array.isArray(status.addresses)
    ? status.addresses.flatMap((a, index) => (isObject(a) && a.type === 'InternalIP' && typeof a.address === 'string' ? [{ text: a.address, index, ...famOfIP(a.address) }] : []))
    : [];
  return {
    ref: r.ref, ...(r.source ? { source: r.source } : {}), annotations: r.annotations,
    podCIDRs, podCIDRsField: field, podCIDRFamilies: familiesOf(podCIDRs),
    internalIPs, internalIPFamilies: familiesOf(internalIPs),
  };
}

const famOfCIDR = (t: string): { family?: Family } => {
  const c = parseCIDR(t.trim());
  return c ? { family: c.family } : {};
};
const famOfIP = (t: string): { family?: Family } => {
  const ip = parseIP(t.trim());
  return ip ? { family: ip.family } : {};
};

function pod(doc: InputDocument, owner: ResourceRef | undefined): LivePod {
  const r = toResource(doc);
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const status = isObject(doc.object.status) ? doc.object.status : {};
  let podIPs: LiveValue[] = [];
  if (Array.isArray(status.podIPs) && status.podIPs.length > 0) {
    podIPs = status.podIPs.flatMap((p, index) => (isObject(p) && typeof p.ip === 'string' ? [{ text: p.ip, index, ...famOfIP(p.ip) }] : []));
  } else if (typeof status.podIP === 'string' && status.podIP !== '') {
    podIPs = [{ text: status.podIP, index: 0, ...famOfIP(status.podIP) }];
  }
  return {
    ref: r.ref, ...(r.source ? { source: r.source } : {}), annotations: r.annotations,
    ...(str(status.phase) ? { phase: str(status.phase) } : {}),
    hostNetwork: spec.hostNetwork === true,
    ...(str(spec.nodeName) ? { nodeName: str(spec.nodeName) } : {}),
    podIPs, families: familiesOf(podIPs),
    ...(owner ? { owner } : {}),
  };
}

function slice(doc: InputDocument): { key?: string; slice: LiveSlice } {
  const r = toResource(doc);
  const o = doc.object;
  const eps = Array.isArray(o.endpoints) ? o.endpoints.filter(isObject) : [];
  const ready = eps.filter((e) => !(isObject(e.conditions) && e.conditions.ready === false)).length;
  const svc = r.labels['kubernetes.io/service-name'];
  return {
    ...(svc ? { key: `${r.ref.namespace ?? 'default'}/${svc}` } : {}),
    slice: { ref: r.ref, ...(r.source ? { source: r.source } : {}), addressType: str(o.addressType) ?? '', endpoints: eps.length, ready },
  };
}

/** The live facts of the documents (already filtered by namespace). */
export function buildLive(docs: readonly InputDocument[], opts: LiveOptions = {}, podOwners?: ReadonlyMap<InputDocument, ResourceRef>): LiveFacts {
  const nodes: LiveNode[] = [];
  const pods: LivePod[] = [];
  const slicesByService = new Map<string, LiveSlice[]>();
  for (const doc of docs) {
    const o = doc.object;
    if (o.apiVersion === 'v1' && o.kind === 'Node') nodes.push(node(doc));
    else if (o.apiVersion === 'v1' && o.kind === 'Pod') pods.push(pod(doc, podOwners?.get(doc)));
    else if (o.kind === 'EndpointSlice' && String(o.apiVersion).startsWith('discovery.k8s.io/')) {
      const { key, slice: s } = slice(doc);
      if (!key) continue;
      const l = slicesByService.get(key);
      if (l) l.push(s);
      else slicesByService.set(key, [s]);
    }
  }
  // Pod network families: the first family of most nodes (else pods) is the primary.
  const firsts = new Map<Family, number>();
  const seen = new Set<Family>();
  for (const fams of [...nodes.map((n) => n.podCIDRFamilies), ...pods.filter((p) => !p.hostNetwork).map((p) => p.families)]) {
    if (fams[0]) firsts.set(fams[0], (firsts.get(fams[0]) ?? 0) + 1);
    for (const f of fams) seen.add(f);
  }
  const primary = [...firsts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const podFamilies: Family[] = primary ? [primary, ...FAMILIES.filter((f) => f !== primary && seen.has(f))] : [];
  return { nodes, pods, slicesByService, notRead: [...new Set(opts.notRead ?? [])], podFamilies };
}

const POLICIES = new Set(['SingleStack', 'PreferDualStack', 'RequireDualStack']);

/**
 * A stored Service's families are what the apiserver allocated; they can differ from what a
 * create would give today (a PreferDualStack Service created before the cluster became
 * dual-stack keeps one family, SEMANTICS.md a.6). `effective` and the DNS records follow the
 * stored fields when they are well-formed; `effectiveWhenDual` keeps the create-time answer.
 */
export function withStoredFamilies(svc: Service, doc: InputDocument): Service {
  if (svc.type === 'ExternalName' || svc.rejected.length > 0) return svc;
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const fams = spec.ipFamilies;
  const policy = spec.ipFamilyPolicy;
  if (!Array.isArray(fams) || fams.length < 1 || fams.length > 2 || typeof policy !== 'string' || !POLICIES.has(policy)) return svc;
  if (!fams.every((f) => f === 'IPv4' || f === 'IPv6') || (fams.length === 2 && fams[0] === fams[1])) return svc;
  const families = fams as Family[];
  return {
    ...svc,
    effective: { ipFamilyPolicy: policy as IPFamilyPolicy, ipFamilies: families },
    dns: { A: families.includes('IPv4'), AAAA: families.includes('IPv6') },
  };
}

// ---- Facts the live-only rules read -----------------------------------------------------------

/** The parts of the model these facts read (the Model, structurally: model/build.ts imports this module). */
interface LiveView {
  readonly clusterFamilies: ClusterFamilies;
  readonly live?: LiveFacts;
}

/** The families a dual-stack cluster needs, primary first: the cluster's if dual, else the pod network's, else the migration target. */
export function wantedFamilies(model: LiveView): readonly Family[] {
  const svc = model.clusterFamilies.families;
  if (svc.length === 2) return svc;
  const pods = model.live?.podFamilies ?? [];
  if (pods.length === 2) return pods;
  const primary = pods[0] ?? svc[0] ?? 'IPv4';
  return [primary, otherFamily(primary)];
}

/** The cluster is dual-stack already (Service families, or nodes and pods of both families). */
export const clusterIsDual = (model: LiveView): boolean =>
  model.clusterFamilies.families.length === 2 || (model.live?.podFamilies.length ?? 0) === 2;

export const missingOf = (have: readonly Family[], want: readonly Family[]): Family[] =>
  FAMILIES.filter((f) => want.includes(f) && !have.includes(f));

/** Live facts are present and `kind` was read. */
export const liveRead = (model: LiveView, kind: string): boolean =>
  model.live !== undefined && !model.live.notRead.includes(kind);

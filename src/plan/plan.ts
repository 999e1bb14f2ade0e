// `dualstack-audit plan`: what applying these manifests to that cluster does to each Service.
// Pure: manifests and stored objects in, a Plan out. Creation follows service-families.ts (the
// apiserver's create path), updates service-update.ts (its update path), and the request each
// --method sends comes from request.ts.

import type { Family, InputDocument, LoadProblem, SourceLocation } from '../model/types.ts';
import { resolveServiceFamilies, type FieldError } from '../emulate/service-families.ts';
import { invalidMessage, serviceIPInput, storedState, updateServiceFamilies, type AddressChange, type ServiceIPState } from '../emulate/service-update.ts';
import { updateRequest, type Method } from './request.ts';
import type { FamiliesDecision } from './families.ts';

export const PLAN_SCHEMA_VERSION = 1;

export type Action = 'create' | 'update' | 'unchanged';
export type Outcome = 'accepted' | 'rejected' | 'recreate';

export interface PlanState {
  readonly ipFamilyPolicy?: string;
  readonly ipFamilies: readonly Family[];
  /** '' is an address the allocator will pick. */
  readonly clusterIPs: readonly string[];
}

export interface ServicePlan {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly action: Action;
  readonly outcome: Outcome;
  /** The apiserver's field errors (for a rejection, or the update errors that force a recreation). */
  readonly errors: readonly string[];
  /** The whole message the apiserver answers: `Service "x" is invalid: ...`. */
  readonly message?: string;
  readonly before: PlanState | null;
  readonly after: PlanState | null;
  readonly addresses: { readonly kept: readonly string[]; readonly allocated: readonly AddressChange[]; readonly released: readonly AddressChange[] };
  /** Why the outcome is what it is, when it is not a plain accepted change. */
  readonly reason?: string;
  /** What a recreation costs. */
  readonly cost?: readonly string[];
  readonly notes?: readonly string[];
  readonly location?: SourceLocation;
}

export interface NotManaged {
  readonly namespace: string;
  readonly name: string;
  readonly state: PlanState;
}

export interface Plan {
  readonly schemaVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly against: { readonly source: string; readonly context?: string; readonly kind: 'snapshot' | 'objects' | 'live' };
  readonly sources: readonly string[];
  readonly clusterFamilies: FamiliesDecision;
  readonly method: Method;
  readonly services: readonly ServicePlan[];
  /** Services in the namespaces these manifests touch that they do not manage. */
  readonly notManaged: readonly NotManaged[];
  /** Stored Services elsewhere, counted. */
  readonly notManagedElsewhere: number;
  readonly problems: readonly LoadProblem[];
  /** About the whole plan (e.g. live objects without last-applied-configuration). */
  readonly notes: readonly string[];
  readonly summary: { readonly create: number; readonly update: number; readonly unchanged: number; readonly accepted: number; readonly rejected: number; readonly recreate: number };
}

export interface PlanInput {
  readonly manifests: readonly InputDocument[];
  readonly stored: readonly InputDocument[];
  readonly clusterFamilies: FamiliesDecision;
  readonly method: Method;
  readonly against: Plan['against'];
  readonly sources: readonly string[];
  readonly problems?: readonly LoadProblem[];
  readonly tool: Plan['tool'];
  /** Namespace of manifests that name none (kubectl uses the context's; default "default"). */
  readonly defaultNamespace?: string;
  readonly locate?: (d: InputDocument) => SourceLocation | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isService = (d: InputDocument): boolean => d.object.kind === 'Service' && d.object.apiVersion === 'v1';
const metaOf = (o: Readonly<Obj>): Obj => (isObj(o.metadata) ? o.metadata : {});
const typeOf = (o: Readonly<Obj>): string => {
  const t = isObj(o.spec) ? o.spec.type : undefined;
  return typeof t === 'string' && t !== '' ? t : 'ClusterIP';
};

const toState = (s: ServiceIPState): PlanState => ({
  ...(s.ipFamilyPolicy ? { ipFamilyPolicy: s.ipFamilyPolicy } : {}), ipFamilies: s.ipFamilies, clusterIPs: s.clusterIPs,
});

const sameState = (a: PlanState, b: PlanState): boolean =>
  a.ipFamilyPolicy === b.ipFamilyPolicy && a.ipFamilies.join() === b.ipFamilies.join() && a.clusterIPs.join() === b.clusterIPs.join();

/** Errors only a delete-and-create gets past: the apiserver refuses to change these in place. */
const IMMUTABLE = ['may not change once set', 'primary clusterIP can not be unset', 'primary ipFamily can not be unset'];
/**
 * Also a family/address mismatch on addresses the manifest does not give: they are the stored ones
 * (patchAllocatedValues, or kept by a merge), so the manifest asks for another primary family.
 */
const isImmutable = (e: FieldError, manifestSetsIPs: boolean): boolean =>
  IMMUTABLE.includes(e.detail) || (!manifestSetsIPs && e.field.startsWith('spec.clusterIPs[') && /^expected an IPv[46] value as indicated by/.test(e.detail));

function lbAddresses(o: Readonly<Obj>): string[] {
  const st = isObj(o.status) ? o.status : {};
  const lb = isObj(st.loadBalancer) ? st.loadBalancer : {};
  const ing = Array.isArray(lb.ingress) ? lb.ingress : [];
  return ing.flatMap((i) => (isObj(i) ? [i.ip, i.hostname].filter((x): x is string => typeof x === 'string' && x !== '') : []));
}

/** What deleting `live` and creating the manifest costs. */
function recreateCost(live: Readonly<Obj>, manifest: Readonly<Obj>, before: PlanState, after: PlanState | null): string[] {
  const cost: string[] = [];
  const old = before.clusterIPs.filter((ip) => ip !== '' && ip !== 'None');
  const pinned = (after?.clusterIPs ?? []).filter((ip) => ip !== '' && ip !== 'None');
  if (old.length > 0) {
    cost.push(pinned.length > 0
      ? `cluster IP(s) ${old.join(', ')} are released; the new Service asks for ${pinned.join(', ')}${(after?.clusterIPs ?? []).includes('') ? ' and gets a new address for the other family' : ''}`
      : `cluster IP(s) ${old.join(', ')} are released and new ones allocated: clients that cached the address (env vars, DNS caches) break until they re-resolve or restart`);
  }
  const type = typeOf(live);
  if (type === 'LoadBalancer') {
    const spec = isObj(manifest.spec) ? manifest.spec : {};
    const ann = isObj(metaOf(manifest).annotations) ? Object.keys(metaOf(manifest).annotations as Obj) : [];
    const reserved = typeof spec.loadBalancerIP === 'string' || ann.some((a) => /static-ip|load-balancer-ip|loadbalancer-ip|ipv4-address|ipv6-address|eip-allocations/i.test(a));
    const addrs = lbAddresses(live);
    cost.push(`the load balancer is deleted with the Service${addrs.length > 0 ? `: external address(es) ${addrs.join(', ')}` : ''} ${reserved
      ? 'come back only if the address the manifest names is reserved with the provider'
      : 'are lost: the new load balancer gets new addresses unless one is reserved (spec.loadBalancerIP or the provider\'s static-IP annotation)'}`);
  }
  if (type === 'NodePort' || type === 'LoadBalancer') cost.push('node ports are allocated again unless the manifest pins them');
  cost.push('the Service is absent between the delete and the create: its endpoints and DNS name disappear for that time');
  return cost;
}

function planOne(doc: InputDocument, live: InputDocument | undefined, input: PlanInput, ns: string, withoutLastApplied: Set<string>): ServicePlan {
  const families = input.clusterFamilies.families;
  const manifest = doc.object as Obj;
  const name = String(metaOf(manifest).name ?? '');
  const location = input.locate?.(doc);
  const base = { namespace: ns, name, type: typeOf(manifest), ...(location ? { location } : {}) };
  const create = resolveServiceFamilies(serviceIPInput(manifest), families);
  const createdState = (): PlanState | null => {
    if (!create.ok || base.type === 'ExternalName') return null;
    const spec = isObj(manifest.spec) ? manifest.spec : {};
    const given = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs.map(String)
      : typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : [];
    const headless = given[0] === 'None';
    return {
      ipFamilyPolicy: create.ipFamilyPolicy, ipFamilies: create.ipFamilies,
      clusterIPs: headless ? ['None'] : create.ipFamilies.map((_, i) => given[i] ?? ''),
    };
  };
  if (!live) {
    const after = createdState();
    if (!create.ok) {
      return { ...base, action: 'create', outcome: 'rejected', errors: create.errors.map((e) => e.message), message: invalidMessage(name, create.errors), before: null, after: null, addresses: { kept: [], allocated: [], released: [] } };
    }
    const allocated = after && after.clusterIPs[0] !== 'None' ? after.ipFamilies.map((f, i) => ({ family: f, ...(after.clusterIPs[i] ? { ip: after.clusterIPs[i] } : {}) })) : [];
    return { ...base, action: 'create', outcome: 'accepted', errors: [], before: null, after, addresses: { kept: [], allocated, released: [] } };
  }

  const liveObj = live.object as Obj;
  const req = updateRequest(manifest, liveObj, input.method);
  const r = updateServiceFamilies(serviceIPInput(liveObj), serviceIPInput(req.object), families);
  const before = toState(r.before);
  const notes: string[] = [];
  if (input.method === 'apply' && req.lastApplied === false) withoutLastApplied.add(`${ns}/${name}`);
  if (!r.ok) {
    const errors = r.errors.map((e) => e.message);
    const message = invalidMessage(name, r.errors);
    const spec = isObj(manifest.spec) ? manifest.spec : {};
    const setsIPs = (typeof spec.clusterIP === 'string' && spec.clusterIP !== '') || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0);
    const immutable = r.errors.every((e) => isImmutable(e, setsIPs));
    if (immutable && create.ok) {
      const after = createdState();
      return {
        ...base, action: 'update', outcome: 'recreate', errors, message, before, after,
        addresses: { kept: [], allocated: after ? after.ipFamilies.map((f, i) => ({ family: f, ...(after.clusterIPs[i] ? { ip: after.clusterIPs[i] } : {}) })) : [], released: before.clusterIPs.filter((ip) => ip !== 'None').map((ip, i) => ({ family: before.ipFamilies[i] ?? 'IPv4', ip })) },
        reason: `the apiserver refuses this change in place (${r.errors.map((e) => `${e.field} ${e.detail}`).join('; ')}); only deleting the Service and creating it again gets there`,
        cost: recreateCost(liveObj, manifest, before, after), ...(notes.length > 0 ? { notes } : {}),
      };
    }
    return {
      ...base, action: 'update', outcome: 'rejected', errors, message, before, after: null, addresses: { kept: before.clusterIPs.filter((ip) => ip !== 'None'), allocated: [], released: [] },
      reason: immutable ? 'the change is immutable, and creating the manifest afresh is rejected too' : 'fix the manifest: the apiserver rejects this update',
      ...(notes.length > 0 ? { notes } : {}),
    };
  }
  const after = toState(r.after);
  const kept = r.after.clusterIPs.filter((ip) => ip !== '' && ip !== 'None' && before.clusterIPs.includes(ip));
  const changed = !sameState(before, after) || r.allocated.length > 0 || r.released.length > 0 || typeOf(liveObj) !== base.type;
  if (r.preferDualStackKept && families.length === 2 && after.ipFamilies.length === 1) {
    notes.push(`stays single-stack: a PreferDualStack Service is not upgraded when the cluster gains a family while its ipFamilies and clusterIPs are unchanged (alloc.go isMatchingPreferDualStackClusterIPFields); to upgrade it, list both ipFamilies or set ipFamilyPolicy: RequireDualStack${input.method !== 'replace' ? ', or send the manifest with --method replace' : ''}`);
  }
  if (families.length === 2 && after.ipFamilies.length === 1 && after.ipFamilyPolicy === 'SingleStack' && base.type !== 'ExternalName') {
    notes.push(`stays single-stack (${after.ipFamilies[0]}): ipFamilyPolicy SingleStack`);
  }
  return {
    ...base, action: changed ? 'update' : 'unchanged', outcome: 'accepted', errors: [], before, after: base.type === 'ExternalName' ? null : after,
    addresses: { kept, allocated: r.allocated, released: r.released },
    ...(notes.length > 0 ? { notes } : {}),
  };
}

const key = (ns: string, name: string): string => `${ns}/${name}`;

/** Plan every Service of the manifests against the stored objects. */
export function planServices(input: PlanInput): Plan {
  const defaultNs = input.defaultNamespace ?? 'default';
  const stored = new Map<string, InputDocument>();
  for (const d of input.stored) {
    if (!isService(d)) continue;
    const m = metaOf(d.object);
    stored.set(key(String(m.namespace ?? 'default'), String(m.name ?? '')), d);
  }
  const services: ServicePlan[] = [];
  const withoutLastApplied = new Set<string>();
  const managed = new Set<string>();
  const namespaces = new Set<string>();
  // kubectl applies the documents in order, so a Service given twice ends as the last one says.
  const last = new Map<string, { doc: InputDocument; ns: string; count: number }>();
  for (const d of input.manifests) {
    if (!isService(d)) continue;
    const m = metaOf(d.object);
    if (typeof m.name !== 'string' || m.name === '') continue;
    const ns = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : defaultNs;
    const k = key(ns, m.name);
    last.set(k, { doc: d, ns, count: (last.get(k)?.count ?? 0) + 1 });
  }
  for (const [k, { doc, ns, count }] of last) {
    managed.add(k);
    namespaces.add(ns);
    const p = planOne(doc, stored.get(k), input, ns, withoutLastApplied);
    services.push(count > 1 ? { ...p, notes: [...(p.notes ?? []), `defined ${count} times in the manifests: planned as the last one, which kubectl applies last`] } : p);
  }
  services.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const notManaged: NotManaged[] = [];
  let elsewhere = 0;
  for (const [k, d] of stored) {
    if (managed.has(k)) continue;
    const ns = k.slice(0, k.indexOf('/'));
    if (!namespaces.has(ns)) {
      elsewhere++;
      continue;
    }
    notManaged.push({ namespace: ns, name: k.slice(ns.length + 1), state: toState(storedState(serviceIPInput(d.object), input.clusterFamilies.families)) });
  }
  notManaged.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const count = (f: (s: ServicePlan) => boolean): number => services.filter(f).length;
  return {
    schemaVersion: PLAN_SCHEMA_VERSION, tool: input.tool, against: input.against, sources: input.sources,
    clusterFamilies: input.clusterFamilies, method: input.method, services, notManaged, notManagedElsewhere: elsewhere,
    problems: input.problems ?? [],
    notes: withoutLastApplied.size > 0
      ? [`${withoutLastApplied.size} live Service(s) have no kubectl.kubernetes.io/last-applied-configuration (snapshots drop it; so do objects not created by kubectl apply): kubectl apply deletes none of their fields, so fields the manifests omit keep their live values`]
      : [],
    summary: {
      create: count((s) => s.action === 'create'), update: count((s) => s.action === 'update'), unchanged: count((s) => s.action === 'unchanged'),
      accepted: count((s) => s.outcome === 'accepted'), rejected: count((s) => s.outcome === 'rejected'), recreate: count((s) => s.outcome === 'recreate'),
    },
  };
}

/** Exit code of a plan: 2 when input could not be read, else 1 when a Service would be rejected or must be recreated. */
export const planExitCode = (p: Plan): number =>
  (p.problems.some((x) => x.fatal) ? 2 : p.summary.rejected > 0 || p.summary.recreate > 0 ? 1 : 0);

// Network policies of every flavour the auditor reads, reduced to one shape: per rule and
// direction, the CIDR peers (parsed, with their family and excepts), the other ways the rule
// admits traffic from outside the cluster, and which directions the policy isolates.
// Sources: SEMANTICS.md e.1-e.3; k8s:pkg/apis/networking/v1 (policyTypes defaulting);
// cilium:pkg/policy/api (rules, entities); calico:api/pkg/apis/projectcalico/v3 (rules);
// fqdn-oss: and the GKE FQDN docs (e.2); network-policy-api v1alpha1/v1alpha2 types.

import type { Family, InputDocument, JsonPath, ResourceRef, SourceRef } from './types.ts';
import { FAMILIES, otherFamily } from './types.ts';
import { parseCIDR, type ParsedCIDR } from '../emulate/ip.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';
import { buildPodIndex, countSelected, namespaceHasPods, type PodIndex } from './index-labels.ts';
import { coexist, noDuplicates, type Coexistence } from './coexist.ts';
import { EMPTY_SELECTOR, parseLabelSelector, type LabelSelector } from '../emulate/label-selector.ts';

export type Direction = 'ingress' | 'egress';
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

export type PolicyEngine = 'kubernetes' | 'cilium' | 'calico' | 'admin' | 'gke-fqdn';
export type RuleAction = 'allow' | 'deny' | 'pass' | 'log';

/** A CIDR as written. `cidr` is undefined when it does not parse (the apiserver/CRD rejects it). */
export interface CidrValue {
  readonly text: string;
  readonly cidr?: ParsedCIDR;
  readonly path: JsonPath;
}

export interface CidrPeer extends CidrValue {
  readonly except: readonly CidrValue[];
  /** Calico notNets: matches everything outside the CIDR. */
  readonly negated?: boolean;
  /** A NetworkPolicy peer that also sets podSelector/namespaceSelector (the apiserver rejects it). */
  readonly withSelector?: boolean;
}

export interface PolicyRule {
  readonly direction: Direction;
  readonly action: RuleAction;
  /** JSON path of the rule (e.g. ['spec', 'egress', 0]). */
  readonly path: JsonPath;
  readonly cidrs: readonly CidrPeer[];
  /**
   * Families the rule admits from or to anywhere outside the cluster by means other than
   * CIDRs: no peer restriction, the `world`/`all` entities, FQDN peers (A and AAAA).
   */
  readonly openFamilies: readonly Family[];
  /** What opened it, for messages: "no peer restriction", "toEntities world", "toFQDNs". */
  readonly openReason?: string;
  /** Peers whose families the auditor cannot know offline (Cilium cidrGroupRef, toGroups). */
  readonly unknownPeers: boolean;
  /** Pod/namespace selector peers: they match pods of both families, never external IPs. */
  readonly selectorPeers: number;
  /** Calico `ipVersion`: the rule only matches this family. */
  readonly ipVersion?: Family;
}

export interface Policy extends Resource {
  readonly engine: PolicyEngine;
  /** Directions in which the selected pods become default-deny (empty for admin policies). */
  readonly isolates: readonly Direction[];
  /** policyTypes (or Calico `types`) were written, not defaulted. */
  readonly typesDeclared: boolean;
  readonly rules: readonly PolicyRule[];
  /** Namespaced pod selector (NetworkPolicy, CiliumNetworkPolicy, FQDNNetworkPolicy). */
  readonly podSelector?: LabelSelector;
  /**
   * How many pod templates of the input the policy selects (namespaced selectors only; 0 when
   * the selection is not known). Only the count and the first are kept: the rules say "the
   * pods it selects", "Deployment/shop/web" or "Deployment/shop/web and 2 more".
   */
  readonly selectedCount: number;
  /** The first pod template it selects, in input order. */
  readonly firstSelected?: ResourceRef;
  /** The input holds pod templates in the policy's namespace, so `selectedCount` is meaningful. */
  readonly selectionKnown: boolean;
  /**
   * What the namespaced policies of its group and namespace (itself included) with its selector
   * or an empty one admit (see admittedElsewhere): bit `admitBit(direction, family)` when one of
   * them admits the family in the direction, the same bit shifted by 4 when one that is not an
   * FQDNNetworkPolicy does. 0 for policies without a namespaced pod selector.
   */
  readonly admittedTogether: number;
}

/** GKE FQDNNetworkPolicy facts beyond the rules (SEMANTICS.md e.2). */
export interface FqdnPolicy extends Policy {
  /** v1alpha1 is the managed GKE product; v1alpha3 the archived open-source controller. */
  readonly schema: 'managed' | 'oss' | 'unknown';
  /** Fields of the managed schema (egress[].matches). */
  readonly managedFields: readonly JsonPath[];
  /** Fields of the OSS schema (egress[].to[].fqdns, ingress[].from[].fqdns, ingress). */
  readonly ossFields: readonly JsonPath[];
  /** fqdnnetworkpolicies.networking.gke.io/aaaa-lookups as written. */
  readonly aaaaLookups?: string;
}

export interface PolicyModel {
  readonly networkPolicies: readonly Policy[];
  readonly cilium: readonly Policy[];
  readonly calico: readonly Policy[];
  readonly admin: readonly Policy[];
  readonly fqdn: readonly FqdnPolicy[];
}

export const AAAA_LOOKUPS_ANNOTATION = 'fqdnnetworkpolicies.networking.gke.io/aaaa-lookups';

// ---------------------------------------------------------------------------------------

const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

function cidrValue(v: unknown, path: JsonPath): CidrValue {
  const text = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
  const cidr = typeof v === 'string' ? parseCIDR(v.trim()) : undefined;
  return cidr ? { text, cidr, path } : { text, path };
}

function cidrPeer(cidr: unknown, cidrPath: JsonPath, except: unknown, exceptPath: JsonPath, negated = false): CidrPeer {
  const base = cidrValue(cidr, cidrPath);
  const ex = arr(except).map((e, k) => cidrValue(e, [...exceptPath, k]));
  return negated ? { ...base, except: ex, negated } : { ...base, except: ex };
}

const apiGroup = (apiVersion: unknown): string => {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const i = s.indexOf('/');
  return i < 0 ? '' : s.slice(0, i);
};

interface RuleDraft {
  cidrs: CidrPeer[];
  open: Set<Family>;
  openReason?: string;
  unknownPeers: boolean;
  selectorPeers: number;
}

const draft = (): RuleDraft => ({ cidrs: [], open: new Set(), unknownPeers: false, selectorPeers: 0 });

function finish(d: RuleDraft, direction: Direction, action: RuleAction, path: JsonPath, ipVersion?: Family): PolicyRule {
  const open = FAMILIES.filter((f) => d.open.has(f) && (!ipVersion || f === ipVersion));
  return {
    direction, action, path, cidrs: d.cidrs, openFamilies: open,
    ...(d.openReason && open.length > 0 ? { openReason: d.openReason } : {}),
    unknownPeers: d.unknownPeers, selectorPeers: d.selectorPeers,
    ...(ipVersion ? { ipVersion } : {}),
  };
}

function openAll(d: RuleDraft, reason: string, fams: readonly Family[] = FAMILIES): void {
  for (const f of fams) d.open.add(f);
  d.openReason ??= reason;
}

// --- networking.k8s.io/v1 NetworkPolicy ------------------------------------------------

function k8sRules(spec: Record<string, unknown>): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const direction of DIRECTIONS) {
    const peerKey = direction === 'ingress' ? 'from' : 'to';
    arr(spec[direction]).forEach((rule, i) => {
      const path: JsonPath = ['spec', direction, i];
      const d = draft();
      const peers = isObject(rule) ? rule[peerKey] : undefined;
      if (!nonEmpty(peers)) {
        // "If this field is empty or missing, this rule matches all sources/destinations."
        openAll(d, `a rule without ${peerKey} (all ${direction === 'ingress' ? 'sources' : 'destinations'})`);
      } else {
        arr(peers).forEach((peer, j) => {
          if (!isObject(peer)) return;
          const ppath: JsonPath = [...path, peerKey, j];
          if (isObject(peer.ipBlock)) {
            const c = cidrPeer(peer.ipBlock.cidr, [...ppath, 'ipBlock', 'cidr'], peer.ipBlock.except, [...ppath, 'ipBlock', 'except']);
            const mixed = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
            d.cidrs.push(mixed ? { ...c, withSelector: true } : c);
          } else if (peer.podSelector !== undefined || peer.namespaceSelector !== undefined) {
            d.selectorPeers++;
          }
        });
      }
      out.push(finish(d, direction, 'allow', path));
    });
  }
  return out;
}

/** policyTypes as the apiserver defaults them (k8s:pkg/apis/networking/v1/defaults.go). */
function k8sPolicyTypes(spec: Record<string, unknown>): { isolates: Direction[]; declared: boolean } {
  const declared = arr(spec.policyTypes).filter((t): t is string => typeof t === 'string');
  if (declared.length > 0) {
    const isolates: Direction[] = [];
    if (declared.includes('Ingress')) isolates.push('ingress');
    if (declared.includes('Egress')) isolates.push('egress');
    return { isolates, declared: true };
  }
  // Ingress always; Egress when the egress list is non-empty.
  return { isolates: nonEmpty(spec.egress) ? ['ingress', 'egress'] : ['ingress'], declared: false };
}

// --- cilium.io/v2 CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy --------------------

const CILIUM_L3_TO = ['toCIDR', 'toCIDRSet', 'toEntities', 'toFQDNs', 'toEndpoints', 'toServices', 'toGroups', 'toNodes'];
const CILIUM_L3_FROM = ['fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromEndpoints', 'fromGroups', 'fromNodes'];

/** Entities that are outside the cluster (cilium:pkg/policy/api/entity.go). */
const WORLD_ENTITIES: Readonly<Record<string, readonly Family[]>> = {
  world: FAMILIES, all: FAMILIES, 'world-ipv4': ['IPv4'], 'world-ipv6': ['IPv6'],
};

function ciliumRule(rule: unknown, direction: Direction, action: RuleAction, path: JsonPath): PolicyRule | undefined {
  if (!isObject(rule)) return undefined;
  const pre = direction === 'ingress' ? 'from' : 'to';
  const d = draft();
  const l3 = (direction === 'ingress' ? CILIUM_L3_FROM : CILIUM_L3_TO).filter((k) => rule[k] !== undefined);
  if (l3.length === 0) {
    // L4-only rules (toPorts/icmps without a peer) apply to every peer; an empty rule `{}`
    // only switches default-deny on.
    if (rule.toPorts !== undefined || rule.icmps !== undefined) openAll(d, `a rule with only ports (all ${direction === 'ingress' ? 'sources' : 'destinations'})`);
    return finish(d, direction, action, path);
  }
  arr(rule[`${pre}CIDR`]).forEach((c, k) => d.cidrs.push(cidrPeer(c, [...path, `${pre}CIDR`, k], undefined, [])));
  arr(rule[`${pre}CIDRSet`]).forEach((s, k) => {
    if (!isObject(s)) return;
    const sp: JsonPath = [...path, `${pre}CIDRSet`, k];
    if (s.cidr === undefined) {
      d.unknownPeers = true; // cidrGroupRef / cidrGroupSelector: resolved in the cluster
      return;
    }
    d.cidrs.push(cidrPeer(s.cidr, [...sp, 'cidr'], s.except, [...sp, 'except']));
  });
  for (const e of arr(rule[`${pre}Entities`])) {
    const fams = typeof e === 'string' ? WORLD_ENTITIES[e] : undefined;
    if (fams) openAll(d, `${pre}Entities ${String(e)}`, fams);
  }
  if (direction === 'egress' && nonEmpty(rule.toFQDNs)) openAll(d, 'toFQDNs (A and AAAA answers)');
  if (rule[`${pre}Groups`] !== undefined) d.unknownPeers = true;
  for (const k of ['Endpoints', 'Services', 'Nodes']) if (rule[`${pre}${k}`] !== undefined) d.selectorPeers++;
  return finish(d, direction, action, path);
}

function ciliumPolicy(spec: Record<string, unknown>, basePath: JsonPath, rules: PolicyRule[], isolates: Set<Direction>): void {
  const dd = isObject(spec.enableDefaultDeny) ? spec.enableDefaultDeny : {};
  for (const direction of DIRECTIONS) {
    for (const [key, action] of [[direction, 'allow'], [`${direction}Deny`, 'deny']] as const) {
      const list = arr(spec[key]);
      list.forEach((r, i) => {
        const pr = ciliumRule(r, direction, action, [...basePath, key, i]);
        if (pr) rules.push(pr);
      });
      if (list.length > 0 && dd[direction] !== false) isolates.add(direction);
    }
  }
}

// --- projectcalico.org/v3 (and crd.projectcalico.org/v1) NetworkPolicy/GlobalNetworkPolicy ----

const CALICO_ACTIONS: Readonly<Record<string, RuleAction>> = { Allow: 'allow', Deny: 'deny', Pass: 'pass', Log: 'log' };

function calicoRules(spec: Record<string, unknown>): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const direction of DIRECTIONS) {
    const side = direction === 'ingress' ? 'source' : 'destination';
    arr(spec[direction]).forEach((rule, i) => {
      if (!isObject(rule)) return;
      const path: JsonPath = ['spec', direction, i];
      const action = CALICO_ACTIONS[str(rule.action) ?? ''] ?? 'allow';
      const ipv = rule.ipVersion === 4 || rule.ipVersion === '4' ? 'IPv4' : rule.ipVersion === 6 || rule.ipVersion === '6' ? 'IPv6' : undefined;
      const peer = isObject(rule[side]) ? rule[side] : {};
      const d = draft();
      const pp: JsonPath = [...path, side];
      arr(peer.nets).forEach((n, k) => d.cidrs.push(cidrPeer(n, [...pp, 'nets', k], undefined, [])));
      arr(peer.notNets).forEach((n, k) => d.cidrs.push(cidrPeer(n, [...pp, 'notNets', k], undefined, [], true)));
      const selectors = ['selector', 'namespaceSelector', 'serviceAccounts', 'services'].filter((k) => peer[k] !== undefined);
      d.selectorPeers += selectors.length;
      if (!nonEmpty(peer.nets) && selectors.length === 0) {
        // No address restriction on this side: every peer (notNets only removes some).
        openAll(d, nonEmpty(peer.notNets) ? `${side}.notNets (everything outside them)` : `a rule without ${side} nets or selectors`);
      }
      out.push(finish(d, direction, action, path, ipv));
    });
  }
  return out;
}

/** Calico `types` defaulting (verify): Ingress and/or Egress by the rules present, Ingress when none. */
function calicoTypes(spec: Record<string, unknown>): { isolates: Direction[]; declared: boolean } {
  const declared = arr(spec.types).filter((t): t is string => typeof t === 'string');
  if (declared.length > 0) {
    return { isolates: DIRECTIONS.filter((d) => declared.includes(d === 'ingress' ? 'Ingress' : 'Egress')), declared: true };
  }
  const ing = nonEmpty(spec.ingress);
  const eg = nonEmpty(spec.egress);
  const isolates: Direction[] = [];
  if (ing || !eg) isolates.push('ingress');
  if (eg) isolates.push('egress');
  return { isolates, declared: false };
}

// --- policy.networking.k8s.io AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy ----

const ADMIN_ACTIONS: Readonly<Record<string, RuleAction>> = { Allow: 'allow', Accept: 'allow', Deny: 'deny', Pass: 'pass' };

function adminRules(spec: Record<string, unknown>): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const direction of DIRECTIONS) {
    const peerKey = direction === 'ingress' ? 'from' : 'to';
    arr(spec[direction]).forEach((rule, i) => {
      if (!isObject(rule)) return;
      const path: JsonPath = ['spec', direction, i];
      const action = ADMIN_ACTIONS[str(rule.action) ?? ''] ?? 'allow';
      const d = draft();
      arr(rule[peerKey]).forEach((peer, j) => {
        if (!isObject(peer)) return;
        const pp: JsonPath = [...path, peerKey, j];
        arr(peer.networks).forEach((n, k) => d.cidrs.push(cidrPeer(n, [...pp, 'networks', k], undefined, [])));
        if (nonEmpty(peer.domainNames)) openAll(d, 'domainNames (A and AAAA answers)');
        for (const k of ['pods', 'namespaces', 'nodes']) if (peer[k] !== undefined) d.selectorPeers++;
      });
      out.push(finish(d, direction, action, path));
    });
  }
  return out;
}

// --- networking.gke.io FQDNNetworkPolicy ----------------------------------------------------

function fqdnPolicy(base: Resource, spec: Record<string, unknown>, apiVersion: string): Omit<FqdnPolicy, Selection> {
  const schema = apiVersion === 'networking.gke.io/v1alpha1' ? 'managed' : apiVersion === 'networking.gke.io/v1alpha3' ? 'oss' : 'unknown';
  const managedFields: JsonPath[] = [];
  const ossFields: JsonPath[] = [];
  const rules: PolicyRule[] = [];
  for (const direction of DIRECTIONS) {
    const peerKey = direction === 'ingress' ? 'from' : 'to';
    arr(spec[direction]).forEach((rule, i) => {
      if (!isObject(rule)) return;
      const path: JsonPath = ['spec', direction, i];
      const d = draft();
      if (rule.matches !== undefined) managedFields.push([...path, 'matches']);
      if (direction === 'ingress') ossFields.push(path);
      arr(rule[peerKey]).forEach((peer, j) => {
        if (isObject(peer) && peer.fqdns !== undefined) {
          if (direction === 'egress') ossFields.push([...path, peerKey, j, 'fqdns']);
        }
      });
      // Names resolve to both families, unless the OSS controller skips AAAA.
      const skip = base.annotations[AAAA_LOOKUPS_ANNOTATION] === 'skip' && schema !== 'managed';
      openAll(d, 'FQDN peers', skip ? ['IPv4'] : FAMILIES);
      rules.push(finish(d, direction, 'allow', path));
    });
  }
  const declared = arr(spec.policyTypes).filter((t): t is string => typeof t === 'string');
  const isolates: Direction[] = declared.length > 0
    ? DIRECTIONS.filter((d) => declared.includes(d === 'ingress' ? 'Ingress' : 'Egress'))
    : schema === 'managed' ? ['egress'] : DIRECTIONS.filter((d) => nonEmpty(spec[d]));
  const aaaa = base.annotations[AAAA_LOOKUPS_ANNOTATION];
  return {
    ...base, engine: 'gke-fqdn', isolates, typesDeclared: declared.length > 0, rules,
    podSelector: parseLabelSelector(spec.podSelector),
    schema, managedFields, ossFields, ...(aaaa !== undefined ? { aaaaLookups: aaaa } : {}),
  };
}

// ---------------------------------------------------------------------------------------

const CILIUM_KINDS = new Set(['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);
const CALICO_KINDS = new Set(['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy']);
const ADMIN_KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);

const POLICY_KINDS = new Set(['NetworkPolicy', 'FQDNNetworkPolicy', ...CILIUM_KINDS, ...CALICO_KINDS, ...ADMIN_KINDS]);

type Selection = 'selectedCount' | 'firstSelected' | 'selectionKnown' | 'admittedTogether';
/** A policy as one document gives it, before the pods it selects are known (parsePolicy). */
export type PolicyDraft = Omit<Policy, Selection>;
type Draft = PolicyDraft;

/**
 * Tables that make equal facts of different policies one object over a build: the same policy
 * applied in every namespace (default-deny, allow-DNS, a chart installed many times) has the
 * same rules, CIDR peers, selector and FQDN field paths in each copy, and they were most of the
 * policy model's heap. Keys are JSON texts of every field a rule reads (a parsed CIDR follows
 * from its text), so shared facts are equal field by field; the model is frozen and nothing
 * compares its facts by identity. Live for one build, like freezeDeep's tables.
 */
export interface PolicyTables {
  readonly rules: Map<string, PolicyRule>;
  readonly lists: Map<string, readonly PolicyRule[]>;
  readonly selectors: Map<string, LabelSelector>;
  readonly paths: Map<string, readonly JsonPath[]>;
}

export const policyTables = (): PolicyTables => ({ rules: new Map(), lists: new Map(), selectors: new Map(), paths: new Map() });

function shared<T>(table: Map<string, T>, key: string, value: T): T {
  const known = table.get(key);
  if (known !== undefined) return known;
  table.set(key, value);
  return value;
}

const cidrKey = (c: CidrValue): unknown[] => [c.text, c.cidr !== undefined, c.path];
const ruleKey = (r: PolicyRule): string => JSON.stringify([
  r.direction, r.action, r.path, r.openFamilies, r.openReason ?? null, r.unknownPeers, r.selectorPeers, r.ipVersion ?? null,
  r.cidrs.map((c) => [...cidrKey(c), c.negated === true, c.withSelector === true, c.except.map(cidrKey)]),
]);

/** `p` with its rules, rule list, selector and field paths replaced by equal ones seen before. */
function shareFacts<T extends Draft>(p: T, t: PolicyTables): T {
  let listKey = '';
  const rules = p.rules.map((r) => {
    const k = ruleKey(r);
    listKey += `${k}\n`;
    return shared(t.rules, k, r);
  });
  const paths = (v: readonly JsonPath[]): readonly JsonPath[] => shared(t.paths, JSON.stringify(v), v);
  const fqdn = p.engine === 'gke-fqdn' ? (p as unknown as FqdnPolicy) : undefined;
  // Object.assign, not `{ ...p, rules }`: a hidden class per policy otherwise (resources.ts).
  return Object.assign({}, p, {
    rules: shared(t.lists, listKey, rules),
    ...(p.podSelector ? { podSelector: shared(t.selectors, JSON.stringify(p.podSelector), p.podSelector) } : {}),
    ...(fqdn ? { managedFields: paths(fqdn.managedFields), ossFields: paths(fqdn.ossFields) } : {}),
  });
}

/**
 * The policy of one document, without pod selection; undefined for other kinds. With `tables`,
 * its facts are shared with equal ones of the policies parsed before with the same tables.
 */
export function parsePolicy(doc: InputDocument, tables?: PolicyTables, base?: Resource): Draft | FqdnPolicy | undefined {
  const p = parseOne(doc, base);
  return p && tables ? shareFacts(p, tables) : p;
}

/** `base`: the document's Resource when the caller made it already (toResource(doc)). */
function parseOne(doc: InputDocument, base?: Resource): Draft | FqdnPolicy | undefined {
  const o = doc.object;
  const kind = o.kind;
  // Every document passes here: one lookup turns the others away before their group is cut out.
  if (typeof kind !== 'string' || !POLICY_KINDS.has(kind)) return undefined;
  const group = apiGroup(o.apiVersion);
  const spec = isObject(o.spec) ? o.spec : {};
  const resource = (): Resource => base ?? toResource(doc);
  if (kind === 'NetworkPolicy' && group === 'networking.k8s.io') {
    const t = k8sPolicyTypes(spec);
    // Object.assign, not a spread of the Resource first: see Resource's note in resources.ts (hidden classes).
    return Object.assign({}, resource(), {
      engine: 'kubernetes' as const, isolates: t.isolates, typesDeclared: t.declared,
      rules: k8sRules(spec), podSelector: parseLabelSelector(spec.podSelector),
    });
  }
  if (CILIUM_KINDS.has(kind) && group === 'cilium.io') {
    const rules: PolicyRule[] = [];
    const isolates = new Set<Direction>();
    ciliumPolicy(spec, ['spec'], rules, isolates);
    arr(o.specs).forEach((s, i) => { if (isObject(s)) ciliumPolicy(s, ['specs', i], rules, isolates); });
    const namespaced = kind === 'CiliumNetworkPolicy' && isObject(spec.endpointSelector) && !Array.isArray(o.specs);
    return Object.assign({}, resource(), {
      engine: 'cilium' as const, isolates: DIRECTIONS.filter((d) => isolates.has(d)), typesDeclared: false, rules,
      ...(namespaced ? { podSelector: parseLabelSelector(spec.endpointSelector, ['k8s:', 'any:']) } : {}),
    });
  }
  if (CALICO_KINDS.has(kind) && (group === 'projectcalico.org' || group === 'crd.projectcalico.org')) {
    const t = calicoTypes(spec);
    return Object.assign({}, resource(), { engine: 'calico' as const, isolates: t.isolates, typesDeclared: t.declared, rules: calicoRules(spec) });
  }
  if (ADMIN_KINDS.has(kind) && group === 'policy.networking.k8s.io') {
    // Admin policies never make pods default-deny: unmatched traffic falls through.
    return Object.assign({}, resource(), { engine: 'admin' as const, isolates: [], typesDeclared: false, rules: adminRules(spec) });
  }
  if (kind === 'FQDNNetworkPolicy' && group === 'networking.gke.io') {
    return fqdnPolicy(resource(), spec, String(o.apiVersion));
  }
  return undefined;
}

function withSelection<T extends Draft>(p: T, pods: PodIndex, coexistence: Coexistence, admittedTogether: number): T & Pick<Policy, Selection> {
  const ns = p.ref.namespace;
  if (!p.podSelector || ns === undefined) return { ...p, selectedCount: 0, selectionKnown: false, admittedTogether };
  const sel = p.podSelector;
  // Cilium's reserved labels (io.kubernetes.pod.namespace, io.cilium.*) are not pod labels: do not guess.
  const reserved = [...Object.keys(sel.matchLabels), ...sel.matchExpressions.map((e) => e.key)]
    .some((k) => k.startsWith('io.kubernetes.pod.') || k.startsWith('io.cilium.') || k.startsWith('reserved:'));
  const known = !reserved && namespaceHasPods(pods, ns);
  if (!known) return { ...p, selectedCount: 0, selectionKnown: false, admittedTogether };
  // Pods of files that are alternatives to the policy's (model/coexist.ts) are never in its cluster.
  const s = countSelected(pods, ns, sel, coexistence.variants.size === 0 ? undefined : (t) => coexist(coexistence, p.source, t.source));
  return { ...p, selectedCount: s.count, ...(s.first ? { firstSelected: s.first.ref } : {}), selectionKnown: true, admittedTogether };
}

/** What the policies are linked to: the workloads' pod templates (model/workloads.ts). */
export type PolicyWorkloads = readonly { readonly ref: ResourceRef; readonly podLabels: Readonly<Record<string, string>>; readonly source?: SourceRef }[];

/**
 * All policies of the input, with the pods each namespaced policy selects among `workloads`.
 * `parsed`: the policies of documents taken before, ahead of those of `docs` (the streaming build,
 * model/build.ts, parses each as it is read, with its own policyTables).
 */
export function buildPolicyModel(
  docs: readonly InputDocument[],
  workloads: PolicyWorkloads,
  coexistence: Coexistence = noDuplicates(),
  parsed: readonly (PolicyDraft | FqdnPolicy)[] = [],
): PolicyModel {
  const drafts: (Draft | FqdnPolicy)[] = [...parsed];
  const tables = policyTables();
  for (const doc of docs) {
    const p = parsePolicy(doc, tables);
    if (p) drafts.push(p);
  }
  const pods = buildPodIndex(workloads.map((w) => ({ ref: w.ref, namespace: w.ref.namespace ?? 'default', labels: w.podLabels, ...(w.source ? { source: w.source } : {}) })));
  // Allowed traffic adds up over the policies of a group that select the same pods: what each
  // (group, namespace, selector) admits, then each policy's own and its namespace's empty selector's.
  const admits = new Map<string, number>();
  const keys = drafts.map((p) => {
    if (!p.podSelector || p.ref.namespace === undefined) return undefined;
    const key = `${admitGroup(p.engine)}|${p.ref.namespace}|`;
    const own = key + selectorKey(p.podSelector);
    let bits = 0;
    for (const d of p.isolates) for (const f of admittedFamilies(p, d).admitted) bits |= admitBit(d, f) * (p.engine === 'gke-fqdn' ? 1 : 0x11);
    if (bits !== 0) admits.set(own, (admits.get(own) ?? 0) | bits);
    return [own, key + EMPTY_KEY] as const;
  });
  // The index lives for the selection only: a policy keeps its count and first template.
  const model = { networkPolicies: [] as Policy[], cilium: [] as Policy[], calico: [] as Policy[], admin: [] as Policy[], fqdn: [] as FqdnPolicy[] };
  drafts.forEach((d, i) => {
    const k = keys[i];
    const p = withSelection(d, pods, coexistence, k ? (admits.get(k[0]) ?? 0) | (admits.get(k[1]) ?? 0) : 0);
    switch (p.engine) {
      case 'kubernetes': model.networkPolicies.push(p); break;
      case 'cilium': model.cilium.push(p); break;
      case 'calico': model.calico.push(p); break;
      case 'admin': model.admin.push(p); break;
      case 'gke-fqdn': model.fqdn.push(p as FqdnPolicy); break;
    }
  });
  return model;
}

/** A canonical text of a selector, equal for selectors that match the same labels the same way. */
export function selectorKey(s: LabelSelector): string {
  if (s.invalid) return '!invalid';
  const labels = Object.entries(s.matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const exprs = s.matchExpressions.map((e) => `${e.key} ${e.operator} ${[...e.values].sort().join(',')}`).sort();
  return JSON.stringify([labels, exprs]);
}

const EMPTY_KEY = selectorKey(EMPTY_SELECTOR);
/**
 * Policies whose allows add up for the same pods: NetworkPolicy, FQDNNetworkPolicy (it adds to
 * the NetworkPolicies of its pods, SEMANTICS.md e.2) and CiliumNetworkPolicy (Cilium enforces
 * both kinds as one allow set). Calico selectors are expressions and are not compared.
 */
const admitGroup = (e: PolicyEngine): string => (e === 'gke-fqdn' || e === 'cilium' || e === 'kubernetes' ? 'pods' : e);
/** The bit of Policy.admittedTogether for a direction and a family (0x1 to 0x8). */
export const admitBit = (d: Direction, f: Family): number => 1 << ((d === 'ingress' ? 0 : 2) + (f === 'IPv4' ? 0 : 1));

/**
 * Whether another namespaced policy of the same group (NetworkPolicy, FQDNNetworkPolicy and
 * CiliumNetworkPolicy count as one), selecting the same pods (same
 * selector) or every pod of the namespace (empty selector), admits `family` in `direction`.
 * Allowed traffic is the union over all policies selecting a pod (SEMANTICS.md e.1).
 * With `anywhere`, FQDNNetworkPolicies do not count: they admit their names' A and AAAA
 * answers, not a family to anywhere, so they cannot close a gap left by 0.0.0.0/0 or ::/0.
 */
export const admittedElsewhere = (p: Policy, direction: Direction, family: Family, anywhere = false): boolean =>
  (p.admittedTogether & (admitBit(direction, family) << (anywhere ? 4 : 0))) !== 0;

// --- Queries shared by the rules ---------------------------------------------------------

/** Families of the parseable CIDRs of a rule (negated Calico notNets excluded). */
export function cidrFamilies(rule: PolicyRule): Set<Family> {
  const s = new Set<Family>();
  for (const c of rule.cidrs) if (c.cidr && !c.negated && (!rule.ipVersion || c.cidr.family === rule.ipVersion)) s.add(c.cidr.family);
  return s;
}

export interface DirectionFamilies {
  readonly direction: Direction;
  /** Families external traffic can use in this direction, over all allow rules. */
  readonly admitted: ReadonlySet<Family>;
  /**
   * Some allow rule is narrowed to a family by CIDR peers (or Calico ipVersion), so a
   * one-family result is the doing of those CIDRs, not of selector-only rules.
   */
  readonly viaCidr: boolean;
  /** The first allow-rule CIDR (or ipVersion rule) path, where a finding points. */
  readonly firstPath?: JsonPath;
  /** Some peer's family cannot be known offline. */
  readonly unknown: boolean;
}

/**
 * Which families external traffic may use in `direction` under the allow rules of `p`
 * (SEMANTICS.md e.1: the union of the rules; selector peers match pods only).
 */
export function admittedFamilies(p: Pick<Policy, 'rules'>, direction: Direction): DirectionFamilies {
  const admitted = new Set<Family>();
  let viaCidr = false;
  let unknown = false;
  let firstPath: JsonPath | undefined;
  for (const r of p.rules) {
    if (r.direction !== direction || r.action !== 'allow') continue;
    if (r.unknownPeers) unknown = true;
    for (const f of r.openFamilies) admitted.add(f);
    const fams = cidrFamilies(r);
    for (const f of fams) admitted.add(f);
    if (fams.size > 0 || r.ipVersion) viaCidr = true;
    if (!firstPath && fams.size > 0) firstPath = r.cidrs.find((c) => c.cidr && !c.negated)!.path;
    if (!firstPath && r.ipVersion) firstPath = [...r.path, 'ipVersion'];
  }
  return { direction, admitted, viaCidr, unknown, ...(firstPath ? { firstPath } : {}) };
}

/** Whether a CIDR contains an address given as bytes (same family). */
export function cidrContains(c: ParsedCIDR, bytes: readonly number[], family: Family): boolean {
  if (c.family !== family) return false;
  const net = c.family === 'IPv4' ? c.address.bytes.slice(-4) : c.address.bytes;
  let bits = c.prefix;
  for (let i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((net[i] ?? 0) & mask) !== ((bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Whether CIDR `inner` lies inside `outer` (same family, prefix at least as long). */
export function cidrWithin(inner: ParsedCIDR, outer: ParsedCIDR): boolean {
  if (inner.family !== outer.family || inner.prefix < outer.prefix) return false;
  const bytes = inner.family === 'IPv4' ? inner.address.bytes.slice(-4) : inner.address.bytes;
  return cidrContains(outer, bytes, inner.family);
}

// ---- Facts read by the policy rules -------------------------------------------------------------

/** The policy isolates pods of the input, or the input cannot tell (no pods in its namespace). */
export const isolatesKnownPods = (p: Policy): boolean => !p.selectionKnown || p.selectedCount > 0;

/** Every policy of every engine. */
export const allPolicies = (model: { readonly policies: PolicyModel }): readonly Policy[] => {
  const p = model.policies;
  return [...p.networkPolicies, ...p.cilium, ...p.calico, ...p.admin, ...p.fqdn];
};

/** Every CIDR a policy's rules carry, excepts included. */
export function policyCidrs(policy: Policy): CidrValue[] {
  const out: CidrValue[] = [];
  for (const r of policy.rules) {
    for (const c of r.cidrs) {
      out.push(c);
      out.push(...c.except);
    }
  }
  return out;
}

export interface SingleFamilyGap extends DirectionFamilies {
  readonly only: Family;
  readonly missing: Family;
}

/**
 * SEMANTICS.md e.1: in an isolated direction, the allow rules admit external traffic only
 * through CIDRs (or ipVersion) of one family, and no rule admits the other family.
 */
export function singleFamilyGaps(p: Policy): SingleFamilyGap[] {
  const out: SingleFamilyGap[] = [];
  for (const d of p.isolates) {
    const fam = admittedFamilies(p, d);
    if (!fam.viaCidr || fam.unknown || fam.admitted.size !== 1 || !fam.firstPath) continue;
    const only = [...fam.admitted][0]!;
    const missing = otherFamily(only);
    // A twin policy over the same pods that admits the other family closes the gap. When the
    // gap is one family to anywhere (0.0.0.0/0 or ::/0), FQDNNetworkPolicies do not close it:
    // they admit only their names (issue 15).
    const anywhere = p.rules.some((r) => r.direction === d && r.action === 'allow' && r.cidrs.some((c) => c.cidr?.family === only && c.cidr.prefix === 0 && !c.negated));
    if (admittedElsewhere(p, d, missing, anywhere)) continue;
    out.push({ ...fam, only, missing });
  }
  return out;
}

export const hasCidrs = (p: Policy): boolean => p.rules.some((r) => r.cidrs.length > 0 || r.ipVersion !== undefined);

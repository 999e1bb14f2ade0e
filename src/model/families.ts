// The cluster's Service families, inferred from every piece of evidence in the input. Pure.
// One inference for the audit (model/build.ts) and the plan (plan/families.ts).
//
// Facts (SEMANTICS.md a.7, g; docs/families.md):
// - The Service allocators are built from kube-apiserver --service-cluster-ip-range, primary first
//   (k8s:pkg/registry/core/rest/storage_core.go); since 1.33 the ServiceCIDR `kubernetes` reflects
//   that flag (web:tasks/network/reconfigure-default-service-ip-ranges.md). Other ServiceCIDRs add
//   addresses, not families.
// - default/kubernetes is single-stack in the primary Service family.
// - A Service holding an address of a family proves the cluster allocated that family; a family no
//   Service holds proves nothing: existing Services keep their families when a cluster is converted
//   (alloc.go, step 2 of initIPFamilyFields), so a freshly converted cluster holds none yet.
// - Node podCIDRs, Pod IPs, kube-proxy clusterCIDR and the CNI settings describe the pod network,
//   not the Service allocators; a conversion changes both, so a dual-stack pod network contradicts
//   a single-family answer that rests only on allocations or on a configuration record that a
//   conversion does not update (kubeadm-config, defaults).
//
// Evidence that disagrees gives "undetermined": the candidates are listed, the audit assumes the
// dual-stack target (SEMANTICS.md g: the offline default), and nothing is claimed at critical that
// only one candidate gives (service-ip-config-rejected says what to verify instead).

import { FAMILIES, formatRef, otherFamily, type Family, type InputDocument } from './types.ts';
import { isObject, isStoredObject, toResource } from './resources.ts';
import { parseCIDR, parseIP } from '../emulate/ip.ts';
import { buildGcpModel, gcpClusterFamilies } from './gcp.ts';
import { buildClusterConfig, describeSite, mayHoldClusterConfig, type ClusterConfig, type ConfigSite, type FamilyClaim, type Locate } from './cluster-config.ts';

export type EvidenceWeight = 'authoritative' | 'config' | 'allocated' | 'pod-network';

/** One piece of evidence, as the report lists it. */
export interface FamilyEvidence {
  readonly weight: EvidenceWeight;
  /** What it is: "ServiceCIDR kubernetes", "Services' clusterIPs", "Node podCIDRs", ... */
  readonly source: string;
  /**
   * authoritative/config: the Service families it states, primary first. allocated: the families
   * the apiserver handed out (primary first when default/kubernetes says). pod-network: the pod
   * network's families.
   */
  readonly families: readonly Family[];
  /** One line for the report. */
  readonly text: string;
}

export interface FamiliesInference {
  /** The families to audit against: decided, else (undetermined or nothing known) the dual-stack target. */
  readonly families: readonly Family[];
  readonly from: 'inferred' | 'undetermined' | 'default';
  /** Report lines: the evidence, then why it decides or not. */
  readonly evidence: readonly string[];
  /** undetermined: the family lists the evidence allows, the assumed one first. */
  readonly candidates?: readonly (readonly Family[])[];
  /**
   * undetermined: why (the evidence that disagrees, one line each, also in `evidence`), and where
   * the answer hinges: the strongest Service-family statement, else default/kubernetes; absent
   * when neither is an object of the input. One finding about the undetermined families is placed there.
   */
  readonly conflict?: { readonly why: readonly string[]; readonly site?: ConfigSite };
  readonly items: readonly FamilyEvidence[];
}

export interface InferenceInput {
  readonly docs: readonly InputDocument[];
  /** The address plan of the same documents (model/cluster-config.ts). */
  readonly clusterConfig: ClusterConfig;
  /** The GKE cluster's stack type (model/gcp.ts gcpClusterFamilies), when the input has one. */
  readonly gke?: { readonly families: readonly Family[]; readonly evidence: readonly string[] };
  /**
   * The stored objects among `docs` (all of them for a live read or a snapshot; objects with the
   * apiserver's marks in a file input): their Services' clusterIPs were allocated.
   */
  readonly storedDocs: readonly InputDocument[];
  readonly locate?: Locate;
}

const list = (f: readonly Family[]): string => `[${f.join(', ')}]`;
const same = (a: readonly Family[], b: readonly Family[]): boolean => a.length === b.length && a.every((f, i) => f === b[i]);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const familyOfIP = (t: string): Family | undefined => parseIP(t.trim())?.family;
const familyOfCIDR = (t: string): Family | undefined => parseCIDR(t.trim())?.family;
const ordered = (fams: Iterable<Family>, primary?: Family): Family[] => {
  const set = new Set(fams);
  const first = primary && set.has(primary) ? primary : FAMILIES.find((f) => set.has(f));
  return first ? [first, ...FAMILIES.filter((f) => f !== first && set.has(f))] : [];
};
const dualWith = (primary: Family): Family[] => [primary, otherFamily(primary)];
const examples = (refs: readonly string[]): string => `${refs.slice(0, 3).join(', ')}${refs.length > 3 ? `, and ${refs.length - 3} more` : ''}`;

const COMPONENT_TEXT: Readonly<Record<string, string>> = {
  ServiceCIDR: 'the kubernetes ServiceCIDR (mirrors --service-cluster-ip-range)',
  'kube-apiserver': 'kube-apiserver --service-cluster-ip-range',
  'kube-controller-manager': 'kube-controller-manager --service-cluster-ip-range',
  kubeadm: 'kubeadm networking.serviceSubnet',
  kind: 'kind networking',
};

/** Service-family statements of configuration objects: the strongest first. */
interface Statement { readonly claim?: FamilyClaim; readonly ev: FamilyEvidence; readonly key: number; readonly where: string }

function statements(cc: ClusterConfig, locate: Locate | undefined): Statement[] {
  const seen = new Set<string>();
  const out: Statement[] = [];
  // The Service CIDRs by component and object, in their order: one pass, not one per claim
  // (at 100,000 documents, 2,700 claims each filtering every CIDR took ~0.3 s).
  const serviceCidrs = new Map<string, (typeof cc.cidrs)[number][]>();
  for (const f of cc.cidrs) {
    if (f.role !== 'service') continue;
    const k = `${f.component}\0${f.site.objectKey}`;
    const l = serviceCidrs.get(k);
    if (l) l.push(f);
    else serviceCidrs.set(k, [f]);
  }
  for (const cl of cc.claims) {
    if (cl.about !== 'service' || cl.primaryOnly) continue;
    if (!(cl.families.length === 1 || (cl.families.length === 2 && cl.families[0] !== cl.families[1]))) continue; // invalid lists are findings, not evidence
    const k = `${cl.site.objectKey}|${cl.component}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const weight: EvidenceWeight = cl.tier === 1 ? 'authoritative' : 'config';
    const under = cl.site.path.join('.');
    const values = (serviceCidrs.get(`${cl.component}\0${cl.site.objectKey}`) ?? []).filter((f) => f.site === cl.site || f.site.path.slice(0, cl.site.path.length).join('.') === under).map((f) => f.text);
    const where = `${describeSite(cl.site, locate)}${values.length > 0 ? ` [${values.join(', ')}]` : ''}`;
    out.push({
      claim: cl, where,
      key: cl.tier * 2 + (cl.defaulted ? 1 : 0),
      ev: {
        weight, source: COMPONENT_TEXT[cl.component] ?? cl.component, families: cl.families,
        text: `${where}${cl.defaulted ? ' (a documented default: the field is unset)' : ''}: Services ${list(cl.families)}`,
      },
    });
  }
  return out.sort((a, b) => a.key - b.key);
}

interface Allocation {
  /** Families by the Services that hold them. */
  readonly byFamily: ReadonlyMap<Family, string[]>;
  /** default/kubernetes: the primary. */
  readonly primary?: { readonly family: Family; readonly text: string };
  /** Primary family of single-stack Services by count (the cluster default when nothing else tells). */
  readonly firsts: ReadonlyMap<Family, number>;
  readonly dualService?: string;
}

function allocation(docs: readonly InputDocument[]): Allocation {
  const byFamily = new Map<Family, string[]>();
  const firsts = new Map<Family, number>();
  let primary: Allocation['primary'];
  let dualService: string | undefined;
  for (const d of docs) {
    const o = d.object;
    if (o.kind !== 'Service' || o.apiVersion !== 'v1') continue;
    const spec = isObject(o.spec) ? o.spec : {};
    const plural = strings(spec.clusterIPs);
    const ips = (plural.length > 0 ? plural : typeof spec.clusterIP === 'string' ? [spec.clusterIP] : []).filter((ip) => ip !== '' && ip !== 'None');
    const fams = ordered(ips.map(familyOfIP).filter((f): f is Family => f !== undefined), ips[0] ? familyOfIP(ips[0]) : undefined);
    if (fams.length === 0) continue;
    const ref = formatRef(toResource(d).ref);
    const meta = isObject(o.metadata) ? o.metadata : {};
    if (meta.name === 'kubernetes' && (meta.namespace ?? 'default') === 'default') {
      primary = { family: fams[0]!, text: `${ref} clusterIPs [${ips.join(', ')}]: the primary Service family is ${fams[0]} (the apiserver's own Service is single-stack in the primary family)` };
    }
    for (const f of fams) {
      const l = byFamily.get(f);
      if (l) l.push(ref);
      else byFamily.set(f, [ref]);
    }
    if (fams.length === 1) firsts.set(fams[0]!, (firsts.get(fams[0]!) ?? 0) + 1);
    else dualService ??= `${ref} clusterIPs [${ips.join(', ')}]`;
  }
  return { byFamily, firsts, ...(primary ? { primary } : {}), ...(dualService ? { dualService } : {}) };
}

/** A statement about the pod network; noOrder: it tells a family is on, not which one is primary. */
interface PodStatement { readonly ev: FamilyEvidence; readonly objectKey?: string; readonly noOrder?: boolean }

/** What the input says about the pod network, with the object each statement comes from. */
function podNetwork(docs: readonly InputDocument[], cc: ClusterConfig, locate: Locate | undefined): PodStatement[] {
  const out: PodStatement[] = [];
  // Node spec.podCIDRs and Pod status.podIPs, counted by shape ("[IPv4, IPv6]").
  const nodeShapes = new Map<string, { fams: Family[]; n: number }>();
  const podShapes = new Map<string, { fams: Family[]; n: number }>();
  const count = (m: Map<string, { fams: Family[]; n: number }>, values: readonly string[], familyOf: (t: string) => Family | undefined): void => {
    const fams = ordered(values.map(familyOf).filter((f): f is Family => f !== undefined), values[0] ? familyOf(values[0]) : undefined);
    if (fams.length === 0) return;
    const s = m.get(list(fams));
    if (s) s.n++;
    else m.set(list(fams), { fams, n: 1 });
  };
  for (const d of docs) {
    const o = d.object;
    if (o.apiVersion !== 'v1') continue;
    const spec = isObject(o.spec) ? o.spec : {};
    if (o.kind === 'Node') {
      count(nodeShapes, strings(spec.podCIDRs).length > 0 ? strings(spec.podCIDRs) : typeof spec.podCIDR === 'string' && spec.podCIDR !== '' ? [spec.podCIDR] : [], familyOfCIDR);
    } else if (o.kind === 'Pod' && spec.hostNetwork !== true) {
      const status = isObject(o.status) ? o.status : {};
      count(podShapes, Array.isArray(status.podIPs) && status.podIPs.length > 0
        ? status.podIPs.flatMap((p) => (isObject(p) && typeof p.ip === 'string' ? [p.ip] : []))
        : typeof status.podIP === 'string' && status.podIP !== '' ? [status.podIP] : [], familyOfIP);
    }
  }
  const shapes = (m: Map<string, { fams: Family[]; n: number }>, what: string, unit: string): void => {
    if (m.size === 0) return;
    const all = ordered([...m.values()].flatMap((s) => s.fams), [...m.values()].sort((a, b) => b.n - a.n)[0]!.fams[0]);
    out.push({ ev: { weight: 'pod-network', source: what, families: all, text: `${what} (pod network, not Service families): ${[...m.entries()].map(([k, s]) => `${s.n} ${unit}(s) ${k}`).join(', ')}` } });
  };
  shapes(nodeShapes, 'Node podCIDRs', 'node');
  shapes(podShapes, 'Pod IPs', 'pod');
  for (const kp of cc.kubeProxy) {
    const fams = ordered(kp.clusterCIDRs.map((f) => f.family).filter((f): f is Family => f !== undefined), kp.clusterCIDRs[0]?.family);
    if (fams.length === 0) continue;
    out.push({ objectKey: kp.site.objectKey, ev: { weight: 'pod-network', source: 'kube-proxy clusterCIDR', families: fams, text: `${describeSite(kp.site, locate)} ${kp.clusterCIDRs.map((f) => f.text).join(',')}: pods ${list(fams)}` } });
  }
  for (const cl of cc.claims) {
    if (cl.about !== 'pod') continue;
    out.push({ objectKey: cl.site.objectKey, ev: { weight: 'pod-network', source: `${cl.component} pod ranges`, families: cl.families, text: `${describeSite(cl.site, locate)}: pods ${list(cl.families)}` } });
  }
  for (const s of cc.cni) {
    if (!s.ipv6) continue; // "IPv6 off" does not say the other family is on: a finding (cni-ipv6-disabled), not evidence
    out.push({ objectKey: s.site.objectKey, noOrder: true, ev: { weight: 'pod-network', source: `${s.cni} IPv6 setting`, families: ['IPv6'], text: `${describeSite(s.site, locate)} ${s.detail}: pods get IPv6` } });
  }
  return out;
}

/** The inference. Explicit --cluster-families is applied by the caller (model/build.ts), before this runs. */
export function inferClusterFamilies(input: InferenceInput): FamiliesInference {
  const { clusterConfig: cc, locate } = input;
  const stated = statements(cc, locate);
  if (input.gke) {
    stated.push({ key: 4, where: input.gke.evidence.join('; '), ev: { weight: 'config', source: 'GKE cluster stack type', families: input.gke.families, text: input.gke.evidence.join('; ') } });
    stated.sort((a, b) => a.key - b.key);
  }
  const stored = input.storedDocs.length > 0;
  const alloc = stored ? allocation(input.storedDocs) : undefined;
  const pods = podNetwork(input.docs, cc, locate);
  const items: FamilyEvidence[] = [...stated.map((s) => s.ev)];
  const lines: string[] = stated.map((s) => s.ev.text);
  for (const n of cc.serviceCIDRs) {
    if (n.name !== 'kubernetes') lines.push(`${describeSite(n.site, locate)} [${n.cidrs.map((f) => f.text).join(', ')}] adds addresses, not a Service family`);
  }
  const proven = new Set<Family>(alloc ? alloc.byFamily.keys() : []);
  if (alloc) {
    if (alloc.primary) {
      items.push({ weight: 'allocated', source: 'Service default/kubernetes', families: [alloc.primary.family], text: alloc.primary.text });
      lines.push(alloc.primary.text);
    }
    for (const f of FAMILIES) {
      const refs = alloc.byFamily.get(f);
      if (!refs) continue;
      const t = `${refs.length} Service(s) hold ${f} cluster IPs (${examples(refs)})`;
      items.push({ weight: 'allocated', source: "Services' clusterIPs", families: [f], text: t });
      lines.push(t);
    }
  }
  for (const p of pods) {
    items.push(p.ev);
    lines.push(p.ev.text);
  }
  const podFams = new Set(pods.flatMap((p) => p.ev.families));
  const podDual = podFams.size === 2;
  const ordering = pods.filter((p) => !p.noOrder);
  const podPrimary = (ordering.find((p) => p.ev.families.length === 2) ?? ordering[0])?.ev.families[0];

  // Alternative recipes (several kind configs or kubeadm files that disagree): several clusters, none inferred.
  if (cc.ambiguous && !alloc?.primary && proven.size === 0) {
    return { families: dualWith('IPv4'), from: 'default', evidence: [...cc.ambiguous, ...lines.filter((l) => !stated.some((s) => s.ev.text === l))], items };
  }

  // default/kubernetes as a statement of the primary family (model/cluster-config.ts), with its place.
  const kubernetesService = cc.claims.find((c) => c.component === 'kubernetes-service')?.site;
  const undetermined = (why: string[], candidates: Family[][], primary: Family, site: ConfigSite | undefined): FamiliesInference => {
    const assumed = dualWith(primary);
    const distinct: Family[][] = [assumed];
    for (const c of candidates) if (!distinct.some((d) => same(d, c))) distinct.push(c);
    return {
      families: assumed, from: 'undetermined', candidates: distinct, items,
      conflict: { why, ...(site ? { site } : {}) },
      evidence: [...lines, ...why, `audited as ${list(assumed)} (the dual-stack target); findings that hold only on ${distinct.slice(1).map(list).join(' or ')} say what to verify. ` +
        'Check `kubectl get servicecidr kubernetes` (1.33+) or the kube-apiserver --service-cluster-ip-range flag, then set --cluster-families (or clusterFamilies in the config file)'],
    };
  };

  if (stated.length > 0) {
    const topKey = stated[0]!.key;
    const top = stated.filter((s) => s.key === topKey);
    const best = top[0]!;
    const S = best.ev.families;
    const disagree = top.filter((s) => !same(s.ev.families, S));
    const why: string[] = [];
    if (disagree.length > 0) why.push(`${best.where} gives ${list(S)} but ${disagree[0]!.where} gives ${list(disagree[0]!.ev.families)}${disagree.length > 1 ? ` (and ${disagree.length - 1} more that differ)` : ''}: statements of equal weight disagree`);
    const beyond = [...proven].filter((f) => !S.includes(f));
    if (beyond.length > 0) why.push(`Services hold ${beyond.join(', ')} addresses, which ${best.ev.source} ${list(S)} does not list`);
    if (alloc?.primary && alloc.primary.family !== S[0]) why.push(`default/kubernetes is ${alloc.primary.family}, but ${best.ev.source} puts ${S[0]} first`);
    // A record a conversion does not update (kubeadm-config, a default) against a dual-stack pod network.
    const podElsewhere = pods.filter((p) => p.objectKey === undefined || p.objectKey !== best.claim?.site.objectKey);
    const stale = best.ev.weight !== 'authoritative' && S.length === 1 && new Set(podElsewhere.flatMap((p) => p.ev.families)).size === 2 &&
      (stored || best.claim?.defaulted === true);
    if (stale) why.push(`${best.ev.source} gives ${list(S)}, but the pod network is dual-stack: a conversion changes the apiserver flags, not this record`);
    if (why.length === 0) {
      const agree = stated.filter((s) => s !== best && same(s.ev.families, S)).length;
      return {
        families: S, from: 'inferred', items,
        evidence: [...lines, `decided by ${best.ev.source}${agree > 0 ? `, with ${agree} other statement(s) agreeing` : ''}${stated.some((s) => !same(s.ev.families, S)) ? '; weaker statements that differ are findings (cluster-family-config-mismatch), not doubt' : ''}`],
      };
    }
    const candidates: Family[][] = [[...S], ...disagree.map((d) => [...d.ev.families])];
    if (proven.size > 0) candidates.push(ordered(proven, alloc?.primary?.family));
    const primary = alloc?.primary?.family ?? S[0]!;
    // The GKE stack type is a statement without an object of the input: then the first that has one.
    const site = best.claim?.site ?? disagree.find((d) => d.claim)?.claim?.site ?? kubernetesService;
    return undetermined(why, candidates, primary, site);
  }

  if (alloc && proven.size > 0) {
    const primary = alloc.primary?.family ?? [...alloc.firsts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? ordered(proven)[0]!;
    if (proven.size === 2) {
      return {
        families: dualWith(primary), from: 'inferred', items,
        evidence: [...lines, `decided by the addresses the apiserver allocated: Services hold both families${alloc.dualService ? ` (${alloc.dualService})` : ''}${alloc.primary ? '' : `; ${primary} taken as the primary because most single-stack Services hold it`}`],
      };
    }
    const only = [...proven][0]!;
    if (podDual) {
      return undetermined(
        [`no Service holds an ${otherFamily(only)} address, but the pod network is dual-stack: a freshly converted cluster allocates ${otherFamily(only)} only to Services created or changed after the conversion, so this does not tell whether the apiserver has an ${otherFamily(only)} range`],
        [[only]], alloc.primary?.family ?? podPrimary ?? only, kubernetesService,
      );
    }
    return {
      families: [only], from: 'inferred', items,
      evidence: [...lines, `decided by the addresses the apiserver allocated: no Service holds an ${otherFamily(only)} cluster IP${pods.length > 0 ? ' and the pod network is single-stack too' : ''}, so ${otherFamily(only)} is taken as not configured`],
    };
  }

  return {
    families: dualWith(podPrimary ?? 'IPv4'), from: 'default', items,
    evidence: lines.length > 0 ? [...lines, 'nothing states the Service families (the pod network does not decide them): the dual-stack target is assumed'] : [],
  };
}

/** The inference over documents alone (the plan reads stored objects only); stored: all of them are, else those with the apiserver's marks. */
export function inferFamiliesOfDocs(docs: readonly InputDocument[], opts: { stored: boolean; locate?: Locate }): FamiliesInference {
  const storedDocs = opts.stored ? docs : docs.filter((d) => isStoredObject(d.object));
  const items = docs.filter((d) => mayHoldClusterConfig(d.object)).map((doc) => ({ doc, resource: toResource(doc) }));
  const gke = gcpClusterFamilies(buildGcpModel(docs), opts.locate);
  return inferClusterFamilies({
    docs, clusterConfig: buildClusterConfig(items, opts.locate), storedDocs, ...(gke ? { gke } : {}), ...(opts.locate ? { locate: opts.locate } : {}),
  });
}

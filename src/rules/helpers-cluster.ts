// Helpers shared by the cluster and addressing rules: targets for configuration facts
// (model/cluster-config.ts) and message wording. The domain facts they read (serviceAddresses,
// allPolicies, policyCidrs, reference claims) are in the model and re-exported here. Pure.

import type { Family } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import type { CidrFact, ConfigSite, FamilyClaim } from '../model/cluster-config.ts';
import { describeSite } from '../model/cluster-config.ts';
import type { Target } from './types.ts';
import type { Policy } from '../model/policies.ts';
import { cidrContains } from '../emulate/ip.ts';

export interface SiteTarget extends Target {
  readonly site: ConfigSite;
}

export interface FactTarget extends SiteTarget {
  readonly fact: CidrFact;
}

export const siteTarget = <T extends object>(site: ConfigSite, extra: T, severity?: Target['severity']): SiteTarget & T => ({
  ref: site.ref,
  ...(site.source ? { source: site.source } : {}),
  annotations: site.annotations,
  ...(severity ? { severity } : {}),
  site,
  ...extra,
});

export const factTarget = (fact: CidrFact, severity?: Target['severity']): FactTarget => siteTarget(fact.site, { fact }, severity);

// ---- One finding per cause for facts that repeat per Node (RuleReport.sameCause, engine/fold.ts) ----

/** A fact target; for a Node's pod CIDR, the cluster pod range that holds it (nodeRangeHolders). */
export interface HeldFactTarget extends FactTarget {
  readonly holder?: CidrFact;
}

/**
 * For each Node pod CIDR, the cluster pod range of the input that holds it: one the node IPAM
 * controller cuts into the Nodes' ranges (kubeadm or kind podSubnet, the controller-manager's
 * --cluster-cidr: the facts with a node mask) if one does, else another (kube-proxy's clusterCIDR,
 * a CNI pool); the tightest, the first in input order among equals. Once per rule run: the
 * cluster ranges are few, the Nodes may be thousands.
 */
export function nodeRangeHolders(model: Model): ReadonlyMap<CidrFact, CidrFact> {
  const out = new Map<CidrFact, CidrFact>();
  const ranges = model.clusterConfig.cidrs.filter((f) => f.cidr && f.role === 'pod' && f.component !== 'node');
  if (ranges.length === 0) return out;
  const better = (r: CidrFact, best: CidrFact | undefined): boolean => {
    if (!best) return true;
    const split = r.nodeMask !== undefined;
    return split !== (best.nodeMask !== undefined) ? split : r.cidr!.prefix > best.cidr!.prefix;
  };
  for (const f of model.clusterConfig.cidrs) {
    if (!f.cidr || f.role !== 'pod' || f.component !== 'node') continue;
    let best: CidrFact | undefined;
    for (const r of ranges) if (cidrContains(r.cidr!, f.cidr) && better(r, best)) best = r;
    if (best) out.set(f, best);
  }
  return out;
}

/** Identity of a fact in a key: its object, field, list position and text (embedded texts share one path). */
const factId = (f: CidrFact): string => `${f.site.objectKey}\u0000${f.site.field}\u0000${f.index}\u0000${f.text}`;

/**
 * RuleReport.sameCause of a finding on `fact`, given what makes it (`cause`: a /48, an address
 * block) and the same for the cluster pod range holding it (`holderCause`, when there is one): a
 * Node's pod CIDR whose holder has the same cause folds into the holder's finding, other Node
 * facts of the same role and cause into the first Node's; a cluster-level fact's finding is the
 * one its Nodes fold into.
 */
export function nodeFoldCause(fact: CidrFact, cause: string, holder?: CidrFact, holderCause?: string): string {
  if (fact.component !== 'node') return `at\u0000${factId(fact)}`;
  if (holder && holderCause === cause) return `at\u0000${factId(holder)}`;
  return `nodes\u0000${fact.role}\u0000${cause}`;
}

/**
 * RuleReport.sameCause of an overlap of `fact` with `other` (cidr-overlap): the pair of ranges, a
 * Node's pod CIDR standing for the cluster pod range that holds it (which overlaps `other` too),
 * so it folds into the finding on that pair; a Node fact without one folds with the other Node
 * facts of its role that overlap the same range.
 */
export function nodeOverlapCause(fact: CidrFact, other: CidrFact, holder?: CidrFact): string {
  const own = fact.component !== 'node' ? fact : holder;
  if (!own) return `nodes\u0000${fact.role}\u0000${factId(other)}`;
  const pair = [factId(own), factId(other)].sort();
  return `pair\u0000${pair[0]}\u0000${pair[1]}`;
}

/** "kind Cluster networking.podSubnet" */
export const where = (site: ConfigSite): string => `${site.object} ${site.field}`;

/** Another object's site, named with its file, for messages about two objects. */
export const elsewhere = (site: ConfigSite): string => describeSite(site);

export const ROLE_NAME: Readonly<Record<CidrFact['role'], string>> = {
  pod: 'pod range', service: 'Service range', node: 'node address', lb: 'load-balancer pool',
};

/** The families the target cluster is meant to have (flag, inferred, or the dual-stack default). */
export const targetFamilies = (model: Model): readonly Family[] => model.clusterFamilies.families;

/** Best Service-family claim usable as a reference for `c` (computed with the model: ClusterConfig.references). */
export const referenceClaim = (model: Model, c: FamilyClaim): FamilyClaim | undefined => model.clusterConfig.references.get(c);

export interface PolicyTarget extends Target {
  readonly policy: Policy;
}

export const policyTarget = (policy: Policy): PolicyTarget => ({
  ref: policy.ref,
  ...(policy.source ? { source: policy.source } : {}),
  annotations: policy.annotations,
  policy,
});

export { serviceAddresses, type ServiceAddress } from '../model/services.ts';
export { allPolicies, policyCidrs } from '../model/policies.ts';

// Helpers shared by the policy rules. Pure.

import type { Family } from '../model/types.ts';
import { formatRef, otherFamily } from '../model/types.ts';
import { admittedElsewhere, admittedFamilies, type Direction, type DirectionFamilies, type Policy, type PolicyModel } from '../model/policies.ts';
import type { Target } from './types.ts';

export interface PolicyTarget<P extends Policy = Policy> extends Target {
  readonly policy: P;
}

export const policyTarget = <P extends Policy>(policy: P, severity?: Target['severity']): PolicyTarget<P> => ({
  ref: policy.ref,
  ...(policy.source ? { source: policy.source } : {}),
  annotations: policy.annotations,
  ...(severity ? { severity } : {}),
  policy,
});

/** "Deployment/shop/web", "Deployment/shop/web and 2 more", or a neutral phrase. */
export function selectedText(p: Policy): string {
  const sel = p.selected ?? [];
  if (sel.length === 0) return p.selectionKnown ? 'the pods it selects (none of the workloads in the input)' : 'the pods it selects';
  const first = formatRef(sel[0]!.ref);
  return sel.length === 1 ? first : `${first} and ${sel.length - 1} more`;
}

/** The policy isolates pods of the input, or the input cannot tell (no pods in its namespace). */
export const isolatesKnownPods = (p: Policy): boolean => !p.selectionKnown || (p.selected?.length ?? 0) > 0;

/**
 * Severity of a one-family finding: egress high, ingress medium; low when the input holds
 * workloads in the policy's namespace and the label index finds none that it selects, or when
 * the target cluster is single-stack in the family the policy lists (its pods are not
 * dual-stack yet: the gap opens when the cluster is converted).
 */
export const gapSeverity = (p: Policy, gap: SingleFamilyGap, clusterFamilies: readonly Family[]): 'high' | 'medium' | 'low' =>
  !isolatesKnownPods(p) || (clusterFamilies.length === 1 && clusterFamilies[0] === gap.only) ? 'low'
    : gap.direction === 'egress' ? 'high' : 'medium';

export interface SingleFamilyGap extends DirectionFamilies {
  readonly only: Family;
  readonly missing: Family;
}

/**
 * SEMANTICS.md e.1: in an isolated direction, the allow rules admit external traffic only
 * through CIDRs (or ipVersion) of one family, and no rule admits the other family.
 */
export function singleFamilyGaps(p: Policy, model?: PolicyModel): SingleFamilyGap[] {
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
    if (model && admittedElsewhere(model, p, d, missing, anywhere)) continue;
    out.push({ ...fam, only, missing });
  }
  return out;
}

export const hasCidrs = (p: Policy): boolean => p.rules.some((r) => r.cidrs.length > 0 || r.ipVersion !== undefined);

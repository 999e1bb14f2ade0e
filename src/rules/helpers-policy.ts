// Helpers shared by the policy rules. Pure.

import type { Family } from '../model/types.ts';
import { formatRef } from '../model/types.ts';
import { isolatesKnownPods, type Policy, type SingleFamilyGap } from '../model/policies.ts';
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
  if (p.selectedCount === 0 || !p.firstSelected) return p.selectionKnown ? 'the pods it selects (none of the workloads in the input)' : 'the pods it selects';
  const first = formatRef(p.firstSelected);
  return p.selectedCount === 1 ? first : `${first} and ${p.selectedCount - 1} more`;
}

/**
 * Severity of a one-family finding: egress high, ingress medium; low when the input holds
 * workloads in the policy's namespace and the label index finds none that it selects, or when
 * the target cluster is single-stack in the family the policy lists (its pods are not
 * dual-stack yet: the gap opens when the cluster is converted).
 */
export const gapSeverity = (p: Policy, gap: SingleFamilyGap, clusterFamilies: readonly Family[]): 'high' | 'medium' | 'low' =>
  !isolatesKnownPods(p) || (clusterFamilies.length === 1 && clusterFamilies[0] === gap.only) ? 'low'
    : gap.direction === 'egress' ? 'high' : 'medium';

export { hasCidrs, isolatesKnownPods, singleFamilyGaps, type SingleFamilyGap } from '../model/policies.ts';

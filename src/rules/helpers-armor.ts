// Helpers of the Cloud Armor rules (model/gke.ts ArmorPolicy). Pure.

import type { ArmorPolicy, ArmorRule } from '../model/gke.ts';
import type { Target } from './types.ts';

export interface ArmorTarget extends Target {
  readonly policy: ArmorPolicy;
}

export const armorTarget = (policy: ArmorPolicy): ArmorTarget => ({
  ref: policy.ref, ...(policy.source ? { source: policy.source } : {}), annotations: policy.annotations, policy,
});

export { enforced, familiesOf, isDeny } from '../model/gke.ts';

export const policyLabel = (p: ArmorPolicy): string =>
  `${p.from === 'export' ? 'Cloud Armor policy' : 'ComputeSecurityPolicy'} ${JSON.stringify(p.policyName)}`;

export const rangesPath = (r: ArmorRule): readonly (string | number)[] => r.addresses[0]?.path ?? r.path;

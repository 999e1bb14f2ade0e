// Helpers of the Cloud Armor rules (model/gke.ts ArmorPolicy). Pure.

import type { ArmorPolicy, ArmorRule } from '../model/gke.ts';
import type { Target } from './types.ts';

export interface ArmorTarget extends Target {
  readonly policy: ArmorPolicy;
}

export const armorTarget = (policy: ArmorPolicy): ArmorTarget => ({
  ref: policy.ref, ...(policy.source ? { source: policy.source } : {}), annotations: policy.annotations, policy,
});

/** Enforced rules other than the default one (preview rules are logged, not enforced). */
export const enforced = (p: ArmorPolicy): ArmorRule[] => p.rules.filter((r) => !r.preview && r.priority !== 2147483647);

export const isDeny = (action: string): boolean => action.startsWith('deny') || action === 'throttle' || action === 'rate_based_ban';

/** The families a rule's addresses name: '*' counts for both. */
export function familiesOf(r: ArmorRule): { v4: boolean; v6: boolean } {
  return {
    v4: r.addresses.some((a) => a.any || a.family === 'IPv4'),
    v6: r.addresses.some((a) => a.any || a.family === 'IPv6'),
  };
}

export const policyLabel = (p: ArmorPolicy): string =>
  `${p.from === 'export' ? 'Cloud Armor policy' : 'ComputeSecurityPolicy'} ${JSON.stringify(p.policyName)}`;

export const rangesPath = (r: ArmorRule): readonly (string | number)[] => r.addresses[0]?.path ?? r.path;

// Helpers shared by the cluster and addressing rules: targets for configuration facts
// (model/cluster-config.ts) and message wording. The domain facts they read (serviceAddresses,
// allPolicies, policyCidrs, reference claims) are in the model and re-exported here. Pure.

import type { Family } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import type { CidrFact, ConfigSite, FamilyClaim } from '../model/cluster-config.ts';
import { describeSite } from '../model/cluster-config.ts';
import type { Target } from './types.ts';
import type { Policy } from '../model/policies.ts';

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

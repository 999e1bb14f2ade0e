// Helpers shared by the cluster and addressing rules: targets for configuration facts
// (model/cluster-config.ts) and the IP/CIDR fields of Services. Pure.

import type { Family, JsonPath } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import type { Service } from '../model/services.ts';
import { SOURCE_RANGES_ANNOTATION } from '../model/services.ts';
import type { CidrFact, ConfigSite, FamilyClaim } from '../model/cluster-config.ts';
import { describeSite } from '../model/cluster-config.ts';
import type { Target } from './types.ts';
import type { CidrValue, Policy } from '../model/policies.ts';

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

/** An IP or CIDR a Service carries, with its field. */
export interface ServiceAddress {
  readonly text: string;
  readonly path: JsonPath;
  readonly field: string;
  readonly kind: 'ip' | 'cidr';
}

/** clusterIP(s), externalIPs, loadBalancerIP and loadBalancerSourceRanges (field or annotation). */
export function serviceAddresses(svc: Service): ServiceAddress[] {
  const out: ServiceAddress[] = [];
  const d = svc.declared;
  if (Array.isArray(d.clusterIPs)) {
    d.clusterIPs.forEach((v, i) => {
      if (typeof v === 'string') out.push({ text: v, path: ['spec', 'clusterIPs', i], field: `spec.clusterIPs[${i}]`, kind: 'ip' });
    });
  } else if (typeof d.clusterIP === 'string') {
    out.push({ text: d.clusterIP, path: ['spec', 'clusterIP'], field: 'spec.clusterIP', kind: 'ip' });
  }
  svc.externalIPs.forEach((v, i) => out.push({ text: v, path: ['spec', 'externalIPs', i], field: `spec.externalIPs[${i}]`, kind: 'ip' }));
  if (svc.loadBalancerIP !== undefined) out.push({ text: svc.loadBalancerIP, path: ['spec', 'loadBalancerIP'], field: 'spec.loadBalancerIP', kind: 'ip' });
  const r = svc.loadBalancerSourceRanges;
  if (r) {
    r.values.forEach((v, i) => out.push(r.from === 'spec'
      ? { text: v, path: ['spec', 'loadBalancerSourceRanges', i], field: `spec.loadBalancerSourceRanges[${i}]`, kind: 'cidr' }
      : { text: v, path: ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION], field: 'the load-balancer-source-ranges annotation', kind: 'cidr' }));
  }
  return out.filter((a) => a.text !== '' && a.text !== 'None');
}

export interface PolicyTarget extends Target {
  readonly policy: Policy;
}

export const policyTarget = (policy: Policy): PolicyTarget => ({
  ref: policy.ref,
  ...(policy.source ? { source: policy.source } : {}),
  annotations: policy.annotations,
  policy,
});

/** Every policy of every engine. */
export const allPolicies = (model: Model): readonly Policy[] => {
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

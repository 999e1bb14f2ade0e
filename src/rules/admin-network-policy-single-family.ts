import { defineRule, type RuleReport } from './types.ts';
import { hasCidrs, policyTarget, type PolicyTarget } from './helpers-policy.ts';
import { cidrFamilies, DIRECTIONS } from '../model/policies.ts';
import { otherFamily, type Family, type JsonPath } from '../model/types.ts';

export default defineRule<PolicyTarget>({
  meta: {
    id: 'admin-network-policy-single-family',
    title: 'AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy networks of one family',
    category: 'policy',
    severity: 'high',
    scope: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'],
    rationale:
      'Cluster-scoped admin policies (policy.networking.k8s.io) match peers by networks[], one family per CIDR, and do not isolate pods: traffic that no rule matches falls through to the next tier and to NetworkPolicies. ' +
      'A Deny rule whose networks are all IPv4 (such as "deny egress to 0.0.0.0/0") therefore does not stop IPv6 traffic, which falls through and is usually allowed; ' +
      'an Allow/Accept or Pass rule with IPv4 networks only leaves the IPv6 side to lower tiers, so the guarantee it gives does not hold for IPv6.',
    docs: {
      noFixedExample: 'The ranges or addresses to add for the other family are the site\'s own, which only its operators know.',
      notes: 'Per direction, over every rule with networks: reported when all of them are of one family. A Deny rule among them is high (the other family bypasses it); Allow/Accept/Pass only is medium. domainNames peers resolve to both families. Reads AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1 and ClusterNetworkPolicy v1alpha2 (network-policy-api); the API is alpha and its schema may change.',
    },
    fix: { summary: 'List the networks of both families in the rule, e.g. [0.0.0.0/0, ::/0], or the IPv6 ranges that correspond to the IPv4 ones.' },
    messages: {
      denyBypass: 'The {direction} Deny rules match only {only} networks, so {missing} traffic to the same destinations is not denied and falls through to lower tiers',
      notMatched: 'The {direction} rules match only {only} networks, so {missing} traffic to the same peers is not matched and falls through to lower tiers',
    },
    references: ['https://github.com/kubernetes-sigs/network-policy-api/tree/main/apis/v1alpha2', 'https://github.com/kubernetes-sigs/network-policy-api/tree/main/apis/v1alpha1'],
  },
  *targets({ model }) {
    for (const p of model.policies.admin) if (hasCidrs(p)) yield policyTarget(p);
  },
  *check({ policy: p }): Generator<RuleReport> {
    for (const direction of DIRECTIONS) {
      const fams = new Set<Family>();
      let denyPath: JsonPath | undefined;
      let firstPath: JsonPath | undefined;
      for (const r of p.rules) {
        if (r.direction !== direction) continue;
        const f = cidrFamilies(r);
        for (const x of f) fams.add(x);
        const c = r.cidrs.find((x) => x.cidr);
        if (c) {
          firstPath ??= c.path;
          if (r.action === 'deny') denyPath ??= c.path;
        }
      }
      if (fams.size !== 1 || !firstPath) continue;
      const only = [...fams][0]!;
      const data = { direction, only, missing: otherFamily(only) };
      if (denyPath) yield { messageId: 'denyBypass', path: denyPath, data, severity: 'high' };
      else yield { messageId: 'notMatched', path: firstPath, data, severity: 'medium' };
    }
  },
});

import { defineRule, type RuleReport } from './types.ts';
import { gapSeverity, hasCidrs, policyTarget, selectedText, singleFamilyGaps, type PolicyTarget } from './helpers-policy.ts';

export default defineRule<PolicyTarget>({
  meta: {
    id: 'cilium-policy-single-family',
    needsValue: true,
    title: 'Cilium policies whose CIDR rules cover only one family',
    category: 'policy',
    severity: 'high',
    scope: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
    rationale:
      'An endpoint selected by a Cilium policy with ingress or egress rules is default-deny in that direction for both families. ' +
      'toCIDR, toCIDRSet, fromCIDR and fromCIDRSet match one family per entry, so when the only way out of (or into) the cluster is a list of IPv4 CIDRs, ' +
      'all IPv6 traffic to or from the world is dropped on a dual-stack cluster. toEntities world, toFQDNs (A and AAAA answers) and L4-only rules cover both families.',
    docs: {
      noFixedExample: 'The ranges or addresses to add for the other family are the site\'s own, which only its operators know.',
      notes: 'Per direction with allow rules (ingress/egress; deny rules do not admit anything): reported when every rule admitting external peers does so through CIDRs of one family. The entities world and all admit both families (world-ipv4 and world-ipv6 one each: in dual-stack Cilium the world identity splits in reserved:world-ipv4 and reserved:world-ipv6, cilium#29958). cidrGroupRef and toGroups are resolved in the cluster and make the direction unknown, so it is skipped. enableDefaultDeny false for a direction turns its check off. Egress high, ingress medium; low when the input holds workloads in the policy\'s namespace and its endpointSelector matches none of them, or when the target cluster is single-stack in the family the CIDRs list.',
    },
    fix: { summary: 'List the IPv6 (or IPv4) CIDRs that correspond to the ones already allowed, or use toEntities world when the intent is "anywhere".' },
    messages: {
      egress: 'Egress of {pods} is default-deny and allows the world only through {only} CIDRs, so {missing} egress outside the cluster is dropped',
      ingress: 'Ingress of {pods} is default-deny and admits the world only through {only} CIDRs, so {missing} clients outside the cluster are dropped',
    },
    references: ['https://github.com/cilium/cilium/blob/main/pkg/policy/api/rule.go', 'https://github.com/cilium/cilium/blob/main/pkg/policy/api/cidr.go'],
  },
  *targets({ model }) {
    for (const p of model.policies.cilium) if (hasCidrs(p)) yield policyTarget(p, p.isolates.includes('egress') ? 'high' : 'medium');
  },
  *check({ policy: p }, { model }): Generator<RuleReport> {
    for (const g of singleFamilyGaps(p)) {
      yield {
        messageId: g.direction, path: g.firstPath!, severity: gapSeverity(p, g, model.clusterFamilies.families),
        data: { pods: selectedText(p), only: g.only, missing: g.missing },
      };
    }
  },
});

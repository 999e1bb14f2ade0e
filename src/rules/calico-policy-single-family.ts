import { defineRule, type RuleReport } from './types.ts';
import { gapSeverity, hasCidrs, policyTarget, singleFamilyGaps, type PolicyTarget } from './helpers-policy.ts';

export default defineRule<PolicyTarget>({
  meta: {
    id: 'calico-policy-single-family',
    needsValue: true,
    title: 'Calico policies whose allow rules cover only one family (nets, ipVersion)',
    category: 'policy',
    severity: 'high',
    scope: ['NetworkPolicy', 'GlobalNetworkPolicy'],
    rationale:
      'An endpoint selected by a Calico NetworkPolicy or GlobalNetworkPolicy is denied whatever the policy\'s Allow rules do not admit, for both families. ' +
      'A rule with ipVersion: 4 matches IPv4 only, and nets match the family of each CIDR, so when every Allow rule that reaches outside the cluster is IPv4-only ' +
      'the IPv6 traffic of a dual-stack endpoint is dropped.',
    docs: {
      noFixedExample: 'The ranges or addresses to add for the other family are the site\'s own, which only its operators know.',
      notes: 'Reads projectcalico.org/v3 and the stored form crd.projectcalico.org/v1. Per direction in types (defaulted, when absent, to the directions that have rules and to Ingress when none do: Calico docs, (verify)), the Allow rules are combined: nets and ipVersion narrow a rule to one family, a rule without nets or selectors (or with only notNets) admits every peer of its ipVersion. Selector peers are taken as endpoints; a selector that matches a NetworkSet of external CIDRs is not resolved. Deny, Pass and Log rules admit nothing. Egress high, ingress medium; low when the target cluster is single-stack in the family the rules list.',
    },
    fix: { summary: 'Add the matching Allow rule for the other family (ipVersion: 6 with the IPv6 nets), or drop ipVersion where the rule is meant for both.' },
    messages: {
      egress: 'Egress is default-deny for the selected endpoints and Allow rules reach outside only over {only}, so {missing} egress is dropped',
      ingress: 'Ingress is default-deny for the selected endpoints and Allow rules admit outside sources only over {only}, so {missing} clients are dropped',
    },
    references: ['https://github.com/projectcalico/calico/blob/master/api/pkg/apis/projectcalico/v3/policy_common.go'],
  },
  *targets({ model }) {
    for (const p of model.policies.calico) if (hasCidrs(p)) yield policyTarget(p, p.isolates.includes('egress') ? 'high' : 'medium');
  },
  *check({ policy: p }, { model }): Generator<RuleReport> {
    for (const g of singleFamilyGaps(p)) {
      yield {
        messageId: g.direction, path: g.firstPath!, severity: gapSeverity(p, g, model.clusterFamilies.families),
        data: { only: g.only, missing: g.missing },
      };
    }
  },
});

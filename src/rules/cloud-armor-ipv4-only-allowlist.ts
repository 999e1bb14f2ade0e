import { defineRule, type RuleReport } from './types.ts';
import { armorTarget, enforced, familiesOf, policyLabel, rangesPath, type ArmorTarget } from './helpers-armor.ts';

export default defineRule<ArmorTarget>({
  meta: {
    id: 'cloud-armor-ipv4-only-allowlist',
    needsValue: true,
    title: 'Default-deny Cloud Armor policies whose allow rules name only IPv4 ranges',
    category: 'policy',
    severity: 'high',
    scope: ['ComputeSecurityPolicy', 'CloudArmorPolicyExport'],
    rationale:
      'One Cloud Armor policy governs both frontends of a dual-stack Ingress or Gateway, and a srcIpRanges CIDR (or an inIpRange literal) matches only its own family. ' +
      'When the default rule denies and the allow rules list only IPv4 ranges, every IPv6 client is denied: the IPv6 frontend serves 403s to the users the allow list was written for.',
    docs: {
      noFixedExample: 'The IPv6 ranges of the same clients are the site\'s own, which only its operators know.',
      notes: 'Read from Config Connector ComputeSecurityPolicy objects (spec.rule[]) and from exports given with --cloud-armor FILE (the YAML or JSON of gcloud compute security-policies describe, rules[]). The default rule is the one of priority 2147483647; without it in the input Cloud Armor\'s default is allow and this rule does not apply. Preview rules are not enforced and are skipped. An allow rule that matches on anything else than source addresses (a CEL expression with other terms, a region code) may admit IPv6 clients and makes the policy pass.',
    },
    fix: { summary: 'Add the IPv6 ranges of the same clients to the allow rules (srcIpRanges may mix families), or a separate allow rule for them.' },
    messages: {
      blocked: '{policy} denies by default ({defaultAction}) and allows only IPv4 ranges ({ranges}), so IPv6 clients are denied',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/apis/backendconfig/v1/types.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/backends/features/securitypolicy.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/annotations/service.go', 'https://github.com/GoogleCloudPlatform/k8s-config-connector/blob/master/config/crds/resources/apiextensions.k8s.io_v1_customresourcedefinition_computesecuritypolicies.compute.cnrm.cloud.google.com.yaml'],
  },
  *targets({ model }) {
    for (const p of model.gke.armorPolicies) yield armorTarget(p);
  },
  *check({ policy }): Generator<RuleReport> {
    if (policy.defaultAllows || !policy.defaultRule || !policy.defaultRule.action.startsWith('deny')) return;
    const allows = enforced(policy).filter((r) => r.action === 'allow');
    if (allows.length === 0) return;
    if (allows.some((r) => r.otherMatch || familiesOf(r).v6)) return;
    const v4 = allows.filter((r) => familiesOf(r).v4);
    if (v4.length === 0) return;
    const ranges = v4.flatMap((r) => r.addresses.map((a) => a.text));
    yield {
      messageId: 'blocked', path: rangesPath(v4[0]!),
      data: { policy: policyLabel(policy), defaultAction: policy.defaultRule.action, ranges: ranges.length > 4 ? `${ranges.slice(0, 4).join(', ')}, ...` : ranges.join(', ') },
    };
  },
});

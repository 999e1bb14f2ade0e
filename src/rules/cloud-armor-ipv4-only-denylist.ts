import { defineRule, type RuleReport } from './types.ts';
import { armorTarget, enforced, familiesOf, isDeny, policyLabel, rangesPath, type ArmorTarget } from './helpers-armor.ts';

export default defineRule<ArmorTarget>({
  meta: {
    id: 'cloud-armor-ipv4-only-denylist',
    needsValue: true,
    title: 'Default-allow Cloud Armor policies whose deny, throttle or ban rules name only IPv4 ranges',
    category: 'policy',
    severity: 'high',
    scope: ['ComputeSecurityPolicy', 'CloudArmorPolicyExport'],
    rationale:
      'A Cloud Armor srcIpRanges CIDR matches only its own family. When the policy allows by default and its deny, throttle or rate-based ban rules list only IPv4 ranges, ' +
      'the same clients reach the IPv6 frontend of the dual-stack Ingress or Gateway unfiltered: the IPv6 path bypasses the deny list.',
    docs: {
      noFixedExample: 'The IPv6 ranges of the same sources are the site\'s own, which only its operators know.',
      notes: 'Read from Config Connector ComputeSecurityPolicy objects and from --cloud-armor exports. The default is allow when the priority-2147483647 rule allows or is not in the input. Preview rules are skipped. Reported when the enforced deny, throttle and rate_based_ban rules name IPv4 ranges (srcIpRanges, inIpRange literals) and none names an IPv6 range; a deny rule for IPv6 ranges anywhere in the policy makes it pass, since the auditor cannot tell which IPv6 ranges belong to the same clients.',
    },
    fix: { summary: 'Add the IPv6 ranges of the same sources to the deny, throttle and ban rules (or deny them in their own rule).' },
    messages: {
      bypass: '{policy} allows by default and its {actions} rules list only IPv4 ranges ({ranges}), so the same clients reach the IPv6 frontend unfiltered',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/apis/backendconfig/v1/types.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/backends/features/securitypolicy.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/annotations/service.go'],
  },
  *targets({ model }) {
    for (const p of model.gke.armorPolicies) yield armorTarget(p);
  },
  *check({ policy }): Generator<RuleReport> {
    if (!policy.defaultAllows) return;
    // A throttle or ban on '*' rate-limits every client; it does not stop the denied IPv4 sources
    // over IPv6, so it neither covers IPv6 nor counts as an IPv4 list.
    const denies = enforced(policy).filter((r) => isDeny(r.action) && r.addresses.length > 0 && (r.action.startsWith('deny') || !r.addresses.some((a) => a.any)));
    if (denies.length === 0 || denies.some((r) => familiesOf(r).v6)) return;
    const v4 = denies.filter((r) => familiesOf(r).v4);
    if (v4.length === 0) return;
    const ranges = v4.flatMap((r) => r.addresses.map((a) => a.text));
    yield {
      messageId: 'bypass', path: rangesPath(v4[0]!),
      data: {
        policy: policyLabel(policy), actions: [...new Set(v4.map((r) => r.action))].join(', '),
        ranges: ranges.length > 4 ? `${ranges.slice(0, 4).join(', ')}, ...` : ranges.join(', '),
      },
    };
  },
});

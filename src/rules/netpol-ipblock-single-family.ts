import { defineRule, type JsonPatchOp, type RuleReport } from './types.ts';
import { gapSeverity, hasCidrs, policyTarget, selectedText, singleFamilyGaps, type PolicyTarget } from './helpers-policy.ts';
import { cidrContains, type Policy, type PolicyRule } from '../model/policies.ts';
import { parseIP } from '../emulate/ip.ts';

const V4_METADATA = parseIP('169.254.169.254')!;

/** Fix: an IPv6 "all" block next to an IPv4 "all" block, with the IPv6 metadata endpoints excepted if the IPv4 one was. */
function fixFor(p: Policy, rulePath: readonly (string | number)[]): JsonPatchOp[] | undefined {
  const rule: PolicyRule | undefined = p.rules.find((r) => r.path.join('/') === rulePath.join('/'));
  const all4 = rule?.cidrs.find((c) => c.cidr?.family === 'IPv4' && c.cidr.prefix === 0);
  if (!rule || !all4) return undefined;
  const meta = all4.except.some((e) => e.cidr && cidrContains(e.cidr, V4_METADATA.bytes, 'IPv4'));
  const peerKey = rule.direction === 'ingress' ? 'from' : 'to';
  const ipBlock = meta ? { cidr: '::/0', except: ['fd00:ec2::254/128', 'fd20:ce::254/128'] } : { cidr: '::/0' };
  return [{ op: 'add', path: `/${[...rule.path, peerKey].join('/')}/-`, value: { ipBlock } }];
}

export default defineRule<PolicyTarget>({
  meta: {
    id: 'netpol-ipblock-single-family',
    fixable: 'fix',
    needsValue: true,
    title: 'NetworkPolicy ipBlock allow lists that cover only one family',
    category: 'policy',
    severity: 'high',
    scope: ['NetworkPolicy'],
    rationale:
      'A pod selected by a NetworkPolicy that lists Ingress or Egress is isolated in that direction for all traffic of both families, and only what the rules allow gets through. ' +
      'ipBlock peers match one family each, so an allow list written only with IPv4 CIDRs (0.0.0.0/0 except the metadata address, corporate ranges) admits no IPv6 peer at all. ' +
      'On a dual-stack cluster IPv6 egress is then silently dropped (clients fall back to IPv4 or hang, depending on their happy-eyeballs behaviour) and IPv6 clients cannot reach the pods.',
    docs: {
      notes: 'Reported only when, in a direction the policy isolates (policyTypes, or its default: Ingress always, Egress when egress rules are present), every rule that admits traffic from outside the cluster does so through ipBlocks of one family, and no rule admits the other family (a rule without peers admits everything). Pod and namespace selector peers match pods of both families and are not external. Egress is high, ingress medium. When the input holds workloads in the policy\'s namespace and the policy selects none of them (found through the label index, by namespace and labels), the finding is lowered to low: the pods it isolates are deployed elsewhere. It is low as well when the target cluster (--cluster-families) is single-stack in the family the blocks list: the pods are not dual-stack yet, and the gap opens when the cluster is converted. Allowed traffic is the union over the policies selecting a pod, so a gap is closed when another NetworkPolicy, FQDNNetworkPolicy or CiliumNetworkPolicy of the namespace with the same pod selector, or an empty one, admits the missing family in that direction (the IPv4/IPv6 twin-policy pattern); selectors that merely overlap are not compared.',
    },
    fix: { summary: 'Add ipBlocks of the missing family that match the ones already listed (for 0.0.0.0/0 that is ::/0, with the IPv6 metadata addresses excepted where the IPv4 one is).' },
    messages: {
      egress: 'Egress is isolated for {pods} and allowed outside the cluster only through {only} ipBlocks, so all {missing} egress outside is denied',
      ingress: 'Ingress is isolated for {pods} and allowed from outside the cluster only through {only} ipBlocks, so {missing} clients are denied',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/network-policies.md', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/v1/defaults.go'],
  },
  *targets({ model }) {
    for (const p of model.policies.networkPolicies) {
      if (!hasCidrs(p)) continue;
      yield policyTarget(p, p.isolates.includes('egress') ? 'high' : 'medium');
    }
  },
  *check({ policy: p }, { model }): Generator<RuleReport> {
    for (const g of singleFamilyGaps(p)) {
      const rulePath = g.firstPath!.slice(0, 3);
      const fix = fixFor(p, rulePath);
      yield {
        messageId: g.direction,
        path: g.firstPath!,
        severity: gapSeverity(p, g, model.clusterFamilies.families),
        data: { pods: selectedText(p), only: g.only, missing: g.missing },
        ...(fix ? { fix } : {}),
      };
    }
  },
});

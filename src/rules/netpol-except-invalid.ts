import { defineRule, type RuleReport } from './types.ts';
import { hasCidrs, policyTarget, type PolicyTarget } from './helpers-policy.ts';
import { cidrWithin } from '../model/policies.ts';

export default defineRule<PolicyTarget>({
  meta: {
    id: 'netpol-except-invalid',
    title: 'NetworkPolicy ipBlocks the apiserver rejects (bad CIDR, except of the other family or not inside cidr)',
    category: 'policy',
    severity: 'critical',
    scope: ['NetworkPolicy'],
    rationale:
      'The apiserver validates every ipBlock: cidr must be a valid CIDR, and each except must be a valid CIDR and a strict subset of cidr ("must be a strict subset of `cidr`"). ' +
      'An except of the other family, equal to cidr, or outside it is rejected, and so is the whole NetworkPolicy, so none of its rules exist. ' +
      'The mistake typically appears when a dual-stack block is written by copying an IPv4 block and mixing families, e.g. ::/0 with the IPv4 metadata address as except.',
    docs: {
      noFixedExample: 'Where each except belongs (and what the malformed CIDR meant) is the user\'s decision.',
      notes: 'Follows ValidateIPBlock in k8s:pkg/apis/networking/validation/validation.go: the legacy-tolerant parser (IPv4 leading zeros accepted, host bits allowed), Contains(except.IP) and a strictly longer except prefix; a peer may not set ipBlock with a selector. Reported for every ipBlock, whatever the policy selects.',
    },
    fix: { summary: 'Move each except under an ipBlock of its own family whose cidr strictly contains it, and write every cidr and except as a valid CIDR (address/prefix).', byMessage: { cidrMissing: 'Set ipBlock.cidr to the CIDR this peer is meant to match.', withSelector: 'Split it into two peers.', exceptEqual: 'Drop the except or the whole ipBlock.' } },
    messages: {
      cidrMissing: 'ipBlock.cidr is missing or empty, so the apiserver rejects the whole NetworkPolicy ("Required value")',
      cidrInvalid: 'ipBlock.cidr {value} is not a valid CIDR, so the apiserver rejects the whole NetworkPolicy',
      withSelector: 'This peer sets ipBlock together with a pod or namespace selector, so the apiserver rejects the whole NetworkPolicy',
      exceptInvalid: 'except {value} is not a valid CIDR, so the apiserver rejects the whole NetworkPolicy',
      exceptFamily: 'except {value} is {exceptFamily} but cidr {cidr} is {cidrFamily}, so the apiserver rejects the whole NetworkPolicy (not a strict subset)',
      exceptEqual: 'except {value} equals cidr {cidr}, so the apiserver rejects the whole NetworkPolicy ("must be a strict subset of `cidr`")',
      exceptOutside: 'except {value} is not inside cidr {cidr}, so the apiserver rejects the whole NetworkPolicy ("must be a strict subset of `cidr`")',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/network-policies.md'],
  },
  *targets({ model }) {
    for (const p of model.policies.networkPolicies) if (hasCidrs(p)) yield policyTarget(p);
  },
  *check({ policy: p }): Generator<RuleReport> {
    for (const r of p.rules) {
      for (const c of r.cidrs) {
        if (c.withSelector) yield { messageId: 'withSelector', path: c.path.slice(0, -1) };
        if (!c.cidr) {
          yield c.text === ''
            ? { messageId: 'cidrMissing', path: c.path }
            : { messageId: 'cidrInvalid', path: c.path, data: { value: JSON.stringify(c.text) } };
          continue;
        }
        for (const e of c.except) {
          const data = { value: e.text, cidr: c.text, cidrFamily: c.cidr.family };
          if (!e.cidr) yield { messageId: 'exceptInvalid', path: e.path, data: { ...data, value: JSON.stringify(e.text) } };
          else if (e.cidr.family !== c.cidr.family) yield { messageId: 'exceptFamily', path: e.path, data: { ...data, exceptFamily: e.cidr.family } };
          else if (e.cidr.prefix === c.cidr.prefix && cidrWithin(e.cidr, c.cidr)) yield { messageId: 'exceptEqual', path: e.path, data };
          else if (!cidrWithin(e.cidr, c.cidr) || e.cidr.prefix <= c.cidr.prefix) yield { messageId: 'exceptOutside', path: e.path, data };
        }
      }
    }
  },
});

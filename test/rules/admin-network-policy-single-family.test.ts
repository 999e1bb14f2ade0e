import rule from '../../src/rules/admin-network-policy-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// spec at line 5; egress rules from line 10.
const cnp = (egress: string, kind = 'ClusterNetworkPolicy', apiVersion = 'policy.networking.k8s.io/v1alpha2'): string =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: a\nspec:\n  priority: 10\n  subject:\n    namespaces: {}\n  egress:\n${egress.split('\n').map((l) => `  ${l}`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: network-policy-api admin-tier conformance, deny to 0.0.0.0/0 and ::/0', yaml: fixture('corpus/network-policy-api/conformance/base/admin_tier/standard-egress-inline-cidr-rules.yaml') },
    { name: 'networks of both families across rules', yaml: cnp('- action: Accept\n  to:\n  - networks: [10.0.0.0/8]\n- action: Deny\n  to:\n  - networks: [::/0]') },
    { name: 'pods and namespaces only', yaml: cnp('- action: Deny\n  to:\n  - namespaces: {}') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'denyBypass', line: 14 }] },
    {
      name: 'Deny to 0.0.0.0/0 only: IPv6 bypasses it',
      yaml: cnp('- name: deny-internet\n  action: Deny\n  to:\n  - networks: [0.0.0.0/0]'),
      findings: [{ messageId: 'denyBypass', line: 13, severity: 'high', includes: 'IPv6 traffic' }],
    },
    {
      name: 'AdminNetworkPolicy v1alpha1 Allow to IPv4 networks only',
      yaml: cnp('- name: allow-corp\n  action: Allow\n  to:\n  - networks:\n    - 192.168.0.0/16', 'AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'),
      findings: [{ messageId: 'notMatched', line: 14, severity: 'medium', resource: 'AdminNetworkPolicy/a' }],
    },
    {
      name: 'BaselineAdminNetworkPolicy IPv6-only Deny',
      yaml: cnp("- action: Deny\n  to:\n  - networks: ['::/0']", 'BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'),
      findings: [{ messageId: 'denyBypass', line: 12, includes: 'IPv4 traffic' }],
    },
  ],
});

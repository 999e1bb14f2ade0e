import rule from '../../src/rules/netpol-except-invalid.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const BAD = 'corpus/network-config-analyzer/tests/k8s_testcases/network-policy-checks-bad-path';
// spec at line 6; the ipBlock's cidr at line 10, except entries from line 11.
const block = (cidr: string, except: readonly string[]): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: '${cidr}'\n        except:\n${except.map((e) => `        - '${e}'`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'IPv4 except inside its cidr', yaml: block('0.0.0.0/0', ['169.254.169.254/32', '10.0.0.0/8']) },
    { name: 'IPv6 except inside its cidr', yaml: block('::/0', ['fd00:ec2::254/128', 'fd20:ce::254/128']) },
    { name: 'legacy forms the apiserver still accepts: leading zeros, host bits', yaml: block('10.0.0.1/8', ['010.1.0.0/16']) },
    { name: 'corpus: network-config-analyzer mixed_ipv4_ipv6_policy', yaml: fixture(`${BAD}/mixed_ipv4_ipv6_policy.yaml`) },
    { name: 'corpus: kubernetes website networkpolicy.yaml', yaml: fixture('corpus/k8s-website/content/en/examples/service/networking/networkpolicy.yaml') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'exceptFamily', line: 11 }] },
    {
      name: 'except of the other family (IPv4 metadata under ::/0)',
      yaml: block('::/0', ['169.254.169.254/32']),
      findings: [{ messageId: 'exceptFamily', line: 12, severity: 'critical', includes: 'is IPv4 but cidr ::/0 is IPv6' }],
    },
    { name: 'except equal to cidr', yaml: block('10.0.0.0/8', ['10.0.0.0/8']), findings: [{ messageId: 'exceptEqual', line: 12 }] },
    {
      name: 'except outside cidr, except larger than cidr, and an invalid except',
      yaml: block('10.0.0.0/16', ['10.1.0.0/24', '10.0.0.0/8', '10.0.0.0/33']),
      findings: [{ messageId: 'exceptOutside', line: 12 }, { messageId: 'exceptOutside', line: 13 }, { messageId: 'exceptInvalid', line: 14 }],
    },
    { name: 'cidr without a prefix', yaml: block('10.0.0.0', []).replace('        except:\n\n', ''), findings: [{ messageId: 'cidrInvalid', line: 10 }] },
    { name: 'corpus: network-config-analyzer ::/0 with an IPv4 except', yaml: fixture(`${BAD}/mixed_ipv6_cidr_ipv4_except.yaml`), findings: [{ messageId: 'exceptFamily', line: 15 }] },
    { name: 'corpus: network-config-analyzer 0.0.0.0/0 with an IPv6 except', yaml: fixture(`${BAD}/mixed_ipv4_cidr_ipv6_except.yaml`), findings: [{ messageId: 'exceptFamily', line: 15, includes: 'a000:800::/32' }] },
    { name: 'corpus: network-config-analyzer 8000:k00::/120', yaml: fixture(`${BAD}/ipblock_bad_cidr.yaml`), findings: [{ messageId: 'cidrInvalid', line: 14 }] },
    { name: 'corpus: network-config-analyzer 8000:f00::/129', yaml: fixture(`${BAD}/ipblock_bad_cidr_2.yaml`), findings: [{ messageId: 'cidrInvalid', line: 14 }] },
    { name: 'corpus: network-config-analyzer 20.0.0.0/33', yaml: fixture(`${BAD}/ipblock_bad_cidr_3.yaml`), findings: [{ messageId: 'cidrInvalid', line: 14 }] },
    { name: 'corpus: network-config-analyzer ipBlock: {} (cidr missing)', yaml: fixture(`${BAD}/ipblock_empty.yaml`), findings: [{ messageId: 'cidrMissing', line: 15 }] },
    { name: 'corpus: network-config-analyzer ipBlock with a podSelector in the same peer', yaml: fixture(`${BAD}/ipblock_cannot_be_defined.yaml`), findings: [{ messageId: 'withSelector', line: 14 }] },
  ],
});

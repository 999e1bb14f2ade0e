import rule from '../../src/rules/netpol-metadata-ipv6-bypass.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// spec at line 6; rules from line 9.
const np = (egress: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n${egress.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
const V4_EXCEPT = `- to:\n  - ipBlock:\n      cidr: 0.0.0.0/0\n      except: [169.254.169.254/32]`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'both IPv6 metadata addresses excepted', yaml: np(`${V4_EXCEPT}\n  - ipBlock:\n      cidr: ::/0\n      except: [fd00:ec2::254/128, fd20:ce::254/128]`) },
    { name: 'one cloud\'s IPv6 metadata address excepted: deliberate', yaml: np(`${V4_EXCEPT}\n  - ipBlock:\n      cidr: ::/0\n      except: ['fd20:ce::254/128']`) },
    { name: 'no IPv6 allowed at all (netpol-ipblock-single-family\'s concern)', yaml: np(V4_EXCEPT) },
    { name: 'IPv6 allowed only to a GUA range that holds no metadata address', yaml: np(`${V4_EXCEPT}\n  - ipBlock: {cidr: '2001:db8::/32'}`) },
    { name: 'IPv4 metadata not blocked: nothing to bypass', yaml: np(`- to:\n  - ipBlock: {cidr: 0.0.0.0/0}\n  - ipBlock: {cidr: '::/0'}`) },
    { name: 'corpus: network-config-analyzer mixed_ipv4_ipv6_policy (ingress only)', yaml: fixture('corpus/network-config-analyzer/tests/k8s_testcases/network-policy-checks-bad-path/mixed_ipv4_ipv6_policy.yaml') },
    {
      name: 'Cilium egressDeny for both metadata families',
      yaml: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\nspec:\n  endpointSelector: {}\n  egress:\n  - toCIDR: [0.0.0.0/0, ::/0]\n  egressDeny:\n  - toCIDR: [169.254.169.254/32, fd20:ce::254/128]\n',
    },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'bypass', line: 14 }] },
    {
      name: '::/0 next to 0.0.0.0/0 except 169.254.169.254',
      yaml: np(`${V4_EXCEPT}\n  - ipBlock:\n      cidr: ::/0`),
      findings: [{ messageId: 'bypass', line: 14, severity: 'high', includes: 'fd20:ce::254 (GCE) and fd00:ec2::254 (AWS)' }],
    },
    {
      name: 'the IPv6 block in a separate rule, with an unrelated except',
      yaml: np(`${V4_EXCEPT}\n- to:\n  - ipBlock:\n      cidr: fd00::/8\n      except: ['fd00:10::/32']`),
      findings: [{ messageId: 'bypass', line: 15, includes: 'fd00:ec2::254 (AWS)' }],
    },
    {
      name: 'Cilium: egressDeny of the IPv4 metadata address, world allowed by ::/0',
      yaml: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\nspec:\n  endpointSelector: {}\n  egress:\n  - toCIDR: [0.0.0.0/0, ::/0]\n  egressDeny:\n  - toCIDR: [169.254.169.254/32]\n',
      findings: [{ messageId: 'bypass', line: 7, resource: 'CiliumNetworkPolicy/default/c' }],
    },
    {
      name: 'Calico: Allow to everything but the IPv4 metadata address (notNets)',
      yaml: 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec:\n  selector: all()\n  types: [Egress]\n  egress:\n  - action: Allow\n    destination:\n      notNets: [169.254.169.254/32]\n',
      findings: [{ messageId: 'bypass', line: 10, includes: 'notNets' }],
    },
  ],
});

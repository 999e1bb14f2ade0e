import rule from '../../src/rules/cilium-policy-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// spec at line 5; rules from line 7.
const cnp = (body: string, kind = 'CiliumNetworkPolicy'): string =>
  `apiVersion: cilium.io/v2\nkind: ${kind}\nmetadata:\n  name: c\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n${body.split('\n').map((l) => `  ${l}`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'toCIDR of both families', yaml: cnp('egress:\n- toCIDR: [0.0.0.0/0, ::/0]') },
    { name: 'toEntities world covers both families', yaml: cnp('egress:\n- toCIDR: [10.0.0.0/8]\n- toEntities: [world]') },
    { name: 'world-ipv6 next to IPv4 CIDRs', yaml: cnp('egress:\n- toCIDRSet:\n  - cidr: 0.0.0.0/0\n    except: [169.254.169.254/32]\n- toEntities: [world-ipv6]') },
    { name: 'an L4-only rule allows every destination', yaml: cnp('egress:\n- toCIDR: [10.0.0.0/8]\n- toPorts:\n  - ports: [{port: "443", protocol: TCP}]') },
    { name: 'cidrGroupRef: family unknown offline', yaml: cnp('egress:\n- toCIDR: [10.0.0.0/8]\n- toCIDRSet:\n  - cidrGroupRef: corp') },
    { name: 'deny rules admit nothing', yaml: cnp('egress:\n- toEntities: [world]\negressDeny:\n- toCIDR: [10.0.0.0/8]') },
    { name: 'enableDefaultDeny egress false: not isolated', yaml: cnp('enableDefaultDeny: {egress: false}\negress:\n- toCIDR: [10.0.0.0/8]') },
    {
      name: 'a Kubernetes NetworkPolicy on the same pods admits IPv6 (Cilium enforces both as one allow set)',
      yaml: `${cnp('egress:\n- toCIDR: [10.0.0.0/8]')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: '::/0'}\n`,
    },
    { name: 'corpus: cilium kubernetes-dns dns-matchname (toFQDNs: A and AAAA)', yaml: fixture('corpus/cilium/examples/kubernetes-dns/dns-matchname.yaml') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'egress', line: 11 }] },
    {
      name: 'corpus: cilium-cli allow-all-egress (toCIDR 0.0.0.0/0 without ::/0)',
      yaml: fixture('corpus/cilium-cli/connectivity/manifests/allow-all-egress.yaml'),
      findings: [{ messageId: 'egress', line: 11, severity: 'high', includes: 'so IPv6 egress outside the cluster is dropped' }],
    },
    {
      name: 'corpus: cilium l3 cidr.yaml (toCIDR and toCIDRSet, IPv4 only)',
      yaml: fixture('corpus/cilium/examples/policies/l3/cidr/cidr.yaml'),
      findings: [{ messageId: 'egress', line: 11, severity: 'high' }],
    },
    {
      name: 'corpus: cilium servicemesh allow-ingress-cidr (CCNP fromCIDRSet)',
      yaml: fixture('corpus/cilium/examples/kubernetes/servicemesh/policy/allow-ingress-cidr.yaml'),
      findings: [{ messageId: 'ingress', line: 14, severity: 'medium', resource: 'CiliumClusterwideNetworkPolicy/allow-cidr' }],
    },
    {
      name: 'world-ipv4 next to IPv4 CIDRs stays IPv4-only',
      yaml: cnp('egress:\n- toCIDR: [10.0.0.0/8]\n- toEntities: [world-ipv4]'),
      findings: [{ messageId: 'egress', line: 8 }],
    },
    {
      name: 'IPv6-only fromCIDR in a specs[] entry',
      yaml: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\nspecs:\n- endpointSelector: {}\n  ingress:\n  - fromCIDR: [\'2001:db8::/32\']\n',
      findings: [{ messageId: 'ingress', line: 7, includes: 'IPv4 clients' }],
    },
  ],
});

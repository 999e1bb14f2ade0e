import rule from '../../src/rules/ipv6-exposure.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const kubeadm = (pod: string, svcs: string): string => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${pod}\n  serviceSubnet: ${svcs}\n`;

// Nodes a, b, c... with one GUA pod CIDR and one GUA InternalIP each (6 lines per node).
const nodes = (names: readonly string[]): string => names.map((n, i) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDRs: [10.244.${i}.0/24, 2a01:4f8:c0c:10${i}::/64]\nstatus:\n  addresses:\n  - {type: InternalIP, address: 2a01:4f8:c0c:1::${i + 1}}\n`).join('---\n');

ruleTester(rule, {
  valid: [
    { name: 'GKE Service range 2600:2d00:0:4::/64 is internal', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [2600:2d00:0:4::/112]\n' },
    { name: 'GUA load-balancer pool is expected', yaml: fixture('corpus/cilium/contrib/containerlab/bgpv2/service/lb-ip.yaml') },
    { name: 'ULA on an IPv6-only cluster: no IPv4 to prefer', yaml: fixture('corpus/cilium/.github/kind-config-ipv6.yaml'), clusterFamilies: ['IPv6'] },
    { name: 'IPv4 only', yaml: kubeadm('10.244.0.0/16', '10.96.0.0/16') },
  ],
  invalid: [
    { name: 'GUA pod range', yaml: kubeadm('10.244.0.0/16,2a01:4f8:c0c:100::/56', '10.96.0.0/16,2a01:4f8:c0c:1::/112'),
      findings: [{ messageId: 'gua', line: 4, severity: 'medium', includes: 'reachable from the internet' }] },
    { name: 'GUA pod range with a default-deny ingress policy in the input: low, verify', yaml: `${kubeadm('10.244.0.0/16,2a01:4f8:c0c:100::/56', '10.96.0.0/16')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`,
      findings: [{ messageId: 'guaPolicies', line: 4, severity: 'low', includes: '1 policy(ies) isolating ingress' }] },
    { name: 'GUA node address', yaml: 'apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus:\n  addresses:\n  - {type: InternalIP, address: 2a01:4f8:c0c:1::5}\n',
      findings: [{ messageId: 'guaNodes', line: 6, includes: '1 Node(s) in 2a01:4f8:c0c:1::5/128' }] },
    { name: 'nodes: one finding per range and role with the node count, not two per node', yaml: nodes(['a', 'b', 'c']),
      findings: [
        { messageId: 'guaNodes', line: 5, resource: 'Node/a', includes: 'Pod CIDRs of 3 Node(s) in 2a01:4f8:c0c:100::/62 (Node a 2a01:4f8:c0c:100::/64, Node b 2a01:4f8:c0c:101::/64 and 1 more)' },
        { messageId: 'guaNodes', line: 8, resource: 'Node/a', includes: 'Addresses of 3 Node(s) in 2a01:4f8:c0c:1::/126 (Node a 2a01:4f8:c0c:1::1, Node b 2a01:4f8:c0c:1::2 and 1 more)' },
      ] },
    { name: 'nodes: the configured cluster pod range holding their pod CIDRs names the group', yaml: `${kubeadm('10.244.0.0/16,2a01:4f8:c0c:100::/56', '10.96.0.0/16')}---\n${nodes(['a', 'b'])}`,
      findings: [
        { messageId: 'gua', line: 4 },
        { messageId: 'guaNodes', line: 11, includes: 'Pod CIDRs of 2 Node(s) in 2a01:4f8:c0c:100::/56 (' },
        { messageId: 'guaNodes', line: 14, includes: 'Addresses of 2 Node(s)' },
      ] },
    { name: 'corpus: kind dual defaults are ULA (RFC 6724 note)', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml'),
      findings: [{ messageId: 'ulaPreference', line: 24, severity: 'info' }, { messageId: 'ulaPreference', line: 24, severity: 'info', includes: 'fd00:10:244::/56' }] },
  ],
});

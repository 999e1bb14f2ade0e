import rule from '../../src/rules/cidr-special-purpose.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const pool = (cidr: string): string => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: ${cidr}\n`;

// Nodes a, b, c... with podCIDRs carved from site-local fec0:0:0:100::/56 (5 lines per node).
const nodes = (names: readonly string[]): string => names.map((n, i) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDRs: [10.244.${i}.0/24, 'fec0:0:0:10${i}::/64']\n`).join('---\n');
const kubeadm = (pod: string, svcs: string): string => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${pod}\n  serviceSubnet: ${svcs}\n`;

ruleTester(rule, {
  valid: [
    { name: 'ULA', yaml: pool('fd5e:1c7a:93d2::/48') },
    { name: 'GUA (2004::/64 is unallocated but inside 2000::/3)', yaml: pool('2004::/64') },
    { name: 'RFC 1918', yaml: pool('192.168.0.0/16') },
    { name: 'documentation prefixes are the other rule\'s', yaml: pool('2001:db8::/48') },
    { name: 'corpus: cilium containerlab dual kind config', yaml: fixture('corpus/cilium/contrib/containerlab/bgp-cplane-dev-dual/cluster.yaml') },
  ],
  invalid: [
    { name: 'corpus: Calico confd test pool in 6to4 space', yaml: fixture('corpus/calico/confd/tests/mock_data/calicoctl/explicit_peering/global-ipv6/input.yaml'),
      findings: [{ messageId: 'special', line: 75, severity: 'medium', includes: '6to4 (2002::/16, RFC 3056)' }] },
    { name: 'site-local', yaml: pool('fec0:1::/64'), findings: [{ messageId: 'special', line: 5, includes: 'site-local (deprecated)' }] },
    { name: 'Nodes: one finding per role and block on the first Node with the count, not one per Node', yaml: nodes(['a', 'b', 'c']),
      findings: [{ messageId: 'special', line: 5, resource: 'Node/a', includes: 'Node a spec.podCIDRs[1] fec0:0:0:100::/64 lies in site-local (deprecated) (fec0::/10, RFC 3879), which is not ordinary unicast space for a pod range (and on 2 more Nodes)' }] },
    { name: 'Nodes and the cluster pod range they are carved from: one finding on the cluster range', yaml: `${kubeadm('10.244.0.0/16,fec0:0:0:100::/56', '10.96.0.0/16,fd5e:1c7a:93d2::/112')}---\n${nodes(['a', 'b', 'c'])}`,
      findings: [{ messageId: 'special', line: 4, resource: 'ClusterConfiguration/(unnamed)', includes: 'networking.podSubnet fec0:0:0:100::/56 lies in site-local (deprecated) (fec0::/10, RFC 3879), which is not ordinary unicast space for a pod range (and on 3 Nodes)' }] },
    { name: 'Nodes: a Service range in the same block is another role, not their root', yaml: `${kubeadm('10.244.0.0/16,fd5e:1c7a:93d2::/56', '10.96.0.0/16,fec0::/112')}---\n${nodes(['a', 'b'])}`,
      findings: [
        { messageId: 'special', line: 5, includes: 'fec0::/112 lies in site-local (deprecated) (fec0::/10, RFC 3879), which is not ordinary unicast space for a Service range' },
        { messageId: 'special', line: 11, resource: 'Node/a', includes: 'for a pod range (and on 1 more Node)' },
      ] },
    { name: 'Teredo', yaml: pool('2001:0:1::/48'), findings: [{ messageId: 'special', line: 5, includes: 'Teredo' }] },
    { name: 'outside 2000::/3 and fc00::/7', yaml: pool('1200::/64'), findings: [{ messageId: 'special', line: 5, includes: 'reserved by IETF' }] },
    { name: 'link-local IPv4 Service range', yaml: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 169.254.0.0/20\n',
      findings: [{ messageId: 'special', line: 4, includes: 'Service range' }] },
    { name: 'every address', yaml: 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: m}\nspec:\n  addresses:\n  - ::/0\n',
      findings: [{ messageId: 'any', line: 6, includes: 'covers every IPv6 address' }] },
  ],
});

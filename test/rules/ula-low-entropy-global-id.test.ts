import rule from '../../src/rules/ula-low-entropy-global-id.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const KIND_26 = 'corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml';
const NODES_26 = 'corpus/cilium/test/controlplane/services/dualstack/v1.26/init.yaml';

// Nodes a, b, c... with podCIDRs carved from `pod` (a /56 cut into /64s) and an InternalIP each (7 lines per node).
const nodes = (names: readonly string[], pod = 'fd00:10:244', addr = 'fc00:f853:ccd:e793'): string => names.map((n, i) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDRs: [10.244.${i}.0/24, '${pod}:${i}::/64']\nstatus:\n  addresses: [{type: InternalIP, address: '${addr}::${i + 3}'}]\n`).join('---\n');

ruleTester(rule, {
  valid: [
    { name: 'random Global ID', yaml: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd5e:1c7a:93d2::/56\n  serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2:100::/112\n' },
    { name: 'IPv4-only kind config has no ULA', yaml: fixture('corpus/cloud-provider-kind/kind.yaml') },
    { name: 'GUA', yaml: 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 2a01:4f8:c0c:1::/64\n' },
    { name: 'Nodes carved from a random Global ID', yaml: nodes(['a', 'b'], 'fd5e:1c7a:93d2', 'fd5e:1c7a:93d2:ff00') },
  ],
  invalid: [
    { name: 'corpus: kind dual defaults fd00:10:244::/56 and fd00:10:96::/112', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml'),
      findings: [
        { messageId: 'lowEntropy', line: 24, severity: 'low', includes: 'fd00:10:96::/112' },
        { messageId: 'lowEntropy', line: 24, includes: 'fd00:10:244::/56: non-random ULA Global ID (6 of its 10 hex digits are 0)' },
      ] },
    { name: 'corpus: calico LB pool fdff::/64', yaml: fixture('corpus/calico/hack/test/kind/infra/calico-lb-pools.yaml'),
      findings: [{ messageId: 'lowEntropy', line: 39, includes: 'fdff::/64' }] },
    { name: 'corpus: MetalLB pool in fc00::/8', yaml: fixture('corpus/metallb/configsamples/ipaddresspool_simple.yaml'),
      findings: [{ messageId: 'notLocal', line: 10 }] },
    { name: 'fd00::/48, a zero Global ID', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: x}\nspec:\n  cidrs: [fd00::/112]\n',
      findings: [{ messageId: 'lowEntropy', line: 5, includes: 'the Global ID is zero' }] },
    { name: 'Nodes: one finding per /48 on the first Node with the count, not one per Node', yaml: nodes(['a', 'b', 'c']),
      findings: [
        { messageId: 'lowEntropy', line: 5, resource: 'Node/a', includes: 'Node a spec.podCIDRs[1] fd00:10:244:0::/64: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks (and on 2 more Nodes)' },
        { messageId: 'notLocal', line: 7, resource: 'Node/a', includes: 'fc00:f853:ccd:e793::3/128 is in fc00::/8, the ULA half that RFC 4193 leaves undefined (and on 2 more Nodes)' },
      ] },
    { name: 'Nodes: another /48 is another cause', yaml: nodes(['a', 'b'], 'fd00:10:244', 'fd00:10:0').replace("'fd00:10:244:1::/64'", "'fd00:20:244:1::/64'"),
      findings: [
        { messageId: 'lowEntropy', line: 5, resource: 'Node/a', includes: 'fd00:10:244:0::/64' },
        { messageId: 'lowEntropy', line: 7, resource: 'Node/a', includes: 'fd00:10:0::3/128: non-random ULA Global ID (9 of its 10 hex digits are 0), likely shared by other networks (and on 1 more Node)' },
        { messageId: 'lowEntropy', line: 13, resource: 'Node/b', includes: 'fd00:20:244:1::/64: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks' },
      ] },
    { name: 'Nodes: a load-balancer pool in the /48 of their addresses does not define them: the first Node is the root', yaml: `${nodes(['a', 'b'])}---\n${fixture('corpus/metallb/configsamples/ipaddresspool_simple.yaml')}`,
      findings: [
        { messageId: 'lowEntropy', line: 5, resource: 'Node/a', includes: '(and on 1 more Node)' },
        { messageId: 'notLocal', line: 7, resource: 'Node/a', includes: 'fc00:f853:ccd:e793::3/128 is in fc00::/8, the ULA half that RFC 4193 leaves undefined (and on 1 more Node)' },
        { messageId: 'notLocal', line: 26, resource: 'IPAddressPool/metallb-system/example', includes: 'fc00:f853:0ccd:e799::/124 is in fc00::/8, the ULA half that RFC 4193 leaves undefined' },
      ] },
    { name: 'Nodes: the range the node IPAM controller splits is their root, not a tighter CNI pool', yaml: `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: pool}\nspec:\n  cidr: fd00:10:244::/60\n---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: fd00:10:244::/56\n  serviceSubnet: fd5e:1c7a:93d2::/112\n---\n${nodes(['a', 'b'], 'fd00:10:244', 'fd5e:1c7a:93d2:ff00')}`,
      findings: [
        { messageId: 'lowEntropy', line: 5, resource: 'IPPool/pool', includes: 'fd00:10:244::/60: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks' },
        { messageId: 'lowEntropy', line: 10, resource: 'ClusterConfiguration/(unnamed)', includes: 'fd00:10:244::/56: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks (and on 2 Nodes)' },
      ] },
    { name: 'Nodes: of CNI pools holding their pod CIDRs, the tighter one is the root', yaml: `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: wide}\nspec:\n  cidr: fd00:10:244::/48\n---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: narrow}\nspec:\n  cidr: fd00:10:244::/56\n---\n${nodes(['a', 'b'], 'fd00:10:244', 'fd5e:1c7a:93d2:ff00')}`,
      findings: [
        { messageId: 'lowEntropy', line: 5, resource: 'IPPool/wide', includes: 'fd00:10:244::/48: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks' },
        { messageId: 'lowEntropy', line: 11, resource: 'IPPool/narrow', includes: 'fd00:10:244::/56: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks (and on 2 Nodes)' },
      ] },
    { name: 'corpus: the 3 Nodes of a kind cluster, without its config: one finding per /48', yaml: fixture(NODES_26),
      findings: [
        { messageId: 'lowEntropy', line: 24, resource: 'Node/dual-stack-control-plane', includes: 'fd00:10:244::/64: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks (and on 2 more Nodes)' },
        { messageId: 'notLocal', line: 35, resource: 'Node/dual-stack-control-plane', includes: 'fc00:f853:ccd:e793::3/128 is in fc00::/8, the ULA half that RFC 4193 leaves undefined (and on 2 more Nodes)' },
      ] },
    { name: 'corpus: the kind config with its 3 Nodes: their pod CIDRs on the config\'s pod range', yaml: `${fixture(KIND_26)}---\n${fixture(NODES_26)}`,
      findings: [
        { messageId: 'lowEntropy', line: 24, includes: 'fd00:10:96::/112: non-random ULA Global ID' },
        { messageId: 'lowEntropy', line: 24, resource: 'Cluster/(unnamed)', includes: 'kind Cluster networking.podSubnet (kind default for ipFamily: dual) fd00:10:244::/56: non-random ULA Global ID (6 of its 10 hex digits are 0), likely shared by other networks (and on 3 Nodes)' },
        { messageId: 'notLocal', line: 60, resource: 'Node/dual-stack-control-plane', includes: '(and on 2 more Nodes)' },
      ] },
  ],
});

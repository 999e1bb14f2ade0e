import rule from '../../src/rules/cidr-documentation-prefix.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture, svc } from '../helpers/yaml.ts';

const KUBEADM_DUAL = 'corpus/k8s-website/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support/1-init-control-plane/kubeadm-config.yaml';

// Nodes a, b, c... with podCIDRs carved from the docs' 2001:db8:42:0::/56 and an InternalIP in 2001:db8:1::/64 (7 lines per node).
const nodes = (names: readonly string[]): string => names.map((n, i) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDRs: [10.244.${i}.0/24, '2001:db8:42:${i}::/64']\nstatus:\n  addresses: [{type: InternalIP, address: '2001:db8:1::${i + 1}'}]\n`).join('---\n');

ruleTester(rule, {
  valid: [
    { name: 'real ULA ranges', yaml: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16,fd5e:1c7a:93d2::/56\n  serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2:100::/112\n' },
    { name: '3fff:1000::/32 is just outside 3fff::/20', yaml: 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec:\n  addresses: [3fff:1000::/64]\n' },
    { name: 'Service with real externalIPs', yaml: svc('selector: {app: a}\nexternalIPs: [10.1.2.3]') },
    { name: 'corpus: metallb sample pool', yaml: fixture('corpus/metallb/configsamples/ipaddresspool_simple.yaml') },
    { name: 'policy with real ranges', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n' },
  ],
  invalid: [
    { name: 'corpus: kubeadm dual-stack docs use 2001:db8:: for pods and Services', yaml: fixture(KUBEADM_DUAL),
      findings: [
        { messageId: 'config', line: 5, severity: 'high', includes: '2001:db8:42:0::/56, in the documentation range 2001:db8::/32' },
        { messageId: 'config', line: 6, includes: 'Service range' },
      ] },
    { name: 'Nodes: one finding per role and prefix on the first Node with the count, not one per Node', yaml: nodes(['a', 'b', 'c']),
      findings: [
        { messageId: 'config', line: 5, resource: 'Node/a', includes: 'Node a spec.podCIDRs[1] (pod range) uses 2001:db8:42:0::/64, in the documentation range 2001:db8::/32 (RFC 3849), which is never routed (and on 2 more Nodes)' },
        { messageId: 'config', line: 7, resource: 'Node/a', includes: 'Node a status.addresses[0] (InternalIP) (node address) uses 2001:db8:1::1/128, in the documentation range 2001:db8::/32 (RFC 3849), which is never routed (and on 2 more Nodes)' },
      ] },
    { name: 'corpus: kubeadm docs config and its Nodes: their pod CIDRs on the config\'s pod range', yaml: `${fixture(KUBEADM_DUAL)}---\n${nodes(['a', 'b', 'c'])}`,
      findings: [
        { messageId: 'config', line: 5, resource: 'ClusterConfiguration/(unnamed)', includes: 'uses 2001:db8:42:0::/56, in the documentation range 2001:db8::/32 (RFC 3849), which is never routed (and on 3 Nodes)' },
        { messageId: 'config', line: 6, includes: 'Service range) uses 2001:db8:42:1::/112, in the documentation range 2001:db8::/32 (RFC 3849), which is never routed' },
        { messageId: 'config', line: 24, resource: 'Node/a', includes: '(node address) uses 2001:db8:1::1/128, in the documentation range 2001:db8::/32 (RFC 3849), which is never routed (and on 2 more Nodes)' },
      ] },
    { name: '3fff::/20 (RFC 9637) in a Calico pool', yaml: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: v6}\nspec:\n  cidr: 3fff:0:1::/48\n',
      findings: [{ messageId: 'config', line: 5, includes: 'RFC 9637' }] },
    { name: 'corpus: Cilium policy toCIDR 192.0.2.0/24', yaml: fixture('corpus/cilium/examples/policies/l4/cidr_l4_combined.yaml'),
      findings: [{ messageId: 'policy', line: 11, severity: 'medium', resource: 'CiliumNetworkPolicy/default/cidr-l4-rule' }] },
    { name: 'NetworkPolicy ipBlock except in 2001:db8::/32', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: ::/0\n        except: [2001:db8::/64]\n',
      findings: [{ messageId: 'policy', line: 11, includes: 'RFC 3849' }] },
    { name: 'Service fields: clusterIPs, externalIPs and source ranges', yaml: svc('type: LoadBalancer\nselector: {app: a}\nipFamilyPolicy: PreferDualStack\nclusterIPs: [10.96.0.10, 2001:db8::10]\nexternalIPs: [198.51.100.7]\nloadBalancerSourceRanges: [203.0.113.0/24, 10.0.0.0/8]'),
      findings: [
        { messageId: 'service', line: 9, severity: 'medium', includes: 'spec.clusterIPs[1] is 2001:db8::10' },
        { messageId: 'service', line: 10, includes: '198.51.100.0/24' },
        { messageId: 'service', line: 11, includes: 'spec.loadBalancerSourceRanges[0]' },
      ] },
  ],
});

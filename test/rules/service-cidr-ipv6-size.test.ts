import rule from '../../src/rules/service-cidr-ipv6-size.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const kubeadm = (svcs: string): string => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: ${svcs}\n`;

ruleTester(rule, {
  valid: [
    { name: '/112', yaml: kubeadm('10.96.0.0/16,fd5e:1c7a:93d2::/112') },
    { name: 'ServiceCIDR /64 exists only with MultiCIDRServiceAllocator', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: extra}\nspec:\n  cidrs: [fd5e:1c7a:93d2::/64]\n' },
    { name: 'corpus: cilium IPv6 kind config /112', yaml: fixture('corpus/cilium/.github/kind-config-ipv6.yaml') },
  ],
  invalid: [
    { name: 'kubeadm /64', yaml: kubeadm('10.96.0.0/16,fd5e:1c7a:93d2::/64'), findings: [{ messageId: 'kubeadmLimit', line: 4, severity: 'critical', includes: '64 host bits' }] },
    { name: 'shorter than /64 anywhere', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [fd5e:1c7a::/48]\n',
      findings: [{ messageId: 'tooLarge', line: 5, severity: 'critical' }] },
    { name: 'apiserver flag /100', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-a, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n    - --service-cluster-ip-range=10.96.0.0/16,fd5e:1c7a:93d2::/100\n',
      findings: [{ messageId: 'flagLimit', line: 9, severity: 'high' }] },
    { name: 'corpus: cilium containerlab /108 uses 65,536 addresses', yaml: fixture('corpus/cilium/contrib/containerlab/bgp-cplane-dev-dual/cluster.yaml'),
      findings: [{ messageId: 'bitmapCap', line: 8, severity: 'info' }] },
  ],
});

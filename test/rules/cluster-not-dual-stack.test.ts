import rule from '../../src/rules/cluster-not-dual-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const KUBEADM_SINGLE = 'corpus/k8s-website/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support/4-single-stack/kubeadm-config.yaml';

ruleTester(rule, {
  valid: [
    { name: 'kind dual', yaml: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n' },
    { name: 'kubeadm dual serviceSubnet', yaml: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2:1::/112\n' },
    { name: 'ServiceCIDR kubernetes with both families', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16, fd5e:1c7a:93d2::/112]\n' },
    { name: 'another ServiceCIDR is not the cluster\'s families', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: extra}\nspec:\n  cidrs: [10.100.0.0/16]\n' },
    { name: 'default/kubernetes Service is single-stack by design, not evidence', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec:\n  ipFamilies: [IPv4]\n  clusterIP: 10.96.0.1\n' },
    { name: 'corpus: kind dual (cilium kind-config-1.26, defaults)', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml') },
    { name: 'corpus: kind dual with explicit subnets (cilium containerlab)', yaml: fixture('corpus/cilium/contrib/containerlab/bgp-cplane-dev-dual/cluster.yaml') },
  ],
  invalid: [
    { name: 'corpus: cloud-provider-kind config (ipFamily unset: IPv4 only)', yaml: fixture('corpus/cloud-provider-kind/kind.yaml'),
      findings: [{ messageId: 'singleStack', line: 1, severity: 'high', fix: 'networking.ipFamily: dual', resource: 'Cluster/(unnamed)' }] },
    { name: 'corpus: cilium IPv6-only kind config', yaml: fixture('corpus/cilium/.github/kind-config-ipv6.yaml'),
      findings: [{ messageId: 'singleStack', line: 18, includes: 'no Service can get an IPv4 address' }] },
    { name: 'corpus: kubeadm single-stack example', yaml: fixture(KUBEADM_SINGLE), findings: [{ messageId: 'singleStack', line: 5, includes: '[IPv4] only' }] },
    { name: 'kubeadm without serviceSubnet defaults to 10.96.0.0/12', yaml: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n',
      findings: [{ messageId: 'singleStack', line: 3, includes: 'kubeadm defaults to 10.96.0.0/12' }] },
    { name: 'kubeadm-config ConfigMap: position is the data key', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: |\n    apiVersion: kubeadm.k8s.io/v1beta3\n    kind: ClusterConfiguration\n    networking:\n      serviceSubnet: 10.96.0.0/12\n',
      findings: [{ messageId: 'singleStack', line: 5, resource: 'ConfigMap/kube-system/kubeadm-config', includes: 'data.ClusterConfiguration networking.serviceSubnet' }] },
    { name: 'ServiceCIDR kubernetes with one family', yaml: 'apiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs:\n  - fd5e:1c7a:93d2::/112\n',
      findings: [{ messageId: 'singleStack', line: 5, includes: '[IPv6] only' }] },
    { name: 'kube-apiserver static Pod flag', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-cp1, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n    - --service-cluster-ip-range=10.96.0.0/12\n',
      findings: [{ messageId: 'singleStack', line: 9 }] },
  ],
});

import rule from '../../src/rules/cluster-family-config-mismatch.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const kind = (net: string, extra = ''): string => `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n${net}\n${extra}`;

ruleTester(rule, {
  valid: [
    { name: 'kind dual with dual podSubnet', yaml: kind('  ipFamily: dual\n  podSubnet: 10.1.0.0/16,fd5e:1c7a:93d2::/56') },
    { name: 'two alternative kind configs are not compared', yaml: `${kind('  ipFamily: dual')}---\n${kind('  ipFamily: ipv4')}` },
    { name: 'kind and a kubeadm file are alternatives too', yaml: `${kind('  ipFamily: ipv6')}---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/16\n` },
    { name: 'ServiceCIDR kubernetes and kubeadm-config ConfigMap agree', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16, fd5e:1c7a:93d2::/112]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: |\n    networking:\n      podSubnet: 10.244.0.0/16,fd5e:1c7a:93d2:100::/56\n      serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2::/112\n' },
    { name: 'corpus: cilium live dump, default/kubernetes Service primary IPv4 agrees with nothing to compare', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/v1.26/init.yaml') },
  ],
  invalid: [
    { name: 'corpus: calico dual kind config patches an IPv4-only cluster-cidr', yaml: fixture('corpus/calico/hack/test/kind/kind.config'),
      findings: [{ messageId: 'families', line: 28, severity: 'high', includes: 'gives pod families [IPv4] but kind Cluster' }] },
    { name: 'kind pod primary differs from Service primary', yaml: kind('  ipFamily: dual\n  podSubnet: fd5e:1c7a:93d2::/56,10.1.0.0/16\n  serviceSubnet: 10.2.0.0/16,fd5e:1c7a:93d2:100::/112'),
      findings: [{ messageId: 'primary', line: 5, includes: 'makes IPv6 the primary pod family but' }] },
    { name: 'ServiceCIDR kubernetes vs kubeadm-config ConfigMap', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: |\n    networking:\n      serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2::/112\n',
      findings: [{ messageId: 'families', line: 11, resource: 'ConfigMap/kube-system/kubeadm-config', includes: 'ServiceCIDR kubernetes' }] },
    { name: 'two ranges of one family', yaml: kind('  ipFamily: dual\n  podSubnet: 10.1.0.0/16,10.3.0.0/16'),
      findings: [{ messageId: 'invalidPair', line: 5, severity: 'critical', includes: '[IPv4, IPv4]' }] },
    { name: 'ServiceCIDR with three ranges', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16, fd5e:1c7a:93d2::/112, 10.97.0.0/16]\n',
      findings: [{ messageId: 'invalidPair', line: 5, severity: 'critical' }] },
    { name: 'default/kubernetes Service with the other primary', yaml: 'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16, fd5e:1c7a:93d2::/112]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec:\n  ipFamilies: [IPv6]\n',
      findings: [{ messageId: 'primary', line: 11 }] },
  ],
});

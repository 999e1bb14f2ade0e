import rule from '../../src/rules/cni-ipv6-disabled.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const cm = (name: string, data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: kube-system}\ndata:\n${data}\n`;

ruleTester(rule, {
  valid: [
    { name: 'cilium enable-ipv6 true', yaml: cm('cilium-config', '  enable-ipv6: "true"') },
    { name: 'corpus: calico.yaml on an IPv4-only target cluster', yaml: fixture('corpus/calico/manifests/calico.yaml'), clusterFamilies: ['IPv4'] },
    { name: 'flannel with IPv6', yaml: cm('kube-flannel-cfg', '  net-conf.json: |\n    {"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "fd5e:1c7a:93d2::/56"}') },
    { name: 'calico operator with an IPv6 pool', yaml: 'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata: {name: default}\nspec:\n  calicoNetwork:\n    ipPools:\n    - cidr: 192.168.0.0/16\n    - cidr: fd5e:1c7a:93d2::/48\n' },
    { name: 'Calico IPPools with an IPv6 pool', yaml: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: v4}\nspec:\n  cidr: 192.168.0.0/16\n---\napiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: v6}\nspec:\n  cidr: fd5e:1c7a:93d2::/48\n' },
    { name: 'calico-config with assign_ipv6 true', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config, namespace: kube-system}\ndata:\n  cni_network_config: |-\n    {"ipam": {"type": "calico-ipam", "assign_ipv4": "true", "assign_ipv6": "true"}}\n' },
    { name: 'corpus: calico 3.18 with FELIX_IPV6SUPPORT true', yaml: fixture('corpus/network-policy-api/cmd/policy-assistant/hack/kind/calico-ipv6/calico-3.18.1.yaml') },
  ],
  invalid: [
    { name: 'corpus: calico.yaml FELIX_IPV6SUPPORT=false', yaml: fixture('corpus/calico/manifests/calico.yaml'),
      findings: [{ messageId: 'disabled', line: 220, severity: 'high', includes: 'FELIX_IPV6SUPPORT="false"', resource: 'DaemonSet/kube-system/calico-node' }] },
    { name: 'corpus: calico operator Installation with only an IPv4 pool', yaml: fixture('corpus/calico/manifests/custom-resources.yaml'),
      findings: [{ messageId: 'disabled', line: 10, includes: 'no IPv6 pool' }] },
    { name: 'cilium enable-ipv6 false', yaml: cm('cilium-config', '  enable-ipv4: "true"\n  enable-ipv6: "false"'), findings: [{ messageId: 'disabled', line: 6, includes: 'Cilium' }] },
    { name: 'cilium enable-ipv6 unset', yaml: cm('cilium-config', '  enable-ipv4: "true"'), findings: [{ messageId: 'disabled', line: 4, includes: 'defaults to false' }] },
    { name: 'flannel without EnableIPv6', yaml: cm('kube-flannel-cfg', '  net-conf.json: |\n    {"Network": "10.244.0.0/16"}'), findings: [{ messageId: 'disabled', line: 5, includes: 'flannel' }] },
    { name: 'Calico IPPools but none for IPv6', yaml: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: v4}\nspec:\n  cidr: 192.168.0.0/16\n---\napiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: v6}\nspec:\n  cidr: fd5e:1c7a:93d2::/48\n  disabled: true\n',
      findings: [{ messageId: 'disabled', line: 5, resource: 'IPPool/v4', includes: 'no enabled IPv6 IPPool among the 2' }] },
    { name: 'calico-config CNI template without assign_ipv6', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config, namespace: kube-system}\ndata:\n  cni_network_config: |-\n    {"plugins": [{"type": "calico", "mtu": __CNI_MTU__, "ipam": {"type": "calico-ipam"}}]}\n',
      findings: [{ messageId: 'disabled', line: 5, includes: 'without "assign_ipv6"' }] },
    { name: 'FelixConfiguration ipv6Support false, IPv6-only target', yaml: 'apiVersion: crd.projectcalico.org/v1\nkind: FelixConfiguration\nmetadata: {name: default}\nspec:\n  ipv6Support: false\n',
      clusterFamilies: ['IPv6'], findings: [{ messageId: 'disabled', line: 5 }] },
  ],
});

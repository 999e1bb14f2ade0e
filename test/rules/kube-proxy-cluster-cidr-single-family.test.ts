import rule from '../../src/rules/kube-proxy-cluster-cidr-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const kp = (body: string): string => `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n${body}\n`;
const cm = (conf: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-proxy, namespace: kube-system}\ndata:\n  config.conf: |-\n${conf.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'dual clusterCIDR', yaml: kp('clusterCIDR: 10.244.0.0/16,fd5e:1c7a:93d2::/56') },
    { name: 'single-stack cluster', yaml: kp('clusterCIDR: 10.244.0.0/16'), clusterFamilies: ['IPv4'] },
    { name: 'another detectLocalMode', yaml: kp('clusterCIDR: 10.244.0.0/16\ndetectLocalMode: NodeCIDR') },
    { name: 'no clusterCIDR', yaml: kp('mode: ipvs') },
  ],
  invalid: [
    { name: 'IPv4-only clusterCIDR on a dual cluster', yaml: kp('clusterCIDR: 10.244.0.0/16'), findings: [{ messageId: 'single', line: 3, severity: 'medium', fix: 'Add the IPv6 pod range' }] },
    { name: 'explicit ClusterCIDR mode, IPv6-primary cluster', yaml: kp('detectLocalMode: ClusterCIDR\nclusterCIDR: fd5e:1c7a:93d2::/56'), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'single', line: 4, fix: 'Add the IPv4 pod range' }] },
    { name: 'kube-proxy DaemonSet --cluster-cidr flag', yaml: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: kube-proxy, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: kube-proxy\n        command:\n        - /usr/local/bin/kube-proxy\n        - --cluster-cidr=10.244.0.0/16\n',
      findings: [{ messageId: 'single', line: 11, resource: 'DaemonSet/kube-system/kube-proxy' }] },
    { name: 'kube-proxy ConfigMap config.conf', yaml: cm('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables'),
      findings: [{ messageId: 'single', line: 5, resource: 'ConfigMap/kube-system/kube-proxy' }] },
  ],
});

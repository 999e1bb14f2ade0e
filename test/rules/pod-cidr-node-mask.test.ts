import rule from '../../src/rules/pod-cidr-node-mask.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const kubeadm = (pod: string, cm = ''): string => `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${pod}\n${cm}`;

ruleTester(rule, {
  valid: [
    { name: '/56 with the default /64 node mask', yaml: kubeadm('10.244.0.0/16,fd5e:1c7a:93d2::/56') },
    { name: 'node mask changed to fit', yaml: kubeadm('fd5e:1c7a::/32', 'controllerManager:\n  extraArgs:\n    node-cidr-mask-size-ipv6: "48"\n') },
    { name: 'corpus: kind dual defaults (/56)', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml') },
    { name: 'corpus: containerlab /63 for 2 nodes', yaml: fixture('corpus/cilium/contrib/containerlab/bgp-cplane-dev-dual/cluster.yaml') },
  ],
  invalid: [
    { name: '/32 is more than 16 bits shorter than /64', yaml: kubeadm('10.244.0.0/16,fd5e:1c7a::/32'), findings: [{ messageId: 'diffTooLarge', line: 4, severity: 'critical', fix: 'Use a /48 or longer' }] },
    { name: 'pod /80 smaller than the node /64', yaml: kubeadm('fd5e:1c7a:93d2:1:2::/80'), findings: [{ messageId: 'nodeMaskShorter', line: 4, includes: 'is smaller than one node range (node mask /64' }] },
    { name: 'v1beta4 extraArgs list: IPv4 node mask /16 with a /24 pod range', yaml: kubeadm('10.244.0.0/24', 'controllerManager:\n  extraArgs:\n  - name: node-cidr-mask-size-ipv4\n    value: "16"\n'),
      findings: [{ messageId: 'nodeMaskShorter', line: 4 }] },
    { name: 'kubeadm pod range equal to the node mask: one node only', yaml: kubeadm('10.244.0.0/16,fd5e:1c7a:93d2::/64'), findings: [{ messageId: 'oneNode', line: 4, severity: 'medium' }] },
    { name: 'corpus: calico kind config, /64 for 4 nodes', yaml: fixture('corpus/calico/hack/test/kind/kind.config'),
      findings: [{ messageId: 'tooFewNodes', line: 6, severity: 'high', includes: 'only 1 node range(s) for 4 nodes' }] },
    { name: 'controller-manager static Pod flags', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-controller-manager-cp, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-controller-manager\n    command:\n    - kube-controller-manager\n    - --cluster-cidr=10.244.0.0/16,fd5e:1c7a::/40\n    - --node-cidr-mask-size-ipv6=64\n',
      findings: [{ messageId: 'diffTooLarge', line: 9 }] },
  ],
});

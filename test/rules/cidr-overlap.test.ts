import rule from '../../src/rules/cidr-overlap.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const KUBEADM_DUAL = 'corpus/k8s-website/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support/1-init-control-plane/kubeadm-config.yaml';
const kubeadm = (pod: string, svcs: string): string => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${pod}\n  serviceSubnet: ${svcs}\n`;

ruleTester(rule, {
  valid: [
    { name: 'disjoint ranges', yaml: kubeadm('10.244.0.0/16,fd5e:1c7a:93d2::/56', '10.96.0.0/16,fd5e:1c7a:93d2:100::/112') },
    { name: 'Node podCIDRs inside the pod range (same role)', yaml: `${kubeadm('10.244.0.0/16', '10.96.0.0/16')}---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec:\n  podCIDRs: [10.244.3.0/24]\n` },
    { name: 'corpus: kind dual defaults', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml') },
  ],
  invalid: [
    { name: 'corpus: kubeadm docs pod /56 contains the Service /112', yaml: fixture(KUBEADM_DUAL),
      findings: [{ messageId: 'overlap', line: 5, severity: 'high', includes: '2001:db8:42:0::/56 (pod range) overlaps Service range 2001:db8:42:1::/112' }] },
    { name: 'MetalLB pool inside the pod range', yaml: `${kubeadm('192.168.0.0/16', '10.96.0.0/16')}---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec:\n  addresses:\n  - 192.168.9.1-192.168.9.5\n`,
      findings: [{ messageId: 'overlap', line: 12, includes: 'load-balancer pool' }] },
    { name: 'kubeadm default Service range 10.96.0.0/12 vs a pod range', yaml: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.100.0.0/16\n',
      findings: [{ messageId: 'overlap', line: 4, includes: 'Service range 10.96.0.0/12' }] },
  ],
});

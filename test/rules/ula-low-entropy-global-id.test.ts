import rule from '../../src/rules/ula-low-entropy-global-id.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

ruleTester(rule, {
  valid: [
    { name: 'random Global ID', yaml: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd5e:1c7a:93d2::/56\n  serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2:100::/112\n' },
    { name: 'IPv4-only kind config has no ULA', yaml: fixture('corpus/cloud-provider-kind/kind.yaml') },
    { name: 'GUA', yaml: 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 2a01:4f8:c0c:1::/64\n' },
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
  ],
});

import rule from '../../src/rules/calico-ipv6-pool-no-nat.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const pool = (spec: string): string => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: v6}\nspec:\n${spec}\n`;

ruleTester(rule, {
  valid: [
    { name: 'ULA pool with natOutgoing', yaml: pool('  cidr: fd5e:1c7a:93d2::/48\n  natOutgoing: true') },
    { name: 'GUA pool needs no NAT', yaml: pool('  cidr: 2a01:4f8:c0c:1::/64') },
    { name: 'disabled pool', yaml: pool('  cidr: fd5e:1c7a:93d2::/48\n  disabled: true') },
    { name: 'corpus: calico LoadBalancer-only ULA pool is out of scope', yaml: fixture('corpus/calico/hack/test/kind/infra/calico-lb-pools.yaml') },
    { name: 'operator pools default natOutgoing to Enabled', yaml: 'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata: {name: default}\nspec:\n  calicoNetwork:\n    ipPools:\n    - cidr: fd5e:1c7a:93d2::/48\n' },
    { name: 'calico-node env with NAT on', yaml: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: calico-node\n        env:\n        - {name: CALICO_IPV6POOL_CIDR, value: "fd5e:1c7a:93d2::/48"}\n        - {name: CALICO_IPV6POOL_NAT_OUTGOING, value: "true"}\n' },
  ],
  invalid: [
    { name: 'ULA pool, natOutgoing unset (default false)', yaml: pool('  cidr: fd5e:1c7a:93d2::/48'), findings: [{ messageId: 'pool', line: 5, severity: 'medium' }] },
    { name: 'operator pool with natOutgoing Disabled', yaml: 'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata: {name: default}\nspec:\n  calicoNetwork:\n    ipPools:\n    - cidr: fd5e:1c7a:93d2::/48\n      natOutgoing: Disabled\n',
      findings: [{ messageId: 'pool', line: 7 }] },
    { name: 'calico-node CALICO_IPV6POOL_CIDR without NAT env', yaml: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: calico-node\n        env:\n        - {name: CALICO_IPV6POOL_CIDR, value: "fd5e:1c7a:93d2::/48"}\n',
      findings: [{ messageId: 'env', line: 10 }] },
    { name: 'corpus: calico 3.18 IP6=autodetect without a pool CIDR: generated ULA pool without NAT', yaml: fixture('corpus/network-policy-api/cmd/policy-assistant/hack/kind/calico-ipv6/calico-3.18.1.yaml'),
      findings: [{ messageId: 'generated', line: 158, resource: 'DaemonSet/kube-system/calico-node' }] },
  ],
});

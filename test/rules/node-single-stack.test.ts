import rule from '../../src/rules/node-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const live = { live: {} };
const INIT = 'corpus/cilium/test/controlplane/services/dualstack/v1.26/init.yaml';

// node(): apiVersion(1) kind(2) metadata(3) name(4) spec(5) podCIDRs(6) status(7) addresses(8) ...
const node = (name: string, cidrs: string[], ips: string[]): string => [
  'apiVersion: v1', 'kind: Node', 'metadata:', `  name: ${name}`, 'spec:',
  `  podCIDRs: [${cidrs.map((c) => `"${c}"`).join(', ')}]`,
  'status:', '  addresses:',
  ...ips.map((a) => `  - {type: InternalIP, address: "${a}"}`),
  `  - {type: Hostname, address: ${name}}`, '',
].join('\n');

ruleTester(rule, {
  valid: [
    { name: 'corpus: the three nodes of the cilium dual-stack kind cluster', yaml: fixture(INIT), build: live },
    { name: 'dual-stack node', yaml: node('a', ['10.244.1.0/24', 'fd00:10:244:1::/64'], ['172.18.0.4', 'fc00::4']), build: live },
    { name: 'CNI-managed IPAM (no podCIDRs) with addresses of both families',
      yaml: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: a\nstatus:\n  addresses:\n  - {type: InternalIP, address: 10.0.0.4}\n  - {type: InternalIP, address: "2001:db8::4"}\n', build: live },
    { name: 'offline manifests are not judged (no live facts)', yaml: node('a', ['10.244.1.0/24'], ['172.18.0.4']) },
    { name: 'Nodes not read (403): not judged', yaml: node('a', ['10.244.1.0/24'], ['172.18.0.4']), build: { live: { notRead: ['Node'] } } },
  ],
  invalid: [
    { name: 'planted: a node registered before IPv6 (one podCIDR, one address) in the corpus cluster',
      yaml: `${node('late-worker', ['10.244.3.0/24'], ['172.18.0.6'])}---\n${fixture(INIT)}`, build: live,
      findings: [
        { messageId: 'podCIDRs', line: 6, severity: 'high', resource: 'Node/late-worker', includes: 'only in [IPv4] (10.244.3.0/24)' },
        { messageId: 'internalIP', line: 8, severity: 'medium', includes: 'no IPv6 address' },
      ] },
    { name: 'right pod CIDRs, IPv4-only kubelet --node-ip', yaml: node('a', ['10.244.1.0/24', 'fd00:10:244:1::/64'], ['172.18.0.4']), build: live,
      findings: [{ messageId: 'internalIP', line: 8, severity: 'medium' }] },
    { name: 'single-stack cluster: nodes to re-register after the conversion are medium', yaml: node('a', ['10.244.1.0/24'], ['172.18.0.4']), build: live, clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'podCIDRs', line: 6, severity: 'medium', includes: 'no IPv6 address' }, { messageId: 'internalIP', line: 8, severity: 'medium' }] },
    { name: 'IPv6-primary cluster, node without IPv4', yaml: node('a', ['fd00:10:244:1::/64'], ['fc00::4']), build: live, clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'podCIDRs', line: 6, includes: 'no IPv4 address' }, { messageId: 'internalIP', line: 8 }] },
    { name: 'legacy spec.podCIDR only', yaml: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: old\nspec:\n  podCIDR: 10.244.9.0/24\n', build: live,
      findings: [{ messageId: 'podCIDRs', line: 6 }] },
  ],
});

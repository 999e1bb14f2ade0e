import rule from '../../src/rules/pod-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const live = { live: {} };
const INIT = 'corpus/cilium/test/controlplane/services/dualstack/v1.26/init.yaml';

// pod(): apiVersion(1) kind(2) metadata(3) name(4) namespace(5) spec(6) nodeName(7) [hostNetwork(8)] status(.) phase podIPs
const pod = (name: string, ips: string[], o: { host?: boolean; phase?: string; rs?: string } = {}): string => [
  'apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, '  namespace: shop',
  ...(o.rs ? [`  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${o.rs}, controller: true}]`] : []),
  'spec:', '  nodeName: dual-stack-worker',
  ...(o.host ? ['  hostNetwork: true'] : []),
  '  containers: [{name: c, image: nginx}]',
  'status:', `  phase: ${o.phase ?? 'Running'}`, `  podIP: "${ips[0]}"`, '  podIPs:',
  ...ips.map((ip) => `  - ip: "${ip}"`), '',
].join('\n');

ruleTester(rule, {
  valid: [
    { name: 'dual-stack pod in the corpus cluster', yaml: `${pod('a', ['10.244.1.54', 'fd00:10:244:1::247e'])}---\n${fixture(INIT)}`, build: live },
    { name: 'finished pods are not evaluated', yaml: `${pod('job', ['10.244.1.9'], { phase: 'Succeeded' })}---\n${fixture(INIT)}`, build: live },
    { name: 'single-stack pod network: every pod is single-stack, node-single-stack says why',
      yaml: `${pod('a', ['10.244.1.5'])}---\n${pod('b', ['10.244.1.6'])}`, build: live, clusterFamilies: ['IPv4'] },
    { name: 'replicas of one owner, all dual-stack: one evaluation, passed',
      yaml: `${pod('web-1', ['10.244.1.5', 'fd00::5'], { rs: 'web-5d8f' })}---\n${pod('web-2', ['10.244.1.6', 'fd00::6'], { rs: 'web-5d8f' })}`, build: live },
    { name: 'offline: not judged', yaml: `${pod('a', ['10.244.1.54'])}---\n${fixture(INIT)}` },
  ],
  invalid: [
    { name: 'planted: IPv4-only pod on the dual-stack corpus cluster', yaml: `${pod('old-echo', ['10.244.1.77'])}---\n${fixture(INIT)}`, build: live,
      findings: [{ messageId: 'singleStack', line: 12, severity: 'medium', resource: 'Pod/shop/old-echo', includes: 'missing from every IPv6 EndpointSlice' }] },
    { name: 'hostNetwork pod on a node without IPv6 is low',
      yaml: `${pod('ds', ['172.18.0.6'], { host: true })}---\n${pod('dual', ['10.244.1.5', 'fd00::5'])}`, build: live,
      findings: [{ messageId: 'hostNetwork', line: 13, severity: 'low', includes: 'node dual-stack-worker' }] },
    { name: 'replicas of one owner: one finding that counts them, not one per replica',
      yaml: [pod('web-1', ['10.244.3.7'], { rs: 'web-5d8f' }), pod('web-2', ['10.244.3.8'], { rs: 'web-5d8f' }), pod('web-3', ['10.244.1.9', 'fd00::9'], { rs: 'web-5d8f' }), fixture(INIT)].join('---\n'), build: live,
      findings: [{ messageId: 'singleStackPods', line: 13, severity: 'medium', resource: 'ReplicaSet/shop/web-5d8f', includes: '2 of 3 Pods of ReplicaSet/shop/web-5d8f have addresses of only one family on a dual-stack network (Pod web-1 on node dual-stack-worker: 10.244.3.7)' }] },
    { name: 'pod with only the legacy podIP', yaml: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nstatus:\n  phase: Running\n  podIP: 10.244.2.3\n---\n${pod('dual', ['10.244.1.5', 'fd00::5'])}`,
      build: live, findings: [{ messageId: 'singleStack', line: 5, includes: '(unscheduled)' }] },
  ],
});

import rule from '../../src/rules/service-endpoints-family-empty.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture, svc } from '../helpers/yaml.ts';

const live = { live: {} };
const STATE = 'corpus/cilium/test/controlplane/services/dualstack/v1.26/state1.yaml';
const slice = (name: string, svcName: string, type: string, addrs: string[], ready = 'true'): string => [
  'apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', 'metadata:', `  name: ${name}`, `  labels: {kubernetes.io/service-name: ${svcName}}`,
  `addressType: ${type}`, addrs.length === 0 ? 'endpoints: []' : 'endpoints:',
  ...addrs.map((a) => `- {addresses: ["${a}"], conditions: {ready: ${ready}}}`), '',
].join('\n');
const dual = svc('ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]\nclusterIP: 10.96.0.9\nclusterIPs: [10.96.0.9, "fd00:10:96::9"]\nselector: {app: api}', { name: 'api' });

ruleTester(rule, {
  valid: [
    { name: 'corpus: echo-dualstack has ready endpoints in both families', yaml: fixture(STATE), build: live },
    { name: 'no endpoints at all is not a family problem', yaml: `${dual}---\n${slice('v4', 'api', 'IPv4', [])}---\n${slice('v6', 'api', 'IPv6', [])}`, build: live },
    { name: 'EndpointSlices not read (403): not judged', yaml: `${dual}---\n${slice('v4', 'api', 'IPv4', ['10.244.1.5'])}`, build: { live: { notRead: ['EndpointSlice'] } } },
    { name: 'offline: not judged', yaml: `${dual}---\n${slice('v4', 'api', 'IPv4', ['10.244.1.5'])}` },
  ],
  invalid: [
    { name: 'planted: empty IPv6 slice next to the corpus cluster', yaml: `${dual}---\n${slice('v4', 'api', 'IPv4', ['10.244.1.5', '10.244.2.5'])}---\n${slice('v6', 'api', 'IPv6', [])}---\n${fixture(STATE)}`,
      build: live, findings: [{ messageId: 'empty', line: 7, severity: 'high', resource: 'Service/default/api', includes: '2 ready IPv4 endpoint(s) but none in IPv6' }] },
    { name: 'IPv6 endpoints all not ready', yaml: `${dual}---\n${slice('v4', 'api', 'IPv4', ['10.244.1.5'])}---\n${slice('v6', 'api', 'IPv6', ['fd00::5'], 'false')}`,
      build: live, findings: [{ messageId: 'empty', line: 7 }] },
    { name: 'no IPv6 slice at all', yaml: `${dual}---\n${slice('v4', 'api', 'IPv4', ['10.244.1.5'])}`, build: live, findings: [{ messageId: 'empty', line: 7 }] },
  ],
});

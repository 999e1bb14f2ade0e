// dns-aaaa-coverage for headless Services whose endpoints are in the input: records come from
// their EndpointSlices (as CoreDNS reads them) or, without slices, from the selected Pods' IPs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../src/rules/dns-aaaa-coverage.ts';
import { ruleTester, auditYaml } from '../helpers/rule-tester.ts';
import { svc, fixture } from '../helpers/yaml.ts';

const STATE = fixture('corpus/cilium/test/controlplane/services/dualstack/v1.26/state1.yaml');
// The corpus' dual-stack echo Service made headless (a headless NodePort is rejected, so ClusterIP).
const HEADLESS = STATE
  .replace('    clusterIP: 10.96.207.99\n    clusterIPs:\n    - 10.96.207.99\n    - fd00:10:96::b050\n', '    clusterIP: None\n')
  .replace('    type: NodePort\n', '    type: ClusterIP\n');
const v6Start = HEADLESS.indexOf('- addressType: IPv6');
const v6End = HEADLESS.indexOf('- addressType: IPv4', v6Start);
const HEADLESS_V4_SLICE_ONLY = HEADLESS.slice(0, v6Start) + HEADLESS.slice(v6End);

const HL = svc('clusterIP: None\nipFamilyPolicy: PreferDualStack\nselector: {app: db}', { name: 'db', namespace: 'data' });
const pod = (name: string, ips: string[], labels = '{app: db}'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: data, labels: ${labels}}\nspec: {containers: [{name: c, image: db}]}\nstatus:\n  podIPs:\n${ips.map((ip) => `  - ip: "${ip}"`).join('\n')}\n`;
const slice = (type: string, addrs: string[], ready = 'true', svcName = 'db'): string =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ${svcName}-${type.toLowerCase()}, namespace: data, labels: {kubernetes.io/service-name: ${svcName}}}\naddressType: ${type}\nendpoints:\n${addrs.map((a) => `- addresses: ["${a}"]\n  conditions: {ready: ${ready}}`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'pods with both families', yaml: [HL, pod('db-0', ['10.244.1.5', 'fd00:10:244:1::5'])].join('---\n') },
    { name: 'slices decide over pods', yaml: [HL, slice('IPv4', ['10.244.1.5']), slice('IPv6', ['fd00::5']), pod('db-0', ['10.244.1.5'])].join('---\n') },
    { name: 'pods of another selector do not count', yaml: [HL, pod('other', ['10.244.1.9'], '{app: other}')].join('---\n') },
  ],
  invalid: [
    { name: 'IPv4-only pods behind a dual-stack headless Service', yaml: [HL, pod('db-0', ['10.244.1.5']), pod('db-1', ['10.244.2.5'])].join('---\n'),
      findings: [{ messageId: 'headlessNoIPv6Endpoints', line: 6, includes: 'none of its 2 endpoints (Pods)' }] },
    { name: 'the IPv6 slice has only not-ready endpoints', yaml: [HL, slice('IPv4', ['10.244.1.5']), slice('IPv6', ['fd00::5'], 'false')].join('---\n'),
      findings: [{ messageId: 'headlessNoIPv6Endpoints', line: 6 }] },
    { name: 'no ready endpoint at all', yaml: [HL, slice('IPv4', ['10.244.1.5'], 'false')].join('---\n'),
      findings: [{ messageId: 'headlessNoEndpoints', line: 6, severity: 'low', includes: 'NXDOMAIN' }] },
  ],
});

// The corpus snapshot also holds default/kubernetes (the apiserver's Service); only echo-dualstack is judged here.
test('corpus (cilium dual-stack kind snapshot) made headless: AAAA while its IPv6 slice has endpoints, none once it is removed', async () => {
  const echo = (r: Awaited<ReturnType<typeof auditYaml>>): string[] =>
    r.findings.filter((f) => f.resource.name === 'echo-dualstack').map((f) => `${f.location?.line} ${f.messageId}: ${f.message}`);
  assert.deepEqual(echo(await auditYaml(HEADLESS, [rule])), []);
  assert.deepEqual(echo(await auditYaml(HEADLESS_V4_SLICE_ONLY, [rule])), [
    '14 headlessNoIPv6Endpoints: echo-dualstack.default.svc is headless and [IPv4, IPv6], but none of its 2 endpoints (EndpointSlices) has an IPv6 address, so it gets no AAAA record',
  ]);
  const summary = (await auditYaml(HEADLESS_V4_SLICE_ONLY, [rule])).services.find((x) => x.name === 'echo-dualstack')!;
  assert.deepEqual(summary.dns, { A: true, AAAA: false });
});

test('publishNotReadyAddresses counts not-ready endpoints, and the dns summary follows the endpoints', async () => {
  const pub = svc('clusterIP: None\nipFamilyPolicy: PreferDualStack\npublishNotReadyAddresses: true\nselector: {app: db}', { name: 'db', namespace: 'data' });
  const r1 = await auditYaml([pub, slice('IPv4', ['10.244.1.5']), slice('IPv6', ['fd00::5'], 'false')].join('---\n'), [rule]);
  assert.deepEqual(r1.findings, []);
  const r2 = await auditYaml([HL, pod('db-0', ['10.244.1.5'])].join('---\n'), [rule]);
  assert.deepEqual(r2.services[0]!.dns, { A: true, AAAA: false });
  assert.deepEqual(r2.dns.withoutAAAA, ['db.data.svc']);
});

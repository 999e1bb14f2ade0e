// Small pure pieces of the live loader and snapshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, delimiter } from 'node:path';
import { kubeconfigFiles, parseDuration, rbacRuleFor, READS, stripNoise } from '../../src/load/cluster.ts';
import { snapshotYaml, splitSnapshot } from '../../src/load/snapshot.ts';
import { buildLive, withStoredFamilies } from '../../src/model/live.ts';
import { buildService } from '../../src/model/services.ts';

test('--request-timeout durations as kubectl reads them', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1m'), 60_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('5'), 5_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('1.5s'), 1500);
  for (const bad of ['', 's', '-1s', '1d', '1 m', 'abc']) assert.equal(parseDuration(bad), undefined, bad);
});

test('kubeconfig files: --kubeconfig, else the KUBECONFIG list, else ~/.kube/config', () => {
  assert.deepEqual(kubeconfigFiles({ kubeconfig: '/k', env: { KUBECONFIG: '/a' } }), ['/k']);
  assert.deepEqual(kubeconfigFiles({ env: { KUBECONFIG: ['/a', '', '/b'].join(delimiter), HOME: '/h' } }), ['/a', '/b']);
  assert.deepEqual(kubeconfigFiles({ env: { HOME: '/h' } }), [join('/h', '.kube', 'config')]);
  assert.deepEqual(kubeconfigFiles({ env: {} }), []);
});

test('stripNoise drops managedFields, selfLink, last-applied and Node images; keeps the rest; does not mutate', () => {
  const o = {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'n', managedFields: [{}], selfLink: '/x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'y' } },
    spec: { podCIDRs: ['10.0.0.0/24'] }, status: { images: [{}], addresses: [] },
  };
  const s = stripNoise(o);
  assert.deepEqual(s, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', annotations: { keep: 'y' } }, spec: { podCIDRs: ['10.0.0.0/24'] }, status: { addresses: [] } });
  assert.ok('managedFields' in o.metadata && 'images' in o.status);
  const only = stripNoise({ kind: 'Pod', metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } });
  assert.deepEqual(only, { kind: 'Pod', metadata: {} });
});

test('RBAC rules named for not-evaluated kinds', () => {
  assert.equal(rbacRuleFor(READS.find((r) => r.kind === 'EndpointSlice')!), '{apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list"]}');
  assert.equal(rbacRuleFor(READS.find((r) => r.kind === 'ConfigMap')!),
    '{apiGroups: [""], resources: ["configmaps"], verbs: ["list"]}');
});

test('snapshot header: written, found, and junk in it is ignored', () => {
  const text = snapshotYaml({ context: 'c', server: 'https://s', read: [{ kind: 'Pod', apiVersion: 'v1', count: 1 }], notEvaluated: [{ kind: 'Node', apiVersion: 'v1', reason: 'forbidden', message: 'no', rbac: 'r' }] },
    [{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } }], { name: 't', version: '1' });
  assert.match(text, /^# dualstack-audit snapshot of context "c"/);
  const header = { apiVersion: 'dualstack-audit.io/v1', kind: 'AuditSnapshot', context: 'c', server: 'https://s', notEvaluated: [{ kind: 'Node', apiVersion: 'v1', reason: 'forbidden', message: 'no' }, { junk: true }, 'x'], read: 'nope' };
  const split = splitSnapshot([{ object: header }, { object: { apiVersion: 'v1', kind: 'Pod' } }]);
  assert.equal(split.docs.length, 1);
  assert.deepEqual(split.meta?.notEvaluated.map((n) => n.kind), ['Node']);
  assert.deepEqual(split.meta?.read, []);
  assert.equal(splitSnapshot([{ object: { apiVersion: 'v1', kind: 'Pod' } }]).meta, undefined);
});

test('live facts: invalid addresses and CIDRs are skipped, never a crash; pod network families by majority', () => {
  const live = buildLive([
    { object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' }, spec: { podCIDRs: ['fd00::/64', 'not-a-cidr', 7] }, status: { addresses: [{ type: 'InternalIP', address: '999.1.1.1' }] } } },
    { object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'b' }, spec: { podCIDRs: ['10.0.1.0/24', 'fd00:1::/64'] } } },
    { object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'c' }, spec: { podCIDRs: ['10.0.2.0/24', 'fd00:2::/64'] } } },
    { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { podIPs: [{ ip: 'junk' }, null, { ip: '10.0.1.5' }] } } },
    { object: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'x', labels: { 'kubernetes.io/service-name': 'svc' } }, addressType: 'IPv6', endpoints: [{ conditions: { ready: false } }, {}, 'junk'] } },
  ]);
  assert.deepEqual(live.nodes[0]!.podCIDRFamilies, ['IPv6']);
  assert.deepEqual(live.nodes[0]!.podCIDRs.map((c) => c.text), ['fd00::/64', 'not-a-cidr']);
  assert.deepEqual(live.nodes[0]!.internalIPFamilies, []);
  assert.deepEqual(live.pods[0]!.families, ['IPv4']);
  assert.deepEqual(live.podFamilies, ['IPv4', 'IPv6']);
  assert.deepEqual(live.slicesByService.get('x/svc')!.map((s) => [s.endpoints, s.ready]), [[2, 1]]);
});

test('stored Service families win over what a create would give today (stale PreferDualStack)', () => {
  const doc = { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'], clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'], selector: { a: 'b' } } } };
  const created = buildService(doc, ['IPv4', 'IPv6']);
  assert.deepEqual(created.effective?.ipFamilies, ['IPv4', 'IPv6']);
  const stored = withStoredFamilies(created, doc);
  assert.deepEqual(stored.effective?.ipFamilies, ['IPv4']);
  assert.deepEqual(stored.dns, { A: true, AAAA: false });
  assert.deepEqual(stored.effectiveWhenDual?.ipFamilies, ['IPv4', 'IPv6']);
  // Malformed stored fields: keep the computed answer.
  const bad = { object: { ...doc.object, spec: { ...doc.object.spec, ipFamilies: ['IPv4', 'IPv4'] } } };
  assert.equal(withStoredFamilies(buildService(bad, ['IPv4', 'IPv6']), bad).effective, buildService(bad, ['IPv4', 'IPv6']).effective);
});

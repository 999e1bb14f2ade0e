// The policy model: policyTypes defaulting, label selection through the index, CIDR containment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, cidrWithin, admittedElsewhere, admittedFamilies, buildPolicyModel, policyTables, type Policy } from '../../src/model/policies.ts';
import { buildPodIndex, countSelected, selectPods } from '../../src/model/index-labels.ts';
import { matchesSelector, parseLabelSelector } from '../../src/emulate/label-selector.ts';
import { parseCIDR } from '../../src/emulate/ip.ts';

const np = (spec: Record<string, unknown>): Policy =>
  parsePolicy({ object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'ns' }, spec } }) as Policy;

test('policyTypes default: Ingress always, Egress only with a non-empty egress list', () => {
  assert.deepEqual(np({ podSelector: {} }).isolates, ['ingress']);
  assert.deepEqual(np({ podSelector: {}, egress: [] }).isolates, ['ingress']);
  assert.deepEqual(np({ podSelector: {}, egress: [{}] }).isolates, ['ingress', 'egress']);
  assert.deepEqual(np({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }).isolates, ['egress']);
  assert.equal(np({ podSelector: {}, policyTypes: ['Egress'] }).typesDeclared, true);
});

test('ipBlock peers keep their parsed CIDR, family and excepts; a rule without peers admits both families', () => {
  const p = np({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }, { ports: [{ port: 53 }] }] });
  const c = p.rules[0]!.cidrs[0]!;
  assert.equal(c.cidr?.family, 'IPv4');
  assert.deepEqual(c.path, ['spec', 'egress', 0, 'to', 0, 'ipBlock', 'cidr']);
  assert.deepEqual(c.except[0]!.path, ['spec', 'egress', 0, 'to', 0, 'ipBlock', 'except', 0]);
  assert.deepEqual(p.rules[1]!.openFamilies, ['IPv4', 'IPv6']);
  assert.deepEqual([...admittedFamilies(p, 'egress').admitted].sort(), ['IPv4', 'IPv6']);
});

test('invalid CIDRs are kept as text, never thrown', () => {
  const p = np({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '8000:k00::/120' } }, { ipBlock: { cidr: ['10.0.0.0/24'] } }] }] });
  assert.equal(p.rules[0]!.cidrs[0]!.cidr, undefined);
  assert.equal(p.rules[0]!.cidrs[1]!.text, '["10.0.0.0/24"]');
});

test('label selectors: matchLabels and the four operators', () => {
  const s = parseLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [
    { key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'env', operator: 'NotIn', values: ['dev'] },
    { key: 'team', operator: 'Exists' }, { key: 'legacy', operator: 'DoesNotExist' }] });
  assert.ok(matchesSelector(s, { app: 'web', tier: 'a', team: 'x' }));
  assert.ok(!matchesSelector(s, { app: 'web', tier: 'c', team: 'x' }));
  assert.ok(!matchesSelector(s, { app: 'web', tier: 'a', team: 'x', env: 'dev' }));
  assert.ok(!matchesSelector(s, { app: 'web', tier: 'a' }));
  assert.ok(!matchesSelector(s, { app: 'web', tier: 'a', team: 'x', legacy: '1' }));
  assert.ok(!matchesSelector(parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), {}));
  assert.deepEqual(parseLabelSelector({ matchLabels: { 'k8s:app': 'x' } }, ['k8s:']).matchLabels, { app: 'x' });
});

test('the pod index selects by namespace and labels', () => {
  const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'a', name });
  const idx = buildPodIndex([
    { ref: ref('web'), namespace: 'a', labels: { app: 'web', tier: 'fe' } },
    { ref: ref('db'), namespace: 'a', labels: { app: 'db' } },
    { ref: { ...ref('web'), namespace: 'b' }, namespace: 'b', labels: { app: 'web' } },
  ]);
  assert.deepEqual(selectPods(idx, 'a', parseLabelSelector({ matchLabels: { app: 'web' } })).map((t) => t.ref.name), ['web']);
  assert.deepEqual(selectPods(idx, 'a', parseLabelSelector({})).map((t) => t.ref.name), ['web', 'db']);
  assert.deepEqual(selectPods(idx, 'a', parseLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] })).map((t) => t.ref.name), ['web']);
  assert.deepEqual(selectPods(idx, 'a', parseLabelSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] })).map((t) => t.ref.name), ['db']);
  assert.deepEqual(selectPods(idx, 'c', parseLabelSelector({})), []);
  // Counting gives the same as selecting, with a filter, without making the list.
  for (const sel of [{}, { matchLabels: { app: 'web' } }, { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { matchExpressions: [{ key: 'x', operator: 'Bogus' }] }]) {
    for (const accept of [undefined, (t: { ref: { name: string } }) => t.ref.name !== 'web']) {
      const want = selectPods(idx, 'a', parseLabelSelector(sel)).filter((t) => !accept || accept(t));
      const got = countSelected(idx, 'a', parseLabelSelector(sel), accept);
      assert.deepEqual([got.count, got.first?.ref.name], [want.length, want[0]?.ref.name], JSON.stringify(sel));
    }
  }
  assert.deepEqual(countSelected(idx, 'c', parseLabelSelector({})), { count: 0 });
});

test('buildPolicyModel records what each NetworkPolicy selects', () => {
  const m = buildPolicyModel(
    [{ object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector: { matchLabels: { app: 'db' } } } } }],
    [
      { ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'web-0' }, podLabels: { app: 'web' } },
      { ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'db-0' }, podLabels: { app: 'db' } },
      { ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'db-1' }, podLabels: { app: 'db', tier: 'x' } },
      { ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'b', name: 'db-2' }, podLabels: { app: 'db' } },
    ],
  );
  assert.equal(m.networkPolicies[0]!.selectionKnown, true);
  assert.equal(m.networkPolicies[0]!.selectedCount, 2);
  assert.deepEqual(m.networkPolicies[0]!.firstSelected, { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'db-0' });
});

test('equal facts of different policies are one object: rules, rule lists, selectors, FQDN field paths', () => {
  const doc = (kind: string, apiVersion: string, namespace: string, spec: Record<string, unknown>) => ({ object: { apiVersion, kind, metadata: { name: 'p', namespace }, spec } });
  const egress = (cidr: string) => [{ to: [{ ipBlock: { cidr, except: ['10.1.0.0/16'] } }] }, { to: [{ podSelector: {} }], ports: [{ port: 53 }] }];
  const docs = [
    doc('NetworkPolicy', 'networking.k8s.io/v1', 'a', { podSelector: { matchLabels: { app: 'web' } }, egress: egress('10.0.0.0/8') }),
    doc('NetworkPolicy', 'networking.k8s.io/v1', 'b', { podSelector: { matchLabels: { app: 'web' } }, egress: egress('10.0.0.0/8'), ingress: [] }),
    doc('NetworkPolicy', 'networking.k8s.io/v1', 'c', { podSelector: { matchLabels: { app: 'db' } }, egress: egress('fd00::/8') }),
    doc('FQDNNetworkPolicy', 'networking.gke.io/v1alpha3', 'a', { podSelector: {}, egress: [{ to: [{ fqdns: ['x.example'] }] }] }),
    doc('FQDNNetworkPolicy', 'networking.gke.io/v1alpha3', 'b', { podSelector: {}, egress: [{ to: [{ fqdns: ['y.example'] }] }] }),
  ];
  const m = buildPolicyModel(docs, []);
  const [a, b, c] = m.networkPolicies;
  assert.equal(a!.rules, b!.rules, 'the same rules (ports and empty lists do not count)');
  assert.equal(a!.podSelector, b!.podSelector);
  assert.notEqual(a!.rules, c!.rules);
  assert.notEqual(a!.podSelector, c!.podSelector);
  assert.equal(a!.rules[1], c!.rules[1], 'the equal second rule');
  assert.equal(c!.rules[0]!.cidrs[0]!.text, 'fd00::/8');
  assert.equal(m.fqdn[0]!.ossFields, m.fqdn[1]!.ossFields);
  // Shared or not, the facts are the same.
  const tables = policyTables();
  for (const d of docs) {
    parsePolicy(d, tables);
    assert.deepEqual(parsePolicy(d, tables), parsePolicy(d));
  }
});

test('what the policies over the same pods admit together: same or empty selector, same namespace and group', () => {
  const doc = (kind: string, apiVersion: string, name: string, namespace: string, spec: Record<string, unknown>) => ({ object: { apiVersion, kind, metadata: { name, namespace }, spec } });
  const np = (name: string, namespace: string, podSelector: unknown, cidr: string) =>
    doc('NetworkPolicy', 'networking.k8s.io/v1', name, namespace, { podSelector, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr } }] }] });
  const web = { matchLabels: { app: 'web', tier: 'fe' } };
  const m = buildPolicyModel([
    np('v4', 'a', web, '0.0.0.0/0'),
    np('v6', 'a', { matchLabels: { tier: 'fe', app: 'web' } }, '2001:db8::/32'), // the same selector, keys in another order
    np('other-ns', 'b', web, '0.0.0.0/0'),
    doc('FQDNNetworkPolicy', 'networking.gke.io/v1alpha1', 'names', 'b', { podSelector: {}, egress: [{ matches: [{ name: 'x.example' }] }] }),
    doc('CiliumNetworkPolicy', 'cilium.io/v2', 'c', 'c', { endpointSelector: {}, egress: [{ toCIDR: ['fd00::/8'] }] }),
    np('v4c', 'c', web, '10.0.0.0/8'),
  ], []);
  const by = Object.fromEntries([...m.networkPolicies, ...m.fqdn, ...m.cilium].map((p) => [p.ref.name, p]));
  assert.ok(admittedElsewhere(by.v4!, 'egress', 'IPv6') && admittedElsewhere(by.v4!, 'egress', 'IPv6', true), 'the IPv6 twin');
  assert.ok(admittedElsewhere(by.v6!, 'egress', 'IPv4'));
  assert.ok(!admittedElsewhere(by.v4!, 'ingress', 'IPv6'), 'no policy isolates ingress');
  assert.ok(admittedElsewhere(by['other-ns']!, 'egress', 'IPv6'), 'the FQDN policy over every pod of b admits both families');
  assert.ok(!admittedElsewhere(by['other-ns']!, 'egress', 'IPv6', true), '...but not to anywhere');
  assert.ok(admittedElsewhere(by.v4c!, 'egress', 'IPv6', true), 'a CiliumNetworkPolicy over every pod of c');
  assert.ok(!admittedElsewhere(by.c!, 'egress', 'IPv4'), 'the NetworkPolicy selects some pods only');
});

test('cidrWithin: same family, longer or equal prefix, inside', () => {
  const c = (s: string) => parseCIDR(s)!;
  assert.ok(cidrWithin(c('10.1.0.0/16'), c('10.0.0.0/8')));
  assert.ok(cidrWithin(c('10.0.0.0/8'), c('10.0.0.0/8')));
  assert.ok(!cidrWithin(c('10.0.0.0/8'), c('10.0.0.0/16')));
  assert.ok(!cidrWithin(c('172.21.0.0/16'), c('128.0.0.0/5')));
  assert.ok(cidrWithin(c('fd00:ec2::254/128'), c('::/0')));
  assert.ok(!cidrWithin(c('169.254.169.254/32'), c('::/0')));
  assert.ok(cidrWithin(c('::ffff:10.1.2.0/120'), c('10.0.0.0/8')));
});

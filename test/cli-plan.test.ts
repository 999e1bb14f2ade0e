// `dualstack-audit plan` end to end: the demo shop (fixtures/demo) planned against a snapshot of
// the single-stack cluster it runs on and of the same cluster freshly converted to dual-stack
// (fixtures/plan/), through main() and once through the built bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { main, type CliIO } from '../src/cli/index.ts';
import type { Plan, ServicePlan } from '../src/plan/plan.ts';

const root = new URL('..', import.meta.url).pathname;
const DEMO = join(root, 'fixtures/demo');
const SINGLE = join(root, 'fixtures/plan/single-stack-cluster.yaml');
const DUAL = join(root, 'fixtures/plan/dual-stack-converted.yaml');

interface Run { code: number; out: string; err: string }

async function cli(args: string[], stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; }, stderr: (s) => { err += s; },
    readStdin: async () => new TextEncoder().encode(stdin), env: {}, stdoutIsTTY: false,
  };
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

async function planJson(args: string[], stdin = ''): Promise<{ code: number; plan: Plan; by: Map<string, ServicePlan> }> {
  const r = await cli([...args, '-f', 'json'], stdin);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  const plan = JSON.parse(r.out) as Plan;
  return { code: r.code, plan, by: new Map(plan.services.map((s) => [s.name, s])) };
}

const API_REJECTED = 'Service "api" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified';

test('demo against the single-stack cluster: families inferred from default/kubernetes, api rejected, payments-cache must be recreated', async () => {
  const { code, plan, by } = await planJson(['plan', DEMO, '--against', SINGLE]);
  assert.equal(code, 1);
  assert.equal(plan.schemaVersion, 1);
  assert.deepEqual(plan.against, { source: SINGLE, context: 'kind-single', kind: 'snapshot' });
  assert.deepEqual(plan.clusterFamilies.families, ['IPv4']);
  assert.equal(plan.clusterFamilies.from, 'inferred');
  assert.ok(plan.clusterFamilies.evidence.some((e) => e.startsWith('Service/default/kubernetes clusterIPs [10.96.0.1]: the primary Service family is IPv4')), String(plan.clusterFamilies.evidence));
  assert.equal(plan.method, 'apply');
  assert.deepEqual(plan.services.map((s) => `${s.namespace}/${s.name} ${s.action} ${s.outcome}`), [
    'shop/api update rejected',
    'shop/cart unchanged accepted',
    'shop/frontend unchanged accepted',
    'shop/payments-cache update recreate',
    'shop/payments-provider unchanged accepted',
    'shop/postgres unchanged accepted',
  ]);
  assert.deepEqual(by.get('api')!.errors, [API_REJECTED.slice('Service "api" is invalid: '.length)]);
  assert.equal(by.get('api')!.message, API_REJECTED);
  assert.deepEqual(by.get('api')!.before, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], clusterIPs: ['10.96.10.1'] });
  const cache = by.get('payments-cache')!;
  assert.equal(cache.message, 'Service "payments-cache" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.200.15"}: may not change once set');
  assert.deepEqual(cache.addresses.released, [{ family: 'IPv4', ip: '10.96.200.16' }]);
  assert.deepEqual(cache.addresses.allocated, [{ family: 'IPv4', ip: '10.96.200.15' }]);
  assert.equal(by.get('payments-provider')!.after, null);
  assert.deepEqual(plan.notManaged.map((n) => `${n.namespace}/${n.name}`), ['shop/legacy-reports']);
  assert.equal(plan.notManagedElsewhere, 2);
  assert.equal(by.get('api')!.location?.file, 'fixtures/demo/api.yaml');
});

test('demo against the freshly converted dual-stack cluster: the ServiceCIDR says IPv4,IPv6; apply leaves the PreferDualStack cart single-stack, replace upgrades it', async () => {
  const apply = await planJson(['plan', DEMO, '--against', DUAL]);
  assert.equal(apply.code, 1);
  assert.deepEqual(apply.plan.clusterFamilies.families, ['IPv4', 'IPv6']);
  assert.match(apply.plan.clusterFamilies.evidence[0]!, /^ServiceCIDR kubernetes .*spec\.cidrs \[10\.96\.0\.0\/16, fd00:10:96::\/112\]: Services \[IPv4, IPv6\]$/);
  assert.ok(apply.plan.clusterFamilies.evidence.some((e) => e.startsWith('Node podCIDRs (pod network, not Service families): 1 node(s) [IPv4, IPv6]')));
  const cart = apply.by.get('cart')!;
  assert.deepEqual([cart.action, cart.outcome, cart.after?.ipFamilies], ['unchanged', 'accepted', ['IPv4']]);
  assert.ok(cart.notes?.some((n) => n.includes('isMatchingPreferDualStackClusterIPFields')));
  assert.equal(apply.by.get('api')!.message, API_REJECTED);

  const replace = await planJson(['plan', DEMO, '--against', DUAL, '--method', 'replace']);
  const up = replace.by.get('cart')!;
  assert.deepEqual([up.action, up.outcome], ['update', 'accepted']);
  assert.deepEqual(up.after, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.20.7', ''] });
  assert.deepEqual(up.addresses, { kept: ['10.96.20.7'], allocated: [{ family: 'IPv6' }], released: [] });
  assert.equal(replace.plan.method, 'replace');

  // --cluster-families overrides the inference and says so.
  const forced = await planJson(['plan', DEMO, '--against', DUAL, '--cluster-families', 'ipv4']);
  assert.deepEqual(forced.plan.clusterFamilies, { families: ['IPv4'], from: 'flag', evidence: [] });
});

test('text and markdown: a table per namespace, the steps in a safe order, the exit code', async () => {
  const t = await cli(['plan', DEMO, '--against', DUAL, '--method', 'replace']);
  assert.equal(t.code, 1);
  assert.match(t.out, /^Plan: 6 Service\(s\) from .*fixtures\/demo against .*dual-stack-converted\.yaml \(snapshot of context "kind-dual"\), method replace\n/);
  assert.match(t.out, /\nnamespace shop\n {2}SERVICE +ACTION +OUTCOME +POLICY +FAMILIES +CLUSTER IPS\n/);
  assert.match(t.out, / {2}cart +update +accepted +PreferDualStack +IPv4 -> IPv4,IPv6 +10\.96\.20\.7 kept, new IPv6 allocated\n/);
  const steps = t.out.slice(t.out.indexOf('Steps, in a safe order:'));
  assert.match(steps, /1\. Upgrade in place: shop\/cart \(gets a new IPv6 address\)\n {2}2\. Recreate shop\/payments-cache .*Cost: cluster IP\(s\) 10\.96\.200\.16 are released; the new Service asks for 10\.96\.200\.15/);
  assert.match(steps, /3\. Fix before applying: shop\/api: Service "api" is invalid/);
  assert.match(t.out, /Summary: 0 to create, 3 to update, 3 unchanged; 4 accepted, 1 rejected, 1 to recreate \(exit 1\)\n$/);

  // On the single-stack cluster the first step is the cluster: cart (PreferDualStack) would stay IPv4-only.
  const single = await cli(['plan', DEMO, '--against', SINGLE]);
  assert.match(single.out, /\n {2}1\. Cluster families first: on this IPv4-only cluster shop\/cart \(PreferDualStack\) get IPv4 only/);

  const dir = mkdtempSync(join(tmpdir(), 'dsa-plan-'));
  try {
    const out = join(dir, 'plan.md');
    const m = await cli(['plan', DEMO, '--against', SINGLE, '-f', 'markdown', '-o', out]);
    assert.equal(m.code, 1);
    assert.equal(m.out, '');
    assert.equal(m.err, `Wrote ${out}: 6 Service(s); 4 accepted, 1 rejected, 1 to recreate\n`);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^## dualstack-audit plan\n/);
    assert.match(text, /\| api \| update \| rejected \| SingleStack \| IPv4 \| 10\.96\.10\.1 kept \|/);
    assert.match(text, /### Steps, in a safe order/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--against takes kubectl get -o json output (a List) on stdin; only accepted changes exit 0', async () => {
  const items = (jsyaml.load(readFileSync(SINGLE, 'utf8')) as { items: Record<string, unknown>[] }).items.filter((o) => o.kind !== 'AuditSnapshot');
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
  const cart = join(DEMO, 'cart.yaml');
  const r = await planJson(['plan', cart, '--against', '-'], list);
  assert.equal(r.code, 0);
  assert.deepEqual(r.plan.against, { source: '<stdin>', kind: 'objects' });
  assert.deepEqual(r.plan.services.map((s) => `${s.name} ${s.action} ${s.outcome}`), ['cart unchanged accepted']);
});

test('usage and input errors: one line, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['plan', DEMO], /plan needs exactly one of --against FILE .* and --context NAME/],
    [['plan', DEMO, '--against', SINGLE, '--context', 'x'], /plan needs exactly one of/],
    [['plan', DEMO, '--against', join(root, 'fixtures/plan/absent.yaml')], /--against .*absent\.yaml: cannot read/],
    [['plan', DEMO, '--against', SINGLE, '--cluster-families', 'ipv5'], /--cluster-families must be one of/],
    [['plan', DEMO, '--against', join(DEMO, 'namespace.yaml')], /cannot tell the cluster's Service families from .*namespace\.yaml.*pass --cluster-families/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  // A snapshot that could not read Services cannot be planned against.
  const forbidden = readFileSync(SINGLE, 'utf8').replace('notEvaluated: []', 'notEvaluated: [{kind: Service, apiVersion: v1, reason: forbidden, message: services is forbidden}]');
  const nf = await cli(['plan', DEMO, '--against', '-'], forbidden);
  assert.equal(nf.code, 2);
  assert.equal(nf.err, 'dualstack-audit: --against -: the snapshot could not read Services (services is forbidden), so every Service would look new\n');

  const bad = await cli(['plan', DEMO, '--against', SINGLE, '--method', 'patch']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /argument 'patch' is invalid/);
});

test('the built bin runs plan (its chunk is loaded on demand)', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/dualstack-audit.js'), 'plan', DEMO, '--against', DUAL, '-f', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as Plan).summary, { create: 0, update: 2, unchanged: 4, accepted: 4, rejected: 1, recreate: 1 });
});

test('bad input: a broken document is a one-line problem with its line, the other Services are still planned, exit 2', async () => {
  const stdin = [
    'apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec: {ipFamilyPolicy: SingleStack, selector: {app: cart}}',
    'apiVersion: v1\nkind: Service\nmetadata: {name: broken, namespace: shop\nspec: {}',
    'apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec: {ipFamilyPolicy: PreferDualStack, selector: {app: cart}}',
  ].join('\n---\n');
  const r = await cli(['plan', '-', '--against', DUAL, '-f', 'json'], stdin);
  assert.equal(r.code, 2);
  const plan = JSON.parse(r.out) as Plan;
  assert.deepEqual(plan.services.map((s) => `${s.name} ${s.action} ${s.outcome}`), ['cart unchanged accepted']);
  assert.ok(plan.services[0]!.notes?.includes('defined 2 times in the manifests: planned as the last one, which kubectl applies last'));
  assert.equal(plan.problems.length, 1);
  assert.equal(plan.problems[0]!.file, '<stdin>');
  // The flow mapping opened on line 8 is found unclosed on line 9.
  assert.equal(plan.problems[0]!.line, 9);
  assert.equal(r.err, 'dualstack-audit: <stdin>:9: invalid YAML: missed comma between flow collection entries\n');
  assert.ok(!/\n\s+at /.test(r.err));
});

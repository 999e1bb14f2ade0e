// plan --context: the demo shop planned against the test API server holding the freshly converted
// dual-stack cluster (fixtures/plan/dual-stack-converted.yaml). The server records every request:
// the plan sends GET requests only. The live cart Service carries the last-applied-configuration of
// an older manifest that listed ipFamilies: [IPv4]; kubectl apply of today's manifest (which drops
// that line) deletes the field, so the PreferDualStack Service is upgraded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { startServer, writeKubeconfig, hasOpenssl, removeDir, type TestServer } from './server.ts';
import { cli, tempDir } from './helpers.ts';
import type { Plan } from '../../src/plan/plan.ts';

const root = new URL('../../', import.meta.url).pathname;
const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
type Obj = Record<string, unknown>;
let srv: TestServer;
let dir: string;
let kubeconfig: string;

const LAST_APPLIED = JSON.stringify({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' },
  spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'], selector: { app: 'cart' }, ports: [{ port: 7070 }] },
});

function clusterObjects(): Obj[] {
  const items = (jsyaml.load(readFileSync(join(root, 'fixtures/plan/dual-stack-converted.yaml'), 'utf8')) as { items: Obj[] }).items;
  return items.filter((o) => o.kind !== 'AuditSnapshot').map((o) => {
    const m = o.metadata as Obj;
    if (o.kind !== 'Service' || m.name !== 'cart') return o;
    return { ...o, metadata: { ...m, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED } } };
  });
}

before(async () => {
  if (skip) return;
  srv = await startServer(clusterObjects());
  dir = tempDir();
  kubeconfig = writeKubeconfig(dir, [{ name: 'kind-dual', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
});
after(async () => {
  if (skip) return;
  await srv.close();
  removeDir(dir);
  removeDir(srv.pki.dir);
});

test('plan --context reads the cluster with GET requests only and plans the demo; apply deletes what last-applied had', { skip }, async () => {
  srv.requests.splice(0);
  const r = await cli(['plan', join(root, 'fixtures/demo'), '--context', 'kind-dual', '-f', 'json'], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 1, r.stderr);
  const plan = JSON.parse(r.stdout) as Plan;
  assert.deepEqual(plan.against, { source: srv.url, context: 'kind-dual', kind: 'live' });
  assert.deepEqual(plan.clusterFamilies.families, ['IPv4', 'IPv6']);
  assert.match(plan.clusterFamilies.evidence[0]!, /^ServiceCIDR kubernetes/);
  const by = new Map(plan.services.map((s) => [s.name, s]));
  const cart = by.get('cart')!;
  assert.deepEqual([cart.action, cart.outcome], ['update', 'accepted']);
  assert.deepEqual(cart.after, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.20.7', ''] });
  assert.deepEqual(cart.addresses.allocated, [{ family: 'IPv6' }]);
  assert.equal(by.get('api')!.outcome, 'rejected');
  assert.equal(by.get('payments-cache')!.outcome, 'recreate');
  // Five Services have no last-applied-configuration; cart has one.
  assert.match(plan.notes[0]!, /^5 live Service\(s\) have no kubectl.kubernetes.io\/last-applied-configuration/);

  // Zero writes: every request the server saw is a GET; namespaced kinds were read in the manifests' namespaces and default only.
  assert.ok(srv.requests.length > 0);
  assert.deepEqual(srv.requests.filter((l) => !l.startsWith('GET ')), []);
  assert.equal(srv.writes(), 0);
  assert.ok(srv.requests.some((l) => l.startsWith('GET /api/v1/namespaces/shop/services')), srv.requests.join('\n'));
  assert.ok(!srv.requests.some((l) => /\/namespaces\/kube-system\/services/.test(l)));
  assert.ok(!srv.requests.some((l) => /secrets/.test(l)));
  // Only what a plan needs: Services, ServiceCIDRs and Nodes (plus discovery).
  const read = srv.requests.map((l) => /\/(services|servicecidrs|nodes|pods|endpointslices|configmaps|ingresses|networkpolicies|gateways|httproutes)(\?|$)/.exec(l.split(' ')[1]!)?.[1]);
  assert.deepEqual([...new Set(read.filter((x) => x !== undefined))].sort(), ['nodes', 'servicecidrs', 'services']);

  // The same plan with server-side apply keeps ipFamilies: the PreferDualStack cart stays single-stack.
  const ssa = await cli(['plan', join(root, 'fixtures/demo/cart.yaml'), '--context', 'kind-dual', '--method', 'server-side', '-f', 'json'], { KUBECONFIG: kubeconfig });
  assert.equal(ssa.code, 0, ssa.stderr);
  const kept = (JSON.parse(ssa.stdout) as Plan).services[0]!;
  assert.deepEqual([kept.action, kept.after?.ipFamilies], ['unchanged', ['IPv4']]);
});

test('plan --context with an unknown context: one line, exit 2', { skip }, async () => {
  const r = await cli(['plan', join(root, 'fixtures/demo'), '--context', 'nope'], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dualstack-audit: context "nope" not found in the kubeconfig/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

// What the kind registry makes the live read do, against the test API server: pod-template
// controllers read and judged; ConfigMaps listed in every namespace after the pod templates and
// kept only when recognised (the rest never reach the report or a snapshot); --configmaps
// kube-system; optional kinds the cluster does not serve reported as not installed, in the
// report and through a snapshot; error answers that are not the apiserver's not trusted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, clusterState, liveSetup } from './helpers.ts';
import type { Report } from '../../src/engine/types.ts';

type Obj = Record<string, unknown>;
const APP_SECRET_LIKE = 'not-for-the-auditor-0xC0FFEE';

/** A Deployment that mounts one ConfigMap and probes 127.0.0.1, the ConfigMap, and an unrelated one. */
function workloads(): Obj[] {
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop-api', namespace: 'shop' },
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'shop-api' } },
        template: {
          metadata: { labels: { app: 'shop-api' } },
          spec: {
            containers: [{
              name: 'api', image: 'example.com/shop-api:1', envFrom: [{ configMapRef: { name: 'shop-api-config' } }],
              readinessProbe: { httpGet: { host: '127.0.0.1', path: '/ready', port: 8080 } },
            }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-api-config', namespace: 'shop' }, data: { UPSTREAM: 'http://10.0.12.7:8080' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'billing-settings', namespace: 'billing' }, data: { token: APP_SECRET_LIKE } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } },
  ];
}

const fx = liveSetup(() => [...clusterState(), ...workloads()]);
const { skip, env, reset } = fx;

const json = async (args: readonly string[]): Promise<Report> => {
  const r = await cli(['-f', 'json', '--fail-on', 'never', ...args], env());
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
};

test('controllers are read and judged; ConfigMaps listed everywhere after the pod templates, only the recognised kept; never Secrets', { skip }, async () => {
  reset();
  const report = await json([]);
  // The Deployment's pod template is judged (probe-host-loopback), and the ConfigMap it uses (workload-ipv4-literal).
  assert.ok(report.findings.some((f) => f.ruleId === 'probe-host-loopback' && f.resource.kind === 'Deployment' && f.resource.name === 'shop-api'), JSON.stringify(report.findings.map((f) => f.ruleId)));
  assert.ok(report.findings.some((f) => f.resource.kind === 'ConfigMap' && f.resource.name === 'shop-api-config'));
  for (const p of ['/apis/apps/v1/deployments?', '/apis/batch/v1/cronjobs?', '/apis/batch/v1/jobs?', '/apis/apps/v1/replicasets?', '/api/v1/configmaps?']) {
    assert.ok(fx.srv.requests.some((l) => l.startsWith(`GET ${p}`)), p);
  }
  assert.ok(!fx.srv.requests.some((l) => /secrets/.test(l)), 'never a request for Secrets');
  assert.ok(fx.srv.requests.every((l) => l.startsWith('GET ')));
  // Nothing of the unrecognised ConfigMaps reaches the report.
  assert.ok(!JSON.stringify(report).includes(APP_SECRET_LIKE));
  assert.ok(!report.findings.some((f) => f.resource.name === 'billing-settings' || f.resource.name === 'unrelated-app-config'));
});

test('a snapshot keeps the recognised ConfigMaps only, says how many were dropped, and names the kinds not installed', { skip }, async () => {
  reset();
  const out = join(fx.dir, 'kinds-snap.yaml');
  const r = await cli(['snapshot', '-o', out], env());
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  assert.ok(!text.includes(APP_SECRET_LIKE) && !text.includes('unrelated-app-config') && !text.includes('billing-settings'));
  for (const kept of ['shop-api-config', 'name: kube-proxy', 'name: coredns', 'name: shop-api', 'name: nightly']) assert.ok(text.includes(kept), kept);
  // kube-proxy, coredns, shop-api-config kept; unrelated-app-config, billing-settings dropped.
  assert.match(text, /kind: ConfigMap\n\s+apiVersion: v1\n\s+count: 3\n\s+dropped: 2/);
  assert.match(text, /notInstalled:\n(.*\n)*?\s+- kind: ServiceMonitor\n\s+resource: monitoring\.coreos\.com\/servicemonitors/);

  // The offline audit of the snapshot says what the live one said.
  const live = await json([]);
  const offline = JSON.parse((await cli(['-f', 'json', '--fail-on', 'never', out], {})).stdout) as Report;
  assert.deepEqual(offline.target.notInstalled, live.target.notInstalled);
  assert.ok((live.target.notInstalled ?? []).some((n) => n.kind === 'CiliumNetworkPolicy' && n.resource === 'cilium.io/ciliumnetworkpolicies'));
  // The Gateway API is served here: not listed as not installed.
  assert.ok(!(live.target.notInstalled ?? []).some((n) => n.kind === 'Gateway'));
  const t = await cli(['--fail-on', 'never', '--color', 'never'], env());
  assert.match(t.stdout, /Not installed \(\d+ optional kinds the cluster does not serve, nothing of them to judge\): .*… \d+ more \(--verbose\)/);
});

test('a snapshot of a cluster with kinds not readable records them: the offline audit reports them not evaluated and fails the gate', { skip }, async () => {
  reset();
  fx.srv.injections.push({ match: /^GET \/apis\/apps\/v1\/deployments/, status: 403 });
  const out = join(fx.dir, 'kinds-forbidden.yaml');
  const r = await cli(['snapshot', '-o', out], env());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /not readable: Deployment/);
  const off = await cli(['-f', 'json', out], {});
  const report = JSON.parse(off.stdout) as Report;
  assert.deepEqual((report.target.notEvaluated ?? []).map((n) => `${n.kind} ${n.reason}`), ['Deployment forbidden']);
  assert.equal(off.code, 1, 'partial coverage fails the gate offline too');
  assert.ok((report.evaluations.find((e) => e.ruleId === 'probe-host-loopback')?.notEvaluated ?? 0) > 0);
});

test('--configmaps kube-system lists ConfigMaps in kube-system only', { skip }, async () => {
  reset();
  const report = await json(['--configmaps', 'kube-system']);
  const cm = fx.srv.requests.filter((l) => l.includes('configmaps'));
  assert.ok(cm.length > 0 && cm.every((l) => l.startsWith('GET /api/v1/namespaces/kube-system/configmaps?')), cm.join('\n'));
  assert.ok(!report.findings.some((f) => f.resource.name === 'shop-api-config'));
  // -n shop: ConfigMaps of shop and of kube-system (the cluster's own configuration).
  reset();
  await json(['-n', 'shop']);
  const ns = fx.srv.requests.filter((l) => l.includes('configmaps')).map((l) => /namespaces\/([^/]+)\//.exec(l)?.[1]).sort();
  assert.deepEqual([...new Set(ns)], ['kube-system', 'shop']);
  // A file audit refuses the live-only flag.
  const bad = await cli(['--configmaps', 'kube-system', 'x.yaml'], {});
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--configmaps apply to live audits/);
});

test('error answers that are not the apiserver\'s Status are not trusted: a proxy\'s 404 page is not "not installed", a 403 page not "forbidden"', { skip }, async () => {
  reset();
  fx.srv.injections.push(
    { match: /^GET \/apis\/gateway\.networking\.k8s\.io\/v1\/gateways\?/, status: 404, body: '<html><body>404 Not Found</body></html>' },
    { match: /^GET \/apis\/networking\.k8s\.io\/v1\/ingresses\?/, status: 403, body: '<html><body>403 Forbidden</body></html>' },
  );
  const r = await cli(['-f', 'json'], env());
  const report = JSON.parse(r.stdout) as Report;
  const ne = report.target.notEvaluated ?? [];
  assert.deepEqual(ne.map((n) => `${n.kind} ${n.reason}`).sort(), ['Gateway invalid-response', 'Ingress error']);
  assert.match(ne.find((n) => n.kind === 'Gateway')!.message, /^HTTP 404 but the answer was an HTML or XML page.*not a Kubernetes Status/);
  assert.match(ne.find((n) => n.kind === 'Ingress')!.message, /^HTTP 403 but the answer was an HTML or XML page/);
  assert.equal(ne.find((n) => n.kind === 'Ingress')!.rbac, undefined, 'no RBAC advice for a proxy\'s page');
  assert.ok(!(report.target.notInstalled ?? []).some((n) => n.kind === 'Gateway'));
  assert.equal(r.code, 1, 'partial coverage fails the gate');
});

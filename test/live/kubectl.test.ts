// The real kubectl against the test API server: proves that the server speaks the wire format
// kubectl expects (discovery, lists, chunking) and that the kubeconfig the tests write is one
// kubectl accepts, so what the audit reads is what kubectl would show.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { startServer, writeKubeconfig, hasOpenssl, removeDir } from './server.ts';
import { cli, clusterState, tempDir } from './helpers.ts';

const exec = promisify(execFile);

function kubectlMissing(): string | false {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe' });
    return false;
  } catch {
    return 'kubectl is not installed on this machine: the wire-format test against the real client is skipped';
  }
}

const skip = !hasOpenssl() ? 'openssl is not installed (needed to make the test CA)' : kubectlMissing();

type Obj = { kind?: string; metadata: { name: string; namespace?: string }; spec?: unknown; status?: unknown };
const id = (o: Obj, kind?: string): string => `${kind ?? o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

test('kubectl reads the test cluster as the audit does (same objects, same network fields)', { skip }, async () => {
  const srv = await startServer(clusterState());
  const dir = tempDir();
  try {
    const kc = writeKubeconfig(dir, [{ name: 'kind-dual-stack', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
    const kubectl = async (...args: string[]): Promise<{ items: Obj[] }> =>
      JSON.parse((await exec('kubectl', ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), ...args, '-o', 'json'], { timeout: 60_000 })).stdout) as { items: Obj[] };

    const file = join(dir, 'snap.yaml');
    const s = await cli(['snapshot', '-o', file], { KUBECONFIG: kc });
    assert.equal(s.code, 0, s.stderr);
    const snap = (jsyaml.load(readFileSync(file, 'utf8')) as { items: Obj[] }).items.slice(1);

    for (const [kind, args] of [
      ['Pod', ['get', 'pods', '-A', '--chunk-size', '5']],
      ['Node', ['get', 'nodes']],
      ['Service', ['get', 'services', '-A']],
      ['EndpointSlice', ['get', 'endpointslices.discovery.k8s.io', '-A']],
      ['ServiceCIDR', ['get', 'servicecidrs.networking.k8s.io']],
    ] as const) {
      const got = await kubectl(...args);
      const ours = snap.filter((o) => o.kind === kind);
      assert.ok(ours.length > 0, kind);
      assert.deepEqual(got.items.map((o) => id(o, kind)).sort(), ours.map((o) => id(o)).sort(), kind);
      // The fields the rules read are byte-identical to what kubectl shows.
      for (const o of ours) {
        const k = got.items.find((x) => id(x, kind) === id(o))!;
        assert.deepEqual(o.spec, k.spec, `${id(o)} spec`);
        if (kind !== 'Node') assert.deepEqual(o.status, k.status, `${id(o)} status`);
      }
    }
    // kubectl paged the Pods with limit/continue as the audit does.
    assert.ok(srv.requests.some((l) => /^GET \/api\/v1\/pods\?.*continue=/.test(l) && l.includes('limit=5')));
    assert.equal(srv.writes(), 0);
  } finally {
    await srv.close();
    removeDir(dir);
    removeDir(srv.pki.dir);
  }
});

test('kubectl lists the controllers and ConfigMaps as the audit does; the audit keeps only the ConfigMaps it recognises', { skip }, async () => {
  const deploy = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', envFrom: [{ configMapRef: { name: 'web-env' } }] }] } } },
  };
  const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } };
  const cms = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-env', namespace: 'shop' }, data: { LISTEN: '0.0.0.0:8080' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'feature-flags', namespace: 'shop' }, data: { beta: 'on' } },
  ];
  const srv = await startServer([...clusterState(), deploy, cron, ...cms]);
  const dir = tempDir();
  try {
    const kc = writeKubeconfig(dir, [{ name: 'kind-dual-stack', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
    const kubectl = async (...args: string[]): Promise<{ items: Obj[] }> =>
      JSON.parse((await exec('kubectl', ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), ...args, '-o', 'json'], { timeout: 60_000 })).stdout) as { items: Obj[] };
    const file = join(dir, 'snap.yaml');
    const s = await cli(['snapshot', '-o', file], { KUBECONFIG: kc });
    assert.equal(s.code, 0, s.stderr);
    const snap = (jsyaml.load(readFileSync(file, 'utf8')) as { items: Obj[] }).items.slice(1);
    for (const [kind, args] of [['Deployment', ['get', 'deployments.apps', '-A']], ['CronJob', ['get', 'cronjobs.batch', '-A']]] as const) {
      const got = await kubectl(...args);
      const ours = snap.filter((o) => o.kind === kind);
      assert.deepEqual(got.items.map((o) => id(o, kind)).sort(), ours.map((o) => id(o)).sort(), kind);
      for (const o of ours) assert.deepEqual(o.spec, got.items.find((x) => id(x, kind) === id(o))!.spec, `${id(o)} spec`);
    }
    // kubectl sees every ConfigMap; the audit kept those it reads (used by a pod template, cluster configuration).
    const all = (await kubectl('get', 'configmaps', '-A')).items.map((o) => id(o, 'ConfigMap')).sort();
    const kept = snap.filter((o) => o.kind === 'ConfigMap').map((o) => id(o)).sort();
    assert.deepEqual(kept, ['ConfigMap/kube-system/coredns', 'ConfigMap/kube-system/kube-proxy', 'ConfigMap/shop/web-env']);
    assert.deepEqual(all.filter((x) => !kept.includes(x)), ['ConfigMap/kube-system/unrelated-app-config', 'ConfigMap/shop/feature-flags']);
    assert.equal(srv.writes(), 0);
  } finally {
    await srv.close();
    removeDir(dir);
    removeDir(srv.pki.dir);
  }
});

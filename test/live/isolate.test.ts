// A single-cluster live audit resolves the kubeconfig and credentials in a worker thread
// (load/cluster.ts, isolateClient), so @kubernetes/client-node is not kept in the main thread
// during the read (docs/performance.md, "Live audits at scale"). Through the real test API server:
// the worker's answer (server, headers, the TLS agent's CA) reads what the in-thread path reads,
// exec plugins run there, and its errors and warnings come back as they were. node --test runs each
// file in its own process, and this one does not import helpers.ts (which loads the library), so
// nothing here has loaded it before the first read.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster } from './generated.ts';
import { startServer, writeKubeconfig, makePki, hasOpenssl, removeDir, API_RESOURCES, type Pki, type TestServer } from './server.ts';
import { tempDir } from '../helpers/temp.ts';
import { ClusterAccessError, clientNodeLoadedHere, loadCluster } from '../../src/load/cluster.ts';

const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
let expected: number;
let pki: Pki;
let srv: TestServer;
let dir: string;
let kc: string;

before(async () => {
  if (skip) return;
  const cluster = generateCluster({ services: 6, podsPerService: 2, servicesPerNamespace: 3, podsPerNode: 4 });
  expected = cluster.objects.length + Object.values(cluster.counts).reduce((a, b) => a + b, 0);
  pki = makePki();
  srv = await startServer(cluster.objects, { pki, lazy: cluster.lazy, resources: API_RESOURCES.filter((d) => d.kind !== 'AdminNetworkPolicy') });
  srv.maxPage = 5;
  dir = tempDir();
  kc = writeKubeconfig(dir, [{ name: 'gen', server: srv.url, caPem: pki.caPem, token: srv.token }]);
});
after(async () => {
  if (skip) return;
  await srv.close();
  removeDir(dir);
  removeDir(pki.dir);
});

const kubeconfig = (name: string, cluster: string[], user: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, ['apiVersion: v1', 'kind: Config', `current-context: ${name}`, 'clusters:', '- name: c', '  cluster:', `    server: ${srv.url}`, ...cluster,
    'users:', '- name: u', '  user:', ...user, 'contexts:', `- name: ${name}`, '  context: {cluster: c, user: u}', ''].join('\n'));
  return p;
};

test('the kubeconfig step in a worker: same read, errors and warnings as in this thread, the library not loaded here', { skip }, async () => {
  const env = { HOME: dir };
  assert.equal(clientNodeLoadedHere(), false);
  // Errors of the kubeconfig step come back as ClusterAccessError with their message.
  await assert.rejects(loadCluster({ kubeconfig: kc, context: 'nope', env, isolateClient: true }),
    (e: unknown) => e instanceof ClusterAccessError && e.message === 'context "nope" not found in the kubeconfig (have: gen)');
  // An exec plugin runs in the worker; the token it prints reaches the server.
  const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: srv.token } });
  const execKc = kubeconfig('exec', [`    certificate-authority-data: ${Buffer.from(pki.caPem).toString('base64')}`],
    ['    exec:', '      apiVersion: client.authentication.k8s.io/v1beta1', `      command: ${JSON.stringify(process.execPath)}`,
      `      args: ["-e", ${JSON.stringify(`process.stdout.write(${JSON.stringify(cred)})`)}]`, '      interactiveMode: Never']);
  const viaExec = await loadCluster({ kubeconfig: execKc, env, backoffMs: 1, kinds: ['Node'], isolateClient: true });
  assert.equal(viaExec.context, 'exec');
  assert.deepEqual(viaExec.notEvaluated, []);
  assert.ok(viaExec.documents.length > 0);
  // insecure-skip-tls-verify: honoured (the agent's rejectUnauthorized crosses over), with its warning.
  const insecure = await loadCluster({ kubeconfig: kubeconfig('insecure', ['    insecure-skip-tls-verify: true'], [`    token: ${srv.token}`]), env, backoffMs: 1, kinds: ['Node'], isolateClient: true });
  assert.match(insecure.problems.map((p) => p.message).join('\n'), /context "insecure": insecure-skip-tls-verify is set/);
  assert.equal(insecure.documents.length, viaExec.documents.length);
  // The whole read through the worker's answer (CA, bearer token) against the read in this thread.
  srv.requests.splice(0);
  const isolated = await loadCluster({ kubeconfig: kc, env, backoffMs: 1, isolateClient: true });
  assert.equal(clientNodeLoadedHere(), false, 'the library was loaded in the worker only');
  const requests = [...srv.requests];
  srv.requests.splice(0);
  const here = await loadCluster({ kubeconfig: kc, env, backoffMs: 1 });
  assert.equal(clientNodeLoadedHere(), true);
  assert.deepEqual(requests, srv.requests);
  assert.deepEqual(isolated.notEvaluated, []);
  assert.equal(isolated.server, here.server);
  assert.equal(isolated.context, 'gen');
  assert.deepEqual(isolated.read, here.read);
  assert.deepEqual(isolated.documents, here.documents);
  assert.equal(isolated.documents.length, expected);
});

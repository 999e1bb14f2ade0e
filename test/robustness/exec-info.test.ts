// Exec credential plugins get KUBERNETES_EXEC_INFO as kubectl sets it (issue 20), against the real
// HTTPS test API server: the plugin (node itself) records what it was given and returns a token.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, hasOpenssl, removeDir, type TestServer } from '../live/server.ts';
import { cli, corpusState, tempDir } from '../live/helpers.ts';

const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
let srv: TestServer;
let dir: string;
before(async () => {
  if (skip) return;
  srv = await startServer(corpusState());
  dir = tempDir('dsa-execinfo-');
});
after(async () => {
  if (skip) return;
  await srv.close();
  removeDir(dir);
  removeDir(srv.pki.dir);
});

function kubeconfig(name: string, extra: string[]): { file: string; seen: string } {
  const seen = join(dir, `${name}.seen`);
  const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: srv.token } });
  const script = `require('fs').writeFileSync(${JSON.stringify(seen)}, process.env.KUBERNETES_EXEC_INFO ?? 'unset'); process.stdout.write(${JSON.stringify(cred)})`;
  const file = join(dir, name);
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: exec',
    'clusters:', '- name: c', '  cluster:', `    server: ${srv.url}`, `    certificate-authority-data: ${Buffer.from(srv.pki.caPem).toString('base64')}`,
    'users:', '- name: u', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1', `      command: ${JSON.stringify(process.execPath)}`,
    `      args: ["-e", ${JSON.stringify(script)}]`, '      interactiveMode: Never', ...extra,
    'contexts:', '- name: exec', '  context: {cluster: c, user: u}', '',
  ].join('\n'));
  return { file, seen };
}

test('the plugin gets KUBERNETES_EXEC_INFO: not interactive, its apiVersion', { skip }, async () => {
  const { file, seen } = kubeconfig('plain', []);
  const r = await cli(['-f', 'json', '--fail-on', 'never', '--kubeconfig', file], {});
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(seen, 'utf8')), { kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: false } });
});

test('with provideClusterInfo the cluster is in it too', { skip }, async () => {
  const { file, seen } = kubeconfig('cluster-info', ['      provideClusterInfo: true']);
  const r = await cli(['-f', 'json', '--fail-on', 'never', '--kubeconfig', file], {});
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(readFileSync(seen, 'utf8')) as { spec: { interactive: boolean; cluster: Record<string, unknown> } };
  assert.equal(info.spec.interactive, false);
  assert.equal(info.spec.cluster.server, srv.url);
  assert.equal(info.spec.cluster['certificate-authority-data'], Buffer.from(srv.pki.caPem).toString('base64'));
});

test('an empty or malformed kubeconfig is one clear line, not library text', async () => {
  const d = tempDir('dsa-kc-');
  try {
    for (const [name, text, re] of [
      ['empty', '', /cannot load kubeconfig .*empty: the file is empty/],
      ['scalar', 'clusters: 5\ncontexts: 5\n', /clusters must be a list \(got number\)/],
      ['nocontext', 'apiVersion: v1\nkind: Config\nclusters: []\n', /defines no contexts/],
    ] as const) {
      const f = join(d, name);
      writeFileSync(f, text);
      const r = await cli(['--kubeconfig', f], {});
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\(in-cluster\)|Cannot read properties|is not iterable/);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    }
  } finally {
    removeDir(d);
  }
});

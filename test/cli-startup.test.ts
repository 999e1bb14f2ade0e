// Start-up time (issue 9): the shipped CLI is a bundle (scripts/bundle.ts), and what a file audit
// loads at start-up is the part of it reached by static imports from dist/bundle/cli.js. That
// part must stay a few modules and must not pull in what only some runs use: the live audit
// (cli/live, client-node, http/https), --resolve (node:dns), the text report's chalk and
// cli-table3. A static import of one of them (esbuild hoists it into the start-up chunk) fails
// here. The bundle is computed in memory, so this does not depend on dist/; the last test runs
// the built bin (npm run build) on the lazily loaded live path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { bundle, OUTDIR } from '../scripts/bundle.ts';
import { clusterState, cli, tempDir } from './live/helpers.ts';
import { hasOpenssl, removeDir, startServer, writeKubeconfig } from './live/server.ts';

const root = new URL('..', import.meta.url).pathname;

function startup(meta: Metafile): { outputs: Set<string>; inputs: Set<string>; externals: Set<string> } {
  const outputs = new Set<string>();
  const externals = new Set<string>();
  const todo = [`${OUTDIR}/cli.js`];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (outputs.has(f)) continue;
    outputs.add(f);
    const out = meta.outputs[f];
    assert.ok(out, `${f} is an output`);
    for (const i of out.imports) {
      if (i.kind === 'dynamic-import') continue;
      if (i.external) externals.add(i.path);
      else todo.push(i.path);
    }
  }
  const inputs = new Set([...outputs].flatMap((o) => Object.keys(meta.outputs[o]!.inputs)));
  return { outputs, inputs, externals };
}

test('a file audit loads a few bundled modules and none of the code only some runs use', async () => {
  const meta = await bundle({ write: false });
  const s = startup(meta);
  // esbuild makes one chunk per set of entry points sharing code, so the count moves when a lazily
  // loaded entry (plan, live, snapshot) starts sharing a module with the file audit (plan reads
  // model/families.ts since the one family inference): 7 now. What must not be here is checked below.
  assert.ok(s.outputs.size <= 8, `start-up loads ${s.outputs.size} modules: ${[...s.outputs].join(', ')}`);
  // What a file audit needs is there: every rule, the engine, the JSON report.
  const rules = readdirSync(`${root}src/rules`).filter((f) => f.endsWith('.ts'));
  for (const r of rules.filter((f) => !f.startsWith('helpers') && f !== 'types.ts')) assert.ok(s.inputs.has(`src/rules/${r}`), `src/rules/${r} is in the start-up bundle`);
  for (const f of ['src/engine/run.ts', 'src/report/json.ts', 'src/load/files.ts']) assert.ok(s.inputs.has(f), f);
  // What only some runs use is not.
  for (const f of ['src/cli/live.ts', 'src/cli/snapshot.ts', 'src/cli/cluster.ts', 'src/load/cluster.ts', 'src/load/resolve.ts']) assert.ok(!s.inputs.has(f), `${f} is loaded at start-up`);
  for (const f of s.inputs) assert.doesNotMatch(f, /node_modules\/(chalk|cli-table3|yaml|re2-wasm|@kubernetes)\//, `${f} is loaded at start-up`);
  for (const m of ['node:dns', 'dns', 'node:http', 'node:https', 'http', 'https', '@kubernetes/client-node', 'yaml', 're2-wasm', 'chalk', 'cli-table3']) {
    assert.ok(!s.externals.has(m), `${m} is imported at start-up`);
  }
  // ... but is in the bundle, in chunks loaded with import().
  const all = new Set(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)));
  for (const f of ['src/cli/live.ts', 'src/cli/snapshot.ts', 'src/load/resolve.ts']) assert.ok(all.has(f), `${f} is bundled`);
});

const bin = new URL('../bin/dualstack-audit.js', import.meta.url).pathname;
const skipLive = !hasOpenssl() ? 'openssl is not installed (needed to make the test CA)' : !existsSync(join(root, OUTDIR, 'cli.js')) ? 'no dist/bundle: npm run build' : false;

test('the built bin runs a live audit (cli/live chunk, client-node from node_modules) as the sources do', { skip: skipLive }, async () => {
  const srv = await startServer(clusterState(5));
  const dir = tempDir();
  try {
    const kc = writeKubeconfig(dir, [{ name: 'kind-dual-stack', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
    const env = { KUBECONFIG: kc, DUALSTACK_AUDIT_BACKOFF_MS: '5', HOME: dir };
    const args = ['-f', 'json', '--fail-on', 'never'];
    const built = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
    const source = await cli(args, env, dir);
    assert.equal(source.code, 0, source.stderr);
    const strip = (text: string): unknown => {
      const r = JSON.parse(text) as { stats: { durationMs?: number } };
      delete r.stats.durationMs;
      return r;
    };
    const report = strip(built.stdout) as { target: { mode: string }; findings: unknown[] };
    assert.equal(report.target.mode, 'cluster');
    assert.ok(report.findings.length > 0);
    assert.deepEqual(report, strip(source.stdout));
  } finally {
    await srv.close();
    removeDir(dir);
  }
});

test('the read worker (load/read-pool.ts) is its own bundle entry and loads only the reader, not the rules or the engine', async () => {
  const meta = await bundle({ write: false });
  const entry = `${OUTDIR}/read-worker.js`;
  assert.ok(meta.outputs[entry], `${entry} is an output`);
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const i of meta.outputs[f]!.imports) if (i.kind !== 'dynamic-import' && !i.external) todo.push(i.path);
  }
  const inputs = [...seen].flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
  assert.ok(inputs.includes('src/load/read-file.ts') && inputs.includes('src/yaml/fast.ts'));
  for (const f of inputs) assert.doesNotMatch(f, /^src\/(rules|engine|report|model\/build)/, `the read worker loads ${f}`);
});

const skipBuilt = !existsSync(join(root, OUTDIR, 'read-worker.js')) ? 'no dist/bundle: npm run build' : false;

test('the built bin reads with worker threads (DUALSTACK_AUDIT_READ_THREADS) and reports what it reports without them', { skip: skipBuilt }, async () => {
  const run = (threads: string): Promise<{ stdout: string; stderr: string }> =>
    promisify(execFile)(process.execPath, [bin, 'fixtures', '-f', 'json', '--fail-on', 'never'], { cwd: root, env: { ...process.env, DUALSTACK_AUDIT_READ_THREADS: threads }, maxBuffer: 64 << 20 });
  const strip = (text: string): unknown => {
    const r = JSON.parse(text) as { stats: { durationMs?: number } };
    delete r.stats.durationMs;
    return r;
  };
  const [inline, pooled] = await Promise.all([run('0'), run('2')]);
  // The workers did the reading: one that fails is a line on stderr (its files read on the main thread).
  assert.doesNotMatch(pooled.stderr, /read worker/);
  const report = strip(pooled.stdout) as { findings: unknown[] };
  assert.ok(report.findings.length > 50);
  assert.deepEqual(report, strip(inline.stdout));
  // A value that is not a number is a usage error: one line, exit 2.
  const bad = await run('many').then(() => assert.fail('exit 0'), (e: { code: number; stderr: string }) => e);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^dualstack-audit: DUALSTACK_AUDIT_READ_THREADS must be a whole number from 0 to 99 .*"many"\n$/);
});

// `dualstack-audit fix` end to end through the CLI on copies of the demo shop: --dry-run writes
// nothing and prints a diff that git apply accepts; a real run rewrites only what the diff said,
// re-audits, and a second run changes nothing; suppressed (baseline) findings are not fixed; a
// file that does not parse is left alone; stdin is never written; SARIF carries fixes[].

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main, type CliIO } from '../src/cli/index.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function demoCopy(): string {
  const d = mkdtempSync(join(tmpdir(), 'dsa-cli-fix-'));
  dirs.push(d);
  cpSync('fixtures/demo', join(d, 'demo'), { recursive: true });
  return d;
}

async function cli(cwd: string, args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; }, stderr: (s) => { err += s; },
    readStdin: async () => new TextEncoder().encode(stdin), env: {}, stdoutIsTTY: false, cwd,
  };
  const prev = process.cwd();
  process.chdir(cwd); // paths in findings are relative to the working directory, as in a real run
  try {
    return { code: await main(['node', 'dualstack-audit', ...args], io), out, err };
  } finally {
    process.chdir(prev);
  }
}

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(join(dir, 'demo')).sort().map((f) => [f, readFileSync(join(dir, 'demo', f), 'utf8')]));

test('fix --dry-run: nothing written, a diff git apply accepts, a summary with the reasons', async () => {
  const d = demoCopy();
  const before = snapshot(d);
  const r = await cli(d, ['fix', '--dry-run', 'demo']);
  assert.deepEqual(snapshot(d), before, 'dry run wrote nothing');
  assert.match(r.out, /^--- a\/demo\/[a-z-]+\.yaml\n\+\+\+ b\/demo\//);
  assert.match(r.out, /\+ {2}ipFamilyPolicy: PreferDualStack\n/);
  assert.match(r.err, /^\d+ files? would change, \d+ findings? would be fixed/);
  assert.match(r.err, /a suggestion \(apply with --suggestions\): \d+/);
  assert.match(r.err, /needs a value only a person knows: \d+/);
  assert.match(r.err, /gate (passed|failed)/);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  writeFileSync(join(d, 'fix.diff'), r.out);
  const check = spawnSync('git', ['apply', '--check', 'fix.diff'], { cwd: d, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('fix: writes what the dry run showed, re-audits, and a second run changes nothing', async () => {
  const d = demoCopy();
  const dry = await cli(d, ['fix', '--dry-run', '--suggestions', 'demo']);
  writeFileSync(join(d, 'fix.diff'), dry.out);
  const expected = demoCopy();
  assert.equal(spawnSync('git', ['apply', join(d, 'fix.diff')], { cwd: expected }).status, 0);
  const r = await cli(d, ['fix', '--suggestions', 'demo']);
  assert.equal(r.out, '', 'nothing on stdout without --dry-run');
  assert.deepEqual(snapshot(d), snapshot(expected), 'the files are what the diff said');
  assert.match(r.err, /^\d+ files? changed, \d+ findings? fixed/);
  const again = await cli(d, ['fix', '--suggestions', 'demo']);
  assert.match(again.err, /^0 files changed, 0 findings fixed/);
  assert.deepEqual(snapshot(d), snapshot(expected));
  // The exit code judges what is left: the same as a plain audit of the fixed files.
  const audit = await cli(d, ['demo', '-q']);
  assert.equal(again.code, audit.code);
});

test('fix: baseline-suppressed findings are not fixed; a file that does not parse is left alone', async () => {
  const d = demoCopy();
  const broken = 'apiVersion: v1\nkind: Service\nmetadata: {name: broken, namespace: shop}\nspec:\n  ports: [{port: 80}\n';
  writeFileSync(join(d, 'demo', 'zz-broken.yaml'), broken);
  const w = await cli(d, ['demo', '--write-baseline', 'base.json', '-q', '-f', 'json']);
  assert.ok(w.code === 0 || w.code === 1, w.err);
  const before = snapshot(d);
  const r = await cli(d, ['fix', '--baseline', 'base.json', '--suggestions', 'demo']);
  assert.deepEqual(snapshot(d), before);
  assert.match(r.err, /^0 files changed, 0 findings fixed, \d+ suppressed \(not fixed\)/);
  const r2 = await cli(d, ['fix', 'demo']);
  assert.equal(readFileSync(join(d, 'demo', 'zz-broken.yaml'), 'utf8'), broken);
  assert.match(r2.err, /^[1-9]\d* files? changed/);
  assert.equal(r2.code, 1, 'unparsable input still fails the gate');
});

test('fix -: stdin (or Helm output through it) is never written; the summary says why', async () => {
  const d = demoCopy();
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: postgres\n  namespace: shop\nspec:\n  selector: {app: postgres}\n  ports:\n  - port: 5432\n';
  const r = await cli(d, ['fix', '-'], `---\n# Source: shop/templates/postgres.yaml\n${svc}`);
  assert.match(r.err, /cannot write it back/);
  assert.match(r.err, /rendered by Helm: \d+\n {4}service-single-stack Service\/shop\/postgres: fix the chart template shop\/templates\/postgres\.yaml/);
  assert.equal(r.out, '');
  const none = await cli(d, ['fix']);
  assert.equal(none.code, 2);
});

test('audit -f sarif: results carry fixes[] with artifactChanges', async () => {
  const d = demoCopy();
  const r = await cli(d, ['demo', '-f', 'sarif']);
  const results = (JSON.parse(r.out) as { runs: { results: { fixes?: { artifactChanges: { artifactLocation: { uri: string } }[] }[] }[] }[] }).runs[0]!.results;
  const withFix = results.filter((x) => x.fixes);
  assert.ok(withFix.length >= 3, `${withFix.length} results with fixes`);
  assert.match(withFix[0]!.fixes![0]!.artifactChanges[0]!.artifactLocation.uri, /^demo\/[a-z-]+\.yaml$/);
});

test('fix --platform: says "this is GKE" as the audit does, so GKE rules fix a one-Service file; a bad name is a usage error', async () => {
  const d = mkdtempSync(join(tmpdir(), 'dsa-cli-fix-'));
  dirs.push(d);
  writeFileSync(join(d, 'web.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: LoadBalancer\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: web}\n  ports: [{port: 443}]\n');
  const gke = await cli(d, ['fix', '--dry-run', '--suggestions', '--rule', 'gke-lb-legacy-ipv4-only', '--platform', 'gke', 'web.yaml']);
  assert.match(gke.out, /^\+ {4}cloud\.google\.com\/l4-rbs: enabled$/m, gke.err);
  const generic = await cli(d, ['fix', '--dry-run', '--suggestions', '--rule', 'gke-lb-legacy-ipv4-only', '--platform', 'generic', 'web.yaml']);
  assert.equal(generic.out, '', 'no GKE evidence and --platform generic: the GKE rule does not judge the Service');
  const bad = await cli(d, ['fix', '--platform', 'bogus', 'web.yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--platform must be one of gke\|generic/);
  assert.equal(readFileSync(join(d, 'web.yaml'), 'utf8').includes('l4-rbs'), false, 'a dry run writes nothing');
});

// End to end through the CLI: main() with an injected io, and once through the real bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';

const root = new URL('..', import.meta.url).pathname;
const DEMO = join(root, 'fixtures/demo');

interface Run { code: number; out: string; err: string }

async function cli(args: string[], opts: { stdin?: string; env?: Record<string, string>; tty?: boolean } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    readStdin: async () => new TextEncoder().encode(opts.stdin ?? ''),
    env: opts.env ?? {},
    stdoutIsTTY: opts.tty ?? false,
  };
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

test('demo: the findings a platform engineer should see, and the gate fails', async () => {
  const r = await cli([DEMO, '-f', 'json']);
  assert.equal(r.code, 1);
  const rep = JSON.parse(r.out);
  // Folded consequences (engine/fold.ts) count: dns-aaaa-coverage is told inside service-single-stack's finding.
  const ids = new Set(rep.findings.flatMap((f: { ruleId: string; related?: { ruleId: string }[] }) => [f.ruleId, ...(f.related ?? []).map((x) => x.ruleId)]));
  for (const id of ['service-ip-config-rejected', 'service-single-stack', 'service-load-balancer-ip-deprecated',
    'service-lb-source-ranges-single-family', 'service-hardcoded-cluster-ip', 'dns-aaaa-coverage']) {
    assert.ok(ids.has(id), `expected a ${id} finding`);
  }
  const rejected = rep.findings.find((f: { ruleId: string }) => f.ruleId === 'service-ip-config-rejected');
  assert.equal(rejected.severity, 'critical');
  assert.equal(rejected.location.file.endsWith('fixtures/demo/api.yaml'), true);
  assert.equal(rejected.location.line, 25);
  assert.deepEqual(rejected.resource, { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'api' });
  // every finding in the demo has a file:line:column
  for (const f of rep.findings) assert.ok(f.location && f.location.line > 0 && f.location.column > 0, JSON.stringify(f));
  assert.equal(rep.score.grade, 'D', 'a critical caps the grade at D (or the score is lower)');
});

test('json: the DESIGN.md section 6 contract', async () => {
  const r = await cli([DEMO, '-f', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0);
  const rep = JSON.parse(r.out);
  assert.equal(rep.schemaVersion, 1);
  assert.equal(rep.tool.name, 'dualstack-audit');
  assert.match(rep.tool.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(Object.keys(rep.target).sort(), ['clusterFamilies', 'familiesFrom', 'mode', 'platform', 'sources']);
  assert.equal(rep.target.mode, 'files');
  assert.deepEqual(rep.target.clusterFamilies, ['IPv4', 'IPv6']);
  assert.equal(rep.target.familiesFrom, 'default');
  assert.equal(typeof rep.score.overall, 'number');
  for (const c of ['cluster', 'addressing', 'services', 'dns', 'policy', 'workloads']) {
    assert.ok(c in rep.score.categories, c);
    assert.deepEqual(Object.keys(rep.score.categories[c]).slice(0, 4), ['score', 'passed', 'failed', 'notEvaluated']);
  }
  const api = rep.services.find((s: { name: string }) => s.name === 'api');
  assert.deepEqual(api.declared, { ipFamilies: ['IPv4', 'IPv6'] });
  assert.equal(api.effective, null);
  assert.equal(api.rejected.field, 'spec.ipFamilyPolicy');
  const cart = rep.services.find((s: { name: string }) => s.name === 'cart');
  assert.deepEqual(cart.effective, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] });
  assert.deepEqual(cart.dns, { A: true, AAAA: true });
  const ext = rep.services.find((s: { name: string }) => s.name === 'payments-provider');
  assert.equal(ext.type, 'ExternalName');
  assert.equal(ext.effective, null);
  assert.deepEqual(rep.dns.withoutAAAA.sort(), ['frontend.shop.svc', 'payments-cache.shop.svc', 'postgres.shop.svc']);
  assert.equal(rep.dns.services, 4);
  assert.ok(rep.stats.files >= 7 && rep.stats.resources >= 12 && rep.stats.durationMs >= 0);
});

test('--cluster-families changes the verdict and is reported as the source', async () => {
  const r = await cli([DEMO, '-f', 'json', '--cluster-families', 'ipv4']);
  const rep = JSON.parse(r.out);
  assert.equal(rep.target.familiesFrom, 'flag');
  assert.deepEqual(rep.target.clusterFamilies, ['IPv4']);
  const cart = rep.services.find((s: { name: string }) => s.name === 'cart');
  assert.deepEqual(cart.effective, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] });
});

test('--fail-on and --min-score drive the exit code', async () => {
  assert.equal((await cli([DEMO, '--fail-on', 'critical', '-q'])).code, 1);
  assert.equal((await cli([DEMO, '--fail-on', 'never', '-q'])).code, 0);
  assert.equal((await cli([DEMO, '--fail-on', 'never', '--min-score', '99', '-q'])).code, 1);
  assert.equal((await cli([DEMO, '--fail-on', 'never', '--min-score', '1', '-q'])).code, 0);
  assert.equal((await cli([DEMO, '--rule', 'service-load-balancer-ip-deprecated', '--fail-on', 'high', '-q'])).code, 0, 'only a low finding');
  assert.equal((await cli([DEMO, '--rule', 'service-load-balancer-ip-deprecated', '--fail-on', 'low', '-q'])).code, 1);
  const without = JSON.parse((await cli([DEMO, '-f', 'json', '--disable-rule', 'service-ip-config-rejected', '--disable-rule', 'dns-aaaa-coverage'])).out);
  assert.ok(without.findings.every((f: { ruleId: string }) => f.ruleId !== 'service-ip-config-rejected' && f.ruleId !== 'dns-aaaa-coverage'));
  assert.ok(without.findings.length > 0);
});

test('--rule runs only that rule; --severity overrides it', async () => {
  const r = await cli([DEMO, '-f', 'json', '--rule', 'service-single-stack', '--severity', 'service-single-stack=low']);
  const rep = JSON.parse(r.out);
  assert.deepEqual([...new Set(rep.findings.map((f: { ruleId: string }) => f.ruleId))], ['service-single-stack']);
  assert.ok(rep.findings.every((f: { severity: string }) => f.severity === 'low'));
  assert.equal(r.code, 0);
});

test('text report: phases, file:line, score table and gate; colour only when asked', async () => {
  const plain = await cli([DEMO]);
  assert.match(plain.out, /services\n {2}\S*api\.yaml\n {4}25:1 +critical +service-ip-config-rejected/);
  assert.match(plain.out, /Score [\d.]+, grade D/);
  assert.match(plain.out, /Gate failed: /);
  assert.match(plain.out, /DNS: 1 of 4 Services get an AAAA record \(25%\)/);
  assert.ok(!plain.out.includes('\u001b['), 'no ANSI when not a TTY');
  assert.ok(!(await cli([DEMO], { tty: true, env: { NO_COLOR: '1' } })).out.includes('\u001b['), 'NO_COLOR wins over a TTY');
  assert.ok((await cli([DEMO], { tty: false, env: { FORCE_COLOR: '1' } })).out.includes('\u001b['), 'FORCE_COLOR');
  assert.ok((await cli([DEMO, '--color', 'always'])).out.includes('\u001b['));
  assert.ok(!(await cli([DEMO, '--color', 'never'], { tty: true, env: { FORCE_COLOR: '1' } })).out.includes('\u001b['));
});

test('stdin, and bad YAML in one document loses none of the others', async () => {
  const yaml = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}}\n---\nkind: [\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {selector: {app: b}}\n';
  const r = await cli(['-', '-f', 'json'], { stdin: yaml });
  const rep = JSON.parse(r.out);
  assert.deepEqual(rep.services.map((s: { name: string }) => s.name), ['a', 'b']);
  assert.equal(rep.problems.length, 1);
  assert.equal(rep.problems[0].file, '<stdin>');
  assert.equal(rep.problems[0].line, 6);
  assert.equal(r.code, 1, 'an unparsable manifest fails the gate');
  const t = await cli(['-'], { stdin: yaml });
  assert.match(t.out, /error <stdin>:6:\d+: invalid YAML: /);
});

test('usage errors: one line, exit 2, no stack trace', async () => {
  for (const args of [
    [DEMO, '--cluster-families', 'ipv5'],
    [DEMO, '--rule', 'no-such-rule'],
    [DEMO, '--severity', 'service-single-stack=urgent'],
    [DEMO, '--min-score', 'abc'],
    [join(root, 'no/such/dir')],
    [],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
    assert.equal(r.out, '');
  }
  const bad = await cli([DEMO, '--format', 'yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /yaml/);
});

test('-o writes the report to a file and prints a one-line summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-cli-'));
  try {
    const file = join(dir, 'r.json');
    const r = await cli([DEMO, '-f', 'json', '-o', file]);
    assert.equal(r.out, '');
    assert.match(r.err, /^Wrote .*r\.json: score [\d.]+ \(D\), \d+ findings; gate failed\n$/);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).schemaVersion, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules and explain', async () => {
  const list = await cli(['rules']);
  assert.equal(list.code, 0);
  assert.match(list.out, /^service-single-stack +services +medium +Services that stay single-stack/m);
  const json = JSON.parse((await cli(['rules', '-f', 'json'])).out);
  assert.ok(json.some((m: { id: string }) => m.id === 'service-ip-config-rejected'));
  const ex = await cli(['explain', 'service-single-stack']);
  assert.equal(ex.code, 0);
  assert.match(ex.out, /^# service-single-stack/);
  assert.match(ex.out, /## Why it matters/);
  const unknown = await cli(['explain', 'nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown rule "nope"/);
});

test('the installed bin runs the compiled CLI and sets the exit code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-bin-'));
  try {
    writeFileSync(join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: ok}\n');
    const ok = spawnSync(process.execPath, [join(root, 'bin/dualstack-audit.js'), dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Gate passed/);
    const bad = spawnSync(process.execPath, [join(root, 'bin/dualstack-audit.js'), DEMO], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    const usage = spawnSync(process.execPath, [join(root, 'bin/dualstack-audit.js'), '--cluster-families', 'x', DEMO], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.equal(usage.stderr.trim().split('\n').length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a closed pipe (| head) ends the run quietly, without a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-pipe-'));
  try {
    // Enough findings that the report is far larger than a pipe's buffer.
    const svcs = [...Array(3000)].map((_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {selector: {app: a}}\n`).join('---\n');
    writeFileSync(join(dir, 'many.yaml'), svcs);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${join(root, 'bin/dualstack-audit.js')}" "${dir}" | head -c 10`], { encoding: 'utf8' });
    assert.equal(r.stdout.length, 10);
    assert.equal(r.stderr, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

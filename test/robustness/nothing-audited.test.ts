// A gate that evaluated nothing must not pass (issue 20): empty stdin, an empty directory, a file
// of only non-Kubernetes documents, and rule selections that leave nothing to run exit 2 with the
// reason, whatever --fail-on and --min-score say.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsa-nothing-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const svc = join(dir, 'svc.yaml');
writeFileSync(svc, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ipFamilyPolicy: PreferDualStack\n  ports:\n  - port: 80\n');
const empty = join(dir, 'empty');
mkdirSync(empty);
const values = join(dir, 'values.yaml');
writeFileSync(values, 'replicaCount: 2\nimage:\n  tag: v1\n');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; }, stderr: (s) => { err += s; },
    readStdin: async () => Buffer.from(stdin), env: {}, stdoutIsTTY: false, cwd: dir,
  };
  return { code: await main(['node', 'dualstack-audit', ...args], io), out, err };
}

const cases: [string, string[], RegExp][] = [
  ['empty stdin with --min-score', ['--min-score', '80', '-'], /no Kubernetes objects in the input \(1 file read\)/],
  ['stdin of comments only', ['--fail-on', 'never', '-'], /no Kubernetes objects in the input/],
  ['an empty directory', [empty], /no Kubernetes objects in the input \(0 files read\)/],
  ['Helm values only', [values], /1 document without apiVersion\/kind skipped/],
  ['--rule X --disable-rule X', ['--rule', 'service-single-stack', '--disable-rule', 'service-single-stack', svc], /no rule left to run/],
];

for (const [name, args, re] of cases) {
  test(`nothing evaluated exits 2: ${name}`, async () => {
    const r = await run(args, name.includes('comments') ? '# nothing\n---\n...\n' : '');
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^dualstack-audit: nothing to audit: /m);
    assert.match(r.err, re);
    // The text report says so too, instead of "Gate passed".
    assert.doesNotMatch(r.out, /Gate passed/);
  });
}

// --allow-empty (the pre-commit hook's entry: a commit may change only a workflow or Helm values).
const allowed: [string, string[], RegExp][] = [
  ['an empty directory', [empty], /no Kubernetes objects in the input \(0 files read\)/],
  ['Helm values only', [values], /1 document without apiVersion\/kind skipped/],
  ['Helm values as JSON', ['-f', 'json', values], /no Kubernetes objects in the input/],
];
for (const [name, args, re] of allowed) {
  test(`--allow-empty: nothing to audit passes (exit 0) and says why: ${name}`, async () => {
    const r = await run(['--allow-empty', ...args]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^dualstack-audit: nothing to audit: .*; passed \(--allow-empty\)$/m);
    assert.match(r.err, re);
    if (!args.includes('json')) assert.match(r.out, /Gate passed \(--allow-empty\): nothing to audit: /);
  });
}

test('--allow-empty does not pass rules all turned off, or an input that does not parse', async () => {
  const off = await run(['--allow-empty', '--rule', 'service-single-stack', '--disable-rule', 'service-single-stack', svc]);
  assert.equal(off.code, 2, off.err);
  assert.match(off.err, /no rule left to run/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'a: [\n');
  // Unreadable input is not "empty": nothing was audited, exit 2 as without --allow-empty, whatever --fail-on says.
  const broken = await run(['--allow-empty', bad]);
  assert.equal(broken.code, 2, broken.err);
  assert.match(broken.out, /Gate failed: .*1 input problem/);
  const advisory = await run(['--allow-empty', '--fail-on', 'never', bad]);
  assert.equal(advisory.code, 2, advisory.err);
  assert.match(advisory.err, /nothing to audit: no Kubernetes object could be read \(1 input problem\)/);
  // -q: the verdict is in the report; nothing on stderr.
  const quiet = await run(['--allow-empty', '-q', values]);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.err, '');
});

test('something evaluated still passes or fails as before', async () => {
  const r = await run(['--fail-on', 'never', svc]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Gate passed/);
});

// Writing and flags (issue 20), through the installed entry point (bin/, dist/ built by
// `npm run build`) where the real stdout matters, else main() in-process:
// - stdout on a full disk (/dev/full) is one line and exit 2, not an uncaught ENOSPC stack trace;
// - `-f json | head` keeps the gate's exit code (1), it exited 0;
// - -o / --write-baseline naming an input is refused before anything is written;
// - --min-score takes plain decimals only; -n "shop, web" is trimmed.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.ts';
import type { Report } from '../../src/engine/types.ts';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin/dualstack-audit.js');
const built = existsSync(join(root, 'dist/bundle/cli.js'));
const noDist = built ? false : 'dist/ is not built (npm run build)';
const dir = mkdtempSync(join(tmpdir(), 'dsa-write-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const svc = (name: string, ns = 'shop'): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  type: LoadBalancer\n  selector: {app: a}\n  ports:\n  - port: 80\n---\n`;
const many = join(dir, 'many.yaml');
writeFileSync(many, Array.from({ length: 3000 }, (_, i) => svc(`s${i}`)).join(''));
const small = join(dir, 'small.yaml');
writeFileSync(small, svc('a', 'shop') + svc('b', 'web') + svc('c', 'other'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: dir };
  return { code: await main(['node', 'dualstack-audit', ...args], io), out, err };
}

test('stdout on a full disk: one line, exit 2', { skip: noDist || (existsSync('/dev/full') ? false : 'no /dev/full') }, () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" -f json "${small}" >/dev/full`], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'dualstack-audit: cannot write the report to stdout: no space left on device\n');
});

test('-f json | head keeps the failed gate\'s exit code', { skip: noDist }, () => {
  // pipefail is not POSIX sh: the pipeline's first status is read from a file.
  const status = join(dir, 'status');
  const r = spawnSync('sh', ['-c', `("${process.execPath}" "${bin}" -f json "${many}"; echo $? > "${status}") | head -c 10`], { encoding: 'utf8' });
  assert.equal(r.stdout.length, 10);
  assert.equal(r.stderr, '');
  assert.equal(readFileSync(status, 'utf8').trim(), '1');
});

test('-o or --write-baseline naming an input is refused, and nothing is written', async () => {
  const before = readFileSync(small, 'utf8');
  for (const args of [['-o', small, small], ['-o', 'small.yaml', dir], ['--write-baseline', small, dir], ['-o', `${dir}/../${dir.split('/').pop()}/small.yaml`, small]]) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /would overwrite the input/);
    assert.equal(readFileSync(small, 'utf8'), before);
  }
  // A new file, or one no walk reads, is fine.
  const ok = await run(['-f', 'json', '--fail-on', 'never', '-o', join(dir, 'report.json'), small]);
  assert.equal(ok.code, 0, ok.err);
});

test('--min-score takes plain decimals from 0 to 100 only', async () => {
  for (const bad of ['', '0x10', ' 50', '50 ', '1e1', '+5', '-0', '101', 'NaN', 'Infinity', '5.']) {
    const r = await run(['--min-score', bad, small]);
    assert.equal(r.code, 2, `"${bad}" accepted`);
    assert.match(r.err, /--min-score must be a number from 0 to 100/);
  }
  for (const good of ['0', '50', '72.5', '100']) {
    const r = await run(['--fail-on', 'never', '--min-score', good, small]);
    assert.notEqual(r.code, 2, `"${good}" refused: ${r.err}`);
  }
});

test('-n and --exclude-namespace lists are trimmed', async () => {
  const r = await run(['-f', 'json', '--fail-on', 'never', '-n', 'shop, web', small]);
  const names = (JSON.parse(r.out) as Report).findings.map((f) => f.resource.name);
  assert.ok(names.includes('a') && names.includes('b') && !names.includes('c'), names.join(' '));
  const x = await run(['-f', 'json', '--fail-on', 'never', '--exclude-namespace', 'shop, web', small]);
  const xs = (JSON.parse(x.out) as Report).findings.map((f) => f.resource.name);
  assert.ok(!xs.includes('a') && !xs.includes('b') && xs.includes('c'), xs.join(' '));
});

test('--exclude and --follow-symlinks reach the directory walk', async () => {
  const r = await run(['-f', 'json', '--fail-on', 'never', '--exclude', 'many.yaml', '--exclude', '*.json', dir]);
  const names = new Set((JSON.parse(r.out) as Report).findings.map((f) => f.resource.name));
  assert.ok(names.has('a') && !names.has('s1'), 'many.yaml was not excluded');
});

test('an unreadable path alone on the command line exits 2', async () => {
  const bin2 = join(dir, 'bin.yaml');
  writeFileSync(bin2, Buffer.from([0x80, 0, 0xff, 1]));
  const r = await run([bin2]);
  assert.equal(r.code, 2, r.err);
});

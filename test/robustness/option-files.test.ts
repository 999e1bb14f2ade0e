// Files given to options (-c, --baseline, --cloud-armor, --kubeconfig) and stdin get the manifest
// reader's checks (issue 20): a device such as /dev/zero is refused instead of read forever, a
// FIFO is refused instead of blocking, an oversized stdin is refused with a clear message. Each
// case: exit 2 (or a fatal problem for stdin) with one line naming the option and the file.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.ts';
import { readStreamCapped, InputTooLargeError } from '../../src/load/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsa-optfiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const manifest = join(dir, 'svc.yaml');
writeFileSync(manifest, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n');
const fifo = join(dir, 'fifo');
const mk = spawnSync('mkfifo', [fifo]);

export async function runCli(args: string[], opts: { stdin?: Uint8Array; cwd?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    readStdin: async () => opts.stdin ?? new Uint8Array(),
    env: {},
    stdoutIsTTY: false,
    cwd: opts.cwd ?? dir,
  };
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

const oneLine = (err: string): void => {
  assert.equal(err.trimEnd().split('\n').length, 1, `not one line: ${err}`);
  assert.doesNotMatch(err, /internal error|\n\s+at /);
};

const cases: [string, (f: string) => string[], RegExp][] = [
  ['-c', (f) => ['-c', f, manifest], /cannot read config .*: not a regular file \((a device|a FIFO)\)/],
  ['--baseline', (f) => ['--baseline', f, manifest], /cannot read baseline .*: not a regular file \((a device|a FIFO)\)/],
  ['--cloud-armor', (f) => ['--cloud-armor', f, manifest], /--cloud-armor: cannot read: not a regular file \((a device|a FIFO)\)/],
  ['--kubeconfig', (f) => ['--kubeconfig', f], /cannot load kubeconfig .*: not a regular file \((a device|a FIFO)\)/],
];

for (const [flag, args, re] of cases) {
  test(`${flag} /dev/zero is refused, not read forever`, async () => {
    const r = await runCli(args('/dev/zero'));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
    oneLine(r.err);
  });
  test(`${flag} FIFO is refused without blocking`, { skip: mk.status !== 0 ? 'mkfifo not available' : false }, async () => {
    const r = await runCli(args(fifo));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
    oneLine(r.err);
  });
}

test('an option file above the size limit is refused', async () => {
  const big = join(dir, 'big.yaml');
  // A sparse file: its size is what fstat reports, no bytes are written.
  writeFileSync(big, '');
  spawnSync('truncate', ['-s', `${65 * 1024 * 1024}`, big]);
  try {
    const r = await runCli(['-c', big, manifest]);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read config .*: file too large \(68157440 bytes, the limit is 67108864\)/);
    oneLine(r.err);
  } finally {
    rmSync(big, { force: true });
  }
});

test('stdin is capped while it is read, with a clear message', async () => {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < 100; i++) yield Buffer.alloc(1024, 0x61);
  }
  await assert.rejects(readStreamCapped(chunks(), 10 * 1024), (e: unknown) => e instanceof InputTooLargeError && /more than 10240 bytes/.test((e as Error).message));
  assert.equal((await readStreamCapped(chunks(), 200 * 1024)).length, 100 * 1024);
});

test('stdin above the limit is a fatal problem of <stdin>, not an internal error', async () => {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < 100; i++) yield Buffer.alloc(1024, 0x61);
  }
  let out = '';
  let err = '';
  const code = await main(['node', 'dualstack-audit', '-f', 'json', '-'], {
    stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, env: {}, stdoutIsTTY: false, cwd: dir,
    readStdin: () => readStreamCapped(chunks(), 10 * 1024),
  });
  assert.notEqual(code, 0);
  assert.doesNotMatch(err, /internal error/);
  assert.match(out + err, /<stdin>.*too large: more than 10240 bytes \(the limit for one input\): not read|too large: more than 10240 bytes/);
});

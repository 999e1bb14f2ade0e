// Documents kubectl keeps are kept, documents kubectl refuses are problems (issue 20). Each case is
// read by the loader and, where kubectl is installed, by `kubectl label --local -f FILE x=y -o name`
// (client-side only, no cluster): every object kubectl applies is audited here, and a file kubectl
// refuses has a fatal problem with its line.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { splitJsonValues } from '../../src/load/kubectl-stream.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsa-kstream-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const cm = (name: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;
const json = (name: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

interface Case {
  name: string;
  file: string;
  bytes: Buffer;
  /** Objects audited here. */
  kept: string[];
  /** A problem: its line, whether fatal, and its message. */
  problem?: { line: number; fatal: boolean; message: RegExp };
}

const cases: Case[] = [
  { name: 'a BOM at the start of a later document', file: 'bom.yaml', bytes: Buffer.from(`${cm('a')}---\n\uFEFF${cm('b')}`), kept: ['a', 'b'] },
  { name: '`...` end markers', file: 'dots.yaml', bytes: Buffer.from(`${cm('a')}...\n---\n${cm('b')}...\n`), kept: ['a', 'b'] },
  {
    name: 'content after `...` (kubectl ignores it)', file: 'dots2.yaml', bytes: Buffer.from(`${cm('a')}...\n${cm('b')}---\n${cm('c')}`), kept: ['a', 'c'],
    problem: { line: 6, fatal: false, message: /content after a `\.\.\.` document end marker/ },
  },
  {
    name: 'CR-only line ends', file: 'cr.yaml', bytes: Buffer.from(`${cm('a')}---\n${cm('b')}`.replace(/\n/g, '\r')), kept: ['a', 'b'],
    problem: { line: 1, fatal: false, message: /CR only/ },
  },
  { name: 'concatenated JSON objects', file: 'cat.json', bytes: Buffer.from(`${json('a')}\n${json('b')}${json('c')}`), kept: ['a', 'b', 'c'] },
  {
    name: 'invalid UTF-8 in one document', file: 'utf.yaml', bytes: Buffer.concat([Buffer.from(`${cm('a')}---\n${cm('b', 'data:\n  x: "')}`), Buffer.from([0xff, 0xfe]), Buffer.from(`"\n---\n${cm('c')}`)]),
    kept: ['a', 'b', 'c'], problem: { line: 11, fatal: false, message: /not valid UTF-8/ },
  },
  {
    name: 'a NUL byte in a later document', file: 'nul.yaml', bytes: Buffer.from(`${cm('a')}---\n${cm('b', 'data:\n  x: "\0"\n')}---\n${cm('c')}`),
    kept: ['a', 'c'], problem: { line: 11, fatal: true, message: /control characters are not allowed \(a NUL byte\)/ },
  },
  {
    name: 'a NUL byte in the first 8 KB of valid UTF-8', file: 'nul1.yaml', bytes: Buffer.from(`${cm('a', 'data:\n  x: "\0"\n')}---\n${cm('b')}`),
    kept: ['b'], problem: { line: 6, fatal: true, message: /NUL byte/ },
  },
  {
    name: 'an unquoted template placeholder (a flow mapping as a key)', file: 'tmpl.yaml',
    bytes: Buffer.from(`${cm('a', '  annotations:\n    linkerd.io/inject: {{args.enabled}}\n')}---\n${cm('b')}`), kept: ['b'],
    problem: { line: 6, fatal: true, message: /invalid map key: a mapping used as a map key/ },
  },
  { name: 'a null key', file: 'null.yaml', bytes: Buffer.from(`${cm('a', 'data:\n  ~: x\n')}---\n${cm('b')}`), kept: ['b'], problem: { line: 6, fatal: true, message: /null map key/ } },
  { name: 'a sequence key', file: 'seq.yaml', bytes: Buffer.from(`${cm('a', 'data:\n  [x, y]: z\n')}---\n${cm('b')}`), kept: ['b'], problem: { line: 6, fatal: true, message: /sequence used as a map key/ } },
  {
    // The fast reader reads these documents itself and tells the loader which keys need a second look.
    name: 'a plain null key in two documents', file: 'null2.yaml', bytes: Buffer.from(`${cm('a', 'data:\n  null: x\n')}---\n${cm('b', 'data:\n  k: v\n  null: y\n')}---\n${cm('c')}`),
    kept: ['c'], problem: { line: 6, fatal: true, message: /null map key/ },
  },
  { name: 'a plain key with a comma is fine', file: 'comma.yaml', bytes: Buffer.from(cm('a', 'data:\n  a,b: x\n  "": y\n')), kept: ['a'] },
  { name: 'quoted "null" and "a,b" keys are fine', file: 'quoted.yaml', bytes: Buffer.from(cm('a', 'data:\n  "null": x\n  "a,b": y\n  1.5: z\n')), kept: ['a'] },
];

for (const c of cases) {
  test(`kubectl's reading: ${c.name}`, async () => {
    const f = join(dir, c.file);
    writeFileSync(f, c.bytes);
    const r = await loadPaths([f]);
    assert.deepEqual(r.documents.map((d) => (d.object.metadata as { name: string }).name), c.kept);
    if (c.problem) {
      const p = r.problems.find((x) => c.problem!.message.test(x.message));
      assert.ok(p, JSON.stringify(r.problems));
      assert.equal(p.line, c.problem.line);
      assert.equal(p.fatal, c.problem.fatal);
      assert.ok(!p.message.includes('\n'));
    } else {
      assert.deepEqual(r.problems, []);
    }
    if (!hasKubectl) return;
    const k = spawnSync('kubectl', ['label', '--local', '-f', f, 'x=y', '-o', 'name'], { encoding: 'utf8', timeout: 60_000 });
    const applied = k.stdout.split('\n').filter(Boolean).map((l) => l.replace(/^configmap\//, ''));
    // Every object kubectl applies is audited (kubectl stops at the first refused document).
    for (const n of applied) assert.ok(c.kept.includes(n), `kubectl applies ${n}, the audit lost it`);
    // kubectl refuses a file exactly when the audit has a fatal problem.
    assert.equal(k.status !== 0, c.problem?.fatal === true, `kubectl exit ${k.status}: ${k.stderr}`);
  });
}

test('positions after a removed BOM and in a CR-only file are editor positions', async () => {
  const f = join(dir, 'pos.yaml');
  writeFileSync(f, `${cm('a')}---\n\uFEFF${cm('b', 'data:\n  k: v\n')}`);
  const r = await loadPaths([f]);
  const b = r.documents.find((d) => (d.object.metadata as { name: string }).name === 'b')!;
  assert.deepEqual(r.locator.locate(b.source!, ['data', 'k']), { file: r.locator.locate(b.source!, [])!.file, line: 11, column: 3 });
  const g = join(dir, 'pos-cr.yaml');
  writeFileSync(g, `${cm('a')}---\n${cm('b', 'data:\n  k: v\n')}`.replace(/\n/g, '\r'));
  const r2 = await loadPaths([g]);
  const b2 = r2.documents.find((d) => (d.object.metadata as { name: string }).name === 'b')!;
  assert.equal(r2.locator.locate(b2.source!, ['data', 'k'])?.line, 11);
});

test('splitJsonValues: braces in strings, escapes, and text that is not a JSON stream', () => {
  assert.deepEqual(splitJsonValues('{"a":"}{\\"}"} {"b":[{}]}'), [[0, 13], [14, 24]]);
  assert.equal(splitJsonValues('{"a":1}\n'), undefined);
  assert.equal(splitJsonValues('a: 1\n'), undefined);
  assert.deepEqual(splitJsonValues('{"a":1} junk'), [[0, 7], [8, 12]]);
});

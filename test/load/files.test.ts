import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeText, displayName, displayNamer, loadPaths } from '../../src/load/files.ts';
import { splitDocuments } from '../../src/yaml/stream.ts';
import { setFlagsFromString } from 'node:v8';

function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsa-load-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const SVC = (name: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n`;

test('decodeText: ASCII (read as Latin-1), UTF-8, BOMs, NUL bytes and invalid bytes give the text UTF-8 decoding gives', () => {
  const cases: [string, Buffer, string | undefined][] = [
    ['ASCII', Buffer.from('a: 1\nb: "x"\n'), 'a: 1\nb: "x"\n'],
    ['ASCII after a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]), 'a: 1\n'],
    ['ASCII with a NUL byte', Buffer.from('a: "\0"\n'), 'a: "\0"\n'],
    ['ASCII with DEL and controls', Buffer.from('a: "\x7f\x01"\n'), 'a: "\x7f\x01"\n'],
    ['UTF-8', Buffer.from('a: "é ✓ 😀"\n'), 'a: "é ✓ 😀"\n'],
    ['a real U+FFFD', Buffer.from('a: "\uFFFD"\n'), 'a: "\uFFFD"\n'],
    ['Latin-1 bytes (not UTF-8)', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]), undefined],
    ['empty', Buffer.alloc(0), ''],
  ];
  for (const [name, buf, want] of cases) {
    const d = decodeText(buf);
    assert.equal(d.text, want, name);
    if (want === undefined) assert.match(d.error ?? '', /not valid UTF-8/, name);
    else if (want.length > 0 && !want.includes('\uFFFD')) assert.equal(d.text, buf.toString('utf8').replace(/^\uFEFF/, ''), name);
  }
});

test('displayNamer names files as displayName does', () => {
  const cwd = process.cwd();
  const names = ['a.yaml', 'd/a.yaml', './a.yaml', './d/e/a.yaml', '../a.yaml', '../../x/a.yaml', 'd/../a.yaml', 'd//a.yaml', 'd/./a.yaml',
    '.bench/docs/a.yaml', '.hidden.yaml', '..hidden.yaml', 'd/..x/a.yaml', '..x/a.yaml', 'a\\b.yaml', '/a.yaml', '/tmp/x/a.yaml',
    join(cwd, 'a.yaml'), join(cwd, 'd', 'e', 'a.yaml'), join(cwd, '..hidden.yaml'), join(cwd, '..x', 'a.yaml'), `${cwd}/./d/a.yaml`,
    join(cwd, '..', 'a.yaml'), 'd/..', 'd/.', '.', '..', 'd/'];
  const named = displayNamer();
  for (const round of [1, 2]) for (const n of names) assert.equal(named(n), displayName(n), `${n} (round ${round})`);
});

test('splitDocuments splits at column-0 markers only', () => {
  const chunks = splitDocuments('a: 1\n---\nb: |\n  ---\n  x\n--- # c\nc: 3\n');
  assert.equal(chunks.length, 3);
  assert.deepEqual(chunks.map((c) => c.lineOffset), [0, 1, 5]);
});

test('multi-document files, positions of keys and of nearest ancestors', withDir({
  'a.yaml': `# leading comment\n${SVC('one')}---\n${SVC('two')}  ports:\n  - port: 80\n`,
}, async (dir) => {
  const r = await loadPaths([join(dir, 'a.yaml')]);
  assert.equal(r.documents.length, 2);
  assert.equal(r.stats.documents, 2);
  const [one, two] = r.documents;
  assert.deepEqual(r.locator.locate(one!.source!, ['spec', 'selector']), { file: r.documents[0]!.source!.file, line: 7, column: 3 });
  assert.equal(r.locator.locate(one!.source!, ['metadata', 'name'])?.line, 5);
  // absent field: nearest existing ancestor (spec)
  assert.equal(r.locator.locate(one!.source!, ['spec', 'ipFamilyPolicy'])?.line, 6);
  assert.equal(r.locator.locate(two!.source!, ['spec', 'ports', 0, 'port'])?.line, 16);
  assert.equal(r.locator.locate(two!.source!, ['spec', 'ports', 0, 'port'])?.column, 5);
  assert.equal(r.locator.locate(two!.source!, [])?.line, 9);
}));

test('a bad document is a problem with its line; the others are still read', withDir({
  'bad.yaml': `${SVC('ok1')}---\napiVersion: v1\nkind: Service\nmetadata: {name: [unclosed\n---\n${SVC('ok2')}`,
}, async (dir) => {
  const r = await loadPaths([join(dir, 'bad.yaml')]);
  assert.deepEqual(r.documents.map((d) => (d.object.metadata as { name: string }).name), ['ok1', 'ok2']);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0]!;
  assert.ok(p.fatal);
  assert.ok(p.file?.endsWith('bad.yaml'));
  assert.equal(p.line, 10);
  assert.match(p.message, /^invalid YAML: /);
  assert.ok(!p.message.includes('\n'));
}));

test('kind: List and *List are expanded, with positions inside items', withDir({
  'list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${SVC('a').split('\n').join('\n  ').trimEnd()}\n- ${SVC('b').split('\n').join('\n  ').trimEnd()}\n`,
  'svclist.json': JSON.stringify({ apiVersion: 'v1', kind: 'ServiceList', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' } }] }, null, 2),
}, async (dir) => {
  const r = await loadPaths([dir]);
  assert.deepEqual(r.documents.map((d) => (d.object.metadata as { name: string }).name).sort(), ['a', 'b', 'c']);
  const b = r.documents.find((d) => (d.object.metadata as { name: string }).name === 'b')!;
  assert.equal(b.source!.item, 1);
  assert.equal(r.locator.locate(b.source!, ['spec', 'selector'])?.line, 15);
  assert.equal(r.stats.resources, 3);
}));

test('Helm # Source: comments name the template in findings', withDir({
  'rendered.yaml': `---\n# Source: chart/templates/a.yaml\n${SVC('a')}---\n# Source: chart/templates/b.yaml\n${SVC('b')}`,
}, async (dir) => {
  const r = await loadPaths([join(dir, 'rendered.yaml')]);
  const b = r.documents[1]!;
  const loc = r.locator.locate(b.source!, ['spec', 'selector'])!;
  assert.equal(loc.file, 'chart/templates/b.yaml');
  assert.equal(loc.rendered?.line, 16);
  assert.equal(loc.line, 8); // counted from the document's --- line
}));

test('YAML without apiVersion/kind is skipped and counted; directories are recursive and sorted', withDir({
  'values.yaml': 'replicaCount: 2\nimage: {tag: x}\n',
  'sub/deep/svc.yml': SVC('deep'),
  'notes.txt': 'not read',
  '.git/svc.yaml': SVC('hidden'),
  '.github/kind.yaml': SVC('github'),
  'empty.yaml': '',
  'comments.yaml': '# only\n# comments\n',
}, async (dir) => {
  const r = await loadPaths([dir]);
  assert.deepEqual(r.documents.map((d) => (d.object.metadata as { name: string }).name), ['github', 'deep']);
  assert.equal(r.stats.skipped, 1);
  assert.equal(r.stats.files, 5);
  assert.deepEqual(r.problems, []);
}));

test('stdin is read once and named <stdin>', async () => {
  const r = await loadPaths(['-'], { readStdin: async () => new TextEncoder().encode(SVC('s')) });
  assert.equal(r.documents[0]!.source!.file, '<stdin>');
  assert.equal(r.locator.locate(r.documents[0]!.source!, ['spec'])?.line, 5);
});

test('a missing path and a binary file are problems, not crashes', withDir({
  'bin.yaml': '\u0000\u0001\u0002',
  'ok.yaml': SVC('ok'),
}, async (dir) => {
  const r = await loadPaths([join(dir, 'nope.yaml'), dir]);
  assert.equal(r.documents.length, 1);
  const msgs = r.problems.map((p) => p.message);
  assert.ok(msgs.some((m) => m.includes('no such file')));
  // NUL bytes in valid UTF-8: the document holding them is refused, as kubectl refuses it
  // (bytes that are not UTF-8 as well are a binary file: test/robustness/cases.test.ts).
  assert.ok(msgs.some((m) => m.includes('control characters are not allowed (a NUL byte)')));
}));

test('the sources of List items share one hidden class (V8: %HaveSameMap)', async () => {
  // 50 files: a class per object showed from a few dozen Lists on (a spread's inline cache gone megamorphic).
  const files: Record<string, string> = {};
  for (let f = 0; f < 50; f++) {
    files[`l${f}.yaml`] = `apiVersion: v1\nkind: List\nitems:\n${['a', 'b', 'c'].map((n) => `- {apiVersion: v1, kind: Service, metadata: {name: ${n}}}\n`).join('')}---\n${SVC('x')}`;
  }
  await withDir(files, async (dir) => {
    setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const r = await loadPaths([dir]);
    const sources = r.documents.map((d) => d.source!).filter((s) => s.item !== undefined);
    assert.equal(sources.length, 150);
    assert.deepEqual(sources.filter((s) => !sameMap(s, sources[0]!)).length, 0);
  })();
});

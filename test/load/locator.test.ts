// The Locator over the packed file table (load/chunk-table.ts) gives the positions the decoded
// text itself gives, for every way a chunk is found again: ASCII and UTF-8 files small (read
// whole) and large (read by byte range), with and without a BOM, UTF-16, JSON streams, stdin,
// Lists, Helm sources, files named by an absolute path in the cwd or by a path that is not
// normalized, a file that changed since it was read, and the Services whose texts the read kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { locateInChunk, parseStream, type ChunkSpan } from '../../src/yaml/stream.ts';
import type { JsonPath } from '../../src/model/types.ts';

// Not a Service: the read keeps Services' texts (read-file.ts KEPT_KINDS), and these tests are
// about finding a chunk again in its file. The last test is about the kept texts.
const svc = (name: string, note = '', kind = 'ConfigMap'): string =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  annotations:\n    note: "${note}"\nspec:\n  selector: {app: ${name}}\n  ports:\n  - port: 80\n    name: http\n`;

/** Over 256 KiB (files.ts WHOLE_READ_BYTES), so its chunks are read again by range. */
const large = (prefix: string, note: string): string => {
  const docs: string[] = [];
  for (let i = 0, n = 0; n < 300 * 1024; i++) {
    docs.push(svc(`${prefix}-${i}`, `${note}${'x'.repeat(i % 50)}`));
    n += docs.at(-1)!.length + 4;
  }
  return docs.join('---\n');
};

const PATHS: JsonPath[] = [[], ['spec', 'selector'], ['spec', 'ports', 0, 'port'], ['metadata', 'annotations', 'note'], ['metadata', 'name']];

const spansOf = new Map<string, readonly ChunkSpan[]>();

/** Where `path` of document `doc` is, from the decoded text alone (no Locator). */
function expected(text: string, file: string, doc: number, item: number | undefined, p: JsonPath): { line: number; column: number } {
  if (file.endsWith('.json')) {
    // A JSON stream of one value a line and then one value over the other lines.
    const nl = text.indexOf('\n') + 1;
    const chunk = doc === 0 ? { start: 0, end: nl, lineOffset: 0 } : { start: nl, end: text.length, lineOffset: 1 };
    return locateInChunk({ ...chunk, text: text.slice(chunk.start, chunk.end) }, p);
  }
  const spans = spansOf.get(text) ?? parseStream(text, file).spans;
  spansOf.set(text, spans);
  const span = spans[doc]!;
  return locateInChunk({ ...span, text: text.slice(span.start, span.end) }, item === undefined ? p : ['items', item, ...p]);
}

function utf16le(s: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
}

test('the packed Locator gives the text\'s own positions in every layout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-locator-'));
  try {
    const texts: Record<string, string> = {
      'a-small.yaml': `${svc('a')}---\n${svc('b')}`,
      'b-large-ascii.yaml': large('asc', 'plain'),
      'c-large-utf8.yaml': large('utf', 'grüße ✓ 𝄞'),
      'd-large-bom.yaml': large('bom', 'ünïcödé'),
      'e-small-utf8.yaml': `${svc('u', 'ça')}---\n${svc('v', 'ß')}`,
      'g-list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${svc('l0').trimEnd().split('\n').join('\n  ')}\n- ${svc('l1').trimEnd().split('\n').join('\n  ')}\n`,
      'h-json-stream.json': '{"apiVersion":"v1","kind":"Service","metadata":{"name":"j0"},"spec":{"selector":{"app":"j"},"ports":[{"port":80}]}}\n'
        + '{"apiVersion": "v1",\n "kind": "Service",\n "metadata": {"name": "j1"},\n "spec": {"selector": {"app": "j"}, "ports": [{"port": 80}]}}\n',
    };
    for (const [name, text] of Object.entries(texts)) {
      writeFileSync(join(dir, name), name.includes('bom') ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : text);
    }
    const utf16 = large('u16', 'wide ✓');
    writeFileSync(join(dir, 'f-utf16.yaml'), utf16le(utf16));
    texts['f-utf16.yaml'] = utf16;
    const stdin = `${svc('s0', 'é')}---\n${svc('s1')}`;
    const r = await loadPaths([dir, '-'], { readStdin: async () => new TextEncoder().encode(stdin) });
    assert.deepEqual(r.problems, []);
    const textOf = (file: string): string => (file === '<stdin>' ? stdin : texts[file.slice(file.lastIndexOf('/') + 1)]!);
    const seen = new Set<string>();
    let checked = 0;
    // Ask in reading order and then again backwards (the Locator's caches serve the first order).
    for (const docs of [r.documents, [...r.documents].reverse()]) {
      for (const d of docs) {
        const src = d.source!;
        seen.add(src.file.slice(src.file.lastIndexOf('/') + 1));
        for (const p of PATHS) {
          const got = r.locator.locate(src, p);
          const want = expected(textOf(src.file), src.file, src.doc, src.item, p);
          assert.deepEqual(got, { file: src.file, line: want.line, column: want.column }, `${src.file} doc ${src.doc} item ${src.item} ${p.join('.')}`);
          checked++;
        }
      }
    }
    assert.deepEqual([...seen].sort(), [...Object.keys(texts), '<stdin>'].sort());
    assert.ok(checked > 1000, `${checked} positions`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Helm sources, an unknown file or document, and a file changed since it was read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-locator-'));
  try {
    const rendered = `---\n# Source: chart/templates/a.yaml\n${svc('a')}---\n# Source: chart/templates/b.yaml\n${svc('b')}`;
    writeFileSync(join(dir, 'rendered.yaml'), rendered);
    const r = await loadPaths([dir]);
    const b = r.documents.find((d) => (d.object.metadata as { name: string }).name === 'b')!;
    assert.deepEqual(r.locator.locate(b.source!, ['spec', 'selector']), { file: 'chart/templates/b.yaml', line: 10, column: 3, rendered: { file: b.source!.file, line: 23 } });
    assert.equal(r.locator.locate({ file: join(dir, 'none.yaml'), doc: 0 }, []), undefined);
    assert.equal(r.locator.locate({ ...b.source!, doc: 99 }, []), undefined);
    assert.equal(r.locator.locate({ ...b.source!, doc: -1 }, []), undefined);
    // Changed after the read (a large file read by range, a small one read whole): the
    // document's first line, not a position in the new text.
    for (const name of ['big.yaml', 'small.yaml']) {
      const orig = name === 'big.yaml' ? large('big2', 'ü') : `${svc('s0')}---\n${svc('s1')}`;
      writeFileSync(join(dir, name), orig);
      const r2 = await loadPaths([join(dir, name)]);
      const doc = r2.documents.at(-1)!.source!;
      writeFileSync(join(dir, name), `# changed\n${orig}`);
      const first = parseStream(orig, name).spans[doc.doc]!.lineOffset + 1;
      assert.ok(first > 1);
      assert.deepEqual(r2.locator.locate(doc, ['spec', 'selector']), { file: doc.file, line: first, column: 1 }, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files named by an absolute path in the cwd, or by a path that is not normalized, are read again', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'dsa-locator-')));
  const cwd = process.cwd();
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'x.yaml'), `${svc('x0')}---\n${svc('x1')}`);
    writeFileSync(join(dir, 'sub', 'y.yaml'), large('y', 'ü'));
    let asked = 0;
    for (const given of [join(dir, 'sub'), `${dir}/sub/./x.yaml`, `${dir}//sub/y.yaml`]) {
      process.chdir(dir);
      const r = await loadPaths([given]);
      process.chdir(cwd); // positions are asked for after a change of directory too
      assert.deepEqual(r.problems, []);
      for (const d of r.documents) {
        assert.ok(d.source!.file.startsWith('sub/'), d.source!.file);
        const text = readFileSync(join(dir, d.source!.file), 'utf8');
        const want = expected(text, d.source!.file, d.source!.doc, undefined, ['spec', 'ports', 0, 'port']);
        assert.deepEqual(r.locator.locate(d.source!, ['spec', 'ports', 0, 'port']), { file: d.source!.file, ...want }, given);
        asked++;
      }
    }
    assert.ok(asked > 100, `${asked}`);
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Service\'s positions come from its text as read, without the file (small, large, UTF-8, List items excepted)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-locator-'));
  try {
    const texts: Record<string, string> = {
      'small.yaml': `${svc('a', '', 'Service')}---\n${svc('c0')}---\n${svc('b', 'ça ✓', 'Service')}`,
      'large.yaml': `${large('big', 'ü')}---\n${svc('last', '𝄞', 'Service')}`,
      'list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${svc('l0', '', 'Service').trimEnd().split('\n').join('\n  ')}\n`,
    };
    for (const [name, text] of Object.entries(texts)) writeFileSync(join(dir, name), text);
    const r = await loadPaths([dir]);
    assert.deepEqual(r.problems, []);
    const want = new Map<string, { line: number; column: number }>();
    for (const d of r.documents) {
      const text = texts[d.source!.file.split('/').pop()!]!;
      for (const p of PATHS) want.set(`${d.source!.file}#${d.source!.doc}#${d.source!.item}#${p.join('.')}`, expected(text, d.source!.file, d.source!.doc, d.source!.item, p));
    }
    // Gone after the read: a Service that is a document of its own is still found; the others
    // (a ConfigMap, a Service in a List) fall back to nothing, as any file that vanished does.
    for (const name of Object.keys(texts)) rmSync(join(dir, name));
    let services = 0;
    for (const d of r.documents) {
      const kind = d.object.kind;
      for (const p of PATHS) {
        const got = r.locator.locate(d.source!, p);
        const key = `${d.source!.file}#${d.source!.doc}#${d.source!.item}#${p.join('.')}`;
        if (kind === 'Service' && d.source!.item === undefined) {
          assert.deepEqual(got, { file: d.source!.file, ...want.get(key)! }, key);
          services++;
        } else if (p.length > 0) {
          assert.notDeepEqual(got, { file: d.source!.file, ...want.get(key)! }, `${key}: found without its file`);
        }
      }
    }
    assert.equal(services, 3 * PATHS.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The read worker threads (load/read-pool.ts) give the read a run without them gives: the same
// documents (deeply, `__proto__` keys included), problems, statistics and
// positions, in the same order, over the fixtures and over a directory of every kind of file the
// reader treats apart (encodings, JSON streams, Corefiles, refused keys, binary and unreadable
// files, Lists, Helm sources). Real worker threads: from the TypeScript sources, they register tsx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPaths, type LoadResult } from '../../src/load/files.ts';
import { moduleWorker } from '../../src/load/module-worker.ts';
import { fileReads, nextBatchFiles, readThreads, READ_THREADS_MIN_CPUS, READ_THREADS_MIN_FILES } from '../../src/load/read-pool.ts';
import type { InputDocument, JsonPath } from '../../src/model/types.ts';
import { tempDir, removeTempDir } from '../helpers/temp.ts';

const svc = (name: string, extra = ''): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels: {app: ${name}, team: platform-networking-ipv6}\nspec:\n  selector: {app: ${name}}\n  ports:\n  - port: 80\n    name: http\n${extra}`;

/** A directory of more files than a few batches, with every case the reader treats apart. */
function mixedDir(): string {
  const dir = tempDir('dsa-pool-');
  mkdirSync(join(dir, 'sub'));
  for (let i = 0; i < 300; i++) {
    const name = join(dir, i % 3 === 0 ? 'sub' : '', `f${String(i).padStart(3, '0')}.yaml`);
    switch (i % 15) {
      case 0: writeFileSync(name, `${svc(`a${i}`)}---\n${svc(`b${i}`)}`); break;
      case 1: writeFileSync(name, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(svc(`bom${i}`, '  # ünïcödé\n'))])); break;
      case 2: writeFileSync(name, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(svc(`u16-${i}`), 'utf16le')])); break;
      case 3: writeFileSync(name, `${svc(`crlf${i}`)}`.replace(/\n/g, '\r\n')); break;
      case 4: writeFileSync(name, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd${i}}\ndata:\n  __proto__: x\n  inf: .inf\nbinaryData: {}\nnum: -0.0\nnan: .nan\n`); break;
      case 5: writeFileSync(name, `apiVersion: v1\nkind: List\nitems:\n- ${svc(`l${i}`).replace(/\n(?!$)/g, '\n  ')}- {kind: Service}\n`); break;
      case 6: writeFileSync(name, `---\n# Source: chart/templates/svc.yaml\n${svc(`h${i}`)}---\n# Source: chart/templates/other.yaml\n${svc(`h2-${i}`)}`); break;
      case 7: writeFileSync(name, `apiVersion: v1\nkind: Service\nmetadata: {name: k${i}}\nspec:\n  ? [a, b]\n  : 1\n`); break;
      case 8: writeFileSync(name, `${svc(`bad${i}`)}---\nkind: [unclosed\n---\n${svc(`after${i}`)}`); break;
      case 9: writeFileSync(name, Buffer.from([0x61, 0x3a, 0x20, 0x00, 0x01, 0xff, 0xfe, 0x00, 0x02])); break;
      case 10: writeFileSync(name, Buffer.concat([Buffer.from(svc(`inv${i}`)), Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a])])); break;
      case 11: writeFileSync(name.replace(/\.yaml$/, '.json'), `${JSON.stringify(JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: `j${i}` } })))}\n{"apiVersion": "v1", "kind": "Service",\n "metadata": {"name": "j2-${i}"}}\n`); break;
      case 12: writeFileSync(name, `# only a comment\n---\n---\n`); break;
      case 13: writeFileSync(name, `${svc(`wide${i}`, `  externalName: "${'é'.repeat(40)}"\n`)}`); break;
      default: writeFileSync(name, svc(`plain${i}`, `  clusterIP: 10.0.0.${i % 250}\n`));
    }
  }
  writeFileSync(join(dir, 'sub', 'my.Corefile'), '.:53 {\n    forward . 8.8.8.8\n}\n');
  writeFileSync(join(dir, 'unreadable.yaml'), svc('secret'));
  chmodSync(join(dir, 'unreadable.yaml'), 0o000);
  symlinkSync(join(dir, 'missing-target.yaml'), join(dir, 'dangling.yaml'));
  return dir;
}

const PATHS: JsonPath[] = [[], ['metadata', 'name'], ['spec', 'ports', 0, 'port'], ['metadata', 'labels', 'team'], ['spec', 'externalName']];

async function read(paths: string[], readThreads: number): Promise<{ documents: InputDocument[]; result: LoadResult; positions: unknown[] }> {
  const documents: InputDocument[] = [];
  // A worker that fails leaves its files to this thread with the same result: so that the
  // comparison below compares the workers' reads, none may fail here.
  const failures: string[] = [];
  const result = await loadPaths(paths, { readThreads, onDocument: (d) => { documents.push(d); }, onReadWorkerError: (m) => { failures.push(m); } });
  assert.deepStrictEqual(failures, [], `read worker failures with ${readThreads} threads`);
  const positions = documents.flatMap((d) => PATHS.map((p) => result.locator.locate(d.source!, p)));
  return { documents, result, positions };
}

async function assertSameRead(paths: string[]): Promise<number> {
  const inline = await read(paths, 0);
  assert.ok(inline.documents.length > 0);
  for (const threads of [1, 2]) {
    const pooled = await read(paths, threads);
    assert.deepStrictEqual(pooled.documents, inline.documents, `documents with ${threads} read threads`);
    assert.deepStrictEqual(pooled.result.problems, inline.result.problems, `problems with ${threads} read threads`);
    assert.deepStrictEqual(pooled.result.stats, inline.result.stats, `stats with ${threads} read threads`);
    assert.deepStrictEqual(pooled.positions, inline.positions, `positions with ${threads} read threads`);
  }
  return inline.documents.length;
}

test('read threads: the fixtures read the same with 0, 1 and 2 worker threads (documents, problems, stats, positions)', async () => {
  const n = await assertSameRead(['fixtures']);
  assert.ok(n > 100, `${n} documents`);
});

test('read threads: every kind of file the reader treats apart reads the same with worker threads, in the same order', async () => {
  const dir = mixedDir();
  try {
    await assertSameRead([dir]);
    const { documents, result } = await read([dir], 1);
    // The cases are there: a `__proto__` key (an own property, not the prototype), a refused key, binary and unreadable files.
    const odd = documents.find((d) => (d.object.metadata as { name?: string } | undefined)?.name === 'odd4')!.object as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(odd.data as object), ['__proto__', 'inf']);
    assert.equal(Object.getPrototypeOf(odd.data), Object.prototype);
    assert.ok(documents.some((d) => d.object.kind === 'Corefile'));
    const messages = result.problems.map((p) => `${p.file}: ${p.message}`).join('\n');
    assert.match(messages, /f009\.yaml: binary file/);
    assert.match(messages, /f007\.yaml: .*key/i);
    assert.match(messages, /dangling\.yaml/);
    if (process.getuid?.() !== 0) assert.match(messages, /unreadable\.yaml: cannot read: permission denied/);
  } finally {
    removeTempDir(dir);
  }
});

test('read threads: stdin among the paths is read on the main thread, in its place between the files the workers read', async () => {
  const dir = mixedDir();
  try {
    const stdin = Buffer.from(`${svc('from-stdin')}---\n${svc('from-stdin-2')}`);
    const load = async (readThreads: number): Promise<{ names: unknown[]; result: LoadResult }> => {
      const names: unknown[] = [];
      const result = await loadPaths([join(dir, 'sub'), '-', dir], { readThreads, readStdin: async () => stdin, onDocument: (d) => { names.push([d.source, (d.object.metadata as { name?: string } | undefined)?.name]); } });
      return { names, result };
    };
    const inline = await load(0);
    const pooled = await load(1);
    assert.deepStrictEqual(pooled.names, inline.names);
    assert.deepStrictEqual(pooled.result.problems, inline.result.problems);
    assert.deepStrictEqual(pooled.result.stats, inline.result.stats);
    const at = inline.names.findIndex((n) => (n as [unknown, string])[1] === 'from-stdin');
    assert.ok(at > 0 && at < inline.names.length - 1, 'stdin between the two directories');
    assert.deepStrictEqual(pooled.result.locator.locate({ file: '<stdin>', doc: 1 }, ['metadata', 'name']), { file: '<stdin>', line: 15, column: 3 });
  } finally {
    removeTempDir(dir);
  }
});

test('read threads: a worker that fails to start or dies leaves its files to the main thread, with the same result', async () => {
  const dir = mixedDir();
  try {
    const files: string[] = [];
    for (let i = 0; i < 300; i++) files.push(join(dir, i % 3 === 0 ? 'sub' : '', `f${String(i).padStart(3, '0')}.${i % 15 === 11 ? 'json' : 'yaml'}`));
    const all = (reads: ReturnType<typeof fileReads>): Promise<unknown[]> => (async () => {
      const out: unknown[] = [];
      try {
        for (let i = 0; i < files.length; i++) out.push(await reads.next());
      } finally {
        reads.close();
      }
      return out;
    })();
    const name = (f: string): string => f;
    const expected = await all(fileReads(files, name, 1 << 20, 0));
    // A worker whose module throws at once, and one that answers nothing and exits after its first message.
    const failing = (): Worker => new Worker('throw new Error("no worker today")', { eval: true });
    const dying = (): Worker => new Worker('require("node:worker_threads").parentPort.once("message", () => process.exit(3))', { eval: true });
    const errors: string[] = [];
    const onError = (m: string): void => { errors.push(m); };
    assert.deepStrictEqual(await all(fileReads(files, name, 1 << 20, 1, { start: failing, onError })), expected);
    assert.deepStrictEqual(errors, ['no worker today']);
    errors.length = 0;
    assert.deepStrictEqual(await all(fileReads(files, name, 1 << 20, 2, { start: dying, onError })), expected);
    assert.deepStrictEqual(errors, ['exited (code 3)', 'exited (code 3)']);
    errors.length = 0;
    // One good worker and one that dies: the good one's batches come from it, the other's inline.
    let k = 0;
    const mixed = (): Worker => (k++ === 0 ? fileReadsWorker() : dying());
    assert.deepStrictEqual(await all(fileReads(files, name, 1 << 20, 2, { start: mixed, onError })), expected);
    assert.deepStrictEqual(errors, ['exited (code 3)']);
    errors.length = 0;
    // A worker that cannot be made at all.
    const none = (): Worker => { throw new Error('no threads here'); };
    assert.deepStrictEqual(await all(fileReads(files, name, 1 << 20, 1, { start: none, onError })), expected);
    assert.deepStrictEqual(errors, ['cannot start: no threads here']);
    // And the real worker, which must not fail.
    errors.length = 0;
    assert.deepStrictEqual(await all(fileReads(files, name, 1 << 20, 2, { start: fileReadsWorker, onError })), expected);
    assert.deepStrictEqual(errors, []);
    // A worker slower than the main thread (its requests held 20 ms): the main thread reads most
    // batches itself, ahead of their turn, and still hands the files out in order.
    let slowAhead = 0;
    const slow = (): Worker => {
      const w = fileReadsWorker();
      const post = w.postMessage.bind(w);
      w.postMessage = (m: unknown) => { setTimeout(() => post(m), 20); };
      return w;
    };
    const slowReads = fileReads(files, name, 1 << 20, 1, { start: slow, onError });
    const got: unknown[] = [];
    try {
      for (let i = 0; i < files.length; i++) got.push(await slowReads.next());
      slowAhead = slowReads.readAhead();
    } finally {
      slowReads.close();
    }
    assert.deepStrictEqual(got, expected);
    assert.deepStrictEqual(errors, []);
    assert.ok(slowAhead > 0 && slowAhead < files.length, `files read ahead by the main thread: ${slowAhead}`);
  } finally {
    removeTempDir(dir);
  }
});

/** The real read worker, started as read-pool.ts starts it from the sources. */
function fileReadsWorker(): Worker {
  return moduleWorker(new URL('../../src/load/read-worker.ts', import.meta.url).href);
}

test('read threads: none for a small input or below READ_THREADS_MIN_CPUS CPUs unless asked, two otherwise; the number asked', () => {
  assert.equal(readThreads(undefined, READ_THREADS_MIN_FILES - 1, 64), 0);
  assert.equal(readThreads(undefined, 100_000, READ_THREADS_MIN_CPUS - 1), 0);
  assert.equal(readThreads(undefined, READ_THREADS_MIN_FILES, READ_THREADS_MIN_CPUS), 2);
  assert.equal(readThreads(undefined, 100_000, 64), 2);
  assert.equal(readThreads(0, 100_000, 64), 0);
  assert.equal(readThreads(3, 1, 1), 3);
});

test('read threads: batches hold about a megabyte of files, so large files are not read far ahead of the main thread', async () => {
  assert.equal(nextBatchFiles(0, 0), 8, 'the first batch is small');
  assert.equal(nextBatchFiles(8, 8 * 2000), 64, 'small files: 64 a batch');
  assert.equal(nextBatchFiles(8, 8 * 240_000), 4, '240 KB files: 4 a batch');
  assert.equal(nextBatchFiles(1, 50_000_000), 1, 'a 50 MB file: alone');
  // Through the real worker: 120 files of ~240 KB each go out in batches of a few files after the first.
  const dir = tempDir('dsa-pool-big-');
  try {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: NAME}\ndata:\n  blob: "${'x'.repeat(240_000)}"\n`;
    const files: string[] = [];
    for (let i = 0; i < 120; i++) {
      const f = join(dir, `cm${String(i).padStart(3, '0')}.yaml`);
      writeFileSync(f, big.replace('NAME', `cm${i}`));
      files.push(f);
    }
    const sizes: number[] = [];
    const counting = (): Worker => {
      const w = fileReadsWorker();
      const post = w.postMessage.bind(w);
      w.postMessage = (m: { files: string[] }) => { sizes.push(m.files.length); post(m); };
      return w;
    };
    const errors: string[] = [];
    const reads = fileReads(files, (f) => f, 1 << 30, 2, { start: counting, onError: (m) => { errors.push(m); } });
    let docs = 0;
    try {
      for (let i = 0; i < files.length; i++) docs += (await reads.next()).docs.length;
    } finally {
      reads.close();
    }
    assert.equal(docs, 120);
    assert.deepStrictEqual(errors, []);
    // The main thread reads some batches itself while it waits (the first at once: no answer can
    // have arrived when the first file is asked for); every other file is asked of a worker once.
    assert.ok(reads.readAhead() > 0, 'the main thread read ahead while it waited');
    assert.equal(sizes.reduce((a, b) => a + b, 0) + reads.readAhead(), 120, 'every file read once');
    assert.ok(sizes.slice(6).every((n) => n <= 5), `batch sizes ${sizes.join(',')}`);
  } finally {
    removeTempDir(dir);
  }
});

// The files of a run, read in order: inline, or by worker threads for large inputs.
//
// Reading, decoding and parsing the YAML is about 40% of a large audit's CPU (docs/performance.md,
// "Where the time and the memory go"), and it is per file: a worker thread (read-worker.ts) can do
// it while the main thread builds the model from the files before. The worker posts each batch's
// FileReads (plain data: a structured clone is ~7% of the parse's cost and keeps every value as
// parsed, `__proto__` keys included); the main thread takes them in file order,
// so the run's output does not depend on threads. Batches are asked for a few at a time, so a
// worker that is faster than the main thread does not queue the whole input in memory; when the
// main thread is the faster one, it reads the next batches itself instead of waiting (a few
// ahead of their turn), so neither thread idles while the other works.
//
// Anything a worker cannot do (it fails to start, a file makes it throw, a batch cannot be
// cloned, it exits) falls back to reading those files inline: the same function, so the same
// result or the same error as a run without threads.

import type { Worker } from 'node:worker_threads';
import { moduleWorker } from './module-worker.ts';
import { availableParallelism } from 'node:os';
import { readManifestFile, type FileRead } from './read-file.ts';
import { stringSharer } from '../yaml/fast.ts';

/** Fewer files than this are read inline: starting a worker costs ~40 ms (the one-file audit's start-up target). */
export const READ_THREADS_MIN_FILES = 256;
/**
 * A batch (one message each way) holds up to BATCH_FILES files and about BATCH_BYTES of them,
 * sized from the files of the last answer (the first batch is small); AHEAD batches per worker are
 * asked for before they are needed. So what is read ahead is bounded in bytes, not only in files:
 * 64 files of 240 KB each, three batches ahead for two workers, took a streaming read from 175 to
 * 790 MiB of RSS before the bound.
 */
const BATCH_FILES = 64;
const FIRST_BATCH_FILES = 8;
const BATCH_BYTES = 1 << 20;
const AHEAD = 3;
/** Batches the main thread may read ahead of its turn while it waits for a worker. */
const READ_AHEAD_INLINE = 4;

/** How many files the next batch gets, from the last answer's files and bytes. */
export function nextBatchFiles(files: number, bytes: number): number {
  if (files <= 0) return FIRST_BATCH_FILES;
  const perFile = Math.max(1, bytes / files);
  return Math.max(1, Math.min(BATCH_FILES, Math.floor(BATCH_BYTES / perFile)));
}

/** A worker's answer for one batch: per file, its read, or null where the worker threw (read again inline). */
export interface BatchAnswer {
  readonly batch: number;
  readonly reads: (FileRead | null)[] | null;
  /** The sizes of the files read, summed (for the next batch's size). */
  readonly bytes: number;
  /** What went wrong where a read is null, or the batch could not be posted. */
  readonly errors?: readonly string[];
}

export interface BatchRequest {
  readonly batch: number;
  readonly files: readonly string[];
  readonly names: readonly string[];
  readonly maxBytes: number;
}

/** Below this many CPUs a large input is still read on the main thread unless asked otherwise. */
export const READ_THREADS_MIN_CPUS = 4;

/**
 * Worker threads for a large input: two on a machine with READ_THREADS_MIN_CPUS CPUs or more,
 * none below. Measured at 100,000 documents on 2 CPUs (docs/performance.md, item 33): the main
 * thread's CPU time is 40% lower with a worker (10.4-11.5 s against 17.5-18.8 s inline) and the
 * whole process's about the same (the worker's parse replaces the main thread's, plus ~4% for the
 * structured clones). With a CPU free for the worker the audit finishes sooner (18.7 -> 16.0 s on
 * this machine idle); with the two CPUs shared with other work it did not, and at 10,000
 * documents it was slower (4.4-4.9 -> 5.5-5.9 s) and took ~30 MB more. From four CPUs a worker
 * has a CPU of its own more often than not; the second gives slack. Measured again once the main
 * thread read while it waited (item 37): at 100k 14.5 against 16.2 s idle, 19.5 against 18.9 s
 * with one CPU busy elsewhere; at 30k and 10k slower (7.4 against 6.3 s, 3.4 against 3.1 s).
 */
export function readThreads(asked: number | undefined, files: number, cpus: number = availableParallelism()): number {
  if (asked !== undefined) return Math.max(0, Math.floor(asked));
  return files >= READ_THREADS_MIN_FILES && cpus >= READ_THREADS_MIN_CPUS ? 2 : 0;
}

export interface FileReads {
  /** The next file's read (a promise while its batch has not arrived). */
  next(): FileRead | Promise<FileRead>;
  /** Stops the workers (a run that ends early, or after the last file). */
  close(): void;
  /** How many files the main thread read ahead of their turn while it waited for a worker. */
  readAhead(): number;
}

/** A read worker: dist/bundle/read-worker.js built (its own esbuild entry), read-worker.ts beside this file in the sources. */
const startWorker = (): Worker => moduleWorker(new URL(import.meta.url.endsWith('.ts') ? './read-worker.ts' : './read-worker.js', import.meta.url).href);

export interface PoolOptions {
  /** Makes a worker (tests give one that fails). */
  readonly start?: () => Worker;
  /** A worker failed (did not start, threw, exited): its files are read inline; this says why. */
  readonly onError?: (message: string) => void;
}

/** Reads `files` in order, with `threads` worker threads (0: inline). */
export function fileReads(
  files: readonly string[], nameOf: (f: string) => string, maxBytes: number, threads: number, opts: PoolOptions = {},
): FileReads {
  const start = opts.start ?? startWorker;
  const failed = (why: string): void => opts.onError?.(why);
  let at = 0;
  const inline = (i: number): FileRead => readManifestFile(files[i]!, nameOf(files[i]!), maxBytes);
  const count = files.length === 0 ? 0 : threads;
  if (count === 0) {
    return { next: () => inline(at++), close: () => {}, readAhead: () => 0 };
  }

  // Batch b covers files [starts[b], starts[b + 1]) and went to worker owner[b] (-1: the main
  // thread reads it); its answer waits in `answers` until the main thread gets to it (null: read
  // its files inline when they are taken).
  const starts: number[] = [0];
  const owner: number[] = [];
  const answers = new Map<number, (FileRead | null)[] | null>();
  let waiting: { batch: number; resolve: () => void } | undefined;
  /** Batches made; the size of the next one. */
  let sent = 0;
  let size = nextBatchFiles(0, 0);
  /** The batch whose reads `next` is handing out, its reads, and whether a worker's clone made them. */
  let currentBatch = -1;
  let current: (FileRead | null)[] | null = null;
  let cloned = false;
  const workers: (Worker | undefined)[] = [];
  /** Per worker, the batches it was sent that the main thread has not taken yet (answered or not). */
  const outstanding: number[] = [];
  /** Batches the main thread read ahead while it waited, not taken yet; files it read so, in all. */
  let readAhead = 0;
  let readAheadFiles = 0;
  const share = documentSharer();
  const arrived = (batch: number, reads: (FileRead | null)[] | null): void => {
    if (batch <= currentBatch) return; // a late answer for a batch already read inline
    answers.set(batch, reads);
    if (waiting?.batch === batch) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  };
  /** Worker k is gone: what it was asked for and has not answered is read inline. */
  const lost = (k: number, why?: string): void => {
    if (workers[k] === undefined) return;
    workers[k] = undefined;
    if (why !== undefined) failed(why);
    for (let b = currentBatch + 1; b < sent; b++) if (owner[b] === k && !answers.has(b)) arrived(b, null);
  };
  for (let k = 0; k < count; k++) {
    outstanding.push(0);
    let w: Worker;
    try {
      w = start();
    } catch (e) {
      failed(`cannot start: ${oneLine(e)}`);
      continue; // read inline
    }
    workers[k] = w;
    w.on('message', (m: BatchAnswer) => {
      for (const e of m.errors ?? []) failed(e);
      if (m.reads) size = nextBatchFiles(m.reads.length, m.bytes);
      arrived(m.batch, m.reads);
    });
    w.on('messageerror', (e) => lost(k, `an answer could not be read: ${oneLine(e)}`));
    w.on('error', (e) => lost(k, oneLine(e)));
    w.on('exit', (code) => lost(k, `exited (code ${code})`));
  }
  /** The next batch of files, for worker k (-1: the main thread). */
  const newBatch = (k: number): number => {
    const batch = sent++;
    starts.push(Math.min(files.length, starts[batch]! + size));
    owner.push(k);
    return batch;
  };
  const unsent = (): boolean => starts[sent]! < files.length;
  // The next batches, each to the live worker with the fewest not yet taken, up to AHEAD each.
  const ask = (): void => {
    while (unsent()) {
      let k = -1;
      for (let j = 0; j < count; j++) if (workers[j] && outstanding[j]! < AHEAD && (k < 0 || outstanding[j]! < outstanding[k]!)) k = j;
      if (k < 0) return;
      const batch = newBatch(k);
      outstanding[k]!++;
      const slice = files.slice(starts[batch]!, starts[batch + 1]!);
      const request: BatchRequest = { batch, files: slice, names: slice.map(nameOf), maxBytes };
      workers[k]!.postMessage(request);
    }
  };
  ask();

  /**
   * The main thread would wait for a worker's answer: it reads the next batch no worker was sent
   * instead, and takes it in its turn (docs/performance.md, item 37). On two CPUs the main thread
   * needs about half the worker's time per file (the model intake against the read and the parse),
   * so it was idle half the read; now the two share the files as their speeds allow, on any load.
   * A file that makes the reader throw is read again in its turn, and throws there, as inline.
   */
  const readAheadInline = (): void => {
    const batch = newBatch(-1);
    const reads: (FileRead | null)[] = [];
    for (let i = starts[batch]!; i < starts[batch + 1]!; i++) {
      try {
        reads.push(inline(i));
      } catch {
        reads.push(null);
      }
    }
    answers.set(batch, reads);
    readAhead++;
    readAheadFiles += reads.length;
  };

  const take = (): FileRead => {
    const i = at++;
    const j = i - starts[currentBatch]!;
    const r = current ? current[j] : null;
    if (current) current[j] = null; // handed out: not kept by the batch
    if (r && cloned) for (const d of r.docs) if (d.value !== null && typeof d.value === 'object') share(d.value as Record<string, unknown>);
    return r ?? inline(i);
  };
  const next = (): FileRead | Promise<FileRead> => {
    if (currentBatch < 0 || at >= starts[currentBatch + 1]!) {
      const batch = currentBatch + 1;
      if (batch >= sent) answers.set(newBatch(-1), null); // no worker left to ask: read as taken
      if (!answers.has(batch)) {
        if (readAhead < READ_AHEAD_INLINE && unsent()) {
          readAheadInline();
          // A macrotask, not a microtask: the workers' answers arrive as events.
          return new Promise<void>((resolve) => setImmediate(resolve)).then(next);
        }
        return new Promise<void>((resolve) => { waiting = { batch, resolve }; }).then(next);
      }
      current = answers.get(batch)!;
      answers.delete(batch);
      currentBatch = batch;
      const k = owner[batch]!;
      cloned = k >= 0;
      if (k >= 0) outstanding[k]!--;
      else if (current !== null) readAhead--;
      ask();
    }
    return take();
  };
  return {
    next,
    readAhead: () => readAheadFiles,
    close() {
      // Whatever is still asked for is read inline (a run that stops early does not ask again).
      for (let k = 0; k < workers.length; k++) {
        const w = workers[k];
        lost(k);
        void w?.terminate();
      }
    },
  };
}

const oneLine = (e: unknown): string => String((e as Error | undefined)?.message ?? e).split('\n')[0]!;

/**
 * The string values of a document read by a worker, made one copy per text as the inline reader
 * makes them (yaml/fast.ts stringSharer): a structured clone gives every string of every document
 * a copy of its own, which at 100,000 documents kept ~80 MB more alive (images, label values,
 * names repeat from document to document). The table lives as long as the read.
 */
function documentSharer(): (o: Record<string, unknown> | unknown[]) => void {
  const shared = stringSharer();
  const walk = (o: Record<string, unknown> | unknown[]): void => {
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v = o[i];
        if (typeof v === 'string') {
          if (v.length >= 13) o[i] = shared(v);
        } else if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>);
      }
      return;
    }
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') {
        if (v.length >= 13) o[k] = shared(v);
      } else if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>);
    }
  };
  return walk;
}

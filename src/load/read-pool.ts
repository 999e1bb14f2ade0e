// The files of a run, read in order: inline, or by worker threads for large inputs.
//
// Reading, decoding and parsing the YAML is about 40% of a large audit's CPU (docs/performance.md,
// "Where the time and the memory go"), and it is per file: a worker thread (read-worker.ts) can do
// it while the main thread builds the model from the files before. The worker posts each batch's
// FileReads (plain data: a structured clone is ~7% of the parse's cost and keeps every value as
// parsed, `__proto__` keys included); the main thread takes them in file order,
// so the run's output does not depend on threads. Batches are asked for a few at a time, so a
// worker that is faster than the main thread does not queue the whole input in memory.
//
// Anything a worker cannot do (it fails to start, a file makes it throw, a batch cannot be
// cloned, it exits) falls back to reading those files inline: the same function, so the same
// result or the same error as a run without threads.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { readManifestFile, type FileRead } from './read-file.ts';

/** Fewer files than this are read inline: starting a worker costs ~40 ms (the one-file audit's start-up target). */
export const READ_THREADS_MIN_FILES = 256;
/** Files per message, and messages asked for ahead per worker. */
const BATCH_FILES = 64;
const AHEAD = 3;

/** A worker's answer for one batch: per file, its read, or null where the worker threw (read again inline). */
export interface BatchAnswer {
  readonly batch: number;
  readonly reads: readonly (FileRead | null)[] | null;
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
 * has a CPU of its own more often than not; the second gives slack.
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
}

/**
 * A read worker. Built, it is dist/bundle/read-worker.js (scripts/bundle.ts) or dist/src/load/
 * read-worker.js beside this file; run from the TypeScript sources (the tests, through tsx), the
 * worker registers tsx itself first: Node 20 does not run the parent's --import in a worker.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./read-worker.js', import.meta.url));
  const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./read-worker.ts', import.meta.url).href)}); })`;
  return new Worker(code, { eval: true });
}

/**
 * Reads `files` in order, with `threads` worker threads (0: inline). `start` makes a worker (tests
 * give one that fails).
 */
export function fileReads(
  files: readonly string[], nameOf: (f: string) => string, maxBytes: number, threads: number, start: () => Worker = startWorker,
): FileReads {
  let at = 0;
  const inline = (i: number): FileRead => readManifestFile(files[i]!, nameOf(files[i]!), maxBytes);
  const batches = Math.ceil(files.length / BATCH_FILES);
  const count = Math.min(threads, batches);
  if (count === 0) {
    return { next: () => inline(at++), close: () => {} };
  }

  // Per batch: its answer once it arrived (null: read it inline), and who waits for it.
  const answers = new Map<number, readonly (FileRead | null)[] | null>();
  let waiting: { batch: number; resolve: () => void } | undefined;
  let sent = 0;
  /** The batch whose reads `next` is handing out. */
  let currentBatch = -1;
  let current: readonly (FileRead | null)[] | null | undefined;
  const workers: (Worker | undefined)[] = [];
  const arrived = (batch: number, reads: readonly (FileRead | null)[] | null): void => {
    answers.set(batch, reads);
    if (waiting?.batch === batch) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  };
  const send = (k: number): void => {
    const batch = sent++;
    const w = workers[k];
    const slice = files.slice(batch * BATCH_FILES, (batch + 1) * BATCH_FILES);
    if (w === undefined) return arrived(batch, null);
    const request: BatchRequest = { batch, files: slice, names: slice.map(nameOf), maxBytes };
    w.postMessage(request);
  };
  /** Worker k is gone: what it was asked for and has not answered is read inline. */
  const lost = (k: number): void => {
    if (workers[k] === undefined) return;
    workers[k] = undefined;
    for (let b = k; b < sent; b += count) if (b > currentBatch && !answers.has(b)) arrived(b, null);
  };
  for (let k = 0; k < count; k++) {
    let w: Worker;
    try {
      w = start();
    } catch {
      continue; // read inline
    }
    workers[k] = w;
    w.on('message', (m: BatchAnswer) => arrived(m.batch, m.reads));
    w.on('error', () => lost(k));
    w.on('exit', () => lost(k));
  }
  // Batch b goes to worker b % count, so each worker answers in order.
  const ask = (): void => {
    while (sent < batches && sent < Math.floor(at / BATCH_FILES) + AHEAD * count) send(sent % count);
  };
  ask();

  const take = (): FileRead => {
    const i = at++;
    const r = current ? current[i % BATCH_FILES] : null;
    if (r) for (const d of r.docs) if (d.value !== null && typeof d.value === 'object') shareStrings(d.value as Record<string, unknown>);
    return r ?? inline(i);
  };
  return {
    next() {
      const batch = Math.floor(at / BATCH_FILES);
      if (batch !== currentBatch) {
        if (!answers.has(batch)) {
          return new Promise<void>((resolve) => { waiting = { batch, resolve }; }).then(() => this.next());
        }
        current = answers.get(batch);
        answers.delete(batch);
        currentBatch = batch;
        ask();
      }
      return take();
    },
    close() {
      for (let k = 0; k < workers.length; k++) {
        const w = workers[k];
        workers[k] = undefined;
        void w?.terminate();
      }
    },
  };
}

/**
 * The string values of a document read by a worker, made one copy per text as the inline reader
 * makes them (yaml/fast.ts own(): values of 13 characters or more are V8's string-table copy):
 * a structured clone gives every string of every document a copy of its own, which at 100,000
 * documents kept ~80 MB more alive (images, label values, names repeat from document to document).
 */
function shareStrings(o: Record<string, unknown> | unknown[]): void {
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const v = o[i];
      if (typeof v === 'string') {
        if (v.length >= 13) o[i] = shared(v);
      } else if (v !== null && typeof v === 'object') shareStrings(v as Record<string, unknown>);
    }
    return;
  }
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') {
      if (v.length >= 13) o[k] = shared(v);
    } else if (v !== null && typeof v === 'object') shareStrings(v as Record<string, unknown>);
  }
}

const sharedCache = new Map<string, string>();
function shared(s: string): string {
  let v = sharedCache.get(s);
  if (v === undefined) {
    v = Object.keys({ [s]: 0 })[0] ?? s;
    if (sharedCache.size >= 20_000) sharedCache.clear();
    sharedCache.set(v, v);
  }
  return v;
}

// Files, directories and stdin -> InputDocuments, LoadProblems and a Locator.
// The only place (with load/cluster) that touches the file system.
//
// Reading is synchronous (one open, fstat and read per file: the promise API costs several times
// more per file on inputs of tens of thousands of files); one file is read, decoded and parsed by
// read-file.ts, on this thread or, for large inputs, by worker threads (read-pool.ts), with the
// same result.
// Files are opened with O_NONBLOCK and checked with fstat before reading, so a FIFO or a device
// never blocks the run. The texts are not kept: the Locator keeps each chunk's offsets and reads
// a file again (a small cache) when a position in it is asked for; only stdin's text is kept.

import {
  openSync, fstatSync, readSync, closeSync, readdirSync, realpathSync, statSync, constants as fsc, type Dirent,
} from 'node:fs';
import * as path from 'node:path';
import type { InputDocument, JsonPath, LoadProblem, SourceLocation, SourceRef } from '../model/types.ts';
import { flat, isObject } from '../model/resources.ts';
import { chunkLocator } from '../yaml/stream.ts';
import { FileTable, ASCII, WHOLE } from './chunk-table.ts';
import { compileExclude, type ExcludeMatcher } from './exclude.ts';
import { isKustomizationName, kustomizationsAbove, kustomizePatches } from './kustomize.ts';
import {
  COREFILE_API_VERSION, DEFAULT_MAX_FILE_BYTES, decodeInput, decodeText, errText, isCorefileName, parseManifest, readRegularFile,
  type FileRead,
} from './read-file.ts';
import { fileReads, readThreads } from './read-pool.ts';

export { COREFILE_API_VERSION, decodeInput, decodeText, isCorefileName } from './read-file.ts';

export interface Locator {
  /** file:line:column of the key at `path` (or its nearest existing ancestor) in the document `source`. */
  locate(source: SourceRef, path: JsonPath, textLine?: number): SourceLocation | undefined;
}

export interface LoadStats {
  files: number;
  /** Non-empty YAML documents read. */
  documents: number;
  /** Kubernetes objects produced (List items expanded). */
  resources: number;
  /** Documents without apiVersion/kind (Helm values, tool configs): skipped, not problems. */
  skipped: number;
}

export interface LoadResult {
  readonly documents: InputDocument[];
  readonly problems: LoadProblem[];
  readonly locator: Locator;
  readonly stats: LoadStats;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Version-control and dependency folders; other dot-folders (.github kind configs, CI manifests) are audited. */
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);
const STDIN = '-';
const STDIN_NAME = '<stdin>';

const isInput = (name: string): boolean => EXTENSIONS.has(path.extname(name).toLowerCase()) || isCorefileName(name);

/** What a directory walk needs besides the directory: the root it started from and the options. */
interface WalkContext {
  /** The directory named on the command line (for --exclude's relative paths). */
  readonly root: string;
  /** Real paths of every directory named on the command line: links may stay inside them. */
  readonly roots: readonly string[];
  readonly exclude?: ExcludeMatcher;
  readonly followSymlinks: boolean;
  /** Kustomization files the walk finds (load/kustomize.ts), whatever their extension. */
  readonly kustomizations: string[];
}

const inside = (real: string, roots: readonly string[]): boolean =>
  roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));

function walk(dir: string, out: string[], problems: LoadProblem[], seen: Set<string>, ctx: WalkContext): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    problems.push({ file: displayName(dir), line: 1, message: `cannot read directory: ${errText(e)}`, fatal: true });
    return;
  }
  if (seen.has(real)) return; // a symlink loop, or the same tree reached twice
  seen.add(real);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ file: displayName(dir), line: 1, message: `cannot read directory: ${errText(e)}`, fatal: true });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (SKIP_DIRS.has(e.name)) continue;
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = statSync(p).isDirectory();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problems.push({
          file: displayName(p), line: 1,
          message: code === 'ELOOP' ? 'symbolic link loop: skipped' : 'broken symbolic link: skipped', fatal: false,
        });
        continue;
      }
      // A link to a directory outside the directories given (a link to / walked the whole file
      // system: 74 s, 17,553 files) is not followed unless --follow-symlinks says so.
      if (isDir && !ctx.followSymlinks) {
        let target: string;
        try {
          target = realpathSync(p);
        } catch {
          continue;
        }
        if (!inside(target, ctx.roots)) {
          problems.push({ file: displayName(p), line: 1, message: 'symbolic link to a directory outside the audited directories: not followed (--follow-symlinks follows it)', fatal: false });
          continue;
        }
      }
    }
    if (ctx.exclude && ctx.exclude(path.relative(ctx.root, p).split(path.sep).join('/'), isDir)) continue;
    if (isDir) walk(p, out, problems, seen, ctx);
    else {
      if (isKustomizationName(e.name)) ctx.kustomizations.push(p);
      // Regular files, and FIFOs, sockets or devices with a manifest's name: readRegularFile reports those.
      if (isInput(e.name)) out.push(flat(p));
    }
  }
}

const asGiven = (p: string): boolean =>
  !path.isAbsolute(p) && !p.startsWith('.') && !p.includes('\\') && !p.includes('//') && !p.includes('/./') && !p.includes('/../');

export const displayName = (p: string): string => {
  if (asGiven(p)) return p;
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
};

/**
 * displayName for the files of a run, with path.relative taken once per directory: the files of
 * a walk under `.bench/docs-100000` or an absolute path each paid for it (0.1-0.2 s at 30k).
 * The same names as displayName (test/load/files.test.ts compares them).
 */

export function displayNamer(): (p: string) => string {
  const dirs = new Map<string, string | null>();
  return (p) => {
    if (asGiven(p)) return p;
    const base = path.basename(p);
    if (base === '' || base === '.' || base === '..' || p.endsWith(path.sep) || p.endsWith('/')) return displayName(p);
    const dir = path.dirname(p);
    let rel = dirs.get(dir);
    if (rel === undefined) {
      const r = path.relative(process.cwd(), dir);
      rel = r.startsWith('..') || path.isAbsolute(r) ? null : r.split(path.sep).join('/');
      dirs.set(dir, rel);
    }
    if (rel === null) return p;
    const name = rel === '' ? base : `${rel}/${base}`;
    return flat(name.startsWith('..') ? p : name);
  };
}

export interface LoadOptions {
  /** Reads all of stdin (injected so tests need no real stdin). */
  readStdin?: () => Promise<Uint8Array>;
  /** Largest file read, in bytes. */
  maxFileBytes?: number;
  /** --exclude: globs of paths a directory walk leaves out (load/exclude.ts). */
  exclude?: readonly string[];
  /** --follow-symlinks: follow links to directories outside the directories given. */
  followSymlinks?: boolean;
  /**
   * Takes each document as it is read (the streaming model build, model/build.ts modelIntake);
   * the result's `documents` is then empty, so no document outlives what the sink keeps of it.
   */
  onDocument?: (doc: InputDocument) => void;
  /**
   * Worker threads that read and parse the files (load/read-pool.ts); 0 reads them on this thread.
   * Default (read-pool.ts readThreads): two for a large input on a machine with 4 CPUs or more, else none.
   * The result is the same either way.
   */
  readThreads?: number;
  /** A read worker failed (its files were read on this thread, with the same result): why. */
  onReadWorkerError?: (message: string) => void;
}

/** Largest file given to an option (--config, --baseline, --cloud-armor, --kubeconfig), in bytes. */
export const OPTION_FILE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Read a file named by an option with the manifest reader's checks: a regular file (a FIFO, a
 * device such as /dev/zero or a socket is refused without blocking), at most `maxBytes`, text
 * (BOMs and UTF-16 decoded, binary and invalid UTF-8 refused). The error is one line without the
 * path; callers say which option and file.
 */
export function readOptionFile(f: string, maxBytes: number = OPTION_FILE_MAX_BYTES): { text: string } | { error: string } {
  const r = readRegularFile(f, maxBytes);
  if ('error' in r) return { error: r.error.replace(/: skipped$/, '') };
  const d = decodeText(r.buf);
  if (d.text === undefined) return { error: d.error!.replace(/: skipped$/, '') };
  return { text: d.text };
}

/** Thrown by readStreamCapped: more than the limit arrived. */
export class InputTooLargeError extends Error {}

/**
 * Read a stream (stdin) to its end, refusing more than `maxBytes` (a stream has no size to check
 * first): without the cap, 600 MB of stdin ended in V8's "Cannot create a string longer than ...".
 */
export async function readStreamCapped(stream: AsyncIterable<unknown>, maxBytes: number = DEFAULT_MAX_FILE_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    total += b.length;
    if (total > maxBytes) throw new InputTooLargeError(`more than ${maxBytes} bytes (the limit for one input)`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Read every path (file, directory or '-'), never throwing for bad input. */
export async function loadPaths(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const problems: LoadProblem[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const exclude = compileExclude(opts.exclude ?? []);
  const roots: string[] = [];
  const kustomizations: string[] = [];
  const above = new Set<string>();
  for (const p of paths) {
    if (p === STDIN) continue;
    try {
      if (statSync(p).isDirectory()) roots.push(realpathSync(p));
    } catch {
      // reported below
    }
  }
  for (const p of paths) {
    if (p === STDIN) {
      files.push(STDIN);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      problems.push({ file: p, line: 1, message: `cannot read: ${errText(e)}`, fatal: true });
      continue;
    }
    if (st.isDirectory()) walk(p, files, problems, seen, { root: p, roots, followSymlinks: opts.followSymlinks === true, kustomizations, ...(exclude ? { exclude } : {}) });
    else files.push(p);
    // A patch given on its own, or a directory of patches, is named by a kustomization beside or
    // above it (a directory given: from itself, so that a repository's root stops the search).
    kustomizations.push(...kustomizationsAbove(st.isDirectory() ? path.resolve(p) : path.dirname(path.resolve(p)), above));
  }

  // Kustomize patches are partial objects, not objects: not read (load/kustomize.ts).
  if (kustomizations.length > 0) {
    const k = kustomizePatches(files, kustomizations, displayNamer());
    for (const p of k.problems) problems.push(p);
    if (k.patches.size > 0) {
      let n = 0;
      for (const f of files) if (f === STDIN || !k.patches.has(path.resolve(f))) files[n++] = f;
      files.length = n;
    }
  }

  // The same path given twice is read once; in place, so no second list of every path is kept.
  {
    const unique = new Set<string>();
    let n = 0;
    for (const f of files) if (!unique.has(f)) unique.add(f), (files[n++] = f);
    files.length = n;
  }

  const documents: InputDocument[] = [];
  const emit = opts.onDocument ?? ((d: InputDocument): void => { documents.push(d); });
  const table = new FileTable();
  const cwd = process.cwd();
  const stats: LoadStats = { files: 0, documents: 0, resources: 0, skipped: 0 };
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const nameOf = displayNamer();
  const reads = fileReads(files.filter((f) => f !== STDIN), nameOf, maxBytes, readThreads(opts.readThreads, files.length), opts.onReadWorkerError ? { onError: opts.onReadWorkerError } : {});
  try {
    for (const f of files) {
      const display = f === STDIN ? STDIN_NAME : nameOf(f);
      let read: FileRead & { text?: string };
      if (f === STDIN) {
        let buf: Uint8Array;
        try {
          buf = opts.readStdin ? await opts.readStdin() : new Uint8Array();
          if (buf.length > maxBytes) throw new InputTooLargeError(`more than ${maxBytes} bytes (the limit for one input)`);
        } catch (e) {
          problems.push({ file: display, line: 1, message: e instanceof InputTooLargeError ? `too large: ${e.message}: not read` : `cannot read: ${errText(e)}`, fatal: true });
          continue;
        }
        read = parseManifest(buf, display, 0, 0, true);
      } else {
        const next = reads.next();
        read = next instanceof Promise ? await next : next;
      }
      if (!read.opened) {
        problems.push({ file: display, line: 1, message: read.error!, fatal: true });
        continue;
      }
      stats.files++;
      if (read.corefile !== undefined) {
        table.addFile(display, read.size, read.mtimeMs, WHOLE, 0, true);
        stats.documents++;
        stats.resources++;
        emit({
          source: { file: display, doc: 0 },
          object: { apiVersion: COREFILE_API_VERSION, kind: 'Corefile', metadata: { name: path.basename(f) }, data: { Corefile: read.corefile } },
        });
        continue;
      }
      if (read.error !== undefined) {
        problems.push({ file: display, line: 1, message: read.error, fatal: true });
        continue;
      }
      for (const p of read.problems) problems.push(p);
      const fi = table.addFile(display, read.size, read.mtimeMs, read.layout, read.bom);
      const first = table.first(fi);
      for (const sp of read.spans) table.addChunk(sp.start, sp.end, sp.lineOffset, sp.helmSource);
      if (f === STDIN) table.setText(fi, read.text!);
      else {
        // Where to read the file again: its display name itself, or that name in the cwd, is not kept twice.
        if (f !== display) {
          if (path.join(cwd, display) === f) table.setInCwd(fi);
          else table.setPath(fi, f);
        }
        for (let i = 0; i < read.roots.length; i++) if (read.roots[i]! >= 0) table.setRoot(first + i, read.roots[i]!);
        if (read.byteStarts) for (let i = 0; i < read.byteStarts.length; i++) table.setByteStart(first + i, read.byteStarts[i]!);
      }
      for (const d of read.docs) {
        if (d.refused) {
          for (const p of d.refused) problems.push(p);
          continue;
        }
        stats.documents++;
        if (d.text !== undefined) table.setChunkText(first + d.index, d.text);
        addObjects(d.value, { file: display, doc: d.index }, d.startLine, emit, problems, stats);
      }
    }
  } finally {
    reads.close();
  }

  table.seal();
  return { documents, problems, locator: tableLocator(table, cwd, maxBytes), stats };
}

/**
 * The Locator over what the read kept (made here, not in loadPaths: a closure keeps every variable
 * of its function that any closure there uses, and loadPaths' would keep its document array).
 */
function tableLocator(table: FileTable, cwd: string, maxBytes: number): Locator {
  /** Where file `f`, shown as `display`, is read again. */
  const readPath = (f: number, display: string): string => table.path(f) ?? (table.inCwd(f) ? path.join(cwd, display) : display);

  // The text of one chunk: kept at the read for Services and the other small kinds most findings
  // are on (read-file.ts KEPT_KINDS: positions in the text that was audited, even if the file
  // changed since), else read again from its file: a
  // small file whole (kept while the requests, which come in file and document order, stay in it),
  // a large one only the chunk's bytes. The last chunk is kept with its scanner (a document often
  // has several findings).
  let last: { chunk: number; text: string | undefined; at?: ReturnType<typeof chunkLocator> } | undefined;
  let lastFile: { file: number; text: string | undefined } | undefined;
  const chunkText = (f: number, display: string, c: number): string | undefined => {
    if (last && last.chunk === c) return last.text;
    const own = table.chunkText(c);
    if (own !== undefined) {
      last = { chunk: c, text: own };
      return own;
    }
    const start = table.start(c);
    const end = table.end(c);
    const kept = table.text(f);
    if (kept !== undefined) {
      last = { chunk: c, text: kept.slice(start, end) };
      return last.text;
    }
    let text: string | undefined;
    const layout = table.layout(f);
    const size = table.size(f);
    const mtimeMs = table.mtimeMs(f);
    if (layout === WHOLE || size <= WHOLE_READ_BYTES) {
      // Small files (most manifests) are read whole and kept while requests stay in that file.
      if (lastFile?.file !== f) {
        const r = readRegularFile(readPath(f, display), maxBytes);
        const d = 'buf' in r && r.size === size && r.mtimeMs === mtimeMs ? decodeInput(r.buf) : undefined;
        lastFile = { file: f, text: d && 'text' in d ? d.text : undefined };
      }
      text = lastFile.text?.slice(start, end);
    } else {
      const next = c + 1 < table.first(f) + table.count(f) ? c + 1 : -1;
      const from = layout === ASCII ? table.bom(f) + start : table.byteStart(c);
      const to = layout === ASCII ? table.bom(f) + end : next >= 0 ? table.byteStart(next) : size;
      text = readRange(readPath(f, display), size, mtimeMs, from, to);
    }
    last = { chunk: c, text };
    return text;
  };

  return {
    locate(source, p, textLine) {
      const f = table.file(source.file);
      if (f === undefined) return undefined;
      if (table.corefile(f)) return { file: source.file, line: textLine ?? 1, column: 1 };
      const c = table.chunk(f, source.doc);
      if (c < 0) return undefined;
      const lineOffset = table.lineOffset(c);
      const full = source.item === undefined ? p : ['items', source.item, ...p];
      const root = full.length === 0 && textLine === undefined ? table.root(c) : -1;
      let pos: { line: number; column: number };
      if (root >= 0) {
        pos = { line: lineOffset + Math.floor(root / 1e6) + 1, column: (root % 1e6) + 1 };
      } else {
        // A file that changed or vanished since it was read: the document's first line, not a wrong one.
        const text = chunkText(f, source.file, c);
        // The engine asks in file and document order, so the last chunk's scanner serves runs of requests.
        pos = text === undefined
          ? { line: lineOffset + 1, column: 1 }
          : (last!.at ??= chunkLocator({ start: table.start(c), end: table.end(c), lineOffset, text }))(full, textLine);
      }
      const helmSource = table.helmSource(c);
      if (helmSource) {
        return { file: helmSource, line: pos.line - lineOffset, column: pos.column, rendered: { file: source.file, line: pos.line } };
      }
      return { file: source.file, line: pos.line, column: pos.column };
    },
  };
}

/** Files up to this size are read whole when a position in them is needed; larger ones by range. */
const WHOLE_READ_BYTES = 256 * 1024;

/** Bytes [from, to) of a file as UTF-8 text, or undefined when the file is gone or changed. */
function readRange(file: string, size: number, mtimeMs: number, from: number, to: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== size || st.mtimeMs !== mtimeMs) return undefined;
    const buf = Buffer.allocUnsafe(to - from);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) return undefined;
      got += n;
    }
    return buf.toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}


function addObjects(
  value: unknown, base: SourceRef, line: number, emit: (doc: InputDocument) => void, problems: LoadProblem[], stats: LoadStats,
): void {
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    stats.skipped++;
    return;
  }
  const kind = value.kind;
  if ((kind === 'List' || kind.endsWith('List')) && Array.isArray(value.items)) {
    value.items.forEach((item, i) => {
      if (isObject(item) && typeof item.kind === 'string' && typeof item.apiVersion === 'string') {
        // Not { ...base, item }: an object opening with a spread gets a hidden class of its own (~350 bytes, kept by the model).
        emit({ source: { file: base.file, doc: base.doc, item: i }, object: item });
        stats.resources++;
      } else {
        problems.push({ file: base.file, line, message: `${kind} item ${i} has no apiVersion/kind: skipped`, fatal: false });
      }
    });
    return;
  }
  emit({ source: base, object: value });
  stats.resources++;
}

/**
 * Whether writing `output` would overwrite an input: the same file as a path given, or a file a
 * directory walk of a given directory reads (a manifest extension, inside it). Returns the input it
 * would overwrite, for the message. Symbolic links and `..` are resolved first; a file that does
 * not exist yet is no input.
 */
export function clobberedInput(output: string, paths: readonly string[], cwd: string = process.cwd()): string | undefined {
  let out: string;
  try {
    out = realpathSync(path.resolve(cwd, output));
  } catch {
    return undefined; // a file that does not exist yet was not read
  }
  for (const p of paths) {
    if (p === STDIN) continue;
    let real: string;
    try {
      real = realpathSync(path.resolve(cwd, p));
    } catch {
      continue;
    }
    if (real === out) return p;
    try {
      if (statSync(real).isDirectory() && out.startsWith(real + path.sep) && isInput(path.basename(out))) return p;
    } catch {
      // unreadable: not read either
    }
  }
  return undefined;
}

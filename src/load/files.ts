// Files, directories and stdin -> InputDocuments, LoadProblems and a Locator.
// The only place (with load/cluster) that touches the file system.
//
// Reading is synchronous (one open, fstat and read per file: a CLI has nothing to overlap, and
// the promise API costs several times more per file on inputs of tens of thousands of files).
// Files are opened with O_NONBLOCK and checked with fstat before reading, so a FIFO or a device
// never blocks the run. The texts are not kept: the Locator keeps each chunk's offsets and reads
// a file again (a small cache) when a position in it is asked for; only stdin's text is kept.

import {
  openSync, fstatSync, readSync, closeSync, readdirSync, realpathSync, statSync, constants as fsc, type Dirent,
} from 'node:fs';
import { isAscii } from 'node:buffer';
import * as path from 'node:path';
import type { InputDocument, JsonPath, LoadProblem, SourceLocation, SourceRef } from '../model/types.ts';
import { flat, isObject } from '../model/resources.ts';
import { parseStream, chunkLocator, rootPosition, type ChunkSpan, type ParsedStream, type RawDocument } from '../yaml/stream.ts';
import { compileExclude, type ExcludeMatcher } from './exclude.ts';
import { prepareText, splitJsonValues, hasSuspectKey, invalidKeys, type StreamNote } from './kubectl-stream.ts';

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

interface FileEntry {
  /** Name shown in findings (relative to the cwd when possible). */
  display: string;
  /** Where to read the text again (absent for stdin, whose text is kept). */
  file?: string;
  /** stdin's text. */
  text?: string;
  /** Size and modification time when read, to notice a file that changed since. */
  size: number;
  mtimeMs: number;
  /**
   * How to find a chunk's bytes in the file: 'ascii' (byte offset = BOM + character offset),
   * 'utf8' (byteStarts[i] is chunk i's first byte; the next start, or the size, ends it), or
   * 'whole' (UTF-16: decode the whole file again).
   */
  layout: 'ascii' | 'utf8' | 'whole';
  bom: number;
  byteStarts?: readonly number[];
  spans: readonly ChunkSpan[];
  /**
   * Per chunk, where its content starts (rootPosition), packed as line * 1e6 + column, or -1:
   * a document's own position (path []) without reading the file again.
   */
  roots?: number[];
  /** A CoreDNS Corefile read as text: positions are its own lines. */
  corefile?: boolean;
}

/** A file named `Corefile` or `*.Corefile` is a CoreDNS configuration, not YAML. */
export const isCorefileName = (p: string): boolean => {
  const base = path.basename(p);
  return base === 'Corefile' || base.endsWith('.Corefile');
};

/** The synthetic object a Corefile file becomes (model/coredns.ts reads data.Corefile). */
export const COREFILE_API_VERSION = 'dualstack-audit.local/v1';

/**
 * Decode bytes as a text file: BOMs and UTF-16 handled, binary refused. Invalid UTF-8 is refused,
 * unless `lenient`: then its bytes become U+FFFD (as kubectl's JSON conversion makes them: Go's
 * encoding/json "replaces invalid bytes with the Unicode replacement rune") and `invalidLines`
 * says where. NUL bytes in otherwise valid UTF-8 are kept (the document that holds them is refused,
 * as kubectl refuses it: kubectl-stream.ts); NUL bytes in bytes that are not UTF-8 are a binary file.
 */
export function decodeText(buf: Uint8Array, opts: { lenient?: boolean } = {}): { text?: string; error?: string; utf16?: boolean; invalidLines?: number[] } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), utf16: true };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), utf16: true };
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const probe = buf.subarray(start, Math.min(buf.length, start + 8000));
  const nul = probe.includes(0);
  if (nul) {
    // UTF-16 without a byte order mark: text whose every other byte is zero (YAML starts with ASCII).
    const order = utf16Order(buf);
    if (order) return { text: new TextDecoder(order).decode(buf), utf16: true };
  }
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  // Most manifests are ASCII: checked in one pass (simdutf) and copied as Latin-1, which is the
  // same text without UTF-8 decoding or the U+FFFD scan below (0.33 -> 0.20 s for the 30k input).
  // Not from a megabyte on: Node makes such Latin-1 texts external strings (malloc'd outside the
  // V8 heap), which took peak RSS at 30k up by 35 MB; UTF-8 texts stay in the heap.
  if (b.length - start < LATIN1_MAX_BYTES && isAscii(b.subarray(start))) return { text: b.toString('latin1', start) };
  // Buffer's decoder is much faster than TextDecoder; it replaces invalid bytes with U+FFFD, so
  // only a text that has one is checked again strictly (it may also be a real U+FFFD).
  const fast = b.toString('utf8', start);
  if (!fast.includes('\uFFFD')) return { text: fast };
  const invalid = invalidUtf8Lines(buf, start);
  if (invalid.length === 0) return { text: fast };
  if (nul) return { error: 'binary file (NUL bytes), not YAML or JSON: skipped' };
  if (!opts.lenient) return { error: 'not valid UTF-8 text: skipped' };
  return { text: fast, invalidLines: invalid };
}

/** Below Node's threshold for external strings (src/string_bytes.cc EXTERN_APEX, 0xFBEE9 bytes). */
const LATIN1_MAX_BYTES = 1_000_000;

/** 1-based lines (LF-counted) holding bytes that are not UTF-8, at most 20; none for valid UTF-8. */
function invalidUtf8Lines(b: Uint8Array, from: number): number[] {
  const lines: number[] = [];
  let line = 1;
  for (let i = from; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 10) line++;
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    let ok = n > 0 && i + n < b.length + 0;
    if (ok) {
      for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) ok = false;
      // Overlong three- and four-byte forms, surrogates and code points above U+10FFFF.
      if (ok && n === 2 && ((c === 0xe0 && b[i + 1]! < 0xa0) || (c === 0xed && b[i + 1]! > 0x9f))) ok = false;
      if (ok && n === 3 && ((c === 0xf0 && b[i + 1]! < 0x90) || (c === 0xf4 && b[i + 1]! > 0x8f))) ok = false;
    }
    if (ok) i += n + 1;
    else {
      if (lines[lines.length - 1] !== line) lines.push(line);
      if (lines.length >= 20) break;
      i++;
    }
  }
  return lines;
}

export interface DecodedInput {
  readonly text: string;
  readonly utf16: boolean;
  /** The text differs from the decoded bytes (see kubectl-stream.ts): positions read the file whole. */
  readonly altered: boolean;
  readonly notes: readonly StreamNote[];
  /** A stream of concatenated JSON objects: where each one is. */
  readonly json?: readonly [number, number][];
}

/** A manifest file's bytes as the text kubectl would read, with notes on what it keeps and refuses. */
export function decodeInput(buf: Uint8Array): DecodedInput | { error: string } {
  const d = decodeText(buf, { lenient: true });
  if (d.text === undefined) return { error: d.error! };
  const p = prepareText(d.text);
  const notes: StreamNote[] = (d.invalidLines ?? []).map((line) => ({
    line, fatal: false,
    message: 'bytes that are not valid UTF-8: read as U+FFFD, as kubectl\'s JSON conversion reads them; the rest of the file is audited',
  }));
  notes.push(...p.notes);
  const json = p.text.length > 1 && p.text.trimStart().startsWith('{') ? splitJsonValues(p.text) : undefined;
  return {
    text: p.text, utf16: d.utf16 === true, altered: p.altered || d.invalidLines !== undefined || json !== undefined, notes,
    ...(json ? { json } : {}),
  };
}

/** parseStream over each value of a JSON stream, as one stream: spans, lines and indices in the whole text. */
function parseJsonStream(text: string, segments: readonly [number, number][], file: string): ParsedStream {
  const documents: RawDocument[] = [];
  const problems: LoadProblem[] = [];
  const spans: ChunkSpan[] = [];
  let line = 0;
  let counted = 0;
  for (const [start, end] of segments) {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
    counted = start;
    const p = parseStream(text.slice(start, end), file);
    const base = spans.length;
    for (const sp of p.spans) spans.push({ ...sp, start: sp.start + start, end: sp.end + start, lineOffset: sp.lineOffset + line });
    for (const d of p.documents) documents.push({ ...d, index: d.index + base, startLine: d.startLine + line });
    for (const pr of p.problems) problems.push(pr.line !== undefined ? { ...pr, line: pr.line + line } : pr);
  }
  return { documents, problems, spans };
}

function utf16Order(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(buf.length & ~1, 512);
  if (n < 4) return undefined;
  let le = true;
  let be = true;
  for (let i = 0; i < n; i += 2) {
    const a = buf[i]!;
    const b = buf[i + 1]!;
    if (!(a !== 0 && b === 0 && (a >= 0x20 || a === 9 || a === 10 || a === 13))) le = false;
    if (!(a === 0 && b !== 0 && (b >= 0x20 || b === 9 || b === 10 || b === 13))) be = false;
  }
  return le ? 'utf-16le' : be ? 'utf-16be' : undefined;
}

const isInput = (name: string): boolean => EXTENSIONS.has(path.extname(name).toLowerCase()) || isCorefileName(name);

/** What a directory walk needs besides the directory: the root it started from and the options. */
interface WalkContext {
  /** The directory named on the command line (for --exclude's relative paths). */
  readonly root: string;
  /** Real paths of every directory named on the command line: links may stay inside them. */
  readonly roots: readonly string[];
  readonly exclude?: ExcludeMatcher;
  readonly followSymlinks: boolean;
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
    // Regular files, and FIFOs, sockets or devices with a manifest's name: readRegularFile reports those.
    else if (isInput(e.name)) out.push(flat(p));
  }
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return err?.message?.split('\n')[0] ?? String(e);
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
}

const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The read buffer every file is read into, grown as needed up to SCRATCH_MAX_BYTES (larger files get
 * a buffer of their own). A fresh buffer per file (the 100k profile: 12% of the CPU in read(),
 * most of it the kernel faulting in new pages) also counted as V8 external memory and brought
 * garbage collections forward.
 */
let scratch: Buffer | undefined;
const SCRATCH_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Read a regular file: one open (non-blocking, so a FIFO cannot hang the run), one fstat, reads.
 * The bytes are valid until the next call: callers decode them at once.
 */
function readRegularFile(f: string, maxBytes: number): { buf: Buffer; size: number; mtimeMs: number } | { error: string } {
  let fd: number;
  try {
    fd = openSync(f, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: `cannot read: ${errText(e)}` };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { error: 'cannot read: is a directory' };
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device';
      return { error: `not a regular file (${what}): skipped` };
    }
    if (st.size > maxBytes) return { error: `file too large (${st.size} bytes, the limit is ${maxBytes}): skipped` };
    // One byte more than the size, so that a file that grew is noticed; reads until end of file.
    const want = Math.max(st.size + 1, 65536);
    let buf: Buffer;
    if (want > SCRATCH_MAX_BYTES) buf = Buffer.allocUnsafeSlow(want);
    else buf = scratch !== undefined && scratch.length >= want ? scratch : (scratch = Buffer.allocUnsafeSlow(Math.max(want, 1024 * 1024)));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafeSlow(buf.length * 2);
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { error: `file too large (more than ${maxBytes} bytes): skipped` };
    }
    return { buf: buf.subarray(0, total), size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    return { error: `cannot read: ${errText(e)}` };
  } finally {
    closeSync(fd);
  }
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
    if (st.isDirectory()) walk(p, files, problems, seen, { root: p, roots, followSymlinks: opts.followSymlinks === true, ...(exclude ? { exclude } : {}) });
    else files.push(p);
  }

  const documents: InputDocument[] = [];
  const emit = opts.onDocument ?? ((d: InputDocument): void => { documents.push(d); });
  const entries = new Map<string, FileEntry>();
  const stats: LoadStats = { files: 0, documents: 0, resources: 0, skipped: 0 };
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const done = new Set<string>();
  const nameOf = displayNamer();
  for (const f of files) {
    if (done.has(f)) continue; // the same path given twice
    done.add(f);
    const display = f === STDIN ? STDIN_NAME : nameOf(f);
    let buf: Uint8Array;
    let size = 0;
    let mtimeMs = 0;
    if (f === STDIN) {
      try {
        buf = opts.readStdin ? await opts.readStdin() : new Uint8Array();
        if (buf.length > maxBytes) throw new InputTooLargeError(`more than ${maxBytes} bytes (the limit for one input)`);
      } catch (e) {
        problems.push({ file: display, line: 1, message: e instanceof InputTooLargeError ? `too large: ${e.message}: not read` : `cannot read: ${errText(e)}`, fatal: true });
        continue;
      }
    } else {
      const r = readRegularFile(f, maxBytes);
      if ('error' in r) {
        problems.push({ file: display, line: 1, message: r.error, fatal: true });
        continue;
      }
      buf = r.buf;
      size = r.size;
      mtimeMs = r.mtimeMs;
    }
    stats.files++;
    if (f !== STDIN && isCorefileName(f)) {
      const decoded = decodeText(buf);
      if (decoded.text === undefined) {
        problems.push({ file: display, line: 1, message: decoded.error!, fatal: true });
        continue;
      }
      const text = decoded.text;
      entries.set(display, { display, size, mtimeMs, layout: 'whole', bom: 0, spans: [], corefile: true });
      stats.documents++;
      stats.resources++;
      emit({
        source: { file: display, doc: 0 },
        object: { apiVersion: COREFILE_API_VERSION, kind: 'Corefile', metadata: { name: path.basename(f) }, data: { Corefile: text } },
      });
      continue;
    }
    const decoded = decodeInput(buf);
    if ('error' in decoded) {
      problems.push({ file: display, line: 1, message: decoded.error, fatal: true });
      continue;
    }
    const text = decoded.text;
    for (const n of decoded.notes) problems.push({ file: display, ...n });
    const parsed = decoded.json ? parseJsonStream(text, decoded.json, display) : parseStream(text, display);
    for (const p of parsed.problems) problems.push(p);
    if (f === STDIN) {
      entries.set(display, { display, text, size, mtimeMs, layout: 'whole', bom: 0, spans: parsed.spans });
    } else {
      const utf16 = decoded.utf16;
      const bom = !utf16 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      const entry: FileEntry = { display, file: f, size, mtimeMs, layout: 'whole', bom, spans: parsed.spans, roots: rootsOf(text, parsed) };
      if (decoded.altered) entry.layout = 'whole';
      else if (!utf16 && buf.length - bom === text.length) entry.layout = 'ascii'; // as many bytes as characters: all ASCII
      else if (!utf16) {
        entry.layout = 'utf8';
        const starts: number[] = [];
        let b = bom;
        for (const sp of parsed.spans) {
          starts.push(b);
          b += Buffer.byteLength(text.slice(sp.start, sp.end));
        }
        entry.byteStarts = starts;
      }
      entries.set(display, entry);
    }
    for (const d of parsed.documents) {
      if (d.value === null) continue;
      // Keys kubectl's YAML-to-JSON conversion refuses (js-yaml turns them into "[object Object]",
      // "a,b" or "null"): the document is a problem, as kubectl cannot apply it.
      if (!d.keysChecked && hasSuspectKey(d.value)) {
        const sp = parsed.spans[d.index]!;
        const bad = invalidKeys(text.slice(sp.start, sp.end));
        if (bad.length > 0) {
          for (const b of bad) problems.push({ file: display, line: b.line + sp.lineOffset, column: b.column, message: b.message, fatal: true });
          continue;
        }
      }
      stats.documents++;
      const base = { file: display, doc: d.index };
      addObjects(d.value, base, d.startLine, emit, problems, stats);
    }
  }

  // The text of one chunk, read again from its file: a small file whole (kept while the requests,
  // which come in file and document order, stay in it), a large one only the chunk's bytes. The
  // last chunk is kept with its scanner (a document often has several findings).
  let last: { entry: FileEntry; doc: number; text: string | undefined; at?: ReturnType<typeof chunkLocator> } | undefined;
  let lastFile: { entry: FileEntry; text: string | undefined } | undefined;
  const chunkText = (entry: FileEntry, doc: number): string | undefined => {
    const span = entry.spans[doc]!;
    if (last && last.entry === entry && last.doc === doc) return last.text;
    if (entry.text !== undefined) {
      last = { entry, doc, text: entry.text.slice(span.start, span.end) };
      return last.text;
    }
    let text: string | undefined;
    if (entry.layout === 'whole' || entry.size <= WHOLE_READ_BYTES) {
      // Small files (most manifests) are read whole and kept while requests stay in that file.
      if (lastFile?.entry !== entry) {
        const r = readRegularFile(entry.file!, maxBytes);
        const d = 'buf' in r && r.size === entry.size && r.mtimeMs === entry.mtimeMs ? decodeInput(r.buf) : undefined;
        lastFile = { entry, text: d && 'text' in d ? d.text : undefined };
      }
      text = lastFile.text?.slice(span.start, span.end);
    } else {
      const from = entry.layout === 'ascii' ? entry.bom + span.start : entry.byteStarts![doc]!;
      const to = entry.layout === 'ascii' ? entry.bom + span.end : entry.byteStarts![doc + 1] ?? entry.size;
      text = readRange(entry, from, to);
    }
    last = { entry, doc, text };
    return text;
  };

  const locator: Locator = {
    locate(source, p, textLine) {
      const entry = entries.get(source.file);
      if (entry?.corefile) return { file: entry.display, line: textLine ?? 1, column: 1 };
      const span = entry?.spans[source.doc];
      if (!entry || !span) return undefined;
      const full = source.item === undefined ? p : ['items', source.item, ...p];
      const root = full.length === 0 && textLine === undefined ? entry.roots?.[source.doc] ?? -1 : -1;
      let pos: { line: number; column: number };
      if (root >= 0) {
        pos = { line: span.lineOffset + Math.floor(root / 1e6) + 1, column: (root % 1e6) + 1 };
      } else {
        // A file that changed or vanished since it was read: the document's first line, not a wrong one.
        const text = chunkText(entry, source.doc);
        // The engine asks in file and document order, so the last chunk's scanner serves runs of requests.
        pos = text === undefined
          ? { line: span.lineOffset + 1, column: 1 }
          : (last!.at ??= chunkLocator({ ...span, text }))(full, textLine);
      }
      if (span.helmSource) {
        return { file: span.helmSource, line: pos.line - span.lineOffset, column: pos.column, rendered: { file: entry.display, line: pos.line } };
      }
      return { file: entry.display, line: pos.line, column: pos.column };
    },
  };
  return { documents, problems, locator, stats };
}

/** Where each document's content starts (FileEntry.roots), computed while its text is at hand. */
function rootsOf(text: string, parsed: ParsedStream): number[] {
  const roots = new Array<number>(parsed.spans.length).fill(-1);
  for (const d of parsed.documents) {
    if (d.value === null) continue;
    const span = parsed.spans[d.index]!;
    const r = rootPosition(text, span.start, span.end);
    if (r && r.line < 2000 && r.col < 1e6) roots[d.index] = r.line * 1e6 + r.col;
  }
  return roots;
}

/** Files up to this size are read whole when a position in them is needed; larger ones by range. */
const WHOLE_READ_BYTES = 256 * 1024;

/** Bytes [from, to) of a file as UTF-8 text, or undefined when the file is gone or changed. */
function readRange(entry: FileEntry, from: number, to: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(entry.file!, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== entry.size || st.mtimeMs !== entry.mtimeMs) return undefined;
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
        emit({ source: { ...base, item: i }, object: item });
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

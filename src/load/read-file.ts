// One manifest file -> what the read keeps of it: the decoded documents, the problems, and where
// each document is (for the Locator). Used inline by files.ts and, for large inputs, by the read
// worker (read-worker.ts), so the result is plain data that a worker can post (structured clone).
// Only I/O of one file at a time; no state but a reusable read buffer per thread.

import { openSync, fstatSync, readSync, closeSync, constants as fsc } from 'node:fs';
import { isAscii } from 'node:buffer';
import * as path from 'node:path';
import type { LoadProblem } from '../model/types.ts';
import { parseStream, rootPosition, type ChunkSpan, type ParsedStream, type RawDocument } from '../yaml/stream.ts';
import { ASCII, UTF8, WHOLE, type Layout } from './chunk-table.ts';
import { prepareText, splitJsonValues, hasSuspectKey, invalidKeys, type StreamNote } from './kubectl-stream.ts';

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


export function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return err?.message?.split('\n')[0] ?? String(e);
  }
}

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

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
export function readRegularFile(f: string, maxBytes: number): { buf: Buffer; size: number; mtimeMs: number } | { error: string } {
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

/**
 * Documents whose text the read keeps for the Locator: the kinds most findings are on whose
 * documents are small (Services; cluster network settings; IP pools; Ingresses and Gateways).
 * At 100,000 documents in 45,840 files, the audit opened files 65,700 times: finding positions
 * read ~19,000 again after the rules (open, read, decode: ~0.5 s of CPU). With Services' texts
 * kept, 54,800 opens; with these kinds, 49,900 (docs/performance.md, item 39). Their texts take
 * ~12 MB there (17,500 Services: 7.5 MB).
 * Workloads and NetworkPolicies are not kept: larger documents (24 and 5 MB) for fewer findings.
 */
const KEPT_KINDS: ReadonlySet<string> = new Set([
  'Service', 'Cluster', 'ClusterConfiguration', 'IPAddressPool', 'IPPool', 'CiliumPodIPPool', 'CiliumLoadBalancerIPPool',
  'Ingress', 'Gateway',
]);
const keepsText = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && KEPT_KINDS.has((v as { kind?: unknown }).kind as string);
/** A copy that does not keep the file's text alive (V8 makes a slice of 13 characters or more a view into it). */
const copyOf = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));

/** A document kept (not empty, every key one kubectl accepts), or the problems that refused it. */
export interface DocRead {
  /** Index of the chunk in the file. */
  readonly index: number;
  /** 1-based line where the chunk starts. */
  readonly startLine: number;
  readonly value: unknown;
  /**
   * The chunk's text, a copy, for the kinds most findings are on (KEPT_KINDS): the Locator finds
   * positions in it without reading the file again.
   */
  readonly text?: string;
  /** Keys kubectl refuses: the document is not audited, these problems are reported instead. */
  readonly refused?: readonly LoadProblem[];
}

/** What reading one file gives: everything loadPaths needs, as plain data. */
export interface FileRead {
  /** The file could not be read or decoded: one fatal problem at line 1, nothing else. */
  readonly error?: string;
  /** The file's bytes were read (it counts as a file read even when they are not text). */
  readonly opened: boolean;
  readonly size: number;
  readonly mtimeMs: number;
  /** A Corefile's text (the file is not YAML). */
  readonly corefile?: string;
  readonly layout: Layout;
  readonly bom: number;
  /** Problems of the file as a whole (decoding notes, then parse problems), in order. */
  readonly problems: readonly LoadProblem[];
  readonly spans: readonly ChunkSpan[];
  /** Per span: where the content starts (FileTable root), or -1. Empty when the text is kept. */
  readonly roots: readonly number[];
  /** Per span: its first byte in the file (UTF8 layout only). */
  readonly byteStarts?: readonly number[];
  /** The non-empty documents, in file order. */
  readonly docs: readonly DocRead[];
}

const failed = (error: string, opened: boolean, size = 0, mtimeMs = 0): FileRead =>
  ({ error, opened, size, mtimeMs, layout: WHOLE, bom: 0, problems: [], spans: [], roots: [], docs: [] });

/** Read, decode and parse the manifest file `f` (shown as `display` in problems). */
export function readManifestFile(f: string, display: string, maxBytes: number): FileRead {
  const r = readRegularFile(f, maxBytes);
  if ('error' in r) return failed(r.error, false);
  if (isCorefileName(f)) {
    const d = decodeText(r.buf);
    if (d.text === undefined) return failed(d.error!, true, r.size, r.mtimeMs);
    return { opened: true, size: r.size, mtimeMs: r.mtimeMs, corefile: d.text, layout: WHOLE, bom: 0, problems: [], spans: [], roots: [], docs: [] };
  }
  return parseManifest(r.buf, display, r.size, r.mtimeMs, false);
}

/**
 * Decode and parse a manifest's bytes. `kept`: the caller keeps the text (stdin), so positions
 * are found in it (layout WHOLE, no roots or byte offsets).
 */
export function parseManifest(buf: Uint8Array, display: string, size: number, mtimeMs: number, kept: boolean): FileRead & { text?: string } {
  const decoded = decodeInput(buf);
  if ('error' in decoded) return failed(decoded.error, true, size, mtimeMs);
  const text = decoded.text;
  const problems: LoadProblem[] = [];
  for (const n of decoded.notes) problems.push({ file: display, ...n });
  const parsed = decoded.json ? parseJsonStream(text, decoded.json, display) : parseStream(text, display);
  for (const p of parsed.problems) problems.push(p);
  const utf16 = decoded.utf16;
  const bom = !kept && !utf16 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const layout: Layout = kept || decoded.altered || utf16 ? WHOLE : buf.length - bom === text.length ? ASCII : UTF8; // ASCII: as many bytes as characters
  const roots: number[] = [];
  let byteStarts: number[] | undefined;
  if (!kept) {
    for (let i = 0; i < parsed.spans.length; i++) roots.push(-1);
    for (const d of parsed.documents) {
      if (d.value === null) continue;
      const span = parsed.spans[d.index]!;
      const r = rootPosition(text, span.start, span.end);
      if (r && r.line < 2000 && r.col < 1e6) roots[d.index] = r.line * 1e6 + r.col;
    }
    if (layout === UTF8) {
      byteStarts = [];
      let b = bom;
      for (const sp of parsed.spans) {
        byteStarts.push(b);
        b += Buffer.byteLength(text.slice(sp.start, sp.end));
      }
    }
  }
  const docs: DocRead[] = [];
  for (const d of parsed.documents) {
    if (d.value === null) continue;
    // Keys kubectl's YAML-to-JSON conversion refuses (js-yaml turns them into "[object Object]",
    // "a,b" or "null"): the document is a problem, as kubectl cannot apply it.
    if (!d.keysChecked && hasSuspectKey(d.value)) {
      const sp = parsed.spans[d.index]!;
      const bad = invalidKeys(text.slice(sp.start, sp.end));
      if (bad.length > 0) {
        const refused = bad.map((b): LoadProblem => ({ file: display, line: b.line + sp.lineOffset, column: b.column, message: b.message, fatal: true }));
        docs.push({ index: d.index, startLine: d.startLine, value: null, refused });
        continue;
      }
    }
    const sp = parsed.spans[d.index]!;
    docs.push(!kept && keepsText(d.value) ? { index: d.index, startLine: d.startLine, value: d.value, text: copyOf(text.slice(sp.start, sp.end)) }
      : { index: d.index, startLine: d.startLine, value: d.value });
  }
  const read = { opened: true, size, mtimeMs, layout, bom, problems, spans: parsed.spans, roots, docs, ...(byteStarts ? { byteStarts } : {}) };
  return kept ? { ...read, text } : read;
}

// Files, directories and stdin -> InputDocuments, LoadProblems and a Locator.
// The only place (with load/cluster) that touches the file system.

import { promises as fs, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import type { InputDocument, JsonPath, LoadProblem, SourceLocation, SourceRef } from '../model/types.ts';
import { parseStream, locateInChunk, type Chunk } from './yaml.ts';

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
  chunks: readonly Chunk[];
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

/** Decode bytes as a text file: BOMs and UTF-16 handled, binary and invalid UTF-8 refused. */
export function decodeText(buf: Uint8Array): { text?: string; error?: string } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)) };
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const probe = buf.subarray(start, Math.min(buf.length, start + 8000));
  if (probe.includes(0)) return { error: 'binary file (NUL bytes), not YAML or JSON: skipped' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(start)) };
  } catch {
    return { error: 'not valid UTF-8 text: skipped' };
  }
}

async function walk(dir: string, out: string[], problems: LoadProblem[], seen: Set<string>): Promise<void> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch (e) {
    problems.push({ file: dir, message: `cannot read directory: ${errText(e)}`, fatal: true });
    return;
  }
  if (seen.has(real)) return; // a symlink loop, or the same tree reached twice
  seen.add(real);
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ file: dir, message: `cannot read directory: ${errText(e)}`, fatal: true });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (SKIP_DIRS.has(e.name)) continue;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = await fs.stat(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        problems.push({ file: p, message: 'broken symbolic link: skipped', fatal: false });
        continue;
      }
    }
    if (isDir) await walk(p, out, problems, seen);
    else if (isFile && (EXTENSIONS.has(path.extname(e.name).toLowerCase()) || isCorefileName(e.name))) out.push(p);
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

const displayName = (p: string): string => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
};

export interface LoadOptions {
  /** Reads all of stdin (injected so tests need no real stdin). */
  readStdin?: () => Promise<Uint8Array>;
  /** Largest file read, in bytes. */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Read every path (file, directory or '-'), never throwing for bad input. */
export async function loadPaths(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const problems: LoadProblem[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === STDIN) {
      files.push(STDIN);
      continue;
    }
    let st;
    try {
      st = await fs.stat(p);
    } catch (e) {
      problems.push({ file: p, message: `cannot read: ${errText(e)}`, fatal: true });
      continue;
    }
    if (st.isDirectory()) await walk(p, files, problems, seen);
    else files.push(p);
  }

  const documents: InputDocument[] = [];
  const entries = new Map<string, FileEntry>();
  const stats: LoadStats = { files: 0, documents: 0, resources: 0, skipped: 0 };
  for (const f of files) {
    const display = f === STDIN ? STDIN_NAME : displayName(f);
    let buf: Uint8Array;
    try {
      if (f === STDIN) {
        buf = opts.readStdin ? await opts.readStdin() : new Uint8Array();
      } else {
        const st = await fs.stat(f);
        if (!st.isFile()) {
          problems.push({ file: display, message: 'not a regular file (a FIFO, socket or device): skipped', fatal: true });
          continue;
        }
        if (st.size > (opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)) {
          problems.push({ file: display, message: `file too large (${st.size} bytes): skipped`, fatal: true });
          continue;
        }
        await fs.access(f, fsc.R_OK);
        buf = await fs.readFile(f);
      }
    } catch (e) {
      problems.push({ file: display, message: `cannot read: ${errText(e)}`, fatal: true });
      continue;
    }
    stats.files++;
    const decoded = decodeText(buf);
    if (decoded.text === undefined) {
      problems.push({ file: display, line: 1, message: decoded.error!, fatal: true });
      continue;
    }
    if (f !== STDIN && isCorefileName(f)) {
      entries.set(display, { display, chunks: [], corefile: true });
      stats.documents++;
      stats.resources++;
      documents.push({
        source: { file: display, doc: 0 },
        object: { apiVersion: COREFILE_API_VERSION, kind: 'Corefile', metadata: { name: path.basename(f) }, data: { Corefile: decoded.text } },
      });
      continue;
    }
    const parsed = parseStream(decoded.text, display);
    problems.push(...parsed.problems);
    entries.set(display, { display, chunks: parsed.chunks });
    for (const d of parsed.documents) {
      if (d.value === null) continue;
      stats.documents++;
      const base = { file: display, doc: d.index };
      addObjects(d.value, base, d.startLine, documents, problems, stats);
    }
  }

  const locator: Locator = {
    locate(source, p, textLine) {
      const entry = entries.get(source.file);
      if (entry?.corefile) return { file: entry.display, line: textLine ?? 1, column: 1 };
      const chunk = entry?.chunks[source.doc];
      if (!entry || !chunk) return undefined;
      const full = source.item === undefined ? p : ['items', source.item, ...p];
      const pos = locateInChunk(chunk, full, textLine);
      if (chunk.helmSource) {
        return { file: chunk.helmSource, line: pos.line - chunk.lineOffset, column: pos.column, rendered: { file: entry.display, line: pos.line } };
      }
      return { file: entry.display, line: pos.line, column: pos.column };
    },
  };
  return { documents, problems, locator, stats };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function addObjects(
  value: unknown, base: SourceRef, line: number, out: InputDocument[], problems: LoadProblem[], stats: LoadStats,
): void {
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    stats.skipped++;
    return;
  }
  const kind = value.kind;
  if ((kind === 'List' || kind.endsWith('List')) && Array.isArray(value.items)) {
    value.items.forEach((item, i) => {
      if (isObject(item) && typeof item.kind === 'string' && typeof item.apiVersion === 'string') {
        out.push({ source: { ...base, item: i }, object: item });
        stats.resources++;
      } else {
        problems.push({ file: base.file, line, message: `${kind} item ${i} has no apiVersion/kind: skipped`, fatal: false });
      }
    });
    return;
  }
  out.push({ source: base, object: value });
  stats.resources++;
}

// YAML text -> documents, fast, with exact positions resolved only when asked for.
//
// Reading: the text is split into documents at `---` lines (a document marker at column 0
// cannot occur inside a scalar of a valid document), and each chunk is read with js-yaml,
// which is several times faster than yaml's Document API on Kubernetes manifests. A chunk
// that fails to parse becomes a problem with its own line; the other chunks are unaffected.
// Positions: locate() parses just the one chunk with yaml's Document API and LineCounter,
// the first time a position in that chunk is asked for (in practice: documents with findings).

import jsyaml from 'js-yaml';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode, type Pair } from 'yaml';
import type { JsonPath, LoadProblem, SourceLocation } from '../model/types.ts';

export interface RawDocument {
  /** Index of the chunk in the file (0-based). */
  readonly index: number;
  /** The parsed value (null for an empty document). */
  readonly value: unknown;
  /** 1-based line where the chunk starts in the file. */
  readonly startLine: number;
  /** Helm's `# Source: chart/templates/x.yaml`, when present. */
  readonly helmSource?: string;
}

export interface Chunk {
  readonly text: string;
  /** 0-based line offset of the chunk in the file. */
  readonly lineOffset: number;
  readonly helmSource?: string;
}

const DOC_MARKER = /^---(?:[ \t]|$)/;
const HELM_SOURCE = /^#\s*Source:\s*(\S.*?)\s*$/;

/** Split a YAML stream into document chunks at column-0 `---` markers. */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 0;
  let line = 0;
  let pos = 0;
  const push = (end: number): void => {
    const chunkText = text.slice(start, end);
    let helmSource: string | undefined;
    // Helm writes `---` then `# Source: ...` as the first lines of each document.
    for (const l of chunkText.split('\n', 6)) {
      const m = HELM_SOURCE.exec(l.replace(/\r$/, ''));
      if (m) {
        helmSource = m[1];
        break;
      }
    }
    chunks.push(helmSource === undefined ? { text: chunkText, lineOffset: startLine } : { text: chunkText, lineOffset: startLine, helmSource });
  };
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (line > 0 && text.charCodeAt(pos) === 45 /* - */ && DOC_MARKER.test(text.slice(pos, Math.min(end, pos + 4)))) {
      push(pos);
      start = pos;
      startLine = line;
    }
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  push(text.length);
  return chunks;
}

function isBlank(chunk: string): boolean {
  // Only the marker, comments and whitespace: an empty document.
  for (const raw of chunk.split('\n')) {
    const l = raw.trim();
    if (l === '' || l.startsWith('#') || l === '---' || l === '...') continue;
    return false;
  }
  return true;
}

export interface ParsedStream {
  readonly documents: readonly RawDocument[];
  readonly problems: readonly LoadProblem[];
  readonly chunks: readonly Chunk[];
}

/** Read every document of a YAML (or JSON) text. Never throws. */
export function parseStream(text: string, file: string): ParsedStream {
  const chunks = splitDocuments(text);
  const documents: RawDocument[] = [];
  const problems: LoadProblem[] = [];
  chunks.forEach((c, index) => {
    if (isBlank(c.text)) return;
    try {
      const value = jsyaml.load(c.text, { filename: file });
      documents.push({ index, value: value ?? null, startLine: c.lineOffset + 1, ...(c.helmSource ? { helmSource: c.helmSource } : {}) });
    } catch (e) {
      problems.push(yamlProblem(e, c, file));
    }
  });
  return { documents, problems, chunks };
}

function yamlProblem(e: unknown, c: Chunk, file: string): LoadProblem {
  if (e instanceof jsyaml.YAMLException) {
    const mark = e.mark as { line?: number; column?: number } | undefined;
    // An error at the end of the chunk (an unclosed bracket) is reported on its last content line.
    const lines = c.text.replace(/\s+$/, '').split('\n');
    const rel = Math.min(mark?.line ?? 0, lines.length - 1);
    const line = rel + c.lineOffset + 1;
    const column = rel === (mark?.line ?? 0) ? (mark?.column ?? 0) + 1 : lines[rel]!.length + 1;
    return { file, line, column, message: `invalid YAML: ${e.reason ?? 'syntax error'}`, fatal: true };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { file, line: c.lineOffset + 1, message: `invalid YAML: ${msg.split('\n')[0]}`, fatal: true };
}

/**
 * Resolve a JSON path inside one chunk to the position of the key it names (or its nearest ancestor).
 * With `textLine`, when the value at `path` is a literal block scalar (`key: |`), the position is
 * that line of the scalar's text (line 1 is the line after the `|` header).
 */
export function locateInChunk(chunk: Chunk, path: JsonPath, textLine?: number): { line: number; column: number } {
  const lc = new LineCounter();
  const doc = parseDocument(chunk.text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false });
  let node: unknown = doc.contents;
  // Fallback: the first content line of the document.
  let best: number | undefined = (doc.contents as YamlNode | null)?.range?.[0];
  let resolved = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as YamlNode;
      best = key.range?.[0] ?? best;
      node = pair.value;
      resolved++;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) break;
      best = item.range?.[0] ?? best;
      node = item;
      resolved++;
    } else {
      break;
    }
  }
  if (textLine !== undefined && resolved === path.length && isScalar(node) && node.type === 'BLOCK_LITERAL' && node.range) {
    const header = lc.linePos(node.range[0]);
    return { line: header.line + textLine + chunk.lineOffset, column: 1 };
  }
  if (best === undefined) return { line: chunk.lineOffset + 1, column: 1 };
  const p = lc.linePos(best);
  return { line: p.line + chunk.lineOffset, column: p.col };
}

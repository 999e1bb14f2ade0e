// What kubectl keeps and refuses in a manifest stream, where js-yaml alone would differ (issue 20).
// kubectl reads a file with apimachinery's YAMLOrJSONDecoder
// (k8s.io/apimachinery/pkg/util/yaml/decoder.go): a stream whose first non-blank byte is `{` is
// read as consecutive JSON values; otherwise YAMLReader cuts it at `---` lines (LF line ends only),
// and each piece goes through sigs.k8s.io/yaml's YAMLToJSON (go-yaml reads the piece's first
// document only, then convertToJSONableObject turns map keys into strings). Checked against
// kubectl v1.32 (`kubectl label --local -f FILE x=y -o name`, which needs no cluster):
//
// - a byte order mark at the start of a later document: go-yaml drops it (the piece starts there);
// - content after a `...` end marker, before the next `---`: go-yaml reads the first document
//   only, so kubectl applies the document before `...` and silently ignores the rest;
// - CR-only line ends: YAMLReader finds no `---` line, go-yaml reads CR as a line break and keeps
//   the first document only;
// - a NUL byte: go-yaml refuses the piece ("control characters are not allowed");
// - `{...}{...}` (concatenated JSON objects): every object is applied;
// - a mapping, a sequence or null used as a map key: refused ("invalid map key", "unsupported map
//   key of type"); js-yaml would make it the key "[object Object]", "a,b" or "null".
//
// Pure functions over text; files.ts applies them.

import { createRequire } from 'node:module';
import { splitSpans } from '../yaml/stream.ts';

export interface StreamNote {
  /** 1-based line in the (prepared) text. */
  readonly line: number;
  readonly column?: number;
  readonly message: string;
  readonly fatal: boolean;
}

export interface PreparedText {
  readonly text: string;
  readonly notes: readonly StreamNote[];
  /** The text is not the decoded bytes any more (offsets differ): positions must read the file whole. */
  readonly altered: boolean;
}

const lineAt = (text: string, pos: number, from = 0, fromLine = 1): number => {
  let line = fromLine;
  for (let i = text.indexOf('\n', from); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

/** Spaces for every character but line breaks: the lines stay where they are, the content goes. */
const blank = (s: string): string => s.replace(/[^\n\r]/g, ' ');

/**
 * The text as kubectl would read it, with notes on what changed: BOMs after `---` dropped, NUL
 * documents and content after `...` blanked (with a note), CR-only line ends read as LF.
 */
export function prepareText(input: string): PreparedText {
  let text = input;
  const notes: StreamNote[] = [];
  let altered = false;
  if (text.includes('\r') && !text.includes('\n')) {
    // Same length, same bytes per character: only the line breaks change.
    text = text.replace(/\r/g, '\n');
    altered = true;
    notes.push({
      line: 1, fatal: false,
      message: 'line ends are CR only (classic Mac OS): read here as line breaks, but kubectl splits documents only at LF line ends and applies just the first document of this file',
    });
  }
  const hasBom = text.includes('\uFEFF');
  const hasNul = text.includes('\0');
  const hasEnd = text.startsWith('...') || text.includes('\n...');
  if (!hasBom && !hasNul && !hasEnd) return { text, notes, altered };

  const edits: { start: number; end: number; to: string }[] = [];
  const spans = splitSpans(text);
  spans.forEach((s, index) => {
    // The content starts after the `---` line of every chunk but the first.
    let body = s.start;
    if (index > 0) {
      const nl = text.indexOf('\n', s.start);
      body = nl < 0 || nl >= s.end ? s.end : nl + 1;
    }
    if (hasBom && text.charCodeAt(body) === 0xfeff) edits.push({ start: body, end: body + 1, to: '' });
    const chunk = text.slice(body, s.end);
    if (hasNul) {
      const nul = chunk.indexOf('\0');
      if (nul >= 0) {
        const line = lineAt(text, body + nul, s.start, s.lineOffset + 1);
        notes.push({ line, fatal: true, message: 'control characters are not allowed (a NUL byte), as kubectl says: document skipped' });
        edits.push({ start: body, end: s.end, to: blank(chunk) });
        return;
      }
    }
    if (hasEnd) {
      // A `...` line at column 0, then content before the next `---`: kubectl reads up to the `...`.
      const m = /(?:^|\n)\.\.\.(?:[ \t][^\n]*)?\r?(?:\n|$)/.exec(chunk);
      if (m) {
        const after = m.index + m[0].length;
        const rest = chunk.slice(after);
        const first = /^[ \t]*[^\s#]/m.exec(rest);
        if (first) {
          const line = lineAt(text, body + after + first.index, s.start, s.lineOffset + 1);
          notes.push({
            line, fatal: false,
            message: 'content after a `...` document end marker: kubectl reads only the first document between `---` lines, so it ignores this part (not audited); put `---` before it',
          });
          edits.push({ start: body + after, end: s.end, to: blank(rest) });
        }
      }
    }
  });
  if (edits.length === 0) return { text, notes, altered };
  let out = '';
  let pos = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    out += text.slice(pos, e.start) + e.to;
    pos = e.end;
  }
  out += text.slice(pos);
  return { text: out, notes, altered: true };
}

/**
 * Offsets [start, end) of each top-level JSON value of a text that starts (after blanks) with `{`
 * and holds more than one of them, as kubectl's JSON stream decoder reads them; otherwise
 * undefined (one value, or not JSON: the YAML reader handles it). Anything after the last value
 * that is not a value is its own segment, so that it is reported.
 */
export function splitJsonValues(text: string): [number, number][] | undefined {
  let i = 0;
  const ws = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
  while (i < text.length && ws(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 123 /* { */) return undefined;
  const out: [number, number][] = [];
  while (i < text.length) {
    const start = i;
    if (text.charCodeAt(i) !== 123) {
      out.push([start, text.length]);
      break;
    }
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92 /* \ */) i++;
        else if (c === 34 /* " */) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    out.push([start, Math.min(i, text.length)]);
    while (i < text.length && ws(text.charCodeAt(i))) i++;
  }
  return out.length > 1 ? out : undefined;
}

/** Whether a parsed value has a key js-yaml made from a non-scalar or null key (then checkKeys confirms). */
export function hasSuspectKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    for (const k in v) {
      if (k === '[object Object]' || k === 'null' || k === '' || k.includes(',')) return true;
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return false;
}

let yamlLib: typeof import('yaml') | undefined;
const yamlApi = (): typeof import('yaml') => (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

/**
 * Map keys of one document that sigs.k8s.io/yaml's YAML-to-JSON conversion refuses: a mapping or a
 * sequence (go-yaml: "invalid map key"; an unquoted `{{ placeholder }}` is a flow mapping), or null
 * (`~`, `null`, an empty key: "unsupported map key of type <nil>"). Positions are 1-based, in the chunk.
 */
export function invalidKeys(chunk: string): { line: number; column: number; message: string }[] {
  const { LineCounter, parseDocument, visit, isMap, isSeq, isScalar } = yamlApi();
  const lc = new LineCounter();
  const doc = parseDocument(chunk, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const out: { line: number; column: number; message: string }[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as { range?: [number, number, number] } | null;
      let what: string | undefined;
      if (isMap(key)) what = 'a mapping used as a map key (an unquoted template placeholder such as {{ value }}?)';
      else if (isSeq(key)) what = 'a sequence used as a map key';
      else if (key === null || (isScalar(key) && key.value === null)) what = 'a null map key (~, null or an empty key)';
      if (what === undefined) return undefined;
      const pos = lc.linePos(key?.range?.[0] ?? (pair.value as { range?: [number] } | null)?.range?.[0] ?? 0);
      out.push({ line: pos.line, column: pos.col, message: `invalid map key: ${what}; kubectl's YAML-to-JSON conversion refuses the document: document skipped` });
      return visit.SKIP;
    },
  });
  return out;
}

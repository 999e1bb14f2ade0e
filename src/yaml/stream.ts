// YAML text -> documents, fast, with exact positions resolved only when asked for.
//
// Reading: the text is split into documents at `---` lines (a document marker at column 0
// cannot occur inside a scalar of a valid document), and each chunk is first given to a hand-written
// reader of the block style manifests use (src/yaml/fast.ts: js-yaml's exact values, already
// compact, several times faster); what it does not fully handle, it leaves to js-yaml,
// which is several times faster than yaml's Document API on Kubernetes manifests. A chunk
// that fails to parse becomes a problem with its own line; the other chunks are unaffected.
// A parsed document is checked once for what could hurt the code that walks it later: alias
// expansion (billion laughs: js-yaml shares aliased nodes, a tree walk would not) and depth.
// Then CustomResourceDefinition schemas are dropped and the document is kept as a JSON copy,
// several times smaller in memory than js-yaml's objects (docs/performance.md).
// Positions: locateInChunk() first tries a line scanner that understands the block style
// Kubernetes manifests are written in (keys, `- ` items, compact sequences, quoted keys) and
// gives up (undefined) on anything else; then it parses just the one chunk with yaml's Document
// API and LineCounter. Both give the same answer wherever the scanner answers (test/load/
// locate-fast.test.ts compares them over fixtures and random documents).

import jsyaml from 'js-yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import type { JsonPath, LoadProblem } from '../model/types.ts';
import { fastLoad, lastHadSuspectKey, BAIL } from './fast.ts';
import { yamlLibrary } from './library.ts';

export interface RawDocument {
  /** Index of the chunk in the file (0-based). */
  readonly index: number;
  /** The parsed value (null for an empty document). */
  readonly value: unknown;
  /** 1-based line where the chunk starts in the file. */
  readonly startLine: number;
  /** Helm's `# Source: chart/templates/x.yaml`, when present. */
  readonly helmSource?: string;
  /** The fast reader saw every key and none that kubectl may refuse (fast.ts lastHadSuspectKey). */
  readonly keysChecked?: true;
}

/** Where a chunk is in its file's text: enough to cut it out again, without keeping the text. */
export interface ChunkSpan {
  /** Offsets (UTF-16 code units) of the chunk in the decoded text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** 0-based line offset of the chunk in the file. */
  readonly lineOffset: number;
  readonly helmSource?: string;
}

export interface Chunk extends ChunkSpan {
  readonly text: string;
}

const HELM_SOURCE = /^#\s*Source:\s*(\S.*?)\s*$/;

/** A `---` document marker at column 0 (followed by a blank, or the line's end). */
function isMarkerAt(text: string, pos: number): boolean {
  if (text.charCodeAt(pos) !== 45 || text.charCodeAt(pos + 1) !== 45 || text.charCodeAt(pos + 2) !== 45) return false;
  const c = text.charCodeAt(pos + 3);
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;
}

function helmSourceOf(text: string, start: number, end: number): string | undefined {
  // Helm writes `---` then `# Source: ...` as the first lines of each document.
  let pos = start;
  for (let i = 0; i < 6 && pos < end; i++) {
    const nl = text.indexOf('\n', pos);
    const e = nl < 0 || nl > end ? end : nl;
    if (text.charCodeAt(pos) === 35 /* # */) {
      const m = HELM_SOURCE.exec(text.slice(pos, e).replace(/\r$/, ''));
      if (m) return detached(m[1]!);
    }
    pos = e + 1;
  }
  return undefined;
}

/**
 * A copy of a short string that does not share the text it was cut from. V8 represents a slice of
 * 13 or more characters as a view of its parent string: a Helm `# Source:` name kept in a span
 * (as long as the Locator lives) would otherwise keep the whole file's text alive; on the 10,000-
 * document benchmark that was 11 MB of file texts, a fifth of the heap after loading.
 */
const detached = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** Split a YAML stream into document chunks at column-0 `---` markers. */
export function splitDocuments(text: string): Chunk[] {
  return splitSpans(text).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

/** The chunks of a text, as spans. */
export function splitSpans(text: string): ChunkSpan[] {
  const spans: ChunkSpan[] = [];
  let start = 0;
  let startLine = 0;
  let line = 0;
  let pos = 0;
  const push = (end: number): void => {
    const helmSource = helmSourceOf(text, start, end);
    spans.push(helmSource === undefined ? { start, end, lineOffset: startLine } : { start, end, lineOffset: startLine, helmSource });
  };
  for (;;) {
    if (line > 0 && isMarkerAt(text, pos)) {
      push(pos);
      start = pos;
      startLine = line;
    }
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  push(text.length);
  return spans;
}

/** Only the marker, comments and whitespace: an empty document. */
export function isBlank(text: string, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    let i = pos;
    while (i < nl && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
    if (i < nl) {
      const c = text.charCodeAt(i);
      if (c !== 35 /* # */) {
        const l = text.slice(i, nl).trimEnd();
        if (l !== '---' && l !== '...') return false;
      }
    }
    pos = nl + 1;
  }
  return true;
}

export interface ParsedStream {
  readonly documents: readonly RawDocument[];
  readonly problems: readonly LoadProblem[];
  /** One per chunk, in order (RawDocument.index and SourceRef.doc index into it). */
  readonly spans: readonly ChunkSpan[];
}

/**
 * YAML 1.2 core types plus merge keys (`<<`), as Kubernetes reads manifests: a plain scalar that
 * looks like a date stays a string (js-yaml's default schema would make it a Date object, which
 * kubectl's YAML-to-JSON conversion never does). Also skips the timestamp regex on every scalar.
 */
const jsyamlTypes = (jsyaml as unknown as { types: Record<'merge' | 'binary' | 'omap' | 'pairs' | 'set', jsyaml.Type> }).types;
export const K8S_SCHEMA = jsyaml.CORE_SCHEMA.extend({
  implicit: [jsyamlTypes.merge],
  explicit: [jsyamlTypes.binary, jsyamlTypes.omap, jsyamlTypes.pairs, jsyamlTypes.set],
});

/** Limits of the walk that checks every parsed document (see checkTree). */
export const TREE_LIMITS = { maxNodes: 5_000_000, maxDepth: 1000 } as const;

/** Read every document of a YAML (or JSON) text. Never throws. */
export function parseStream(text: string, file: string, options: { fast?: boolean } = {}): ParsedStream {
  const fast = options.fast ?? true;
  const spans = splitSpans(text);
  const documents: RawDocument[] = [];
  const problems: LoadProblem[] = [];
  for (let index = 0; index < spans.length; index++) {
    const s = spans[index]!;
    if (isBlank(text, s.start, s.end)) continue;
    const chunkText = text.slice(s.start, s.end);
    if (fast) {
      // The fast reader (src/yaml/fast.ts) gives exactly the value of the js-yaml path below,
      // already compact, or BAIL. It bails on anchors, aliases and nesting deeper than 60, so what
      // it reads needs neither the alias-bomb and depth walk (checkTree) nor the JSON copy.
      const fastValue = fastLoad(chunkText);
      if (fastValue !== BAIL) {
        if (fastValue !== null && typeof fastValue === 'object') dropCrdSchemas(fastValue);
        documents.push({
          index, value: fastValue, startLine: s.lineOffset + 1, ...(s.helmSource ? { helmSource: s.helmSource } : {}),
          ...(lastHadSuspectKey() ? {} : { keysChecked: true as const }),
        });
        continue;
      }
    }
    let value: unknown;
    try {
      value = jsyaml.load(chunkText, { filename: file, schema: K8S_SCHEMA });
    } catch (e) {
      problems.push(yamlProblem(e, { ...s, text: chunkText }, file));
      continue;
    }
    const bad = mayNeedTreeCheck(chunkText) ? checkTree(value) : undefined;
    if (bad) {
      problems.push({ file, line: firstContentLine(chunkText) + s.lineOffset + 1, message: `${bad}: document skipped`, fatal: true });
      continue;
    }
    if (value !== null && typeof value === 'object') {
      dropCrdSchemas(value);
      // A compact copy: js-yaml's strings are slices of the chunk's text and keep all of it alive,
      // and its objects are larger than JSON.parse's; the copy is about 3.5 times smaller on the
      // corpus, which is what lets 100,000 documents fit in memory. JSON also says what Kubernetes
      // would accept: .inf/.nan become null, as they cannot be sent to the apiserver either.
      try {
        value = JSON.parse(JSON.stringify(value)) as unknown;
      } catch (e) {
        const why = e instanceof RangeError ? 'too large to copy' : 'an alias refers to its own ancestor';
        problems.push({ file, line: firstContentLine(chunkText) + s.lineOffset + 1, message: `YAML document ${why}: document skipped`, fatal: true });
        continue;
      }
    }
    documents.push({ index, value: value ?? null, startLine: s.lineOffset + 1, ...(s.helmSource ? { helmSource: s.helmSource } : {}) });
  }
  return { documents, problems, spans };
}

/**
 * CustomResourceDefinitions are read for their names only: their OpenAPI schemas are most of their
 * bytes (over a third of the corpus) and no rule reads them, so they are dropped before the copy.
 */
function dropCrdSchemas(value: object): void {
  const o = value as { apiVersion?: unknown; kind?: unknown; spec?: unknown };
  if (o.kind !== 'CustomResourceDefinition' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('apiextensions.k8s.io/')) return;
  const spec = o.spec as { versions?: unknown; validation?: unknown } | null | undefined;
  if (spec === null || typeof spec !== 'object') return;
  delete spec.validation;
  if (Array.isArray(spec.versions)) {
    for (const v of spec.versions) if (v !== null && typeof v === 'object') delete (v as { schema?: unknown }).schema;
  }
}

const ANCHOR = /(?:^|[\s[{,])&[^\s,[\]{}]/;
const DEEP_INDENT = `\n${' '.repeat(200)}`;

/**
 * Whether a chunk could hold an alias bomb or a very deep tree. Aliases need an anchor; a deep tree
 * needs deep indentation or many brackets. Most manifests need no walk at all.
 */
function mayNeedTreeCheck(text: string): boolean {
  if (text.includes('&') && ANCHOR.test(text)) return true;
  if (text.includes(DEEP_INDENT)) return true;
  let brackets = 0;
  for (let i = text.indexOf('['); i >= 0 && brackets < 200; i = text.indexOf('[', i + 1)) brackets++;
  for (let i = text.indexOf('{'); i >= 0 && brackets < 200; i = text.indexOf('{', i + 1)) brackets++;
  return brackets >= 200;
}

/**
 * Walks a parsed document as the rest of the program would see it (shared alias nodes counted
 * every time they are reached) and says what is wrong when the walk exceeds the limits: an alias
 * bomb expands past maxNodes, and a tree deeper than maxDepth would overflow recursive code.
 * Go's YAML reader (kubectl) refuses both too ("excessive aliasing", "exceeded max depth").
 */
export function checkTree(value: unknown, limits: { maxNodes: number; maxDepth: number } = TREE_LIMITS): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: { v: object; depth: number }[] = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (depth > limits.maxDepth) return `YAML nested deeper than ${limits.maxDepth} levels`;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    nodes += children.length;
    if (nodes > limits.maxNodes) return `YAML aliases expand to more than ${limits.maxNodes} nodes (an alias bomb?)`;
    for (const c of children) if (c !== null && typeof c === 'object') stack.push({ v: c, depth: depth + 1 });
  }
  return undefined;
}

/** 0-based index of the first line that is not blank, a comment, a directive or a document marker. */
function firstContentLine(text: string): number {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '' || l.startsWith('#') || l === '---' || l.startsWith('%')) continue;
    return i;
  }
  return 0;
}

function yamlProblem(e: unknown, c: Chunk, file: string): LoadProblem {
  if (e instanceof jsyaml.YAMLException) {
    const mark = e.mark as { line?: number; column?: number } | undefined;
    // An error at the end of the chunk (an unclosed bracket) is reported on its last content line.
    const lines = c.text.replace(/\s+$/, '').split('\n');
    const rel = Math.min(mark?.line ?? 0, lines.length - 1);
    const line = rel + c.lineOffset + 1;
    const column = rel === (mark?.line ?? 0) ? (mark?.column ?? 0) + 1 : lines[rel]!.length + 1;
    const depth = /^nesting exceeded maxDepth \((\d+)\)/.exec(e.reason ?? '');
    const message = depth ? `invalid YAML: nested deeper than ${depth[1]} levels: document skipped` : `invalid YAML: ${e.reason ?? 'syntax error'}`;
    return { file, line, column, message, fatal: true };
  }
  const line = firstContentLine(c.text) + c.lineOffset + 1;
  if (e instanceof RangeError) {
    // js-yaml recurses per nesting level: a pathologically deep document overflows the stack.
    return { file, line, message: 'invalid YAML: nested too deeply to read (stack overflow): document skipped', fatal: true };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { file, line, message: `invalid YAML: ${msg.split('\n')[0]}`, fatal: true };
}

/**
 * Resolve a JSON path inside one chunk to the position of the key it names (or its nearest ancestor).
 * With `textLine`, when the value at `path` is a literal block scalar (`key: |`), the position is
 * that line of the scalar's text (line 1 is the line after the `|` header).
 */
export function locateInChunk(chunk: Chunk, path: JsonPath, textLine?: number): { line: number; column: number } {
  return chunkLocator(chunk)(path, textLine);
}

/**
 * locateInChunk for many paths of one chunk: the scanner splits the chunk's lines once, and
 * yaml parses it at most once, for the first path the scanner gives up on.
 */
export function chunkLocator(chunk: Chunk): (path: JsonPath, textLine?: number) => { line: number; column: number } {
  let sc: Scanner | undefined;
  let slow: ReturnType<typeof slowLocator> | undefined;
  return (path, textLine) => {
    const fast = locateFast(chunk.text, path, textLine, (sc ??= new Scanner(chunk.text)));
    if (fast) return { line: fast.line + chunk.lineOffset + 1, column: fast.col + 1 };
    return (slow ??= slowLocator(chunk))(path, textLine);
  };
}


// yaml is loaded on first use (yaml/library.ts): a run whose findings all resolve with the scanner never loads it.

/** Parse a chunk once with yaml's Document API; the function resolves paths in it. */
export function slowLocator(chunk: Chunk): (path: JsonPath, textLine?: number) => { line: number; column: number } {
  const { LineCounter, parseDocument, isMap, isSeq, isScalar } = yamlLibrary();
  const lc = new LineCounter();
  const doc = parseDocument(chunk.text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false });
  return (path, textLine) => {
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
  };
}

// ---- the line scanner ---------------------------------------------------------------------

interface Pos { line: number; col: number }

/** Plain keys whose text is their value under the YAML 1.2 core schema (yaml's default). */
const PLAIN_KEY = /^([A-Za-z_][A-Za-z0-9_./-]*|0|[1-9][0-9]{0,14})[ \t]*:(?:[ \t]|$)/;
const DQ_KEY = /^"([^"\\]*)"[ \t]*:(?:[ \t]|$)/;
const SQ_KEY = /^'((?:[^']|'')*)'[ \t]*:(?:[ \t]|$)/;
const NOT_STRINGS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);
/**
 * Where the content of the chunk text[start, end) starts, as locateFast(chunk, []) would answer
 * it (the same rules as Scanner.root), without splitting the chunk: the loader keeps it for every
 * document, so that a document's own position (the Service summary asks for every Service's)
 * needs no second read of the file. Undefined where the scanner would give up or answer nothing.
 */
export function rootPosition(text: string, start: number, end: number): Pos | undefined {
  let pos = start;
  for (let line = 0; pos < end; line++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    let e = nl;
    if (e > pos && text.charCodeAt(e - 1) === 13) e--;
    let n = pos;
    while (n < e && text.charCodeAt(n) === 32) n++;
    if (n < e) {
      const c = text.charCodeAt(n);
      if (c === 9 /* tab */) {
        const t = text.slice(pos, e).trim();
        if (!(t === '' || t.startsWith('#'))) return undefined;
      } else if (c !== 35 /* # */) {
        const l = text.slice(pos, e);
        if (n === pos && (c === 37 /* % */ || l.startsWith('...'))) return undefined;
        if (n === pos && /^---(\s|$)/.test(l)) {
          const after = l.slice(3).trim();
          if (!(after === '' || after.startsWith('#'))) return undefined;
        } else {
          return c === 38 /* & */ || c === 33 /* ! */ ? undefined : { line, col: n - pos };
        }
      }
    }
    pos = nl + 1;
  }
  return undefined;
}

/** A literal block scalar's header: `|`, then an indentation indicator and/or a chomping indicator, then a comment. */
const BLOCK_LITERAL_HEADER = /^\|(?:[1-9][+-]?|[+-][1-9]?)?(?:[ \t]+(?:#.*)?)?$/;
/** `{}` and then only blanks or a comment. */
const EMPTY_FLOW_MAP = /^\{[ ]*\}[ ]*(?:#.*)?$/;
/** After a node: only blanks or a comment. */
const LINE_END = /^(?:[ ]*|[ ]+#.*)$/;
/** A plain scalar item of a flow sequence: what it may start with, and the rest of it (up to `,` or `]`, trailing blanks not included). */
const FLOW_PLAIN_START = /^[A-Za-z0-9_./+-]$/;
const FLOW_PLAIN_REST = /^[A-Za-z0-9_./+-]+(?: +[A-Za-z0-9_./+-]+)*/;
/** Node starts the scanner does not follow (flow collections, properties, aliases, complex keys, directives). */
const OPAQUE = new Set(['{', '[', '&', '!', '*', '?', '%', '@', '`']);

const GIVE_UP = Symbol('give up');

class Scanner {
  readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** Indentation of a line, or -1 for a blank or comment-only line; GIVE_UP on a tab in the indentation of content. */
  indent(i: number): number | typeof GIVE_UP {
    const l = this.lines[i]!;
    let n = 0;
    while (n < l.length && l.charCodeAt(n) === 32) n++;
    if (n === l.length) return -1;
    const c = l[n]!;
    if (c === '#') return -1;
    if (c === '\t') return l.trim() === '' || l.trim().startsWith('#') ? -1 : GIVE_UP;
    return n;
  }

  /** Next content line at or after i, or -1. */
  next(i: number): number | typeof GIVE_UP {
    for (let j = i; j < this.lines.length; j++) {
      const ind = this.indent(j);
      if (ind === GIVE_UP) return GIVE_UP;
      if (ind >= 0) return j;
    }
    return -1;
  }

  /** The key at (i, col) when the line holds `key:` there; undefined when it is not a key; GIVE_UP when unsure. */
  keyAt(i: number, col: number): { key: string; rest: string } | undefined | typeof GIVE_UP {
    const s = this.lines[i]!.slice(col);
    let m = PLAIN_KEY.exec(s);
    if (m) {
      if (NOT_STRINGS.has(m[1]!)) return GIVE_UP;
      return { key: m[1]!, rest: s.slice(m[0].length) };
    }
    m = DQ_KEY.exec(s);
    if (m) return { key: m[1]!, rest: s.slice(m[0].length) };
    m = SQ_KEY.exec(s);
    if (m) return { key: m[1]!.replace(/''/g, "'"), rest: s.slice(m[0].length) };
    return undefined;
  }

  isItem(i: number, col: number): boolean {
    const l = this.lines[i]!;
    return l.charCodeAt(col) === 45 && (col + 1 === l.length || l[col + 1] === ' ' || l[col + 1] === '\t');
  }

  /**
   * What starts at (i, col): a block map, a block sequence, a flow sequence or an empty flow map
   * on one line, something that cannot hold the path, or GIVE_UP.
   */
  kind(i: number, col: number): 'map' | 'seq' | 'flowseq' | 'emptymap' | 'leaf' | typeof GIVE_UP {
    if (this.isItem(i, col)) return 'seq';
    const k = this.keyAt(i, col);
    if (k === GIVE_UP) return GIVE_UP;
    if (k) return 'map';
    const c = this.lines[i]![col];
    if (c === '[') return 'flowseq';
    if (c === '{') return EMPTY_FLOW_MAP.test(this.lines[i]!.slice(col)) ? 'emptymap' : GIVE_UP;
    if (c === undefined || OPAQUE.has(c)) return GIVE_UP;
    // `: ` further on: a key this scanner does not read (escapes, spaces, odd characters). Give up.
    if (c !== '|' && c !== '>' && /:(\s|$)/.test(this.lines[i]!.slice(col))) return GIVE_UP;
    return 'leaf';
  }

  /** The node that is the value after a key or `- ` at line i, whose remaining text is `rest`. */
  valueAfter(i: number, parentIndent: number, rest: string, restCol: number, allowCompactSeq: boolean): Pos | null | typeof GIVE_UP {
    const t = rest.replace(/^[ \t]+/, '');
    if (t !== '' && !t.startsWith('#')) return { line: i, col: restCol + (rest.length - t.length) };
    const j = this.next(i + 1);
    if (j === GIVE_UP) return GIVE_UP;
    if (j < 0) return null;
    const ind = this.indent(j) as number;
    if (ind > parentIndent) return { line: j, col: ind };
    if (allowCompactSeq && ind === parentIndent && this.isItem(j, ind)) return { line: j, col: ind };
    return null;
  }

  findKey(at: Pos, key: string): { key: Pos; value: Pos | null } | null | typeof GIVE_UP {
    const mapIndent = at.col;
    for (let i = at.line; i < this.lines.length; i++) {
      let ind: number;
      if (i === at.line) ind = at.col;
      else {
        const x = this.indent(i);
        if (x === GIVE_UP) return GIVE_UP;
        if (x < 0) continue;
        ind = x;
      }
      if (ind < mapIndent) return null;
      if (ind > mapIndent) continue;
      if (this.isItem(i, ind)) {
        if (i === at.line) return GIVE_UP;
        continue; // a compact sequence: the value of the previous key
      }
      const k = this.keyAt(i, ind);
      if (k === GIVE_UP || k === undefined) return GIVE_UP;
      if (k.key === key) {
        const restCol = this.lines[i]!.length - k.rest.length;
        const value = this.valueAfter(i, mapIndent, k.rest, restCol, true);
        if (value === GIVE_UP) return GIVE_UP;
        return { key: { line: i, col: ind }, value };
      }
    }
    return null;
  }

  findItem(at: Pos, index: number): Pos | null | typeof GIVE_UP {
    const seqIndent = at.col;
    let n = -1;
    for (let i = at.line; i < this.lines.length; i++) {
      let ind: number;
      if (i === at.line) ind = at.col;
      else {
        const x = this.indent(i);
        if (x === GIVE_UP) return GIVE_UP;
        if (x < 0) continue;
        ind = x;
      }
      if (ind < seqIndent) return null;
      if (ind > seqIndent) continue;
      if (!this.isItem(i, ind)) return null; // the key after a compact sequence
      n++;
      if (n === index) {
        const v = this.valueAfter(i, seqIndent, this.lines[i]!.slice(ind + 1), ind + 1, false);
        // `-` alone with nothing under it: yaml's position for the null item is not worth guessing.
        return v === null ? GIVE_UP : v;
      }
    }
    return null;
  }

  /**
   * The column of each item of the flow sequence whose `[` is at (i, col), when it closes on the
   * same line (then only blanks or a comment) and its items are plain scalars without indicators
   * or quoted scalars without escapes (`ipFamilies: [IPv6, IPv4]`, `args: ["-conf", "/etc/x"]`);
   * GIVE_UP for anything else (nested collections, pairs, multi-line, anchors, trailing commas).
   */
  flowItems(i: number, col: number): number[] | typeof GIVE_UP {
    const l = this.lines[i]!;
    const cols: number[] = [];
    let p = col + 1;
    while (l.charCodeAt(p) === 32) p++;
    if (l[p] === ']') p++;
    else {
      for (;;) {
        const c = l[p];
        if (c === undefined) return GIVE_UP;
        cols.push(p);
        if (c === '"' || c === "'") {
          const q = l.indexOf(c, p + 1);
          if (q < 0 || (c === '"' && l.slice(p + 1, q).includes('\\')) || (c === "'" && l[q + 1] === "'")) return GIVE_UP;
          p = q + 1;
        } else {
          if (!FLOW_PLAIN_START.test(c) || (c === '-' && !FLOW_PLAIN_START.test(l[p + 1] ?? ' '))) return GIVE_UP;
          const m = FLOW_PLAIN_REST.exec(l.slice(p));
          p += m![0].length;
        }
        while (l.charCodeAt(p) === 32) p++;
        if (l[p] === ']') {
          p++;
          break;
        }
        if (l[p] !== ',') return GIVE_UP;
        p++;
        while (l.charCodeAt(p) === 32) p++;
        if (l[p] === ']') return GIVE_UP; // a trailing comma
      }
    }
    return LINE_END.test(l.slice(p)) ? cols : GIVE_UP;
  }

  findFlowItem(at: Pos, index: number): Pos | null | typeof GIVE_UP {
    const cols = this.flowItems(at.line, at.col);
    if (cols === GIVE_UP) return GIVE_UP;
    return index < cols.length ? { line: at.line, col: cols[index]! } : null;
  }

  root(): Pos | null | typeof GIVE_UP {
    for (let i = 0; i < this.lines.length; i++) {
      const ind = this.indent(i);
      if (ind === GIVE_UP) return GIVE_UP;
      if (ind < 0) continue;
      const l = this.lines[i]!;
      if (ind === 0 && l.startsWith('%')) return GIVE_UP;
      if (ind === 0 && l.startsWith('...')) return GIVE_UP;
      if (ind === 0 && /^---(\s|$)/.test(l)) {
        const after = l.slice(3).trim();
        if (after === '' || after.startsWith('#')) continue;
        return GIVE_UP;
      }
      return { line: i, col: ind };
    }
    return null;
  }
}

/**
 * The position (0-based line in the chunk, 0-based column) of the key named by `path`, or of its
 * nearest existing ancestor, the same as slowLocator; undefined when the chunk uses YAML the scanner
 * does not follow (flow collections, anchors, tags, tabs, complex keys), so the caller parses it.
 */
export function locateFast(text: string, path: JsonPath, textLine?: number, sc: Scanner = new Scanner(text)): Pos | undefined {
  const root = sc.root();
  if (root === GIVE_UP || root === null) return undefined;
  let best: Pos = root;
  let node: Pos | null = root;
  let resolved = 0;
  // An item of a flow sequence is a scalar (flowItems takes no other): nothing is below it.
  let flowItem = false;
  for (const seg of path) {
    if (node === null || flowItem) break;
    const kind = sc.kind(node.line, node.col);
    if (kind === GIVE_UP) return undefined;
    if (kind === 'map') {
      const r = sc.findKey(node, String(seg));
      if (r === GIVE_UP) return undefined;
      if (r === null) break;
      best = r.key;
      node = r.value;
    } else if (kind === 'seq' && typeof seg === 'number') {
      const r = sc.findItem(node, seg);
      if (r === GIVE_UP) return undefined;
      if (r === null) break;
      best = r;
      node = r;
    } else if (kind === 'flowseq' && typeof seg === 'number') {
      const r = sc.findFlowItem(node, seg);
      if (r === GIVE_UP) return undefined;
      if (r === null) break;
      best = r;
      node = r;
      flowItem = true;
    } else {
      break;
    }
    resolved++;
  }
  if (textLine !== undefined && resolved === path.length && node !== null) {
    // A line inside a literal block scalar (`key: |`): line 1 is the line after the header.
    const rest = sc.lines[node.line]!.slice(node.col);
    if (rest.startsWith('|')) {
      if (!BLOCK_LITERAL_HEADER.test(rest)) return undefined;
      return { line: node.line + textLine, col: 0 };
    }
  }
  if (best === root) {
    // The root position is where its content starts; a property there is not followed.
    const c = sc.lines[root.line]![root.col];
    if (c === '&' || c === '!') return undefined;
  }
  return best;
}

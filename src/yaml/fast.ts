// A fast reader for the block-style YAML that Kubernetes manifests are written in.
//
// fastLoad(chunk) returns exactly what parseStream's js-yaml path keeps for a chunk,
// JSON.parse(JSON.stringify(jsyaml.load(chunk, { schema: K8S_SCHEMA }))) (YAML 1.2 core schema: null,
// bool, int, float as js-yaml resolves them, .inf/.nan as null and -0 as 0 through the JSON copy), or
// BAIL for anything it does not fully handle, and then the caller reads the chunk with js-yaml.
//
// What it reads: block mappings and sequences (compact `- key: v` and nested `- - x` included),
// plain, single- and double-quoted scalars (multi-line ones too), literal and folded block scalars
// with chomping and indentation indicators, comments, empty values, flow collections with simple
// entries (`[]`, `{}`, `[a, "b"]`, `{a: 1}`, nested, over several lines), CRLF, a leading BOM, the
// `---` and `...` markers and `%YAML 1.1|1.2` directives.
// What makes it bail: anchors, aliases, tags, merge keys (`<<`), `__proto__` keys, complex keys
// (`?`, flow keys), multi-line keys, tabs in indentation, duplicate keys (js-yaml throws there, so
// it gives the error), nesting deeper than MAX_DEPTH, a scalar at the root, non-printable
// characters, and any syntax error or indentation it does not expect. Bailing is always safe;
// reading a value differently from js-yaml is not, so every construct is taken only in the exact
// form whose js-yaml result is known (its loader, node_modules/js-yaml/lib/loader.js, is followed
// rule by rule: readPlainScalar, readBlockScalar, the quoted scalars, readFlowCollection).
// test/yaml/fast.test.ts and scripts/check-fast-yaml.ts compare the two readers.
//
// The values are built compact: strings are copies (not slices that would keep the file's text
// alive), arrays are exactly sized, and the heap they take is that of the JSON copies (own()).

/** Returned when the chunk uses YAML this reader does not handle: read it with js-yaml. */
export const BAIL: unique symbol = Symbol('fast-yaml: bail');

/** Collections nested deeper than this bail (js-yaml's own limit is 100 nodes, scalars included). */
const MAX_DEPTH = 60;

const NL = 10;
const SP = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOT = 46;

// Characters js-yaml refuses in scalars (PATTERN_NON_PRINTABLE), plus those whose handling differs
// between places (NEL and the Unicode line separators, a BOM after the start), and surrogates (so
// that a lone one, which js-yaml refuses, needs no look-around; emoji are rare in manifests): any
// of them bails.
// eslint-disable-next-line no-control-regex
const ODD = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

class Bailout {
  constructor(readonly reason: string) {}
}

let why = '';
let suspect = false;
/**
 * Whether the last document fastLoad read has a key that sigs.k8s.io/yaml's conversion may refuse
 * (load/kubectl-stream.ts hasSuspectKey: empty, `null`, or with a comma; the other suspect key,
 * `[object Object]`, needs a complex or flow key, on which this reader bails). When false, the
 * loader need not walk the document again to look for them.
 */
export function lastHadSuspectKey(): boolean {
  return suspect;
}

/** Records a key of the document; false when it is suspect (see lastHadSuspectKey). */
function noteKey(key: string): boolean {
  if (key === '' || key === 'null' || key.includes(',')) {
    suspect = true;
    return false;
  }
  return true;
}

/** Why the last fastLoad call bailed (for the comparison script). */
export function lastBailReason(): string {
  return why;
}

function bail(reason: string): never {
  throw new Bailout(reason);
}

// ---- reader state (module level: the reader is synchronous and not re-entrant) ----------------
let src = '';
let pos = 0; // after a node: the start of the line after its last line
let depth = 0;
// next(): result of the last call, memoised by its argument
let memoFrom = -1;
let memoAt = -1;
let memoInd = 0;
let memoBreaks = 0;
let memoComment = false;
/** Indentation of the line next() returned; line breaks before it; whether it skipped a comment line. */
let ind = 0;
let breaks = 0;
let sawComment = false;
/** Before the root node, `---` and `...` lines are content for readDocument to look at. */
let inBody = false;
/** The chunk's strings will mostly be dropped (see own()). */
let transient = false;

/**
 * Read one document chunk (as splitSpans cuts it). Returns the value parseStream keeps, or BAIL.
 * Never throws.
 */
export function fastLoad(chunk: string): unknown {
  why = '';
  suspect = false;
  let s = chunk;
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (ODD.test(s)) {
    why = 'unusual characters';
    return BAIL;
  }
  if (s.includes('\r')) {
    if (/\r(?!\n)/.test(s)) {
      why = 'a lone CR';
      return BAIL;
    }
    s = s.replace(/\r\n/g, '\n');
  }
  // js-yaml reads the text with a line break added at its end, and a NUL after it as the end mark.
  src = (s.charCodeAt(s.length - 1) === NL ? s : `${s}\n`) + '\0';
  // A CustomResourceDefinition's schema (most of its text) is dropped after reading: its strings
  // are copied plainly, so they die young, instead of going into the string table.
  transient = s.includes('CustomResourceDefinition');
  pos = 0;
  depth = 0;
  memoFrom = -1;
  inBody = false;
  try {
    return readDocument();
  } catch (e) {
    why = e instanceof Bailout ? e.reason : `internal: ${e instanceof Error ? e.message : String(e)}`;
    return BAIL;
  } finally {
    src = '';
  }
}

// ---- lines ------------------------------------------------------------------------------------

function lineStartOf(p: number): number {
  return src.lastIndexOf('\n', p - 1) + 1;
}

function lineEnd(p: number): number {
  return src.indexOf('\n', p);
}

function isBlankOrNl(c: number): boolean {
  return c === SP || c === NL || c === TAB;
}

/** `---` or `...` at p followed by a blank or the line's end. */
function isMarker(p: number, c: number): boolean {
  return src.charCodeAt(p + 1) === c && src.charCodeAt(p + 2) === c && isBlankOrNl(src.charCodeAt(p + 3));
}

/** The rest of the line from p holds only blanks or a comment (`#` after a blank, or p at `#`). */
function restIsBlank(p: number): boolean {
  let c = src.charCodeAt(p);
  if (c !== SP && c !== TAB && c !== NL && c !== HASH) return false;
  while (c === SP || c === TAB) c = src.charCodeAt(++p);
  return c === NL || c === HASH;
}

/**
 * From the start of a line, skip blank and comment lines. Returns the position of the next content
 * line's first character (its indentation in `ind`, the line breaks before it in `breaks`, whether a
 * comment line was skipped in `sawComment`), or -1 at the end of the document (the text's end or a
 * `...` marker followed by nothing but comments).
 */
function next(p: number): number {
  if (p === memoFrom) {
    ind = memoInd;
    breaks = memoBreaks;
    sawComment = memoComment;
    return memoAt;
  }
  const from = p;
  const src_ = src;
  let br = 1;
  let comment = false;
  let at: number;
  for (;;) {
    let i = p;
    let c = src_.charCodeAt(i);
    while (c === SP) c = src_.charCodeAt(++i);
    if (c === TAB) {
      while (c === TAB || c === SP) c = src_.charCodeAt(++i);
      if (c !== NL && c !== HASH && c !== 0) bail('a tab in indentation');
    }
    if (c === NL) {
      p = i + 1;
      br++;
      continue;
    }
    if (c === HASH) {
      p = lineEnd(i) + 1;
      br++;
      comment = true;
      continue;
    }
    if (c === 0) {
      at = -1;
      break;
    }
    if (i === p && inBody && (c === DASH || c === DOT) && isMarker(i, c)) {
      if (c === DASH) bail('a document marker inside the chunk');
      if (!restIsBlank(i + 3)) bail('content after ...');
      // After `...`, only comments may follow (anything else is a second document: js-yaml throws).
      let q = lineEnd(i) + 1;
      for (;;) {
        let j = q;
        let d = src.charCodeAt(j);
        while (d === SP || d === TAB) d = src.charCodeAt(++j);
        if (d === 0) break;
        if (d !== NL && d !== HASH) bail('a second document after ...');
        q = lineEnd(j) + 1;
      }
      at = -1;
      break;
    }
    ind = i - p;
    at = i;
    break;
  }
  memoFrom = from;
  memoAt = at;
  memoInd = ind;
  memoBreaks = br;
  memoComment = comment;
  breaks = br;
  sawComment = comment;
  return at;
}

// ---- document ---------------------------------------------------------------------------------

function readDocument(): unknown {
  // Directives, then `---`. (js-yaml: readDocument.)
  let hasDirectives = false;
  let version = false;
  let i = next(0);
  while (i >= 0 && ind === 0 && src.charCodeAt(i) === 37 /* % */) {
    const end = lineEnd(i);
    const m = /^%YAML[ \t]+1\.[12](?:[ \t]+(?:#.*)?)?$/.exec(src.slice(i, end));
    if (!m || version) bail('a directive');
    version = true;
    hasDirectives = true;
    i = next(end + 1);
  }
  if (i >= 0 && ind === 0 && src.charCodeAt(i) === DASH && src.charCodeAt(i + 1) === DASH && src.charCodeAt(i + 2) === DASH) {
    if (!isBlankOrNl(src.charCodeAt(i + 3))) bail('--- followed by text');
    if (!restIsBlank(i + 3)) bail('a node on the --- line');
    inBody = true;
    i = next(lineEnd(i) + 1);
  } else if (hasDirectives) {
    bail('directives without ---');
  }
  if (!inBody) {
    // The root's first line was found before `...` meant anything; look again.
    inBody = true;
    memoFrom = -1;
    if (i >= 0) i = next(lineStartOf(i));
  }
  if (i < 0) return null;
  const value = blockNode(i, ind, ind - 1, true);
  if (next(pos) >= 0) bail('content after the root node');
  return value;
}

// ---- block nodes ------------------------------------------------------------------------------

/**
 * A node whose first line starts at i (column `col`) on a line of its own, inside a parent of
 * indentation `parent` (js-yaml: composeNode after a line break, indentStatus 1).
 */
function blockNode(i: number, col: number, parent: number, root: boolean): unknown {
  const c = src.charCodeAt(i);
  if (c === DASH && isBlankOrNl(src.charCodeAt(i + 1))) return blockSeq(i, col);
  if (c === 91 /* [ */ || c === 123 /* { */) {
    const v = readFlow(i);
    endOfLine(pos);
    return v;
  }
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const line = lineEnd(i);
    const s = readQuoted(i);
    if (pos < line) {
      let j = pos;
      while (src.charCodeAt(j) === SP) j++;
      if (src.charCodeAt(j) === COLON) return blockMap(i, col);
    }
    if (root) bail('a scalar document');
    endOfLine(pos);
    return s;
  }
  checkPlainStart(i, c);
  if (keyLine(i)) return blockMap(i, col);
  if (root) bail('a scalar document');
  return readPlain(i, parent + 1);
}

/** After an inline node ending at p: only blanks or a comment may follow on its line. */
function endOfLine(p: number): void {
  let c = src.charCodeAt(p);
  while (c === SP || c === TAB) c = src.charCodeAt(++p);
  if (c !== NL && c !== HASH) bail('text after a node');
  pos = lineEnd(p) + 1;
}

/** A plain scalar may start with c at i (block context); bails on indicators. */
function checkPlainStart(i: number, c: number): void {
  switch (c) {
    case 44: case 91: case 93: case 123: case 125: // , [ ] { }
    case HASH: case 38: case 42: case 33: // # & * !
    case 124: case 62: case 39: case 34: // | > ' "
    case 37: case 64: case 96: // % @ `
    case SP: case TAB: case NL: case 0:
      bail(`a node starting with ${JSON.stringify(String.fromCharCode(c))}`);
    case DASH: case 63 /* ? */: case COLON:
      if (isBlankOrNl(src.charCodeAt(i + 1))) bail(`a node starting with ${JSON.stringify(String.fromCharCode(c))}`);
  }
}

/** Whether the plain text at i is a mapping key: `: ` or `:` at the end of the line before a comment. */
function keyLine(i: number): boolean {
  for (let c = src.charCodeAt(i); c !== NL; c = src.charCodeAt(++i)) {
    if (c === COLON) {
      const d = src.charCodeAt(i + 1);
      if (d === SP || d === NL) return true;
      if (d === TAB) bail('a tab after a colon');
    } else if (c === HASH) {
      const d = src.charCodeAt(i - 1);
      if (d === SP || d === TAB) return false;
    }
  }
  return false;
}

function enter(): void {
  if (++depth > MAX_DEPTH) bail('nested too deeply');
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A block mapping whose first key is at i, column n. */
function blockMap(i: number, n: number): Record<string, unknown> {
  enter();
  const out: Record<string, unknown> = {};
  let entries = 0;
  for (;;) {
    let key: string;
    let j: number;
    const c = src.charCodeAt(i);
    if (c === 34 || c === 39) {
      const line = lineEnd(i);
      key = readQuoted(i);
      noteKey(key);
      if (pos > line) bail('a multi-line key');
      j = pos;
      while (src.charCodeAt(j) === SP) j++;
      if (src.charCodeAt(j) !== COLON) bail('a quoted key without a colon');
      j++;
      const d = src.charCodeAt(j);
      if (d !== SP && d !== NL) bail('no blank after a colon');
    } else {
      checkPlainStart(i, c);
      // The key ends at the first `: ` (or `:` at the line's end); a comment or the line's end first
      // means this is not a key line (a scalar, or a multi-line key): not what a mapping continues with.
      let e = i;
      for (let d = c; ; d = src.charCodeAt(++e)) {
        if (d === COLON) {
          const f = src.charCodeAt(e + 1);
          if (f === SP || f === NL) break;
          if (f === TAB) bail('a tab after a colon');
        } else if (d === NL || (d === HASH && (src.charCodeAt(e - 1) === SP || src.charCodeAt(e - 1) === TAB))) {
          bail('a mapping entry without a colon');
        }
      }
      j = e + 1;
      while (src.charCodeAt(e - 1) === SP || src.charCodeAt(e - 1) === TAB) e--;
      key = plainKey(i, e);
    }
    if (key === '__proto__') bail('a __proto__ key');
    out[key] = mapValue(j, n);
    entries++;
    i = next(pos);
    if (i < 0 || ind < n) break;
    if (ind > n) bail('bad indentation of a mapping entry');
  }
  // A duplicate key (js-yaml throws) left fewer own keys than entries. Counted once at the end: a
  // lookup before every store cost as much as the store (keyed accesses with ever-changing keys).
  if (entries > 1 && Object.keys(out).length !== entries) bail('a duplicate key');
  depth--;
  return out;
}

/** The value after a mapping key's colon at j - 1 (mapping at column n). */
function mapValue(j: number, n: number): unknown {
  let c = src.charCodeAt(j);
  while (c === SP) c = src.charCodeAt(++j);
  if (c === TAB) {
    while (c === SP || c === TAB) c = src.charCodeAt(++j);
    if (c !== NL && c !== HASH) bail('a tab after an indicator');
  }
  if (c === NL || c === HASH) {
    const i = next(lineEnd(j) + 1);
    pos = memoFrom;
    if (i < 0) return null;
    if (ind > n) return blockNode(i, ind, n, false);
    if (ind === n && src.charCodeAt(i) === DASH && isBlankOrNl(src.charCodeAt(i + 1))) return blockSeq(i, n);
    return null;
  }
  return inlineValue(j, c, n, -1);
}

/**
 * A node that starts at j, after `key: ` or `- ` on the same line. n: the indentation of the
 * collection it is in (a scalar's continuation lines need more). seqCol: for a sequence item, the
 * column of j (where a compact mapping or sequence would sit); -1 for a mapping value.
 */
function inlineValue(j: number, c: number, n: number, seqCol: number): unknown {
  switch (c) {
    case TAB:
      bail('a tab after an indicator');
    case 124: case 62: // | >
      return readBlockScalar(j, n + 1);
    case 34: case 39: { // " '
      const line = lineEnd(j);
      const s = readQuoted(j);
      if (seqCol >= 0 && pos < line) {
        let k = pos;
        while (src.charCodeAt(k) === SP) k++;
        if (src.charCodeAt(k) === COLON) return blockMap(j, seqCol);
      }
      endOfLine(pos);
      return s;
    }
    case 91: case 123: { // [ {
      const v = readFlow(j);
      endOfLine(pos);
      return v;
    }
  }
  if (seqCol >= 0 && c === DASH && isBlankOrNl(src.charCodeAt(j + 1))) return blockSeq(j, seqCol);
  checkPlainStart(j, c);
  if (seqCol >= 0 && keyLine(j)) return blockMap(j, seqCol);
  return readPlain(j, n + 1);
}

/** A block sequence whose first `-` is at i, column n. */
function blockSeq(i: number, n: number): unknown[] {
  enter();
  const out: unknown[] = [];
  for (;;) {
    let j = i + 1;
    let c = src.charCodeAt(j);
    while (c === SP) c = src.charCodeAt(++j);
    if (c === TAB) {
      while (c === SP || c === TAB) c = src.charCodeAt(++j);
      if (c !== NL && c !== HASH) bail('a tab after an indicator');
    }
    if (c === NL || c === HASH) {
      const k = next(lineEnd(j) + 1);
      pos = memoFrom;
      // js-yaml takes a `- ` line of any smaller indentation after an empty item as the next item
      // of this sequence (readBlockSequence does not compare the indentation there): bail.
      if (k >= 0 && ind < n && src.charCodeAt(k) === DASH && isBlankOrNl(src.charCodeAt(k + 1))) bail('an item after an empty item, less indented');
      out.push(k >= 0 && ind > n ? blockNode(k, ind, n, false) : null);
    } else {
      out.push(inlineValue(j, c, n, n + (j - i)));
    }
    i = next(pos);
    if (i < 0 || ind < n) break;
    if (ind > n) bail('bad indentation of a sequence entry');
    if (src.charCodeAt(i) !== DASH || !isBlankOrNl(src.charCodeAt(i + 1))) break;
  }
  depth--;
  return out.slice(); // exactly sized, as JSON.parse makes them
}

// ---- scalars ----------------------------------------------------------------------------------

/**
 * Scan one line of a plain scalar (block context) from i: returns the end of its text (trailing
 * blanks trimmed); sets `plainComment` when a comment ends it. A `: ` inside bails (js-yaml would
 * end the scalar there and then fail).
 */
let plainComment = false;
function plainLine(i: number): number {
  let end = i;
  plainComment = false;
  for (let c = src.charCodeAt(i); ; c = src.charCodeAt(++i)) {
    if (c === NL) return end;
    if (c === COLON) {
      const d = src.charCodeAt(i + 1);
      if (d === SP || d === NL || d === TAB) bail('a colon in a plain value');
    } else if (c === HASH) {
      const d = src.charCodeAt(i - 1);
      if (d === SP || d === TAB) {
        plainComment = true;
        return end;
      }
    }
    if (c !== SP && c !== TAB) end = i + 1;
  }
}

/** A plain scalar starting at i; continuation lines need an indentation of at least `min`. */
function readPlain(i: number, min: number): unknown {
  let e = plainLine(i);
  let p = lineEnd(e) + 1;
  if (plainComment) {
    pos = p;
    return resolve(src.slice(i, e));
  }
  const k = next(p);
  if (k < 0 || ind < min || sawComment) {
    pos = p;
    return resolve(src.slice(i, e));
  }
  // Multi-line: lines are folded (one break is a space, n breaks are n-1 newlines).
  let text = src.slice(i, e);
  let at = k;
  for (;;) {
    text += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
    e = plainLine(at);
    text += src.slice(at, e);
    p = lineEnd(e) + 1;
    if (plainComment) break;
    at = next(p);
    if (at < 0 || ind < min || sawComment) break;
  }
  pos = p;
  return resolve(text);
}

/** js-yaml's skipSeparationSpace without comments: blanks and line breaks; returns the breaks. */
let skipped = 0;
let lineStart = 0;
function skipSpace(p: number): number {
  let n = 0;
  let c = src.charCodeAt(p);
  for (;;) {
    while (c === SP || c === TAB) c = src.charCodeAt(++p);
    if (c !== NL) break;
    n++;
    lineStart = ++p;
    c = src.charCodeAt(p);
  }
  skipped = n;
  return p;
}

function fold(n: number): string {
  return n === 1 ? ' ' : n > 1 ? '\n'.repeat(n - 1) : '';
}

const ESCAPES: Record<number, string> = {
  48: '\x00', 97: '\x07', 98: '\x08', 116: '\x09', 9: '\x09', 110: '\x0A', 118: '\x0B', 102: '\x0C',
  114: '\x0D', 101: '\x1B', 32: ' ', 34: '"', 47: '/', 92: '\\', 78: '\x85', 95: '\xA0', 76: '\u2028', 80: '\u2029',
};

function noBackslash(p: number, end: number): boolean {
  for (; p < end; p++) if (src.charCodeAt(p) === 92) return false;
  return true;
}

/** A quoted scalar at i (js-yaml: readSingleQuotedScalar / readDoubleQuotedScalar). Sets pos after it. */
function readQuoted(i: number): string {
  const q = src.charCodeAt(i);
  let p = i + 1;
  // Fast path: closed on the same line, no escapes.
  const close = src.indexOf(q === 34 ? '"' : "'", p);
  if (close >= 0) {
    const nl = lineEnd(p);
    if (close < nl && (q === 39 ? src.charCodeAt(close + 1) !== 39 : noBackslash(p, close))) {
      pos = close + 1;
      return own(src.slice(p, close));
    }
  }
  lineStart = -1;
  let out = '';
  let cs = p;
  let ce = p;
  for (;;) {
    let c = src.charCodeAt(p);
    if (c === 0) bail('an unclosed quoted scalar');
    if (c === q) {
      if (q === 39 && src.charCodeAt(p + 1) === 39) {
        out += src.slice(cs, p + 1);
        p += 2;
        cs = ce = p;
        continue;
      }
      out += src.slice(cs, p);
      pos = p + 1;
      return own(out);
    }
    if (c === 92 /* \ */ && q === 34) {
      out += src.slice(cs, p);
      c = src.charCodeAt(++p);
      if (c === NL) {
        p = skipSpace(p);
      } else if (ESCAPES[c] !== undefined) {
        out += ESCAPES[c];
        p++;
      } else {
        const len = c === 120 ? 2 : c === 117 ? 4 : c === 85 ? 8 : 0;
        if (len === 0) bail('an unknown escape');
        let code = 0;
        for (let k = 0; k < len; k++) {
          const h = parseInt(src.charAt(++p), 16);
          if (Number.isNaN(h)) bail('a bad hex escape');
          code = code * 16 + h;
        }
        if (code > 0x10ffff) bail('an escape beyond Unicode');
        out += String.fromCodePoint(code);
        p++;
      }
      cs = ce = p;
    } else if (c === NL) {
      out += src.slice(cs, ce);
      p = skipSpace(p);
      out += fold(skipped);
      cs = ce = p;
    } else {
      if (p === lineStart && (c === DASH || c === DOT) && isMarker(p, c)) bail('a document marker in a quoted scalar');
      p++;
      if (c !== SP && c !== TAB) ce = p;
    }
  }
}

/** A literal or folded block scalar, header at i (js-yaml: readBlockScalar, ported as is). */
function readBlockScalar(i: number, nodeIndent: number): string {
  const folding = src.charCodeAt(i) === 62;
  let chomping = 1; // 1 clip, 2 strip, 3 keep
  let didReadContent = false;
  let detectedIndent = false;
  let textIndent = nodeIndent;
  let emptyLines = 0;
  let atMoreIndented = false;
  let p = i;
  let ch = src.charCodeAt(p);
  const parts: string[] = [];
  while (ch !== 0) {
    ch = src.charCodeAt(++p);
    if (ch === 43 || ch === DASH) {
      if (chomping !== 1) bail('a repeated chomping indicator');
      chomping = ch === 43 ? 3 : 2;
    } else if (ch >= 48 && ch <= 57) {
      if (ch === 48 || detectedIndent) bail('a bad indentation indicator');
      textIndent = nodeIndent + (ch - 48) - 1;
      detectedIndent = true;
    } else {
      break;
    }
  }
  if (ch === SP || ch === TAB) {
    do ch = src.charCodeAt(++p);
    while (ch === SP || ch === TAB);
    if (ch === HASH) {
      do ch = src.charCodeAt(++p);
      while (ch !== NL && ch !== 0);
    }
  }
  let start = p;
  while (ch !== 0) {
    if (ch !== NL) bail('text after a block scalar header');
    start = ++p;
    let lineIndent = 0;
    ch = src.charCodeAt(p);
    while ((!detectedIndent || lineIndent < textIndent) && ch === SP) {
      lineIndent++;
      ch = src.charCodeAt(++p);
    }
    if (!detectedIndent && lineIndent > textIndent) textIndent = lineIndent;
    if (ch === NL) {
      emptyLines++;
      continue;
    }
    if (!detectedIndent && textIndent === 0) bail('a block scalar without indentation');
    if (lineIndent < textIndent) {
      if (chomping === 3) parts.push('\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines));
      else if (chomping === 1 && didReadContent) parts.push('\n');
      break;
    }
    if (folding) {
      if (ch === SP || ch === TAB) {
        atMoreIndented = true;
        parts.push('\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines));
      } else if (atMoreIndented) {
        atMoreIndented = false;
        parts.push('\n'.repeat(emptyLines + 1));
      } else if (emptyLines === 0) {
        if (didReadContent) parts.push(' ');
      } else {
        parts.push('\n'.repeat(emptyLines));
      }
    } else {
      parts.push('\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines));
    }
    didReadContent = true;
    detectedIndent = true;
    emptyLines = 0;
    const cs = p;
    p = src.indexOf('\n', p); // the text always ends with a line break
    ch = NL;
    parts.push(src.slice(cs, p));
  }
  pos = start;
  return own(parts.join(''));
}

// ---- flow collections -------------------------------------------------------------------------

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** Blanks, line breaks and comments inside a flow collection. */
function flowSpace(p: number): number {
  for (;;) {
    let c = src.charCodeAt(p);
    while (c === SP || c === TAB) c = src.charCodeAt(++p);
    if (c === HASH) {
      p = lineEnd(p);
      c = NL;
    }
    if (c !== NL) return p;
    p++;
    c = src.charCodeAt(p);
    if ((c === DASH || c === DOT) && isMarker(p, c)) bail('a document marker in a flow collection');
  }
}

/** A flow collection at i; sets pos just after its closing bracket. */
function readFlow(i: number): unknown {
  enter();
  const isMap = src.charCodeAt(i) === 123;
  const term = isMap ? 125 : 93;
  const map: Record<string, unknown> = {};
  const seq: unknown[] = [];
  let p = i + 1;
  let readNext = true;
  for (;;) {
    p = flowSpace(p);
    const c = src.charCodeAt(p);
    if (c === term) {
      pos = p + 1;
      depth--;
      return isMap ? map : seq.slice();
    }
    if (c === 0) bail('an unclosed flow collection');
    if (!readNext || c === 44) bail('a flow collection entry');
    let plain: string | undefined;
    let v: unknown;
    if (c === 91 || c === 123) {
      if (isMap) bail('a flow collection as a key');
      v = readFlow(p);
      p = pos;
    } else if (c === 34 || c === 39) {
      const line = lineEnd(p);
      v = readQuoted(p);
      if (isMap && pos > line) bail('a multi-line key');
      p = pos;
    } else {
      plain = flowPlain(p);
      p = pos;
    }
    if (isMap) {
      let key: string;
      if (plain === undefined) key = v as string;
      else {
        if (plain === '<<') bail('a merge key');
        key = keyString(plain);
      }
      noteKey(key);
      if (key === '__proto__') bail('a __proto__ key');
      if (hasOwn.call(map, key)) bail('a duplicate key');
      let d = src.charCodeAt(p);
      while (d === SP || d === TAB) d = src.charCodeAt(++p);
      if (d === COLON) {
        p = flowSpace(p + 1);
        const e = src.charCodeAt(p);
        if (e === 44 || e === 125) {
          map[key] = null;
        } else {
          map[key] = flowValue(p);
          p = pos;
        }
      } else if (d === 44 || d === 125) {
        map[key] = null;
      } else {
        bail('a flow mapping key without a colon');
      }
    } else {
      seq.push(plain === undefined ? v : resolve(plain));
    }
    p = flowSpace(p);
    const e = src.charCodeAt(p);
    if (!isMap && e === COLON) bail('a pair in a flow sequence');
    if (e === 44) {
      readNext = true;
      p++;
    } else {
      readNext = false;
    }
  }
}

/** A value inside a flow mapping at p (not empty); sets pos after it. */
function flowValue(p: number): unknown {
  const c = src.charCodeAt(p);
  if (c === 91 || c === 123) return readFlow(p);
  if (c === 34 || c === 39) return readQuoted(p);
  return resolve(flowPlain(p));
}

/** A plain scalar inside a flow collection: its raw text; sets pos after it. Multi-line ones bail. */
function flowPlain(p: number): string {
  let c = src.charCodeAt(p);
  switch (c) {
    case HASH: case 38: case 42: case 33: case 124: case 62: case 37: case 64: case 96: case COLON:
      bail(`a flow node starting with ${JSON.stringify(String.fromCharCode(c))}`);
    case DASH: case 63: {
      const d = src.charCodeAt(p + 1);
      if (isBlankOrNl(d) || isFlowIndicator(d)) bail('a flow node starting with an indicator');
    }
  }
  if (isFlowIndicator(c) || c === 0 || c === NL) bail('an empty flow entry');
  const start = p;
  let end = p;
  for (; ; c = src.charCodeAt(++p)) {
    if (c === COLON) {
      const d = src.charCodeAt(p + 1);
      if (isBlankOrNl(d) || isFlowIndicator(d)) break;
    } else if (c === HASH) {
      const d = src.charCodeAt(p - 1);
      if (d === SP || d === TAB) break;
    } else if (isFlowIndicator(c)) {
      break;
    } else if (c === NL) {
      // js-yaml would continue the scalar on the next line unless that line starts with an entry's end.
      const q = flowSpace(p);
      const d = src.charCodeAt(q);
      if (d !== 44 && d !== 93 && d !== 125) bail('a multi-line plain scalar in a flow collection');
      break;
    }
    if (c !== SP && c !== TAB) end = p + 1;
  }
  pos = end;
  return src.slice(start, end);
}

// ---- scalar resolution (js-yaml's core schema: type/null.js, bool.js, int.js, float.js) -----------

const FLOAT = /^(?:[-+]?(?:[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function isIntText(data: string): boolean {
  const max = data.length;
  let index = 0;
  let hasDigits = false;
  let ch = data[index];
  if (ch === '-' || ch === '+') ch = data[++index];
  if (ch === '0') {
    if (index + 1 === max) return true;
    ch = data[++index];
    if (ch === 'b' || ch === 'x' || ch === 'o') {
      const re = ch === 'b' ? /^[01]$/ : ch === 'x' ? /^[0-9A-Fa-f]$/ : /^[0-7]$/;
      index++;
      for (; index < max; index++) {
        if (!re.test(data[index]!)) return false;
        hasDigits = true;
      }
      return hasDigits && Number.isFinite(intValue(data));
    }
  }
  for (; index < max; index++) {
    const c = data.charCodeAt(index);
    if (c < 48 || c > 57) return false;
    hasDigits = true;
  }
  return hasDigits && Number.isFinite(intValue(data));
}

function intValue(data: string): number {
  let value = data;
  let sign = 1;
  let ch = value[0];
  if (ch === '-' || ch === '+') {
    if (ch === '-') sign = -1;
    value = value.slice(1);
    ch = value[0];
  }
  if (value === '0') return 0;
  if (ch === '0') {
    if (value[1] === 'b') return sign * parseInt(value.slice(2), 2);
    if (value[1] === 'x') return sign * parseInt(value.slice(2), 16);
    if (value[1] === 'o') return sign * parseInt(value.slice(2), 8);
  }
  return sign * parseInt(value, 10);
}

function floatValue(data: string): number {
  let value = data.toLowerCase();
  const sign = value[0] === '-' ? -1 : 1;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  if (value === '.inf') return sign === 1 ? Infinity : -Infinity;
  if (value === '.nan') return NaN;
  return sign * parseFloat(value);
}

const NOT_RESOLVED: unique symbol = Symbol('string');

/** js-yaml's implicit resolution of a plain scalar (before the JSON copy); NOT_RESOLVED: a string. */
function resolveRaw(s: string): unknown {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === DASH || c === 43 || c === DOT) {
    if (isIntText(s)) return intValue(s);
    if (FLOAT.test(s) && (Number.isFinite(parseFloat(s)) || FLOAT_SPECIAL.test(s))) return floatValue(s);
    return NOT_RESOLVED;
  }
  switch (s) {
    case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
  }
  return NOT_RESOLVED;
}

/** A plain scalar's value as the JSON copy keeps it (.inf/.nan: null; -0: 0). */
function resolve(s: string): unknown {
  const v = resolveRaw(s);
  if (v === NOT_RESOLVED) return own(s);
  if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null;
  return v;
}

// A small table in front of keyCache, looked up without cutting the key out of the text: a hash
// of its characters picks a slot, and the slot's key is taken when the text there is the same.
// (Cutting every key and hashing it again in the Map was a tenth of the reader's time.)
const KEY_SLOTS = 4096;
const keySlots: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined);
function plainKey(i: number, e: number): string {
  let h = e - i;
  for (let k = i; k < e; k++) h = (Math.imul(h, 31) + src.charCodeAt(k)) | 0;
  const slot = (h ^ (h >>> 13)) & (KEY_SLOTS - 1);
  const known = keySlots[slot];
  if (known !== undefined && known.length === e - i && src.startsWith(known, i)) return known;
  const raw = src.slice(i, e);
  if (raw === '<<') bail('a merge key');
  const key = internKey(raw);
  // Only keys that stay as written and that kubectl accepts go into the table.
  if (noteKey(key) && key === raw) keySlots[slot] = key;
  return key;
}

// Keys repeat from document to document: the cache hands out one string per key text, already
// used as a property name (internalized by V8), which makes the property accesses cheaper. Only
// keys that stay as written are cached, and the cached string is a copy, not a slice of a text.
const keyCache = new Map<string, string>();
function internKey(raw: string): string {
  let k = keyCache.get(raw);
  if (k !== undefined) return k;
  k = keyString(raw);
  if (k === raw && keyCache.size < 20_000) {
    k = Object.keys({ [k]: 0 })[0]!;
    keyCache.set(k, k);
  }
  return k;
}

/** A plain key as js-yaml stores it: String() of its resolved value. */
function keyString(s: string): string {
  const v = resolveRaw(s);
  return v === NOT_RESOLVED ? s : String(v);
}

/**
 * A string that holds no reference to the chunk's text (V8 makes slices of 13 characters or more
 * views into their parent, which would keep every file's text alive with the documents): the
 * string-table copy, which also makes repeated values (images, label values) one string. Measured
 * on the 10,000-document input, the documents then take as much heap as the JSON copies did.
 */
function own(s: string): string {
  if (s.length < 13 || forClone) return s;
  if (transient) return (' ' + s).slice(1);
  return shareValue(s);
}

/**
 * Documents read to be posted to another thread (load/read-worker.ts): the structured clone copies
 * every string, and the receiving thread shares them (read-pool.ts documentSharer), so the reader
 * neither copies nor shares them here (the worker's share of a 100,000-document read: ~0.4 s).
 */
let forClone = false;
export function readForClone(): void {
  forClone = true;
}

/**
 * One copy per text of the string values of 13 characters or more, as V8's string table holds
 * them: the same string the reader's own() gives. Short values repeat (images, label values,
 * names of ports), so those up to 200 characters are remembered (a bounded table, dropped with the
 * function), which saves most of the string-table round trips. load/read-pool.ts makes one per
 * read for the documents its worker threads post, which arrive with a copy of every string.
 */
export function stringSharer(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    if (s.length < 13) return s;
    if (s.length > 200) return Object.keys({ [s]: 0 })[0] ?? s;
    let v = seen.get(s);
    if (v === undefined) {
      v = Object.keys({ [s]: 0 })[0] ?? s;
      if (seen.size >= 20_000) seen.clear();
      seen.set(v, v);
    }
    return v;
  };
}
const shareValue = stringSharer();

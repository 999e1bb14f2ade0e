// One JSON Patch operation applied to the text of one YAML document, as a splice: the edited
// node's lines change, every other byte (comments, blank lines, key order, quoting, flow or
// block style, indentation) stays as it was. yaml's Document API gives the nodes and their
// ranges; the new text is written here, in the file's own layout (its line ending, its
// indentation, its sequence style). Pure. The caller checks the result (apply.ts): the edited
// text must read as the patched object, or the edit is dropped.

import type { Document, Node, Pair, YAMLMap, YAMLSeq, Scalar } from 'yaml';
import { yamlLibrary } from '../yaml/library.ts';
import type { JsonPatchOp } from '../rules/types.ts';
import { PatchError, arrayIndex, parsePointer } from './json-patch.ts';

interface Ctx {
  readonly text: string;
  readonly eol: string;
  /** Block sequences under a key are indented (`key:\n  - a`) rather than level with it (`key:\n- a`). */
  readonly indentSeq: boolean;
}

// yaml is loaded on first use (yaml/library.ts): a plain audit never edits.
let lib: typeof import('yaml') | undefined;
const Y = (): typeof import('yaml') => (lib ??= yamlLibrary());
const isMap = (n: unknown): n is YAMLMap => Y().isMap(n);
const isSeq = (n: unknown): n is YAMLSeq => Y().isSeq(n);
const isScalar = (n: unknown): n is Scalar => Y().isScalar(n);
const isPair = (n: unknown): n is Pair => Y().isPair(n);
const isCollection = (n: unknown): n is YAMLMap | YAMLSeq => Y().isCollection(n);
const stringify = (v: unknown, o: import('yaml').ToStringOptions): string => Y().stringify(v, o);

type Splice = { readonly start: number; readonly end: number; readonly insert: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCollectionValue = (v: unknown): boolean => typeof v === 'object' && v !== null;
const isEmptyCollection = (v: unknown): boolean => (Array.isArray(v) ? v.length === 0 : isRecord(v) && Object.keys(v).length === 0);

/** Parse a document's text for editing; a text with errors is never edited. */
export function parseForEdit(text: string): Document {
  const doc = Y().parseDocument(text);
  if (doc.errors.length > 0) throw new PatchError(`does not parse: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc;
}

/** Apply one operation at `prefix` + op.path (prefix: the List item holding the resource); `parsed`: the text's Document, when the caller has it. */
export function applyOpToText(text: string, prefix: readonly string[], op: JsonPatchOp, eol: string, parsed?: Document): string {
  if (op.op === 'test') return text; // checked on the data (json-patch.ts); nothing to write
  const doc = parsed ?? parseForEdit(text);
  const ctx: Ctx = { text, eol, indentSeq: detectIndentSeq(doc, text) };
  const s = spliceFor(ctx, doc, [...prefix, ...parsePointer(op.path)], op);
  return text.slice(0, s.start) + s.insert + text.slice(s.end);
}

function spliceFor(ctx: Ctx, doc: Document, tokens: string[], op: JsonPatchOp): Splice {
  if (tokens.length === 0) throw new PatchError('cannot replace a whole document');
  let parent: unknown = doc.contents;
  let value: unknown = op.value;
  let last = tokens[tokens.length - 1]!;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    const child = childOf(parent, t);
    if (child === undefined || (isScalar(child) && child.value === null)) {
      if (op.op !== 'add' || !isMap(parent)) throw new PatchError(`${tokens.slice(0, i + 1).join('/')} does not exist`);
      // add creates the missing parents: add {t: {...: value}} where the path stops existing.
      value = tokens.slice(i + 1).reduceRight<unknown>((v, k) => ({ [k]: v }), op.value);
      last = t;
      break;
    }
    parent = child;
  }
  if (isMap(parent)) return mapSplice(ctx, parent, last, op.op, value);
  if (isSeq(parent)) return seqSplice(ctx, parent, last, op.op, value);
  throw new PatchError(`the parent of ${tokens.join('/')} is not a map or a sequence`);
}

function childOf(node: unknown, token: string): unknown {
  if (isMap(node)) return findPair(node, token)?.value ?? undefined;
  if (isSeq(node)) {
    const i = arrayIndex(token, node.items.length, false);
    return node.items[i];
  }
  return undefined;
}

const keyOf = (p: Pair): unknown => (isScalar(p.key) ? p.key.value : p.key);
function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => String(keyOf(p)) === key);
}

// ---- Positions -------------------------------------------------------------------------------

const lineStart = (ctx: Ctx, pos: number): number => ctx.text.lastIndexOf('\n', pos - 1) + 1;
/** Just past the newline that ends the line holding pos (or the end of the text). */
function lineEndIncl(ctx: Ctx, pos: number): number {
  const nl = ctx.text.indexOf('\n', pos);
  return nl < 0 ? ctx.text.length : nl + 1;
}
const column = (ctx: Ctx, pos: number): number => pos - lineStart(ctx, pos);
const onlySpacesBefore = (ctx: Ctx, pos: number): boolean => /^[ \t]*$/.test(ctx.text.slice(lineStart(ctx, pos), pos));

const rangeOf = (n: Node): readonly [number, number, number] => {
  if (!n.range) throw new PatchError('a node without a position');
  return n.range;
};

/** Just past the ':' that follows a pair's key. */
function afterColon(ctx: Ctx, p: Pair): number {
  const k = p.key as Node;
  const i = ctx.text.indexOf(':', rangeOf(k)[1]);
  if (i < 0) throw new PatchError('no ":" after a key');
  return i + 1;
}

/** The '-' of a block sequence item (item: its node, or null for an empty item). */
function dashOf(ctx: Ctx, seq: YAMLSeq, index: number): number {
  const item = seq.items[index] as Node | null;
  let p = item && rangeOf(item)[0] < rangeOf(item)[1] ? rangeOf(item)[0] - 1 : -1;
  if (p < 0) throw new PatchError('an empty sequence item');
  while (p >= 0 && ctx.text[p] !== '-') {
    if (!/[ \t\r\n]/.test(ctx.text[p]!)) throw new PatchError('a sequence item with properties (anchor, tag) before it');
    p--;
  }
  return p;
}

/** Where a node's own text ends: past its last character, without trailing comments or blank lines. */
function contentEnd(ctx: Ctx, n: unknown, fallback: number): number {
  if (n === null || n === undefined) return fallback;
  const node = n as Node;
  if (!node.range || node.range[0] === node.range[1]) return fallback;
  if (isScalar(node)) {
    let e = node.range[1];
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') while (e > node.range[0] && /\s/.test(ctx.text[e - 1]!)) e--;
    return e;
  }
  if (isCollection(node) && !node.flow) {
    if (isMap(node)) {
      const p = node.items[node.items.length - 1];
      if (!p) return node.range[1];
      return contentEnd(ctx, p.value, afterColonOrKeyEnd(ctx, p));
    }
    if (isSeq(node)) {
      const i = node.items.length - 1;
      if (i < 0) return node.range[1];
      return contentEnd(ctx, node.items[i], dashOf(ctx, node, i) + 1);
    }
  }
  return node.range[1];
}

function afterColonOrKeyEnd(ctx: Ctx, p: Pair): number {
  return isScalar(p.key) || isCollection(p.key) ? afterColon(ctx, p) : 0;
}

// ---- Rendering -------------------------------------------------------------------------------

/** A scalar on one line, keeping the style of the one it replaces when it can. */
function renderScalar(v: unknown, style?: Scalar['type']): string {
  if (typeof v !== 'string') return v === null || v === undefined ? 'null' : String(v);
  const d = new (Y().Document)(v);
  if (style === 'QUOTE_DOUBLE' || style === 'QUOTE_SINGLE' || style === 'PLAIN') (d.contents as Scalar).type = style;
  const s = d.toString({ lineWidth: 0 }).replace(/\n$/, '');
  // Folded or multi-line output does not fit on the line: JSON's quoting is valid YAML.
  return s.includes('\n') ? JSON.stringify(v) : s;
}

function renderFlow(v: unknown, padding = true): string {
  if (!isCollectionValue(v)) return renderScalar(v);
  return stringify(v, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: padding }).replace(/\n$/, '');
}

/** Block YAML of a collection, every line indented by `indent` spaces, lines joined by eol. */
function renderBlockLines(ctx: Ctx, v: unknown, indent: number): string[] {
  const out = stringify(v, { lineWidth: 0, indentSeq: ctx.indentSeq }).replace(/\n$/, '');
  const pad = ' '.repeat(indent);
  return out.split('\n').map((l) => (l === '' ? l : pad + l));
}

/** What follows `key:` for a value whose key starts at column keyCol. */
function afterKey(ctx: Ctx, v: unknown, keyCol: number): string {
  if (!isCollectionValue(v) || isEmptyCollection(v)) return ` ${renderFlow(v)}`;
  const indent = Array.isArray(v) && !ctx.indentSeq ? keyCol : keyCol + 2;
  return ctx.eol + renderBlockLines(ctx, v, indent).join(ctx.eol);
}

/** What follows `- ` for an item whose dash is at column dashCol. */
function afterDash(ctx: Ctx, v: unknown, dashCol: number): string {
  if (!isCollectionValue(v) || isEmptyCollection(v)) return renderFlow(v);
  const lines = renderBlockLines(ctx, v, dashCol + 2);
  return [lines[0]!.trimStart(), ...lines.slice(1)].join(ctx.eol);
}

/** A block scalar with the header style of the one it replaces, at its content indentation. */
function renderBlockScalar(ctx: Ctx, old: Scalar, v: string, parentCol: number): string | undefined {
  const [s, e] = rangeOf(old);
  const src = ctx.text.slice(s, e);
  const m = /\n([ \t]*)\S/.exec(src);
  const indent = m ? m[1]!.length : parentCol + 2;
  if (/^[ \t]/.test(v) || v.includes('\r') || v === '') return undefined;
  const chomp = v.endsWith('\n') ? (v.endsWith('\n\n') ? '+' : '') : '-';
  const body = chomp === '+' ? v.slice(0, -1) : v.replace(/\n$/, '');
  const lines = body.split('\n').map((l) => (l === '' ? '' : ' '.repeat(indent) + l));
  const header = `${old.type === 'BLOCK_FOLDED' ? '>' : '|'}${chomp}`;
  // Folded scalars fold lines: only a literal keeps any text as written.
  if (old.type === 'BLOCK_FOLDED') return undefined;
  // The scalar's range ends past its last line break: end the new one the same way.
  return header + ctx.eol + lines.join(ctx.eol) + (src.endsWith('\n') ? ctx.eol : '');
}

// ---- Splices ---------------------------------------------------------------------------------

/** Replace what follows `key:` (or `- `) up to the end of the value's text. */
function slotSplice(ctx: Ctx, slotStart: number, oldValue: unknown, v: unknown, col: number, inSeq: boolean): Splice {
  const end = contentEnd(ctx, oldValue, slotStart);
  const insert = inSeq ? ` ${afterDash(ctx, v, col)}` : afterKey(ctx, v, col);
  return { start: slotStart, end, insert };
}

/** Replace a scalar value in place, keeping its style; anything else replaces the whole slot. */
function valueSplice(ctx: Ctx, oldValue: unknown, v: unknown, slotStart: number, col: number, inSeq: boolean): Splice {
  if (isScalar(oldValue) && oldValue.range && oldValue.range[0] < oldValue.range[1] && !isCollectionValue(v)) {
    const [s, e] = oldValue.range;
    if (oldValue.type === 'BLOCK_LITERAL' || oldValue.type === 'BLOCK_FOLDED') {
      const block = typeof v === 'string' ? renderBlockScalar(ctx, oldValue, v, col) : undefined;
      if (block !== undefined) return { start: s, end: e, insert: block };
      return { start: s, end: contentEnd(ctx, oldValue, e), insert: renderScalar(v) };
    }
    return { start: s, end: e, insert: renderScalar(v, oldValue.type) };
  }
  return slotSplice(ctx, slotStart, oldValue, v, col, inSeq);
}

/** A flow collection is re-rendered whole (it is the edited node), padded as it was. */
function flowSplice(ctx: Ctx, node: YAMLMap | YAMLSeq, v: unknown): Splice {
  const [s, e] = rangeOf(node);
  return { start: s, end: e, insert: renderFlow(v, /^[{[][ \t]/.test(ctx.text.slice(s, e))) };
}

/** Replace a block collection that becomes empty by `{}` or `[]` after its parent's indicator. */
function emptiedSplice(ctx: Ctx, node: YAMLMap | YAMLSeq, empty: string): Splice {
  const [s] = rangeOf(node);
  // The map's first key may share the line of a '- ' or of a key: back up to that indicator.
  let p = s - 1;
  while (p >= 0 && /[ \t\r\n]/.test(ctx.text[p]!)) p--;
  const c = ctx.text[p];
  if (c !== ':' && c !== '-') throw new PatchError('an emptied collection without a parent key or item');
  return { start: p + 1, end: contentEnd(ctx, node, s), insert: ` ${empty}` };
}

function mapSplice(ctx: Ctx, map: YAMLMap, key: string, op: JsonPatchOp['op'], v: unknown): Splice {
  const idx = map.items.findIndex((p) => String(keyOf(p)) === key);
  const pair = idx >= 0 ? map.items[idx]! : undefined;
  if (op === 'remove') {
    if (!pair) throw new PatchError(`${key} does not exist`);
    if (map.flow) return flowSplice(ctx, map, omitKey(map, key));
    if (map.items.length === 1) return emptiedSplice(ctx, map, '{}');
    const k = rangeOf(pair.key as Node)[0];
    if (onlySpacesBefore(ctx, k)) return { start: lineStart(ctx, k), end: lineEndIncl(ctx, contentEnd(ctx, pair.value, afterColon(ctx, pair))), insert: '' };
    // The first key shares its line with '- ' (or '--- '): the next key moves up to its place.
    const next = map.items[idx + 1];
    if (!next) throw new PatchError(`cannot remove ${key} here`);
    return { start: k, end: rangeOf(next.key as Node)[0], insert: '' };
  }
  if (pair) {
    const k = rangeOf(pair.key as Node)[0];
    if (map.flow) return flowSplice(ctx, map, { ...(map.toJSON() as Record<string, unknown>), [key]: v });
    return valueSplice(ctx, pair.value, v, afterColon(ctx, pair), column(ctx, k), false);
  }
  if (op === 'replace') throw new PatchError(`${key} does not exist`);
  if (map.flow || map.items.length === 0) return flowSplice(ctx, map, { ...(map.toJSON() as Record<string, unknown>), [key]: v });
  const first = rangeOf(map.items[0]!.key as Node)[0];
  const col = column(ctx, first);
  const lastPair = map.items[map.items.length - 1]!;
  const at = lineEndIncl(ctx, contentEnd(ctx, lastPair.value, afterColon(ctx, lastPair)));
  const line = `${' '.repeat(col)}${renderScalar(key)}:${afterKey(ctx, v, col)}`;
  return ctx.text[at - 1] === '\n' ? { start: at, end: at, insert: line + ctx.eol } : { start: at, end: at, insert: ctx.eol + line };
}

function omitKey(map: YAMLMap, key: string): Record<string, unknown> {
  const o = { ...(map.toJSON() as Record<string, unknown>) };
  delete o[key];
  return o;
}

function seqSplice(ctx: Ctx, seq: YAMLSeq, token: string, op: JsonPatchOp['op'], v: unknown): Splice {
  const n = seq.items.length;
  const i = arrayIndex(token, n, op === 'add');
  if (seq.flow || (n === 0 && op === 'add')) {
    const arr = [...(seq.toJSON() as unknown[])];
    if (op === 'add') arr.splice(i, 0, v);
    else if (op === 'remove') arr.splice(i, 1);
    else arr[i] = v;
    return flowSplice(ctx, seq, arr);
  }
  if (op === 'remove') {
    if (n === 1) return emptiedSplice(ctx, seq, '[]');
    const d = dashOf(ctx, seq, i);
    if (!onlySpacesBefore(ctx, d)) throw new PatchError('a sequence item that shares its line');
    return { start: lineStart(ctx, d), end: lineEndIncl(ctx, contentEnd(ctx, seq.items[i], d + 1)), insert: '' };
  }
  if (op === 'replace') {
    const d = dashOf(ctx, seq, i);
    return valueSplice(ctx, seq.items[i], v, d + 1, column(ctx, d), true);
  }
  const d0 = dashOf(ctx, seq, 0);
  if (!onlySpacesBefore(ctx, d0)) throw new PatchError('a sequence whose first item shares its line');
  const col = column(ctx, d0);
  const line = `${' '.repeat(col)}- ${afterDash(ctx, v, col)}`;
  if (i < n) {
    const at = lineStart(ctx, dashOf(ctx, seq, i));
    return { start: at, end: at, insert: line + ctx.eol };
  }
  const at = lineEndIncl(ctx, contentEnd(ctx, seq.items[n - 1], dashOf(ctx, seq, n - 1) + 1));
  return ctx.text[at - 1] === '\n' ? { start: at, end: at, insert: line + ctx.eol } : { start: at, end: at, insert: ctx.eol + line };
}

/** The document's own style: is a block sequence under a key indented past the key? */
function detectIndentSeq(doc: Document, text: string): boolean {
  let found: boolean | undefined;
  const visit = (n: unknown): void => {
    if (found !== undefined) return;
    if (isMap(n)) {
      for (const p of n.items) {
        if (isSeq(p.value) && !p.value.flow && p.value.items.length > 0 && isPair(p) && (p.key as Node).range) {
          const keyPos = (p.key as Node).range![0];
          const item = p.value.items[0] as Node | null;
          if (item?.range) {
            let d = item.range[0] - 1;
            while (d >= 0 && text[d] !== '-') d--;
            const col = (pos: number): number => pos - (text.lastIndexOf('\n', pos - 1) + 1);
            found = col(d) > col(keyPos);
            return;
          }
        }
        visit(p.value);
      }
    } else if (isSeq(n)) {
      for (const i of n.items) visit(i);
    }
  };
  visit(doc.contents);
  return found ?? true;
}

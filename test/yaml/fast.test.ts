// The fast reader (src/yaml/fast.ts) must give exactly what parseStream's js-yaml path keeps,
// JSON.parse(JSON.stringify(jsyaml.load(chunk, { schema: K8S_SCHEMA }))), wherever it does not bail:
// over the fixtures, a table of edge cases, random manifest-like documents written in random styles,
// and random line soup (inputs js-yaml mostly rejects: the fast reader must bail on those).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import fc from '../helpers/fc.ts';
import { fixtureFiles } from '../helpers/yaml.ts';

/** FY_RUNS=10 explores ten times as many random inputs. */
const runs = (n: number): number => n * Number(process.env.FY_RUNS ?? 1);
import { fastLoad, BAIL, lastBailReason } from '../../src/yaml/fast.ts';
import { splitSpans, isBlank, K8S_SCHEMA, parseStream } from '../../src/yaml/stream.ts';
import { hasSuspectKey } from '../../src/load/kubectl-stream.ts';

/** The js-yaml path as JSON text, or an error mark. */
function slow(chunk: string): string {
  try {
    return JSON.stringify(jsyaml.load(chunk, { schema: K8S_SCHEMA }) ?? null);
  } catch (e) {
    return `error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

/** Compares one chunk; returns whether the fast reader handled it. JSON text comparison also checks key order. */
function compare(chunk: string, label = JSON.stringify(chunk)): boolean {
  const fast = fastLoad(chunk);
  if (fast === BAIL) return false;
  if (process.env.FY_DEBUG && JSON.stringify(fast) !== slow(chunk)) console.log('MISMATCH', JSON.stringify(chunk), '\n fast', JSON.stringify(fast), '\n slow', slow(chunk));
  assert.equal(JSON.stringify(fast), slow(chunk), `${label}\n${chunk}`);
  return true;
}

test('the fast reader agrees with js-yaml on every chunk of the fixtures', () => {
  const files = fixtureFiles();
  if (files.length === 0) return;
  let chunks = 0;
  let handled = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const s of splitSpans(text)) {
      if (isBlank(text, s.start, s.end)) continue;
      chunks++;
      if (compare(text.slice(s.start, s.end), f)) handled++;
    }
  }
  assert.ok(files.length > 50, `${files.length} files`);
  // The fixtures hold a few deliberately broken files, anchors and tags; the rest is plain manifests.
  assert.ok(handled / chunks > 0.9, `the fast reader handled ${handled} of ${chunks} chunks`);
});

// Each case: the text, and whether the fast reader must handle it ('same') or bail ('bail').
const cases: [string, 'same' | 'bail'][] = [
  // scalars and their resolution (YAML 1.2 core schema as js-yaml implements it)
  ['a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n', 'same'],
  ['a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: tRUE\n', 'same'],
  ['a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\n', 'same'],
  ['a: 0755\nb: 1e3\nc: .5\nd: 0x1F\ne: 0o17\nf: +1\ng: 1_000\nh: -0\ni: 0b101\nj: -0x1f\nk: 0X1F\n', 'same'],
  ['a: 1.\nb: -.5e-3\nc: 1E3\nd: .inf\ne: -.Inf\nf: +.INF\ng: .nan\nh: .NaN\ni: -0.0\nj: 1e400\nk: 12345678901234567890\n', 'same'],
  ['a: 0x\nb: 0o\nc: 0b\nd: +\ne: -x\nf: .\ng: 1.2.3\nh: 10.0.0.0/8\ni: fd00::/64\nj: 2024-01-01\nk: 12:30\nl: 1:2:3\n', 'same'],
  ['a: <<\nb: "<<"\n"<<": c\n', 'same'],
  ['a: "a#b"\nb: a #comment\nc: a#b\nd: http://example.com:8080/x?y=1#frag\ne: "x: y"\nf: \'#\'\n', 'same'],
  ['a: "esc \\t \\n \\\\ \\" \\/ \\x41 \\u00e9 \\U0001F600 \\0 \\a \\b \\e \\N \\_ \\L \\P \\ "\n', 'same'],
  ['a: "bad \\q"\n', 'bail'],
  ['a: "\\U00110000"\n', 'bail'],
  ["a: 'it''s'\nb: ''\nc: \"\"\nd: '''x'''\n", 'same'],
  ['a: "multi\n  line\n\n  with blank\n   and more"\nb: 1\n', 'same'],
  ["a: 'multi\n  line\n\n\n  x'\nb: 1\n", 'same'],
  ['a: "escaped \\\n  break"\nb: "trail  \n  x"\nc: "esc space\\ \n  y"\n', 'same'],
  ['a: plain\n  continued\n\n  after blank\n   more\nb: 1\n', 'same'],
  ['- plain\n  continued\n- x\n', 'same'],
  ['a: plain\n  # not a continuation\nb: 1\n', 'same'],
  ['a: plain\n  cont: with colon\n', 'bail'],
  ['a: b: c\n', 'bail'],
  ['a: "x" y\n', 'bail'],
  ['a: "x"#c\nb: [1]#c\n', 'same'],
  // block scalars
  ['a: |\n  line1\n  line2\n\nb: >\n  folded\n  text\n\n  para\n    more indented\n  back\n', 'same'],
  ['a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: >-\n  z\n\nd: >+\n  w\n\n', 'same'],
  ['a: |2\n    two extra\n  base\nb: |-1\n  x\nc: |1-\n  y\n', 'same'],
  ['a: |\n\n  leading blank\nb: |\nc: >\n\nd: 1\n', 'same'],
  ['a: |\n      \n    more-space blank first\n', 'bail'], // js-yaml: bad indentation
  ['a: |\n    \n    blank first\n', 'same'],
  ['a: |  # comment\n  x\n  # not a comment\nb: 1\n', 'same'],
  ['a: |x\n  y\n', 'bail'],
  ['a: |0\n  y\n', 'bail'],
  ['a: |--\n  y\n', 'bail'],
  ['a: |\n  x\n\ty\n', 'bail'],
  ['a: |\n  tab\tinside\n  \tleading tab in content\n', 'same'],
  ['- |\n  in a sequence\n- >-\n  folded\n  item\n', 'same'],
  // structure
  ['a:\n- 1\n- 2\nb:\n  - 3\n  -\n  - - 4\n    - 5\n  - - - 6\n', 'same'],
  ['- a: 1\n  b: 2\n- c:\n  - d\n  e: 3\n-   f: 4\n    g: 5\n', 'same'],
  ['-\n  a: 1\n-\n- "q": 2\n  \'r\': 3\n', 'same'],
  ['key:\n\nother:   \nthird: # comment only\n', 'same'],
  ['key with spaces: 1\n"quoted: key": 2\n\'single\': 3\nk:colon: 4\nk#hash: 5\n-dash: 6\n.dot: 7\n', 'same'],
  ['1: a\n"1": b\n', 'bail'],
  ['a: 1\na: 2\n', 'bail'],
  // duplicates are counted at the end of a mapping: after other keys, nested, resolved alike, inherited names
  ['a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\ne: 4\n', 'bail'],
  ['- x: 1\n  y: 2\n  x: 1\n', 'bail'],
  ['1: a\n01: b\n', 'bail'],
  ['"a": 1\nb: 2\na: 3\n', 'bail'],
  ['toString: 1\ntoString: 2\n', 'bail'],
  ['a: 1\nb: 2\nb2: 3\n', 'same'],
  // the key table: equal texts, and texts that only start alike, in one document and across keys
  ['metadata:\n  name: a\n  namespace: b\n  nameX: c\nname: d\nnam: e\nnamespace: f\n', 'same'],
  ['a_very_long_key_name_of_a_map: 1\na_very_long_key_name_of_a_mat: 2\n', 'same'],
  ['true: a\n~: b\n1.50: c\n0x1F: d\n.inf: e\n-0.0: f\n.nan: g\n1e3: h\n', 'same'],
  ['__proto__: x\n', 'bail'],
  ['constructor: x\ntoString: y\nhasOwnProperty: z\n', 'same'],
  ['a: &x 1\nb: *x\n', 'bail'],
  ['a: !!str 1\n', 'bail'],
  ['<<: {a: 1}\n', 'bail'],
  ['? a\n: b\n', 'bail'],
  ['a:\n\tb: 1\n', 'bail'],
  ['a:\n  b: 1\n c: 2\n', 'bail'],
  ['a:\n  b: 1\n    c: 2\n', 'bail'],
  ['- a\n b\n', 'same'],
  ['- a\n  - b\n', 'same'],
  ['a:\n  - x\n  -\n- y\n', 'bail'],
  ['- a:\n  -\n- b\n', 'bail'],
  ['a: 1\n- b\n', 'bail'],
  ['  indented: root\n  b: 1\n', 'same'],
  ['  indented: root\nb: 1\n', 'bail'],
  ['a: b\n  # deeper comment\n# shallow comment\nc: d\n', 'same'],
  ['a: 1 # c\n  b\n', 'bail'],
  ['plain scalar document\n', 'bail'],
  ['"quoted document"\n', 'bail'],
  // flow collections
  ['a: []\nb: {}\nc: [a, b, "c", \'d\', 1, true, null, ~]\nd: {a: b, "c": 1, e: }\n', 'same'],
  ['a: [a, [b, [c]], {d: [e]}]\nb: {a: {b: {c: d}}}\n', 'same'],
  ['a: [a b, c:d, http://x:80, -1, -x]\nb: {a:1, "k":v, x: y z}\nc: [a,]\nd: {a, b: }\n', 'same'],
  ['a: [\n  1,\n  2, # comment\n  "three"\n]\nb: {\n  x: 1,\n  y: 2\n}\n', 'same'],
  ['{"apiVersion": "v1", "kind": "List", "items": [{"a": 1.5, "b": [true, false, null]}]}\n', 'same'],
  ['[1, 2, 3]\n', 'same'],
  ['a: [a: b]\n', 'bail'],
  ['a: [a,,b]\n', 'bail'],
  ['a: [a\n  b]\n', 'bail'],
  ['a: {a: 1, a: 2}\n', 'bail'],
  ['a: [1] x\n', 'bail'],
  ['a: [&x 1]\n', 'bail'],
  // markers, directives, line endings
  ['---\na: 1\n', 'same'],
  ['--- # comment\na: 1\n...\n# after\n', 'same'],
  ['a: 1\n...\nb: 2\n', 'bail'],
  ['%YAML 1.2\n---\na: 1\n', 'same'],
  ['%YAML 1.2\na: 1\n', 'bail'],
  ['%TAG ! tag:x,2000:\n---\na: 1\n', 'bail'],
  ['--- a: 1\n', 'bail'],
  ['\ufeffa: 1\n', 'same'],
  ['a: 1\r\nb:\r\n  - x\r\n  - "y\r\n    z"\r\nc: |\r\n  l1\r\n  l2\r\n', 'same'],
  ['a: 1\rb: 2\n', 'bail'],
  ['a: 1', 'same'],
  ['a: |\n  no final break', 'same'],
  ['a: "\u0007"\n', 'bail'],
  ['a: caf\u00e9 \u2603\n', 'same'],
  ['a: \ud83d\ude00\n', 'bail'], // any surrogate bails (a lone one is an error in js-yaml)
  ['a: \ud83d\n', 'bail'],
  ['a: x\u0085y\n', 'bail'],
  ['a: trailing tab\t\nb: 1\t# c\n', 'same'],
  ['a:\t1\n', 'bail'],
  [`${'a:\n'.split('').map(() => '').join('')}${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`, 'bail'],
];

test('edge cases: the same value as js-yaml, or a bail where expected', () => {
  for (const [text, want] of cases) {
    const fast = fastLoad(text);
    if (want === 'bail') {
      assert.equal(fast, BAIL, `should bail: ${JSON.stringify(text)} gave ${JSON.stringify(fast)}`);
    } else {
      assert.notEqual(fast, BAIL, `should be read: ${JSON.stringify(text)} (bailed: ${lastBailReason()})`);
      assert.equal(JSON.stringify(fast), slow(text), JSON.stringify(text));
    }
  }
});

test('parseStream gives the same documents with and without the fast reader', () => {
  const text = cases.map(([t]) => (t.endsWith('\n') ? t : `${t}\n`)).filter((t) => !t.startsWith('%') && !t.startsWith('\ufeff')).join('---\n');
  const a = parseStream(text, 'x.yaml', { fast: true });
  const b = parseStream(text, 'x.yaml', { fast: false });
  assert.ok(a.documents.length > 50);
  // keysChecked: the fast reader saw no key the loader must look at again (hasSuspectKey).
  const plain = (docs: typeof a.documents): string => JSON.stringify(docs.map(({ keysChecked: _, ...d }) => d));
  assert.deepEqual(plain(a.documents), plain(b.documents));
  assert.ok(b.documents.every((d) => d.keysChecked === undefined));
  const checked = a.documents.filter((d) => d.keysChecked);
  assert.ok(checked.length > 50);
  for (const d of checked) assert.equal(hasSuspectKey(d.value), false, JSON.stringify(d.value));
  assert.ok(a.documents.some((d) => !d.keysChecked && hasSuspectKey(d.value)), 'a case with a suspect key (null) was read by the fast reader');
  assert.deepEqual(a.problems, b.problems);
});

// ---- random documents written in random styles --------------------------------------------------

type Node = null | boolean | number | string | Node[] | { [k: string]: Node };

const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'app.kubernetes.io/name', 'spec', 'ports', 'port', 'selector', 'data', 'image', 'args') },
  { weight: 2, arbitrary: fc.constantFrom('a b', 'x:y', '80', '007', 'true', 'null', '-dash', 'it\'s', 'quo"te', '1.5', 'é', 'k#h', 'http://x', '~', '.inf', '0x1F', '-0.0', 'yes') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const stringArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('v1', 'Service', 'IPv4', '10.0.0.0/8', 'fd00::/64', 'None', 'nginx:1.25', 'http://a.b:80/c#d', 'a #b', 'a#b', 'x: y', '- x', '', ' lead', 'trail ', 'yes', 'No', '0755', '1e3', '.5', '1_000', '+1', '2024-01-01', 'null', 'True', '~', '<<', '!x', '&a', '*a', '%p', '@a', '`b', '"q"', "'s'", '[a]', '{b}', 'a, b', '?', ':', '-', '...', '---', 'é ✓', 'tab\there') },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('line1\nline2', 'line1\n\nline3\n', '\nlead', 'trail\n\n', ' indented\nfirst', 'a\n  b', 'x \ny', 'last\n') },
);
const scalarArb: fc.Arbitrary<Node> = fc.oneof(
  { weight: 5, arbitrary: stringArb },
  { weight: 2, arbitrary: fc.integer({ min: -100000, max: 100000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const nodeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('map'), tie('seq')),
  map: fc.dictionary(keyArb, tie('node'), { minKeys: 1, maxKeys: 5 }) as fc.Arbitrary<Node>,
  seq: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) as fc.Arbitrary<Node>,
})).node;
const docArb = fc.letrec<{ map: Node }>((tie) => ({ map: fc.dictionary(keyArb, fc.oneof(scalarArb, tie('map'), fc.array(fc.oneof(scalarArb, tie('map')), { maxLength: 3 }) as fc.Arbitrary<Node>, nodeArb), { minKeys: 1, maxKeys: 6 }) as fc.Arbitrary<Node> })).map;

/** A source of style choices (a stream of numbers from fast-check). */
class Choices {
  private i = 0;
  constructor(private readonly xs: number[]) {}
  pick(n: number): number {
    const x = this.xs.length === 0 ? 0 : this.xs[this.i++ % this.xs.length]!;
    return x % n;
  }
}

const PLAIN_OK = /^[A-Za-z0-9_/.][^:#\n]*$/;

/** A scalar written in some style that means the same value, or undefined when this style cannot say it. */
function scalarText(v: Node, ch: Choices, isKey: boolean): string {
  if (v === null) return ['', '~', 'null', 'Null'][ch.pick(isKey ? 1 : 4)] === '' && !isKey ? '' : ['~', 'null', 'NULL'][ch.pick(3)]!;
  if (typeof v === 'boolean') return v ? ['true', 'True', 'TRUE'][ch.pick(3)]! : ['false', 'False'][ch.pick(2)]!;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && ch.pick(3) === 0 && v >= 0) return `0x${v.toString(16)}`;
    return String(v);
  }
  const s = v as string;
  const style = ch.pick(4);
  if (style === 0 && PLAIN_OK.test(s) && s.trim() === s && !s.includes('  ')) return s;
  if (style === 1 && !s.includes('\n')) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s).replace(/\\u007f/gi, '\\x7f');
}

/** Writes a value as a block-style YAML document with random indentation and styles. */
function write(v: Node, ch: Choices, indent: number, step: number, out: string[], prefix: string): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0 || ch.pick(8) === 0) {
      out.push(`${prefix === '' ? pad : `${prefix} `}${flowText(v, ch)}`);
      return;
    }
    if (prefix !== '') out.push(prefix);
    const seqIndent = prefix !== '' && ch.pick(2) === 0 ? indent - step : indent; // compact under a key
    const sp = ' '.repeat(Math.max(0, seqIndent));
    for (const item of v) writeItem(item, ch, Math.max(0, seqIndent), step, out, `${sp}- `);
    return;
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0 || ch.pick(10) === 0) {
      out.push(`${prefix === '' ? pad : `${prefix} `}${flowText(v, ch)}`);
      return;
    }
    if (prefix !== '') out.push(prefix);
    for (const k of keys) writeEntry(k, v[k]!, ch, indent, step, out, pad);
    return;
  }
  out.push(`${prefix === '' ? pad : `${prefix} `}${scalarValue(v, ch, indent)}`);
}

function keyText(k: string, ch: Choices): string {
  const plain = PLAIN_OK.test(k) && k.trim() === k && !/^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+.0-9].*)$/.test(k);
  if (plain && ch.pick(3) !== 0) return k;
  return ch.pick(2) === 0 && !k.includes('\n') ? `'${k.replace(/'/g, "''")}'` : JSON.stringify(k);
}

function writeEntry(k: string, v: Node, ch: Choices, indent: number, step: number, out: string[], pad: string): void {
  const head = `${pad}${keyText(k, ch)}:`;
  if (v !== null && typeof v === 'object') {
    write(v, ch, indent + step, step, out, head);
  } else {
    const s = scalarValue(v, ch, indent);
    out.push(s === '' ? head : `${head} ${s}${ch.pick(6) === 0 ? ' # note' : ''}`);
  }
}

function writeItem(v: Node, ch: Choices, indent: number, step: number, out: string[], dash: string): void {
  const inner = indent + 2;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && ch.pick(3) !== 0) {
    // compact: `- key: value`, then the other keys under the first
    const keys = Object.keys(v);
    const first: string[] = [];
    writeEntry(keys[0]!, v[keys[0]!]!, ch, inner, step, first, ' '.repeat(inner));
    first[0] = dash + first[0]!.slice(inner);
    out.push(...first);
    for (const k of keys.slice(1)) writeEntry(k, v[k]!, ch, inner, step, out, ' '.repeat(inner));
    return;
  }
  if (Array.isArray(v) && v.length > 0 && ch.pick(3) === 0) {
    const nested: string[] = [];
    for (const item of v) writeItem(item, ch, inner, step, nested, `${' '.repeat(inner)}- `);
    nested[0] = dash + nested[0]!.slice(inner);
    out.push(...nested);
    return;
  }
  if (v !== null && typeof v === 'object') {
    out.push(dash.trimEnd());
    write(v, ch, inner + (ch.pick(2) === 0 ? 0 : 2), step, out, '');
    return;
  }
  const s = scalarValue(v, ch, indent);
  out.push(s === '' ? dash.trimEnd() : `${dash}${s}`);
}

function scalarValue(v: Node, ch: Choices, indent: number): string {
  if (typeof v === 'string' && v.length > 0 && !/[^\S ]|[\u0000-\u001f\u007f-\u009f]/.test(v.replace(/\n/g, '')) && ch.pick(3) === 0) {
    // a block scalar: literal with the chomping that keeps the value (when the text allows it)
    const body = v.replace(/\n+$/, '');
    const trailing = v.length - body.length;
    if (body !== '' && !body.startsWith(' ') && !body.split('\n').some((l) => l.length > 0 && l.trim() === '')) {
      const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
      const pad = ' '.repeat(indent + 2);
      const lines = v.slice(0, trailing > 1 ? v.length - 1 : v.length).replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : pad + l));
      return `|${chomp}\n${lines.join('\n')}`;
    }
  }
  if (typeof v === 'string' && v.includes('\n') && ch.pick(2) === 0 && !/[\\"\u0000-\u001f]/.test(v.replace(/\n/g, '')) && !/^\s|\s$|\s\n|\n\s/.test(v)) {
    // a multi-line double-quoted scalar: one line break written as two
    const pad = ' '.repeat(indent + 2);
    return `"${v.split('\n').join(`\n\n${pad}`)}"`;
  }
  return scalarText(v, ch, false);
}

function flowText(v: Node, ch: Choices): string {
  if (Array.isArray(v)) return `[${v.map((x) => flowText(x, ch)).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${flowText(x, ch)}`).join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return scalarText(v, ch, false) || 'null';
}

function insertComments(text: string, where: number[]): string {
  const lines = text.split('\n');
  for (const w of where) {
    const i = w % (lines.length + 1);
    const prev = lines[i - 1] ?? '';
    if (/[|>][-+]?$/.test(prev)) continue; // not as the first line of a block scalar
    lines.splice(i, 0, w % 3 === 0 ? '' : `${' '.repeat(w % 5)}# comment ${w}`);
  }
  return lines.join('\n');
}

test('random manifest-like documents: the same value as js-yaml, and bails are rare', () => {
  let n = 0;
  let handled = 0;
  const reasons = new Map<string, number>();
  fc.assert(fc.property(docArb, fc.array(fc.nat(1000), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(300), { maxLength: 3 }), fc.boolean(), fc.boolean(),
    (doc, choices, step, comments, crlf, marker) => {
      const out: string[] = [];
      write(doc, new Choices(choices), 0, step, out, '');
      let text = insertComments(out.join('\n'), comments);
      if (marker) text = `---\n${text}`;
      if (crlf) text = text.replace(/\n/g, '\r\n');
      const want = slow(text);
      n++;
      if (compare(text)) handled++;
      else if (process.env.FY_DEBUG && want.startsWith('error') && n % 50 === 0) console.log('GEN-ERROR', want, JSON.stringify(text.split(/\r?\n/).slice(Math.max(0, Number(/\((\d+):/.exec(want)?.[1] ?? 1) - 4), Number(/\((\d+):/.exec(want)?.[1] ?? 1)).join('\n')));
      else if (!want.startsWith('error')) reasons.set(lastBailReason(), (reasons.get(lastBailReason()) ?? 0) + 1);
    }), { numRuns: runs(1500) });
  // js-yaml reads nearly all of these; the fast reader must too (a tab or odd character in a random string is a fair bail).
  assert.ok(handled / n > 0.85, `handled ${handled} of ${n}: ${JSON.stringify([...reasons])}`);
});

test('documents dumped by js-yaml in its styles', () => {
  let n = 0;
  let handled = 0;
  fc.assert(fc.property(docArb, fc.integer({ min: -1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean(), fc.boolean(),
    (doc, flowLevel, indent, noArrayIndent, forceQuotes, folded) => {
      const text = jsyaml.dump(doc, { flowLevel, indent, noArrayIndent, forceQuotes, lineWidth: folded ? 20 : -1, quotingType: forceQuotes ? '"' : "'" });
      n++;
      if (compare(text)) handled++;
    }), { numRuns: runs(1000) });
  assert.ok(handled / n > 0.8, `handled ${handled} of ${n}`);
});

// ---- line soup: random lines of YAML-ish tokens ---------------------------------------------------

const token = fc.constantFrom('a', 'b', 'key', '1', '0x1', '-', '- ', ': ', ':', ': }', ': ]', ':}', ' : ', ': ,', '{a: ', '[a, ', '#', ' #c', '"', "'", '"q"', "'s'", '|', '>', '|-', '>+', '|2', '[', ']', '{', '}', ', ', ',', '.', '...', '---', '?', '&x', '*x', '!t', '~', '\\', '\\n', '\t', ' ', '  ', 'null', 'true', '1e3', 'é', '%');
const line = fc.tuple(fc.nat(6), fc.array(token, { maxLength: 6 })).map(([i, ts]) => ' '.repeat(i) + ts.join(''));

test('line soup: whatever the fast reader accepts, js-yaml reads the same', () => {
  let handled = 0;
  fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.boolean(), (lines, crlf) => {
    let text = `${lines.join('\n')}\n`;
    if (crlf) text = text.replace(/\n/g, '\r\n');
    if (compare(text)) handled++;
  }), { numRuns: runs(6000) });
  assert.ok(handled > 100 * runs(1), `handled only ${handled}`);
});

test('structured soup: key lines, items and scalars at random indentation', () => {
  const part = fc.constantFrom('k: ', 'k2: ', '- ', '-', 'k:', '"k": ', "'k': ", 'v', '1', '"v"', "'v'", '|', '>-', '[1, 2]', '{a: b}', '[]', '{}', '# c', 'x y', 'a: b: c', '- k: v', '"a\\', "'x", '~', '', '?', '...', '---', '\\t');
  const sline = fc.tuple(fc.nat(5), fc.array(part, { minLength: 1, maxLength: 3 })).map(([i, ps]) => ' '.repeat(i) + ps.join(''));
  let handled = 0;
  fc.assert(fc.property(fc.array(sline, { minLength: 1, maxLength: 10 }), (lines) => {
    if (compare(`${lines.join('\n')}\n`)) handled++;
  }), { numRuns: runs(8000) });
  assert.ok(handled > 300 * runs(1), `handled only ${handled}`);
});

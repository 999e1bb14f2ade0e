// The line scanner (locateFast) must give exactly yaml's answer (slowLocator) wherever it answers:
// over every path (and absent paths) of random documents written in the styles js-yaml and yaml
// produce (block, flow, compact sequences, quoting, comments), and over the fixtures corpus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from '../helpers/fc.ts';
import jsyaml from 'js-yaml';
import { stringify, parseDocument } from 'yaml';
import { locateFast, rootPosition, slowLocator, splitDocuments, parseStream, type Chunk } from '../../src/yaml/stream.ts';
import type { JsonPath } from '../../src/model/types.ts';
import { fixtureFiles } from '../helpers/yaml.ts';

type Path = (string | number)[];

function paths(v: unknown, pre: Path, out: Path[], limit = 400): void {
  if (out.length >= limit) return;
  out.push(pre);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...pre, i], out, limit));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...pre, k], out, limit);
}

/** Compares the scanner with yaml on every path of every document of a text; returns how many it answered. */
function compareText(text: string, label: string): { asked: number; answered: number } {
  let asked = 0;
  let answered = 0;
  const parsed = parseStream(text, label);
  const chunks = splitDocuments(text);
  for (const d of parsed.documents) {
    const chunk: Chunk = chunks[d.index]!;
    if (parseDocument(chunk.text, { uniqueKeys: false }).errors.length > 0) continue;
    const all: Path[] = [];
    paths(d.value, [], all);
    const extra: Path[] = all.slice(0, 40).flatMap((p) => [[...p, 'absent-key'], [...p, 3]]);
    const slow = slowLocator(chunk);
    // The loader's precomputed document position must be the scanner's answer for [] (or none).
    assert.deepEqual(rootPosition(text, chunk.start, chunk.end), locateFast(chunk.text, []), `${label}: root of document ${d.index}\n${chunk.text}`);
    if (rootPosition(text, chunk.start, chunk.end)) roots++;
    for (const p of [...all, ...extra]) {
      asked++;
      const fast = locateFast(chunk.text, p as JsonPath);
      if (!fast) continue;
      answered++;
      const s = slow(p as JsonPath);
      assert.deepEqual(
        { line: fast.line + chunk.lineOffset + 1, column: fast.col + 1 }, s,
        `${label}: document ${d.index}, path ${JSON.stringify(p)}\n${chunk.text}`,
      );
    }
    // Lines inside multi-line strings (RuleReport.textLine): literal block scalars and any other value.
    for (const p of all) {
      const v = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], d.value);
      if (typeof v !== 'string' || !v.includes('\n')) continue;
      for (const textLine of [1, 2, 3]) {
        asked++;
        const fast = locateFast(chunk.text, p as JsonPath, textLine);
        if (!fast) continue;
        answered++;
        textLines++;
        assert.deepEqual(
          { line: fast.line + chunk.lineOffset + 1, column: fast.col + 1 }, slow(p as JsonPath, textLine),
          `${label}: document ${d.index}, path ${JSON.stringify(p)}, text line ${textLine}\n${chunk.text}`,
        );
      }
    }
  }
  return { asked, answered };
}

/** Answers with a textLine, over all tests (some must be literal blocks: see the last test). */
let textLines = 0;
/** Documents whose position the loader precomputes (rootPosition), over all tests. */
let roots = 0;

const key = fc.oneof(
  fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'app.kubernetes.io/name', 'spec', 'ports',
    'port', 'selector', 'ipFamilies', 'ipFamilyPolicy', 'clusterIP', 'data', 'Corefile', 'a b', 'x:y', '80', '007', 'true',
    'null', '-dash', '#hash', "it's", 'quo"te', '', '1.5', 'é'),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.constantFrom('v1', 'Service', 'IPv4', '10.0.0.0/8', 'fd00::/64', 'None', 'a: b', '- x', '#', 'multi\nline\n', '  lead', 'yes', '', '*', '&x', '{}', '[]'),
  fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  seq: fc.array(tie('node'), { maxLength: 4 }),
})).map;

/** Comment and blank lines inserted between lines (inside block scalars they change the value, not the validity). */
function withComments(text: string, where: number[]): string {
  const lines = text.split('\n');
  for (const w of where) {
    const i = w % (lines.length + 1);
    const indent = ' '.repeat(w % 5);
    lines.splice(i, 0, w % 3 === 0 ? '' : `${indent}# comment ${w}`);
  }
  return lines.join('\n');
}

test('the scanner agrees with yaml on random documents written by js-yaml', () => {
  let answered = 0;
  fc.assert(fc.property(
    value, fc.integer({ min: -1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(200), { maxLength: 4 }), fc.boolean(),
    (v, flowLevel, indent, noArrayIndent, forceQuotes, comments, crlf) => {
      let text = jsyaml.dump(v, { flowLevel, indent, noArrayIndent, forceQuotes, lineWidth: 40, quotingType: forceQuotes ? '"' : "'" });
      text = withComments(text, comments);
      if (crlf) text = text.replace(/\n/g, '\r\n');
      answered += compareText(`# head\n---\n${text}---\n${text}`, 'js-yaml').answered;
    },
  ), { numRuns: 300 });
  assert.ok(answered > 1000, `the scanner answered only ${answered} times`);
});

test('the scanner agrees with yaml on random documents written by yaml', () => {
  fc.assert(fc.property(value, fc.integer({ min: 2, max: 4 }), fc.boolean(), fc.array(fc.nat(200), { maxLength: 3 }), (v, indent, indentSeq, comments) => {
    const text = withComments(stringify(v, { indent, indentSeq, lineWidth: 30 }), comments);
    compareText(text, 'yaml');
  }), { numRuns: 300 });
});

test('the scanner agrees with yaml on hand-written edge cases', () => {
  const cases = [
    'a:\n- b: 1\n  c: 2\n- d\nz: 1\n',
    'a:\n  - b: 1\n    c: [1, 2]\n  -\n    e: 3\n',
    '"q": 1\n\'s\'\'q\': 2\nk  : 3\n',
    'a: |\n  b: 1\n  - c\nd: >-\n  x\n\n  y\ne: 1\n',
    'a: &x\n  b: 1\nc: *x\nd:\n  <<: *x\n',
    '--- # c\na: 1\n...\n',
    '--- !tag\na: 1\n',
    'a:\tb\nc:\n\t- x\n',
    '- - a\n  - b\n- c: d\n',
    'a: "x\n  y"\nb: 1\n',
    'a:\n  b:\n  c: 1\n',
    'a: b # c: d\ne: f\n',
    'k8s: {x: 1, y: [2]}\nn: 1\n',
    '? complex\n: 1\n',
    'a:\r\n  - b: 1\r\n    c: 2\r\n',
    '80: http\n443: https\n',
    'data:\n  Corefile: |\n    .:53 {\n        errors\n    }\n  x: |-\n    a\n    b\n',
    'a: |2-\n    two\n   one\nb: |+ # keep\n  x\n\nc: >\n  folded\n  text\n',
    '- |\n  item\n  two\n- "q\n  r"\n',
    '# only a comment\n\n  # indented comment\n--- # marker with comment\n\t\n  a: 1\n',
    '%YAML 1.2\n---\na: 1\n',
    '--- &anchor\na: 1\n',
    '!tag\na: 1\n',
    '\r\n# c\r\n  - x\r\n',
    // flow sequences on one line: items are answered; anything else gives up
    'spec:\n  ipFamilies: [IPv6, IPv4]\n  x: 1\n',
    'args: [ "-localip", "169.254.20.10,x", \'-conf\', /etc/Corefile ]  # c\nb: 1\n',
    'a: []\nb: {}\nc: {  }  # c\nd: [ ]\n',
    'a: [x,y]\nb: [a b, c]\nc: [x, ]\nd: [fd00::1, x]\ne: ["a\\"b", c]\nf: [\'it\'\'s\', b]\ng: [x, [y]]\nh: [x,\n  y]\n',
    '- [1, 2]\n- [3]\n- {a: 1}\n- [-1, +2, .5, -x]\n- [x] y\n- [x]#c\n',
  ];
  const before = textLines;
  for (const c of cases) compareText(c, JSON.stringify(c));
  assert.ok(textLines - before >= 12, `the scanner answered ${textLines - before} text-line requests in the edge cases`);
});

test('the scanner answers items of one-line flow sequences and keys under empty flow maps', () => {
  const text = 'spec:\n  ipFamilies: [IPv6, "IPv4"]\n  args: [ -conf, \'/etc/x\' ]\n  ipBlock: {}\n';
  assert.deepEqual(locateFast(text, ['spec', 'ipFamilies', 0]), { line: 1, col: 15 });
  assert.deepEqual(locateFast(text, ['spec', 'ipFamilies', 1]), { line: 1, col: 21 });
  assert.deepEqual(locateFast(text, ['spec', 'ipFamilies', 2]), { line: 1, col: 2 });
  assert.deepEqual(locateFast(text, ['spec', 'ipFamilies', 1, 'x']), { line: 1, col: 21 });
  assert.deepEqual(locateFast(text, ['spec', 'args', 1]), { line: 2, col: 17 });
  assert.deepEqual(locateFast(text, ['spec', 'ipBlock', 'cidr']), { line: 3, col: 2 });
  assert.equal(locateFast('a: [x, {b: 1}]\n', ['a', 0]), undefined);
  const slow = slowLocator({ text, start: 0, end: text.length, lineOffset: 0 });
  for (const p of [['spec', 'ipFamilies', 1], ['spec', 'args', 1], ['spec', 'ipBlock', 'cidr']]) {
    const f = locateFast(text, p)!;
    assert.deepEqual({ line: f.line + 1, column: f.col + 1 }, slow(p));
  }
});

test('the scanner agrees with yaml on the fixtures corpus and answers for most paths', () => {
  const files = fixtureFiles();
  if (files.length === 0) return;
  let asked = 0;
  let answered = 0;
  const rootsBefore = roots;
  for (const f of files) {
    const r = compareText(readFileSync(f, 'utf8'), f);
    asked += r.asked;
    answered += r.answered;
  }
  assert.ok(files.length > 0);
  assert.ok(answered / asked > 0.8, `the scanner answered ${answered} of ${asked}`);
  assert.ok(roots - rootsBefore > 100, `document positions precomputed for only ${roots - rootsBefore} fixture documents`);
});

// Table tests of the relabel engine against what Prometheus (Go regexp = RE2, ^(?:re)$, Expand) computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReplace, expand, addressHost, hostIs, compileRelabelRegex, inJsSubset, relabelMatch, type RelabelConfig } from '../../src/emulate/relabel.ts';
import { mulberry32 } from '../helpers/random.ts';

const cfg = (regex: string, replacement: string, sourceLabels = ['a', 'b']): RelabelConfig =>
  ({ action: 'replace', sourceLabels, separator: ';', regex, replacement, targetLabel: '__address__', path: [] });

const run = (regex: string, replacement: string, a: string, b: string): string | undefined => {
  const labels = new Map([['a', a], ['b', b]]);
  const r = applyReplace(cfg(regex, replacement), labels);
  return r.matched ? labels.get('__address__') : undefined;
};

const IPV4_HOST = '([^:]+)(?::\\d+)?;(\\d+)';
const LAZY = '(.+?)(?::\\d+)?;(\\d+)';
const V6 = '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})';
const V4 = '(\\d+);((([0-9]+?)(\\.|$)){4})';

const table: [string, string, string, string, string, string | undefined][] = [
  // [name, regex, replacement, a, b, expected __address__ (undefined: no match)]
  ['ipv4-host regex, IPv4 host:port', IPV4_HOST, '$1:$2', '10.1.2.3:8080', '9102', '10.1.2.3:9102'],
  ['ipv4-host regex, bracketed IPv6 never matches', IPV4_HOST, '$1:$2', '[2001:db8::5]:8080', '9102', undefined],
  ['ipv4-host regex, bare IPv6 never matches', IPV4_HOST, '$1:$2', 'fd00::5', '9102', undefined],
  ['lazy regex, IPv4 host:port', LAZY, '$1:$2', '10.1.2.3:8080', '9102', '10.1.2.3:9102'],
  ['lazy regex, bracketed IPv6', LAZY, '$1:$2', '[2001:db8::5]:8080', '9102', '[2001:db8::5]:9102'],
  ['lazy regex, bare IPv6 loses its last hextet (RE2)', LAZY, '$1:$2', 'fd00::5', '9102', 'fd00::9102'],
  ['lazy regex, bare IPv6 with a letter hextet', LAZY, '$1:$2', 'fd00::ab', '9102', 'fd00::ab:9102'],
  ['lazy regex, bare 2001:db8::5', LAZY, '$1:$2', '2001:db8::5', '9102', '2001:db8::9102'],
  ['two-rule pattern, IPv6 rule on IPv6', V6, '[$2]:$1', '9102', '2001:db8::5', '[2001:db8::5]:9102'],
  ['two-rule pattern, IPv6 rule on IPv4', V6, '[$2]:$1', '9102', '10.1.2.3', undefined],
  ['two-rule pattern, IPv4 rule on IPv4', V4, '$2:$1', '9102', '10.1.2.3', '10.1.2.3:9102'],
  ['two-rule pattern, IPv4 rule on IPv6', V4, '$2:$1', '9102', '2001:db8::5', undefined],
  ['two-rule pattern, address ending in :: matches neither (IPv6 rule)', V6, '[$2]:$1', '9102', 'fd00::', undefined],
  ['unanchored-looking regex is anchored', '\\d+', 'x', '10.1.2.3', '9', undefined],
  ['unbracketed join', '(.+);(.+)', '$1:$2', '2001:db8::5', '9102', '2001:db8::5:9102'],
];

for (const [name, regex, repl, a, b, want] of table) {
  test(`relabel: ${name}`, () => assert.equal(run(regex, repl, a, b), want));
}

test('expand follows Go: $1x is the group named 1x (empty), ${1}x is group 1 then x, $$ is $', () => {
  const g = ['all', 'one', 'two'];
  assert.equal(expand('$1x', g), '');
  assert.equal(expand('${1}x', g), 'onex');
  assert.equal(expand('$$1', g), '$1');
  assert.equal(expand('[$2]:$1', g), '[two]:one');
  assert.equal(expand('$9', g), '');
  assert.equal(expand('a$', g), 'a$');
});

test('invalid RE2 (backreference) does not compile', () => {
  assert.equal(compileRelabelRegex('(a)\\1'), null);
  assert.equal(applyReplace(cfg('(a)\\1', '$1'), new Map()).invalid, true);
});

test('addressHost / hostIs read host:port as Go net.SplitHostPort', () => {
  assert.equal(addressHost('[2001:db8::5]:80'), '2001:db8::5');
  assert.equal(addressHost('10.0.0.1:80'), '10.0.0.1');
  assert.equal(addressHost('2001:db8::5:9102'), '2001:db8::5:9102');
  assert.ok(hostIs('[2001:DB8::5]:9102', '2001:db8::5'));
  assert.ok(!hostIs('2001:db8::9102', '2001:db8::5'));
  assert.ok(!hostIs('2001:db8::5:9102', '2001:db8::5'));
});

// Regexes in the JavaScript subset run on V8 instead of RE2; they must give RE2's matches and submatches.
test('the relabel regexes of the corpus are in the JavaScript subset', () => {
  for (const r of ['(.*)', '(.+)', '(https?)', V6, V4, LAZY, IPV4_HOST, '(.+);(.+)', '']) assert.ok(inJsSubset(r), r);
});

test('where V8 and RE2 differ, the regex is left to RE2', () => {
  // [regex, input]: JavaScript clears captures at each iteration and stops empty iterations; RE2 does neither.
  const differ: [string, string][] = [['(?:(a)|b)+', 'ab'], ['(a*)?', ''], ['((a)|b)+', 'ab'], ['(?:(a)|(b))+', 'ab'], ['((a)|(b))+', 'ba']];
  for (const [r, x] of differ) {
    const js = new RegExp(`^(?:${r})$`).exec(x);
    assert.notDeepEqual(js ? [...js] : null, relabelMatch(r, x, 're2'), r);
    assert.equal(inJsSubset(r), false, r);
    assert.deepEqual(relabelMatch(r, x), relabelMatch(r, x, 're2'));
  }
  for (const r of ['(?i)a', '[[:digit:]]', '\\pN', '\\z', '(?P<x>a)', '\\Q.\\E', '[a-c-e]', '[\\d-z]', '(a)\\1', '[]a]', 'a{1001}', '\\_', '(?=a)', 'a)(b']) {
    assert.equal(inJsSubset(r), false, r);
  }
  // Inputs outside printable ASCII always run on RE2.
  assert.deepEqual(relabelMatch('(.)', '\u00e9'), relabelMatch('(.)', '\u00e9', 're2'));
  assert.deepEqual(relabelMatch('(.*)', 'a\nb'), null);
});

test('generated regexes in the subset: V8 gives exactly what RE2 gives', () => {
  const rnd = mulberry32(20261127);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const atoms = ['a', 'b', '1', ':', '\\.', '.', ';', '\\d', '\\w', '\\s', '[0-9]', '[^:]', '[A-Fa-f0-9]', '[a-]', '[^;]', '\\[', '\\]', '^', '$', '\\b', 'f', '[:.]'];
  const odd = ['\\-', '\\_', ']', '{', '[]a]', '\\1', '(?i)a', '\\pN', '(?<y>b)', '[a-c-e]', '[\\d-z]'];
  const quant = ['*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}', '{1,4}', '{0}', '{,3}', '{1001}'];
  const gen = (depth: number): string => {
    let s = '';
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
      let a = depth < 3 && rnd() < 0.25
        ? `(${pick(['', '', '?:'])}${gen(depth + 1)}${rnd() < 0.3 ? `|${gen(depth + 1)}` : ''})`
        : rnd() < 0.9 ? pick(atoms) : pick(odd);
      if (rnd() < 0.45) a += pick(quant) + (rnd() < 0.3 ? '?' : '');
      s += a;
    }
    return s;
  };
  const input = (): string => (rnd() < 0.3
    ? pick(['192.0.2.15:8080;9102', '[2001:db8::5]:8080;9102', '2001:db8::5;9102', '9102;2001:db8::5', '9102;192.0.2.15', '', ';', 'fd00::ab', 'https'])
    : Array.from({ length: Math.floor(rnd() * 10) }, () => pick(['a', 'b', '1', '2', '0', ':', '.', ';', '[', ']', 'f', ' ', '-', '_'])).join(''));
  let inSubset = 0;
  for (let k = 0; k < 1500; k++) {
    const r = gen(0);
    if (!inJsSubset(r)) continue;
    inSubset++;
    assert.notEqual(compileRelabelRegex(r), null, `RE2 rejects ${r}`);
    for (let j = 0; j < 6; j++) {
      const x = input();
      assert.deepEqual(relabelMatch(r, x), relabelMatch(r, x, 're2'), `${r} on ${JSON.stringify(x)}`);
    }
  }
  assert.ok(inSubset > 500, `only ${inSubset} generated regexes in the subset`);
});

// Table tests of the relabel engine against what Prometheus (Go regexp = RE2, ^(?:re)$, Expand) computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReplace, expand, addressHost, hostIs, compileRelabelRegex, type RelabelConfig } from '../../src/model/relabel.ts';

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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from '../helpers/fc.ts';
import ipaddr from 'ipaddr.js';
import { mulberry32 } from '../helpers/random.ts';
import { parseIP, parseCIDR, parseIPOrCIDR, cidrContains, cidrOverlaps, cidrContainsIP, nonstandardForms } from '../../src/emulate/ip.ts';
import { classifyCIDR, classifyIP, ulaGlobalId, formatGlobalId } from '../../src/model/address-ranges.ts';

const v4Bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
const v6Bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 });
const v4Text = v4Bytes.map((b) => b.join('.'));
const v6Text = v6Bytes.map((b) => ipaddr.fromByteArray(b).toString());
const v4Cidr = fc.tuple(v4Text, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
const v6Cidr = fc.tuple(v6Text, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`);
const anyCidr = fc.oneof(v4Cidr, v6Cidr);

test('IPv4 parse/format round trip', () => {
  fc.assert(fc.property(v4Bytes, (b) => {
    const p = parseIP(b.join('.'))!;
    assert.equal(p.family, 'IPv4');
    assert.equal(p.canonical, b.join('.'));
    assert.deepEqual(p.nonstandard, []);
    assert.deepEqual(parseIP(p.canonical), p);
  }));
});

test('IPv6 parse/format round trip (RFC 5952 canonical is a fixed point)', () => {
  fc.assert(fc.property(v6Bytes, (b) => {
    const text = ipaddr.fromByteArray(b).toString();
    const p = parseIP(text)!;
    assert.ok(p);
    const again = parseIP(p.canonical)!;
    assert.equal(again.canonical, p.canonical);
    assert.deepEqual(again.nonstandard, p.family === 'IPv6' ? [] : ['ipv4Mapped']);
    if (p.family === 'IPv6') assert.deepEqual([...p.bytes], b);
    // the full, uncompressed, upper-case spelling is the same address but not canonical
    if (p.family === 'IPv6') {
      const long = ipaddr.fromByteArray(b).toNormalizedString().toUpperCase();
      const q = parseIP(long)!;
      assert.equal(q.canonical, p.canonical);
      if (long !== p.canonical) assert.ok(q.nonstandard.includes('nonCanonicalIPv6'));
    }
  }));
});

test('CIDR canonical form is idempotent and contains the written address', () => {
  fc.assert(fc.property(anyCidr, (text) => {
    const c = parseCIDR(text)!;
    assert.ok(c, text);
    const again = parseCIDR(c.canonical)!;
    assert.equal(again.canonical, c.canonical);
    assert.equal(again.hostBitsSet, false);
    assert.ok(cidrContains(again, c) && cidrContains(c, again));
    assert.ok(cidrContainsIP(c, c.address));
    assert.equal(nonstandardForms(text)?.includes('hostBitsSet'), c.hostBitsSet);
  }));
});

test('containment laws: reflexive, antisymmetric up to equality, transitive, shorter prefixes contain longer', () => {
  fc.assert(fc.property(anyCidr, fc.nat(128), fc.nat(128), (text, d1, d2) => {
    const c = parseCIDR(text)!;
    const bits = c.family === 'IPv4' ? 32 : 128;
    const p1 = Math.max(0, c.prefix - (d1 % (c.prefix + 1)));
    const p0 = Math.max(0, p1 - (d2 % (p1 + 1)));
    const mid = parseCIDR(`${c.address.canonical}/${p1}`)!;
    const outer = parseCIDR(`${c.address.canonical}/${p0}`)!;
    assert.ok(mid && outer && p1 <= bits);
    assert.ok(cidrContains(c, c));
    assert.ok(cidrContains(mid, c));
    assert.ok(cidrContains(outer, mid));
    assert.ok(cidrContains(outer, c), 'transitive');
    if (cidrContains(c, mid)) assert.equal(mid.canonical, c.canonical);
  }));
});

test('overlap laws: symmetric, implied by containment, and equivalent to containment one way', () => {
  fc.assert(fc.property(anyCidr, anyCidr, (x, y) => {
    const a = parseCIDR(x)!;
    const b = parseCIDR(y)!;
    assert.equal(cidrOverlaps(a, b), cidrOverlaps(b, a));
    assert.equal(cidrOverlaps(a, b), cidrContains(a, b) || cidrContains(b, a));
    if (a.family !== b.family) assert.equal(cidrOverlaps(a, b), false);
    assert.ok(cidrOverlaps(a, a));
  }));
});

test('a CIDR split in halves: both halves inside, halves disjoint', () => {
  fc.assert(fc.property(anyCidr, (text) => {
    const c = parseCIDR(text)!;
    const bits = c.family === 'IPv4' ? 32 : 128;
    fc.pre(c.prefix < bits);
    const bytes = [...c.network];
    const lo = parseCIDR(`${fmt(bytes, c.family)}/${c.prefix + 1}`)!;
    const hiBytes = [...bytes];
    hiBytes[Math.floor(c.prefix / 8)]! |= 0x80 >> (c.prefix % 8);
    const hi = parseCIDR(`${fmt(hiBytes, c.family)}/${c.prefix + 1}`)!;
    assert.ok(cidrContains(c, lo) && cidrContains(c, hi));
    assert.ok(!cidrOverlaps(lo, hi));
    assert.ok(!cidrContains(lo, c));
  }));
});
const fmt = (b: number[], f: string): string => (f === 'IPv4' ? b.join('.') : ipaddr.fromByteArray(b).toString());

test('special ranges: most specific registry entry wins', () => {
  const cls = (t: string) => classifyCIDR(parseIPOrCIDR(t)!);
  assert.equal(cls('2001:db8:42::/56').class, 'documentation');
  assert.equal(cls('3fff::/20').class, 'documentation');
  assert.equal(cls('3fff:fff::/32').class, 'documentation');
  assert.equal(cls('3fff:1000::/32').class, 'gua');
  assert.equal(cls('2001::10').name, 'Teredo');
  assert.equal(cls('2002::/64').name, '6to4');
  assert.equal(cls('2004::/64').class, 'gua');
  assert.equal(cls('2600:2d00:0:4::/64').class, 'gua');
  assert.equal(cls('fd00:10:244::/56').class, 'ula');
  assert.equal(cls('fe80::1').class, 'linkLocal');
  assert.equal(cls('fec0::/10').name, 'site-local (deprecated)');
  assert.equal(cls('ff02::1').class, 'multicast');
  assert.equal(cls('1200::/16').class, 'special');
  assert.equal(cls('::/0').class, 'any');
  assert.equal(cls('::1').class, 'loopback');
  assert.equal(cls('::').class, 'unspecified');
  assert.equal(cls('64:ff9b::/96').class, 'translation');
  assert.equal(cls('100::/64').name, 'discard-only');
  assert.equal(cls('10.96.0.0/12').class, 'private');
  assert.equal(cls('192.0.2.0/24').class, 'documentation');
  assert.equal(cls('203.0.113.7').class, 'documentation');
  assert.equal(cls('100.64.0.0/10').class, 'sharedCgnat');
  assert.equal(cls('80.15.0.0/24').class, 'publicIPv4');
  assert.equal(cls('0.0.0.0/0').class, 'any');
  assert.equal(cls('169.254.169.254').class, 'linkLocal');
  // A CIDR wider than a special range is classified by what wholly contains it.
  assert.equal(cls('2001::/16').class, 'gua');
  assert.equal(classifyIP(parseIP('2001:db8::1')!).class, 'documentation');
});

test('every address of a documentation range classifies as documentation', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 12, maxLength: 12 }), (rest) => {
    const b = [0x20, 0x01, 0x0d, 0xb8, ...rest];
    assert.equal(classifyIP(parseIP(ipaddr.fromByteArray(b).toString())!).class, 'documentation');
  }));
});

test('strict forms (KEP-4858)', () => {
  assert.deepEqual(nonstandardForms('10.0.0.1/24'), ['hostBitsSet']);
  assert.deepEqual(nonstandardForms('010.0.0.0/8'), ['leadingZeros']);
  assert.deepEqual(nonstandardForms('::ffff:1.2.3.4'), ['ipv4Mapped']);
  assert.deepEqual(nonstandardForms('2001:DB8::1'), ['nonCanonicalIPv6']);
  assert.deepEqual(nonstandardForms('2001:db8:42:0::/56'), ['nonCanonicalIPv6']);
  assert.deepEqual(nonstandardForms('fd00:10:96::/112'), []);
  assert.equal(nonstandardForms('10.0.0.0/33'), undefined);
  assert.equal(nonstandardForms('8000:k00::/120'), undefined);
  assert.equal(parseIPOrCIDR('10.0.0.1')?.canonical, '10.0.0.1/32');
});

test('ULA Global ID', () => {
  const g = (t: string) => ulaGlobalId(parseCIDR(t)!);
  const kind = g('fd00:10:244::/56')!;
  assert.equal(kind.hex, '0000100244');
  assert.equal(kind.lowEntropy, true);
  assert.equal(kind.local, true);
  assert.equal(g('fd00::/48')!.reason, 'the Global ID is zero');
  assert.equal(g('fdff::/64')!.lowEntropy, true);
  assert.equal(g('fd3c:9a41:7e02::/48')!.lowEntropy, false);
  assert.equal(formatGlobalId(g('fd3c:9a41:7e02::/48')!), 'fd3c:9a41:7e02::/48');
  assert.equal(g('fc00:f853:ccd:e799::/124')!.local, false);
  assert.equal(g('2001:db8::/32'), undefined);
  assert.equal(g('10.0.0.0/8'), undefined);
});

test('random ULA Global IDs are rarely called low-entropy', () => {
  // Uniform bytes from a seeded PRNG (fast-check biases towards 0 and 255, which is not what RFC 4193 generates).
  const rnd = mulberry32(42);
  const next = (): number => Math.floor(rnd() * 256);
  let low = 0;
  for (let i = 0; i < 5000; i++) {
    const b = [0xfd, next(), next(), next(), next(), next(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    if (ulaGlobalId(parseCIDR(`${ipaddr.fromByteArray(b).toString()}/48`)!)!.lowEntropy) low++;
  }
  assert.ok(low <= 5, `${low} of 5000 random IDs flagged`);
});

test('parse results are remembered, shared and deeply frozen; strict and sloppy modes are kept apart', () => {
  const a = parseIP('10.0.0.01')!;
  assert.equal(parseIP('10.0.0.01'), a);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.bytes) && Object.isFrozen(a.nonstandard));
  assert.throws(() => { (a.bytes as number[])[0] = 1; }, TypeError);
  assert.equal(parseIP('10.0.0.01', { sloppy: false }), undefined);
  assert.equal(parseIP('10.0.0.01')?.canonical, '10.0.0.1');
  const c = parseCIDR('10.0.0.1/8')!;
  assert.equal(parseCIDR('10.0.0.1/8'), c);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.network) && Object.isFrozen(c.address));
  assert.equal(parseCIDR('010.0.0.0/8', { sloppy: false }), undefined);
  assert.equal(parseCIDR('010.0.0.0/8')?.canonical, '10.0.0.0/8');
  assert.equal(parseIP('nope'), undefined);
  assert.equal(parseIP('nope'), undefined);
  // Past the memo's bound it starts over and still gives equal results.
  for (let i = 0; i < 20_000; i++) parseIP(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  assert.deepEqual(parseIP('10.0.0.01'), a);
});

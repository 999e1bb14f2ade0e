// The fingerprint hash (engine/sha256.ts, used instead of node:crypto for start-up time) is
// SHA-256: the same hex as node:crypto for the standard vectors, every length around the block
// and padding boundaries, non-ASCII text and random strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256Hex, sha256HexJs } from '../../src/engine/sha256.ts';
import { fingerprint } from '../../src/engine/baseline.ts';
import fc from '../helpers/fc.ts';
import { formatRef } from '../../src/model/types.ts';

const native = (s: string): string => createHash('sha256').update(s).digest('hex');

test('sha256HexJs: standard vectors', () => {
  assert.equal(sha256HexJs(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256HexJs('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256HexJs('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('sha256HexJs: every length from 0 to 300 bytes, multi-byte UTF-8 and NUL', () => {
  for (let n = 0; n <= 300; n++) assert.equal(sha256HexJs('x'.repeat(n)), native('x'.repeat(n)), `length ${n}`);
  for (const s of ['\u0000', 'a\u0000b', 'é', '日本語', '🙂'.repeat(40), '\ud800', 'Service/default/web\u0000["spec"]\u0000message']) {
    assert.equal(sha256HexJs(s), native(s), JSON.stringify(s));
  }
});

test('sha256HexJs: random strings agree with node:crypto', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => sha256HexJs(s) === native(s)), { numRuns: 2000 });
});

test('sha256Hex: the same hex before and after it switches to node:crypto', () => {
  const texts = Array.from({ length: 1000 }, (_, i) => `Service/ns-${i}/web\u0000["spec","ports",${i % 7}]\u0000message é ${'x'.repeat(i % 130)}`);
  for (const t of texts) assert.equal(sha256Hex(t), native(t));
  for (const t of ['', '\ud800', '🙂']) assert.equal(sha256Hex(t), native(t));
});

test('fingerprint: unchanged (the first 32 hex digits of SHA-256 of the key)', () => {
  const f: Parameters<typeof fingerprint>[0] = { ruleId: 'service-single-stack', resource: { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'web' }, path: ['spec', 'ipFamilyPolicy'], message: 'ClusterIP Service gets SingleStack [IPv4]' };
  const key = [f.ruleId, formatRef(f.resource), JSON.stringify(f.path), f.message].join('\u0000');
  assert.equal(fingerprint(f), native(key).slice(0, 32));
});

test('fingerprint: the same digits once node:crypto hashes (past the first few hundred of a run)', () => {
  const f = (i: number): Parameters<typeof fingerprint>[0] => ({ ruleId: 'r', resource: { apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: `s${i}` }, path: ['spec', i], message: `m ${i} é` });
  // 600 hashes: past the switch from the JavaScript hash to node:crypto, whichever test ran first.
  for (let i = 0; i < 600; i++) {
    const key = [f(i).ruleId, formatRef(f(i).resource), JSON.stringify(f(i).path), f(i).message].join('\u0000');
    assert.equal(fingerprint(f(i)), native(key).slice(0, 32), `fingerprint ${i}`);
    assert.equal(sha256Hex(key), native(key));
  }
});

// SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as lower-case hex: what
// createHash('sha256').update(text).digest('hex') gives, without loading node:crypto, which
// costs ~9 ms of a one-file audit's start-up (issue 9) for the finding fingerprints alone.
// Past the first few hundred hashes of a run node:crypto is loaded after all: the JavaScript
// hash took ~18 us a fingerprint (0.12 s of CPU for the 8,589 findings at 30k), node's ~2 us.
// test/engine/sha256.test.ts compares both with node:crypto.

import { createRequire } from 'node:module';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Int32Array(64);

/** Hashes done in JavaScript before node:crypto is worth loading. */
const JS_HASHES = 256;
let hashes = 0;
let nativeHash: typeof import('node:crypto').createHash | undefined;

/** node:crypto's createHash once this run has hashed JS_HASHES strings, else undefined. */
function native(): typeof import('node:crypto').createHash | undefined {
  if (nativeHash === undefined && ++hashes > JS_HASHES) {
    nativeHash = (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash;
  }
  return nativeHash;
}

export function sha256Hex(text: string): string {
  const createHash = native();
  return createHash ? createHash('sha256').update(text, 'utf8').digest('hex') : sha256HexJs(text);
}

/**
 * The hex of the hash's first `bytes` bytes, as a string of its own: `sha256Hex(text).slice()`
 * is a V8 sliced string that keeps all 64 digits alive (at 100,000 documents, the fingerprints
 * of the findings held ~5 MB of whole digests). The first JS_HASHES of a run are such slices.
 */
export function sha256HexPrefix(text: string, bytes: number): string {
  const createHash = native();
  return createHash ? createHash('sha256').update(text, 'utf8').digest().toString('hex', 0, bytes) : sha256HexJs(text).slice(0, 2 * bytes);
}

/** The JavaScript SHA-256 (sha256Hex before node:crypto is loaded). */
export function sha256HexJs(text: string): string {
  const data = Buffer.from(text, 'utf8');
  const bitLength = data.length * 8;
  // Message, 0x80, zeros, 64-bit big-endian bit length: a multiple of 64 bytes.
  const total = (((data.length + 8) >> 6) + 1) << 6;
  const m = new Uint8Array(total);
  m.set(data);
  m[data.length] = 0x80;
  const view = new DataView(m.buffer);
  view.setUint32(total - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(total - 4, bitLength >>> 0);

  let h0 = 0x6a09e667 | 0, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372 | 0, h3 = 0xa54ff53a | 0;
  let h4 = 0x510e527f | 0, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab | 0, h7 = 0x5be0cd19 | 0;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getInt32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15]!, w2 = W[i - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
  }
  let hex = '';
  for (const x of [h0, h1, h2, h3, h4, h5, h6, h7]) hex += (x >>> 0).toString(16).padStart(8, '0');
  return hex;
}

// writeChunks (cli/io.ts) encodes a report piece by piece into one buffer: the file must hold the
// same bytes as the joined text encoded at once, whatever the pieces' sizes and characters.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeChunks } from '../src/cli/io.ts';
import { tempDir, removeTempDir } from './helpers/temp.ts';
import { mulberry32 } from './helpers/random.ts';

const written = (pieces: readonly string[]): Buffer => {
  const d = tempDir();
  try {
    const f = join(d, 'report.json');
    writeChunks(f, pieces);
    return readFileSync(f);
  } finally {
    removeTempDir(d);
  }
};

const expectSame = (pieces: readonly string[]): void => {
  const got = written(pieces);
  const want = Buffer.from(pieces.join(''), 'utf8');
  assert.equal(got.length, want.length);
  assert.ok(got.equals(want), 'the bytes differ from the joined text encoded at once');
};

test('ASCII, Latin-1 and BMP pieces give the bytes of the joined text', () => {
  expectSame(['{\n', '  "a": "plain",\n', '  "b": "caf\u00e9 \u2192 IPv6",\n', '}\n']);
  expectSame([]);
  expectSame(['', 'x', '']);
});

test('a surrogate pair split across two pieces is one 4-byte character, not two U+FFFD', () => {
  const pair = '\u{1F680}';
  expectSame(['rocket ', pair[0]!, pair[1]!, ' launched']);
  expectSame([`a${pair[0]!}`, `${pair[1]!}b`]);
  const got = written([pair[0]!, pair[1]!]);
  assert.deepEqual([...got], [0xf0, 0x9f, 0x9a, 0x80]);
});

test('lone surrogates are written as the joined text encodes them (U+FFFD)', () => {
  expectSame(['end with a lone high surrogate \ud800']);
  expectSame(['\udc00 a lone low surrogate first']);
  expectSame(['\ud800', '\ud800', 'x']);
});

test('pieces larger than the buffer, and many pieces across its flushes', () => {
  const big = 'é→'.repeat(400_000); // 2 MB of UTF-8 in one piece: written on its own
  expectSame(['start ', big, ' end']);
  const rnd = mulberry32(7);
  const alphabet = ['a', 'Z', '\n', '"', '\u00e9', '\u2192', '\u{1F680}', '\u00a0'];
  const pieces: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    const n = Math.floor(rnd() * 120);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)]!;
    pieces.push(s);
  }
  // Cut some pieces inside their surrogate pairs as a chunker might.
  const cut = pieces.join('').match(/[\s\S]{1,97}/g)!;
  expectSame(cut);
  assert.ok(cut.some((p) => /[\ud800-\udbff]$/.test(p)), 'the test splits at least one surrogate pair');
});

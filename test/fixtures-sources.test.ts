// Every file copied from a public project into fixtures/corpus/ or fixtures/vendors/ is listed, with its source and
// license, in fixtures/SOURCES.md (the project must stand alone and say where its data came from).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('every corpus and vendor fixture has a line in fixtures/SOURCES.md with a license', () => {
  const sources = readFileSync(join(fixtures, 'SOURCES.md'), 'utf8').split('\n');
  const copied = ['corpus', 'vendors'].filter((d) => existsSync(join(fixtures, d)))
    .flatMap((d) => files(join(fixtures, d))).map((p) => relative(fixtures, p).split('\\').join('/'));
  assert.ok(copied.length > 0);
  for (const f of copied) {
    const line = sources.find((l) => l.includes(`\`${f}\``));
    assert.ok(line, `${f} is not listed in fixtures/SOURCES.md`);
    assert.match(line, /Apache-2\.0|CC-BY-4\.0|MIT/, `${f}: license`);
  }
});

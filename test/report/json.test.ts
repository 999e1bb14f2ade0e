// The JSON report written in pieces (formatJsonChunks, what the CLI writes for -f json) is the
// same text as formatJson, byte for byte: on the demo fixtures' report, on a report with the
// values JSON.stringify treats specially, and through the CLI to a file and to stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPaths } from '../../src/load/files.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { formatJson, formatJsonChunks } from '../../src/report/json.ts';
import type { Report } from '../../src/engine/types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEMO = join(root, 'fixtures', 'demo');

async function demoReport(): Promise<Report> {
  const loaded = await loadPaths([DEMO]);
  return analyze(loaded.documents, loaded.problems, loaded.locator.locate, { mode: 'files', sources: [DEMO], live: false },
    { tool: { name: 'dualstack-audit', version: 'test' }, stats: loaded.stats });
}

test('the pieces join to formatJson on a real report, one piece per finding', async () => {
  const report = await demoReport();
  assert.ok(report.findings.length > 3, 'the demo should have findings');
  const chunks = [...formatJsonChunks(report)];
  assert.equal(chunks.join(''), formatJson(report));
  assert.ok(chunks.length > report.findings.length, 'each finding should be its own piece');
  assert.ok(chunks.every((c) => c.length < 20_000), 'no piece holds a whole section');
});

test('values JSON.stringify leaves out or writes as null, empty arrays and escapes', () => {
  const odd = {
    schemaVersion: 1,
    skipped: undefined,
    fn: () => 1,
    findings: [],
    services: [{ name: 'a\nb\u2028"c"', dns: { A: true } }, undefined, { nested: [[], [1, [2]], {}] }],
    problems: [{ message: 'é ☃ \u0000' }],
    rules: [],
    evaluations: [],
    stats: { files: 0, durationMs: 1 },
    map: new Map([['k', 1]]),
    date: new Date(0),
  } as unknown as Report;
  assert.equal([...formatJsonChunks(odd)].join(''), formatJson(odd));
});

test('the CLI writes the same JSON to a file and to stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-json-'));
  try {
    const bin = join(root, 'bin', 'dualstack-audit.js');
    const out = join(dir, 'r.json');
    const toFile = spawnSync(process.execPath, [bin, DEMO, '-f', 'json', '-o', out, '--fail-on', 'never', '-q'], { encoding: 'utf8' });
    assert.equal(toFile.status, 0, toFile.stderr);
    const toStdout = spawnSync(process.execPath, [bin, DEMO, '-f', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(toStdout.status, 0, toStdout.stderr);
    const strip = (s: string): unknown => {
      const r = JSON.parse(s) as { stats: { durationMs?: number } };
      delete r.stats.durationMs;
      return r;
    };
    const file = readFileSync(out, 'utf8');
    assert.ok(file.endsWith('}\n'));
    assert.deepEqual(strip(file), strip(toStdout.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

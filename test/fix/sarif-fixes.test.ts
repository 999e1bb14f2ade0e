// SARIF fixes[]: each finding with a patch carries one artifactChange whose replacement, applied
// to the file, gives exactly what `dualstack-audit fix` writes for that finding alone; the log
// still matches the SARIF 2.1.0 schema.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { formatSarif } from '../../src/report/sarif.ts';
import { sarifReplacements } from '../../src/cli/fix.ts';
import { fixEach, fixText, type FixRequest } from '../../src/fix/apply.ts';
import { replacementOf, type Replacement } from '../../src/fix/replacement.ts';
import { fixtureReport } from '../helpers/report-fixture.ts';

/** Apply a replacement (1-based line/column region) to a text. */
function applyReplacement(text: string, r: Replacement): string {
  const lines = text.split(/(?<=\n)/);
  const offset = (line: number, col: number): number => lines.slice(0, line - 1).join('').length + col - 1;
  return text.slice(0, offset(r.startLine, r.startColumn)) + r.text + text.slice(offset(r.endLine, r.endColumn));
}

test('SARIF results carry fixes[] with artifactChanges and replacements that reproduce the fix', async () => {
  const report = await fixtureReport({}, ['fixtures/reports', 'fixtures/demo']);
  const reps = sarifReplacements(report);
  assert.ok(reps.size >= 4, `${reps.size} findings with a replacement`);
  const log = JSON.parse(formatSarif(report, { fixes: reps })) as { runs: { results: { fixes?: unknown[] }[] }[] };
  const results = log.runs[0]!.results;
  assert.equal(results.filter((r) => r.fixes).length, reps.size);
  for (const [i, rep] of reps) {
    const f = report.findings[i]!;
    const fix = results[i]!.fixes![0] as { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Record<string, number>; insertedContent: { text: string } }[] }[] };
    assert.equal(fix.artifactChanges[0]!.artifactLocation.uri, f.location!.file);
    assert.match(fix.description.text, f.fix!.kind === 'suggestion' ? /^Suggestion: / : /^Fix: /);
    const text = readFileSync(f.location!.file, 'utf8');
    const whole = fixText(text, [{ id: 0, line: f.location!.line, resource: f.resource, patch: f.fix!.patch! }]).text;
    assert.equal(applyReplacement(text, rep), whole, `${f.ruleId} ${f.location!.file}:${f.location!.line}`);
  }
  // Against the schema (formats as the reporter test checks them).
  const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-2.1.0.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
});

test('replacementOf: whole lines, insertion, deletion, last line without newline', () => {
  assert.deepEqual(replacementOf('a\nb\nc\n', 'a\nb\nx\nc\n'), { startLine: 3, startColumn: 1, endLine: 3, endColumn: 1, text: 'x\n' });
  assert.deepEqual(replacementOf('a\nb\nc\n', 'a\nc\n'), { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1, text: '' });
  assert.deepEqual(replacementOf('a\nbb', 'a\nbc'), { startLine: 2, startColumn: 1, endLine: 2, endColumn: 3, text: 'bc' });
  for (const [a, b] of [['a\nb\nc\n', 'a\nB\nc\n'], ['x', 'y\nx'], ['k: v\n', 'k: v\nz: 1\n']] as const) {
    assert.equal(applyReplacement(a, replacementOf(a, b)!), b);
  }
  assert.equal(replacementOf('same', 'same'), undefined);
});

test('fixEach: per request, the text fixText gives for that request alone, from one parse of the file', async () => {
  const report = await fixtureReport({}, ['fixtures/reports', 'fixtures/demo', 'fixtures']);
  const byFile = new Map<string, FixRequest[]>();
  report.findings.forEach((f, id) => {
    if (!f.fix?.patch || !f.location) return;
    const list = byFile.get(f.location.file) ?? [];
    list.push({ id, line: f.location.line, resource: f.resource, patch: f.fix.patch });
    byFile.set(f.location.file, list);
  });
  let applied = 0;
  let many = 0;
  for (const [file, requests] of byFile) {
    const text = readFileSync(file, 'utf8');
    const each = fixEach(text, requests);
    if (requests.length > 1) many++;
    for (const r of requests) {
      const alone = fixText(text, [r]);
      if (alone.outcomes[0]!.applied) {
        applied++;
        assert.equal(each.get(r.id), alone.text, `${file}:${r.line}`);
      } else {
        assert.equal(each.has(r.id), false, `${file}:${r.line}: ${(alone.outcomes[0] as { reason: string }).reason}`);
      }
    }
  }
  assert.ok(applied >= 20 && many >= 5, `${applied} fixes applied, ${many} files with several`);
  // A file that does not parse: nothing, as fixText edits nothing in it.
  assert.deepEqual(fixEach('a: [\n', [{ id: 1, line: 1, resource: { kind: 'Service', name: 'x' }, patch: [{ op: 'add', path: '/b', value: 1 }] }]), new Map());
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeScore, grade, type Evaluation } from '../../src/engine/score.ts';
import { gate, gateVerdict } from '../../src/engine/gate.ts';
import type { Finding, Report } from '../../src/engine/types.ts';

const ev = (category: Evaluation['category'], severity: Evaluation['severity'], failed: boolean): Evaluation =>
  ({ ruleId: 'r', category, severity, failed });

const finding = (severity: Finding['severity'], suppressed = false): Finding => ({
  ruleId: 'r', severity, category: 'services', messageId: 'm', message: 'm', path: [],
  resource: { apiVersion: 'v1', kind: 'Service', name: 'x' }, ...(suppressed ? { suppressed: { by: 'annotation' as const } } : {}),
});

test('weighted score per category and overall (critical 10, high 5, medium 3, low 1, info 0)', () => {
  const s = computeScore([
    ev('services', 'high', false), ev('services', 'high', true), ev('services', 'low', false),
    ev('dns', 'medium', true), ev('dns', 'medium', false), ev('dns', 'info', true),
  ], []);
  assert.equal(s.categories.services.score, Math.round((1000 * 6) / 11) / 10); // 54.5
  assert.equal(s.categories.services.passed, 2);
  assert.equal(s.categories.services.failed, 1);
  assert.equal(s.categories.dns.score, 50);
  assert.equal(s.categories.dns.failed, 2, 'info counts as failed but weighs nothing');
  assert.equal(s.overall, Math.round((1000 * 9) / 17) / 10);
  assert.equal(s.categories.policy.score, null, 'nothing evaluated: no score');
  assert.equal(s.grade, 'F');
});

test('grades and the critical cap', () => {
  assert.deepEqual([95, 90, 89.9, 80, 70, 60, 59.9].map(grade), ['A', 'A', 'B', 'B', 'C', 'D', 'F']);
  assert.equal(grade(null), '-');
  const evs = [...Array(99)].map(() => ev('services', 'low', false));
  const capped = computeScore([...evs, ev('services', 'critical', false)], [finding('critical')]);
  assert.equal(capped.grade, 'D');
  assert.match(capped.cappedBy ?? '', /critical/);
  const suppressed = computeScore(evs, [finding('critical', true)]);
  assert.equal(suppressed.grade, 'A', 'a suppressed critical does not cap');
});

test('not evaluated is listed, never counted as passed', () => {
  const s = computeScore([{ ...ev('policy', 'high', false), notEvaluated: true }], []);
  assert.equal(s.categories.policy.notEvaluated, 1);
  assert.equal(s.categories.policy.passed, 0);
  assert.equal(s.categories.policy.score, null);
});

test('partial coverage says why the evaluations were not made: unread kinds as before, or the reason given', () => {
  const unread = computeScore([ev('policy', 'high', false), { ...ev('policy', 'high', false), notEvaluated: true }], []);
  assert.equal(unread.coverage?.text, 'partial coverage: over 1 of 2 evaluations; 1 not made (kinds that could not be read)');
  const why = "the cluster's Service families are undetermined";
  const both = computeScore([ev('services', 'critical', false), { ...ev('services', 'critical', false), notEvaluated: true, why, count: 3 }, { ...ev('policy', 'high', false), notEvaluated: true }], []);
  assert.equal(both.coverage?.text, `partial coverage: over 1 of 5 evaluations; 4 not made (${why}; kinds that could not be read)`);
  assert.deepEqual([both.categories.services.notEvaluated, both.categories.services.passed, both.categories.services.score], [3, 1, 100]);
});

test('gate: --fail-on, problems, --min-score', () => {
  const base = { findings: [finding('medium'), finding('high', true)], problems: [], evaluations: [], rules: [], stats: { files: 1, documents: 1, resources: 1, skipped: 0, durationMs: 0 }, score: { overall: 70 } } as unknown as Report;
  assert.equal(gate(base, { failOn: 'high' }).passed, true, 'a suppressed high does not fail');
  assert.equal(gate(base, { failOn: 'medium' }).passed, false);
  assert.deepEqual(gate(base, { failOn: 'medium' }).reasons, ['1 finding at or above medium']);
  assert.equal(gate(base, { failOn: 'never', minScore: 71 }).passed, false);
  assert.equal(gate(base, { failOn: 'never', minScore: 70 }).passed, true);
  const withProblem = { ...base, problems: [{ file: 'a.yaml', line: 1, message: 'invalid YAML', fatal: true }] } as unknown as Report;
  assert.equal(gate(withProblem, { failOn: 'critical' }).passed, false);
  assert.equal(gate(withProblem, { failOn: 'never' }).passed, true);
});

test('a baseline leaves the gate, not the score: fixtures/demo keeps its score and cannot become an A', async () => {
  const { fixtureReport } = await import('../helpers/report-fixture.ts');
  const { createBaseline } = await import('../../src/engine/baseline.ts');
  const before = await fixtureReport({}, ['fixtures/demo']);
  assert.ok(before.findings.some((f) => f.severity === 'critical' && !f.suppressed), 'the demo has a critical finding');
  const after = await fixtureReport({ baseline: createBaseline(before) }, ['fixtures/demo']);
  assert.ok(after.findings.every((f) => f.suppressed), 'every finding is known to the baseline');
  assert.equal(gate(after, { failOn: 'info' }).passed, true, 'the gate passes on known findings');
  assert.equal(after.score.overall, before.score.overall, 'the same score with and without the baseline');
  assert.ok(after.score.overall! < 90, `score ${after.score.overall}`);
  assert.notEqual(after.score.grade, 'A');
  assert.equal(gate(after, { failOn: 'never', minScore: 90 }).passed, false, '--min-score still bites');
  for (const c of Object.keys(before.score.categories) as (keyof typeof before.score.categories)[]) {
    assert.equal(after.score.categories[c].score, before.score.categories[c].score, c);
    assert.equal(after.score.categories[c].weightTotal, before.score.categories[c].weightTotal, c);
    assert.equal(after.score.categories[c].failed, 0, `${c}: suppressed evaluations are not counted as failed`);
  }
});

test('a suppressed evaluation weighs its severity and is neither passed nor failed', () => {
  const s = computeScore([ev('services', 'high', false), { ...ev('services', 'critical', false), suppressed: true }], []);
  assert.equal(s.categories.services.passed, 1);
  assert.equal(s.categories.services.failed, 0);
  assert.equal(s.categories.services.weightTotal, 15);
  assert.equal(s.categories.services.score, Math.round(1000 * 5 / 15) / 10);
});

test('gate: --fail-on never changes only the exit code; every report still says the gate failed', async () => {
  const { fixtureReport } = await import('../helpers/report-fixture.ts');
  const { formatMarkdown } = await import('../../src/report/markdown.ts');
  const { formatHtml } = await import('../../src/report/html.ts');
  const { formatText, plainStyle, plainTable } = await import('../../src/report/text.ts');
  const report = await fixtureReport({}, ['fixtures/demo']);
  assert.ok(report.findings.some((f) => f.severity === 'critical' && !f.suppressed));
  const never = gate(report, { failOn: 'never' });
  assert.equal(never.passed, true, 'exit 0');
  assert.deepEqual(never.notEnforced, gate(report, { failOn: 'high' }).reasons, 'judged at the default threshold');
  assert.equal(gateVerdict(never).status, 'not-enforced');
  const md = formatMarkdown(report, { gate: never });
  assert.match(md, /gate \*\*failed\*\* ❌, not enforced \(--fail-on never\) \(\d+ findings at or above high/);
  assert.doesNotMatch(md, /passed\*\* ✅/);
  assert.match(formatHtml(report, { gate: never }), /<span class="gate-fail">Gate failed \(not enforced, --fail-on never: exit code 0\): \d+ findings at or above high/);
  assert.match(formatText(report, { style: plainStyle, table: plainTable, gate: never }), /\nGate failed \(not enforced, --fail-on never: exit code 0\): \d+ findings at or above high/);
  // Nothing at or above high: the gate passes, enforced or not.
  const clean = { ...report, findings: report.findings.filter((f) => f.severity === 'low'), problems: [] };
  assert.deepEqual(gate(clean, { failOn: 'never' }), { passed: true, reasons: [] });
  assert.equal(gateVerdict(gate(clean, { failOn: 'never' })).text, 'Gate passed');
});

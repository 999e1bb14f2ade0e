// Markdown: the checklist in phase order, a checkbox per unsuppressed finding with its fix,
// the score table, collapsed long lists, and a size that fits a pull-request comment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMarkdown, PHASE_TITLES } from '../../src/report/markdown.ts';
import { fixtureReport } from '../helpers/report-fixture.ts';
import { CATEGORIES } from '../../src/model/types.ts';
import type { Finding, Report } from '../../src/engine/types.ts';

const balanced = (md: string): boolean => (md.match(/<details>/g) ?? []).length === (md.match(/<\/details>/g) ?? []).length;

test('markdown: phases in order, a checkbox per finding with its fix, the score table', async () => {
  const report = await fixtureReport();
  const md = formatMarkdown(report, { gate: { passed: false, reasons: ['2 findings at or above high'] } });
  const headings = [...md.matchAll(/^#### (\d)\. (.+?)(?: \(\d+ to fix\))?$/gm)].map((m) => m[2]);
  assert.deepEqual(headings, CATEGORIES.map((c) => PHASE_TITLES[c]));
  const active = report.findings.filter((f) => !f.suppressed);
  assert.equal((md.match(/^- \[ \] /gm) ?? []).length, active.length);
  assert.equal((md.match(/^ {2}- Fix: /gm) ?? []).length, active.length);
  assert.equal((md.match(/^- \[x\] /gm) ?? []).length, report.findings.length - active.length);
  assert.match(md, /^\| Services \| [\d.]+ \| [A-F] \| \d+ \| \d+ \| 1 \|$/m);
  assert.match(md, new RegExp(`^\\| \\*\\*Overall\\*\\* \\| \\*\\*${report.score.overall!.toFixed(1)}\\*\\* \\|`, 'm'));
  assert.match(md, /gate \*\*failed\*\* ❌/);
  assert.match(md, /`fixtures\/reports\/shop\.yaml:8`/);
  // The reason is escaped, not markup.
  assert.match(md, /retired in Q3; &lt;not&gt; migrated &amp; never will be/);
  assert.match(md, /Unused suppressions \(1\)/);
  assert.match(md, /Input problems \(1\)/);
  assert.ok(balanced(md));
  // Phases come out in order: Services before DNS.
  assert.ok(md.indexOf('#### 3. Services') < md.indexOf('#### 4. DNS'));
});

test('markdown: long phases collapse, and a huge report still fits a PR comment', async () => {
  const report = await fixtureReport();
  const base = report.findings.find((f) => f.category === 'services' && !f.suppressed)!;
  const many: Finding[] = Array.from({ length: 3000 }, (_, i) => ({ ...base, resource: { ...base.resource, name: `svc-${i}` }, message: `${base.message} ${'x'.repeat(40)}` }));
  const big: Report = { ...report, findings: many };
  const md = formatMarkdown(big);
  assert.ok(md.length <= 65_000, `length ${md.length}`);
  assert.ok(balanced(md));
  assert.match(md, /<details><summary>\d+ more findings<\/summary>/);
  assert.match(md, /more findings not shown; see the full report/);
  // Five shown open before the collapse.
  const before = md.slice(md.indexOf('#### 3. Services'), md.indexOf('<details>', md.indexOf('#### 3. Services')));
  assert.equal((before.match(/^- \[ \] /gm) ?? []).length, 5);
});

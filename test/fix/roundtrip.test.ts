// Round trips on the fixtures (the demo shop, the report fixtures and the copies of corpus files,
// comments included): audit, fix every finding that carries a patch (fixes and suggestions), then
// re-audit. Every fixed finding is gone, documents without a fix are byte-identical, every
// full-line comment survives, the diff applies with `git apply --check`, and a second run changes
// nothing.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { splitSpans } from '../../src/yaml/stream.ts';
import { RULES } from '../../src/rules/index.ts';
import type { Report } from '../../src/engine/types.ts';
import { formatRef } from '../../src/model/types.ts';
import { fixText, type FixTextResult } from '../../src/fix/apply.ts';
import { planFixes } from '../../src/fix/plan.ts';
import { unifiedDiff } from '../../src/fix/diff.ts';
import { fixtureReport } from '../helpers/report-fixture.ts';

const NEEDS_VALUE = new Set(RULES.filter((r) => r.meta.needsValue).map((r) => r.meta.id));

const audit = (paths: string[]): Promise<Report> => fixtureReport({}, paths);

// With the file: an object defined in several files (GKE recipes' Service default/foo) is several
// objects, each with its own finding, and fixing one leaves the others reported.
const key = (r: Report, i: number): string => {
  const f = r.findings[i]!;
  return `${f.ruleId} ${formatRef(f.resource)} ${JSON.stringify(f.path)} ${f.location?.file ?? ''}`;
};

const commentLines = (t: string): string[] => t.split(/\r?\n/).filter((l) => /^\s*#/.test(l)).sort();

const roots: string[] = [];
function copyFixtures(): string {
  const r = mkdtempSync(join(tmpdir(), 'dsa-fix-rt-'));
  roots.push(r);
  for (const d of ['demo', 'reports', 'corpus', 'live']) cpSync(join('fixtures', d), join(r, d), { recursive: true });
  return r;
}
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

for (const suggestions of [true, false]) {
  test(`fixtures${suggestions ? ' with --suggestions' : ''}: fix, re-audit, layout kept, diff applies${suggestions ? '' : ', a second run changes nothing'}`, async () => {
    await roundTrip(copyFixtures(), suggestions);
  });
}

async function roundTrip(root: string, suggestions: boolean): Promise<void> {
  const report = await audit([root]);
  const plan = planFixes(report, { suggestions, needsValue: NEEDS_VALUE });
  assert.ok(plan.files.size >= (suggestions ? 10 : 3), `fixable findings in ${plan.files.size} files`);
  const results = new Map<string, { before: string; res: FixTextResult }>();
  const fixed = new Set<string>();
  const failures: string[] = [];
  for (const [file, requests] of plan.files) {
    const before = readFileSync(file, 'utf8');
    const res = fixText(before, requests);
    results.set(file, { before, res });
    for (const o of res.outcomes) {
      if (o.applied) fixed.add(key(report, o.id));
      else failures.push(`${relative(root, file)}: ${key(report, o.id)}: ${o.reason}`);
    }
    // Documents without a fix are byte-identical; every full-line comment is kept.
    const a = splitSpans(before);
    const touched = new Set(requests.map((r) => a.filter((s) => s.lineOffset <= r.line - 1).length - 1));
    const b = splitSpans(res.text);
    assert.equal(b.length, a.length, `${file}: documents`);
    a.forEach((s, i) => {
      if (!touched.has(i)) assert.equal(res.text.slice(b[i]!.start, b[i]!.end), before.slice(s.start, s.end), `${file}: document ${i} changed`);
    });
    const kept = commentLines(res.text);
    for (const c of commentLines(before)) assert.ok(kept.includes(c), `${file}: comment lost: ${c}`);
  }
  assert.deepEqual(failures, [], 'every planned fix applies');
  assert.ok(fixed.size >= (suggestions ? 20 : 5), `${fixed.size} findings fixed`);

  // The diff applies to a copy of the originals.
  const copy = mkdtempSync(join(tmpdir(), 'dsa-fix-apply-'));
  try {
    let diff = '';
    for (const [file, { before, res }] of results) {
      const rel = relative(root, file);
      mkdirSync(join(copy, dirname(rel)), { recursive: true });
      writeFileSync(join(copy, rel), before);
      diff += unifiedDiff(rel, before, res.text);
    }
    writeFileSync(join(copy, 'fix.diff'), diff);
    const r = spawnSync('git', ['apply', '--check', 'fix.diff'], { cwd: copy, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }

  // Write the fixed texts; re-audit: every fixed finding is gone.
  for (const [file, { res }] of results) writeFileSync(file, res.text);
  const again = await audit([root]);
  const left = new Set(again.findings.map((_, i) => key(again, i)));
  for (const k of fixed) assert.ok(!left.has(k), `still reported after the fix: ${k}`);
  assert.equal(again.problems.length, report.problems.length, 'no new input problems');

  // A second run changes nothing. (With suggestions, one change can lead to another: a
  // Service made dual-stack by one suggestion then meets the legacy-LB rule's suggestion.)
  if (suggestions) return;
  const plan2 = planFixes(again, { suggestions, needsValue: NEEDS_VALUE });
  for (const [file, requests] of plan2.files) {
    const text = readFileSync(file, 'utf8');
    assert.equal(fixText(text, requests).text, text, `${file}: a second fix changed it`);
  }
}

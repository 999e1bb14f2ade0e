// Report.results (a record per evaluation) is made only when asked (RunOptions.results; the CLI
// asks for JUnit, the one report that prints them): without it, an evaluation that reports
// nothing is only counted. The score, the per-rule counts and the findings must not move, and
// what the records say must add up to what the counts say.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { loadPaths } from '../../src/load/files.ts';
import { analyze, type AnalyzeOptions, type AnalyzeTarget } from '../../src/engine/analyze.ts';
import { createBaseline } from '../../src/engine/baseline.ts';
import { computeScore } from '../../src/engine/score.ts';
import { main, type CliIO } from '../../src/cli/index.ts';
import { CATEGORIES, SEVERITY_WEIGHT } from '../../src/model/types.ts';
import type { Report } from '../../src/engine/types.ts';

const TOOL = { name: 'dualstack-audit', version: 'test' };

async function both(paths: string[], target: Omit<AnalyzeTarget, 'sources'>, extra: (first: Report) => Partial<AnalyzeOptions> = () => ({})): Promise<[Report, Report]> {
  const make = async (results: boolean | undefined, opts: Partial<AnalyzeOptions>): Promise<Report> => {
    const loaded = await loadPaths(paths);
    return analyze(loaded.documents, loaded.problems, loaded.locator.locate, { ...target, sources: paths },
      { tool: TOOL, stats: loaded.stats, ...opts, ...(results !== undefined ? { results } : {}) });
  };
  const plain = await make(undefined, {});
  const opts = extra(plain);
  return [await make(undefined, opts), await make(false, opts)];
}

/** The counts the records imply: per rule, and per category with the weight of the passed ones. */
function fromRecords(r: Report): { perRule: Map<string, [number, number, number]>; categories: Map<string, [number, number, number]> } {
  const perRule = new Map<string, [number, number, number]>();
  const categories = new Map<string, [number, number, number]>();
  for (const e of r.results!) {
    const p = perRule.get(e.ruleId) ?? [0, 0, 0];
    const c = categories.get(e.category) ?? [0, 0, 0];
    // An evaluation the rule could not make (Target.notEvaluated) is neither passed nor failed.
    if (e.notEvaluated !== undefined) continue;
    if (e.suppressed) p[2]++;
    else if (e.failed) {
      p[1]++;
      c[1]++;
    } else {
      p[0]++;
      c[0]++;
      c[2] += SEVERITY_WEIGHT[e.severity];
    }
    perRule.set(e.ruleId, p);
    categories.set(e.category, c);
  }
  return { perRule, categories };
}

const CASES: [string, string[], Omit<AnalyzeTarget, 'sources'>, (first: Report) => Partial<AnalyzeOptions>][] = [
  ['reports (an annotation suppression)', ['fixtures/reports'], { mode: 'files', live: false }, () => ({})],
  ['demo, half the findings in a baseline, one rule exempted, severities overridden', ['fixtures/demo'], { mode: 'files', live: false }, (first) => ({
    baseline: createBaseline({ ...first, findings: first.findings.filter((_, i) => i % 2 === 0) }),
    exemptions: [{ rule: first.findings.at(-1)!.ruleId, reason: 'test' }], exemptionsFrom: 'test.yaml',
    severityOverrides: { [first.findings[0]!.ruleId]: 'low', 'dns-aaaa-coverage': 'critical' },
  })],
  ['live, Pods not read', ['fixtures/live/planted.yaml'], { mode: 'cluster', live: true, notEvaluated: [{ kind: 'Pod', apiVersion: 'v1', reason: 'forbidden', message: 'pods is forbidden' }] }, () => ({})],
  ['every fixture', ['fixtures'], { mode: 'files', live: false }, () => ({})],
];

for (const [name, paths, target, extra] of CASES) {
  test(`results or not, the same score, per-rule counts and findings: ${name}`, async () => {
    const [withResults, without] = await both(paths, target, extra);
    assert.ok(withResults.results && withResults.results.length > withResults.findings.length, 'records of passed evaluations too');
    assert.equal(without.results, undefined);
    assert.deepEqual(without.score, withResults.score);
    assert.deepEqual(without.evaluations, withResults.evaluations);
    assert.deepEqual(without.findings, withResults.findings);
    assert.deepEqual({ ...without, results: undefined }, { ...withResults, results: undefined });

    // The counts are what the records say (a passed record weighs its own severity).
    const { perRule, categories } = fromRecords(withResults);
    for (const e of withResults.evaluations) {
      assert.deepEqual([e.passed, e.failed, e.suppressed ?? 0], perRule.get(e.ruleId) ?? [0, 0, 0], e.ruleId);
    }
    for (const c of CATEGORIES) {
      const s = withResults.score.categories[c];
      assert.deepEqual([s.passed, s.failed, s.weightPassed], categories.get(c) ?? [0, 0, 0], c);
    }
    if (target.notEvaluated) {
      assert.ok(withResults.evaluations.some((e) => e.notEvaluated > 0), 'rules on Pods counted as not evaluated');
      assert.ok(withResults.score.coverage, 'partial coverage');
    } else {
      // Not evaluated without unread kinds: each such evaluation has a record that says why.
      for (const e of withResults.evaluations) {
        assert.equal(withResults.results!.filter((x) => x.ruleId === e.ruleId && x.notEvaluated !== undefined).length, e.notEvaluated, e.ruleId);
      }
    }
  });
}

test('computeScore: an evaluation with a count weighs as that many alike', () => {
  const one = { ruleId: 'r', category: 'services', severity: 'high', failed: false } as const;
  const bad = { ruleId: 'r', category: 'services', severity: 'medium', failed: true } as const;
  const gone = { ruleId: 'r', category: 'dns', severity: 'low', failed: false, notEvaluated: true } as const;
  assert.deepEqual(computeScore([{ ...one, count: 3 }, { ...bad, count: 2 }, { ...gone, count: 2 }], []),
    computeScore([one, one, one, bad, bad, gone, gone], []));
});

test('the CLI: -f junit has a testcase per evaluation, passed ones included', async () => {
  let out = '';
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: () => {}, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false };
  const run = async (...args: string[]): Promise<string> => {
    out = '';
    await main(['node', 'dualstack-audit', 'fixtures/demo', '--fail-on', 'never', ...args], io);
    return out;
  };
  const json = JSON.parse(await run('-f', 'json')) as Report;
  assert.equal((json as { results?: unknown }).results, undefined);
  const xml = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' }).parse(await run('-f', 'junit')) as
    { testsuites: { testsuite: { '@_name': string; '@_tests': string; '@_failures': string; '@_skipped': string }[] } };
  const suites = xml.testsuites.testsuite.filter((s) => s['@_name'] !== 'input');
  assert.ok(suites.length > 0);
  for (const s of suites) {
    const c = json.score.categories[s['@_name'] as keyof Report['score']['categories']];
    assert.equal(Number(s['@_failures']), c.failed, s['@_name']);
    assert.equal(Number(s['@_tests']) - Number(s['@_skipped']), c.passed + c.failed, `${s['@_name']}: every passed evaluation is a testcase`);
  }
});

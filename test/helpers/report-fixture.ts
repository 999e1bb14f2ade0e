// The report every reporter test renders: fixtures/reports (findings of several severities and
// phases, an annotation suppression with a reason, an unused suppression, an invalid file)
// through the real loader, model and engine. Paths stay relative, as a CI job passes them.

import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import { run, type RunOptions } from '../../src/engine/run.ts';
import { RULES } from '../../src/rules/index.ts';
import type { Finding, Report } from '../../src/engine/types.ts';

export const FIXTURE_DIR = 'fixtures/reports';

export async function fixtureReport(extra: Partial<RunOptions> = {}, paths: readonly string[] = [FIXTURE_DIR]): Promise<Report> {
  const loaded = await loadPaths([...paths]);
  const model = buildModel(loaded.documents, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
  return run(model, RULES, {
    locate: loaded.locator.locate,
    tool: { name: 'dualstack-audit', version: '0.1.0' },
    target: { mode: 'files', sources: [...paths], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
    problems: loaded.problems,
    stats: loaded.stats,
    ...extra,
  });
}

/** The same findings as a live audit would have them: no file, no line. */
export function asLiveReport(r: Report): Report {
  return {
    ...r,
    target: { ...r.target, mode: 'cluster', sources: [], context: 'kind-dual' },
    findings: r.findings.map((f): Finding => {
      const { location: _l, ...rest } = f;
      return rest;
    }),
    problems: [],
    unusedSuppressions: (r.unusedSuppressions ?? []).map(({ location: _l, ...u }) => u),
  };
}

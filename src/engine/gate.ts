// The CI gate: exit 1 when an unsuppressed finding is at or above --fail-on, when the score
// is below --min-score, or when an input could not be read or parsed (a gate must not pass
// what kubectl could not apply). `--fail-on never` turns the finding and problem checks off.

import { SEVERITY_RANK, type Severity } from '../model/types.ts';
import type { Report } from './types.ts';

export type FailOn = Severity | 'never';

export interface GateResult {
  readonly passed: boolean;
  readonly reasons: readonly string[];
}

export function gate(report: Report, opts: { failOn: FailOn; minScore?: number }): GateResult {
  const reasons: string[] = [];
  if (opts.failOn !== 'never') {
    const min = SEVERITY_RANK[opts.failOn];
    const blocking = report.findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= min);
    if (blocking.length > 0) reasons.push(`${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above ${opts.failOn}`);
    const fatal = report.problems.filter((p) => p.fatal);
    if (fatal.length > 0) reasons.push(`${fatal.length} input problem${fatal.length === 1 ? '' : 's'} (unreadable or invalid manifests)`);
  }
  if (opts.minScore !== undefined) {
    const s = report.score.overall;
    if (s !== null && s < opts.minScore) reasons.push(`score ${s} is below --min-score ${opts.minScore}`);
  }
  return { passed: reasons.length === 0, reasons };
}

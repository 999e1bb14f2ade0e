// The CI gate: exit 1 when an unsuppressed finding is at or above --fail-on, when the score
// is below --min-score, or when an input could not be read or parsed (a gate must not pass
// what kubectl could not apply). `--fail-on never` changes only the exit code (issue 19): the
// findings and problems are still judged at the default threshold (high) and the reports say
// "gate failed (not enforced)", so a PR comment made with --fail-on never does not read
// "gate passed" above a critical finding.

import { SEVERITY_RANK, type Severity } from '../model/types.ts';
import type { Report } from './types.ts';

export type FailOn = Severity | 'never';

/** The threshold the reports judge at when --fail-on never turns the exit code off. */
export const DEFAULT_FAIL_ON: Severity = 'high';

export interface GateResult {
  /** The exit code's gate: false means exit 1. */
  readonly passed: boolean;
  readonly reasons: readonly string[];
  /** Set when the run evaluated nothing (nothingAudited): the gate fails and the CLI exits 2. */
  readonly nothingAudited?: string;
  /**
   * --allow-empty: the run evaluated nothing (this says why) and that is not a failure: a hook
   * given only the files a commit changes (a workflow, a Helm values file, a kustomize patch).
   */
  readonly emptyAllowed?: string;
  /**
   * With --fail-on never: what the gate at DEFAULT_FAIL_ON finds that the exit code ignores.
   * Reports show them as a failed gate that is not enforced.
   */
  readonly notEnforced?: readonly string[];
}

function findingReasons(report: Report, failOn: Severity): string[] {
  const reasons: string[] = [];
  const min = SEVERITY_RANK[failOn];
  const blocking = report.findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= min);
  if (blocking.length > 0) reasons.push(`${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above ${failOn}`);
  const fatal = report.problems.filter((p) => p.fatal);
  if (fatal.length > 0) reasons.push(`${fatal.length} input problem${fatal.length === 1 ? '' : 's'} (unreadable or invalid manifests)`);
  return reasons;
}

/**
 * Why the coverage is partial, or undefined: kinds a live read (or the snapshot of one) could not
 * read. A gate does not pass what it could not read (issue 14: Services forbidden scored 100/A
 * and exit 0) unless the user accepts partial coverage (--allow-partial, allowPartial: true).
 */
export function partialCoverage(report: Report): string | undefined {
  const ne = report.target?.notEvaluated ?? [];
  if (ne.length === 0) return undefined;
  const kinds = [...new Set(ne.map((n) => `${n.kind} (${n.reason})`))];
  const missed = report.evaluations.reduce((n, e) => n + e.notEvaluated, 0);
  return `partial coverage: ${kinds.length} kind${kinds.length === 1 ? '' : 's'} could not be read (${kinds.join(', ')})` +
    `${missed > 0 ? `, ${missed} rule evaluation${missed === 1 ? '' : 's'} not made` : ''}; --allow-partial accepts that`;
}

export function gate(report: Report, opts: { failOn: FailOn; minScore?: number; allowPartial?: boolean; allowEmpty?: boolean }): GateResult {
  const reasons: string[] = opts.failOn !== 'never' ? findingReasons(report, opts.failOn) : [];
  const partial = opts.allowPartial ? undefined : partialCoverage(report);
  if (partial !== undefined && opts.failOn !== 'never') reasons.push(partial);
  if (opts.minScore !== undefined) {
    const s = report.score.overall;
    if (s !== null && s < opts.minScore) reasons.push(`score ${s} is below --min-score ${opts.minScore}`);
  }
  const none = nothingAudited(report);
  // --allow-empty accepts an input without objects a rule applies to; rules all turned off stay a
  // configuration error, and input that could not be read is not "empty" (whatever --fail-on says).
  if (none !== undefined && opts.allowEmpty && report.rules.length > 0 && !report.problems.some((p) => p.fatal)) {
    return reasons.length > 0 ? { passed: false, reasons } : { passed: true, reasons, emptyAllowed: none };
  }
  if (none !== undefined) return { passed: false, reasons: [...reasons, `nothing to audit: ${none}`], nothingAudited: none };
  const notEnforced = opts.failOn === 'never' ? [...findingReasons(report, DEFAULT_FAIL_ON), ...(partial !== undefined ? [partial] : [])] : [];
  return notEnforced.length > 0 ? { passed: reasons.length === 0, reasons, notEnforced } : { passed: reasons.length === 0, reasons };
}

/** What the reports print: the gate's verdict and why, enforced or not. */
export function gateVerdict(g: GateResult): { status: 'passed' | 'failed' | 'not-enforced'; text: string } {
  if (!g.passed) return { status: 'failed', text: `Gate failed: ${g.reasons.join('; ')}` };
  if (g.emptyAllowed !== undefined) return { status: 'passed', text: `Gate passed (--allow-empty): nothing to audit: ${g.emptyAllowed}` };
  if (g.notEnforced && g.notEnforced.length > 0) {
    return { status: 'not-enforced', text: `Gate failed (not enforced, --fail-on never: exit code 0): ${g.notEnforced.join('; ')}` };
  }
  return { status: 'passed', text: 'Gate passed' };
}

/**
 * Why a run evaluated nothing, or undefined when it evaluated something. No gate may pass such a
 * run (issue 20: `--min-score 80 - </dev/null`, an empty directory and `--rule X --disable-rule X`
 * all printed "Gate passed"): the CLI exits 2 with this reason, as for no input at all.
 */
export function nothingAudited(report: Report): string | undefined {
  const evaluated = report.evaluations.reduce((n, e) => n + e.passed + e.failed + (e.suppressed ?? 0), 0);
  if (evaluated > 0 || report.findings.length > 0) return undefined;
  const fatal = report.problems.filter((p) => p.fatal).length;
  if (report.rules.length === 0) return 'no rule left to run (--rule, --disable-rule and the config file turn every rule off)';
  if (report.stats.resources === 0) {
    if (fatal > 0) return `no Kubernetes object could be read (${fatal} input problem${fatal === 1 ? '' : 's'})`;
    const { files, skipped } = report.stats;
    return `no Kubernetes objects in the input (${files} file${files === 1 ? '' : 's'} read${skipped > 0 ? `, ${skipped} document${skipped === 1 ? '' : 's'} without apiVersion/kind skipped` : ''})`;
  }
  const n = report.stats.resources;
  return `no rule applies to the ${n} object${n === 1 ? '' : 's'} read${fatal > 0 ? ` (and ${fatal} input problem${fatal === 1 ? '' : 's'})` : ''}`;
}

/**
 * --min-score's value: a plain decimal from 0 to 100 (`80`, `72.5`). Number() took "" (0), "0x10"
 * (16), " 50" and "1e1" (issue 20); undefined for anything else.
 */
export function parseMinScore(text: string): number | undefined {
  if (!/^(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)$/.test(text)) return undefined;
  return Number(text);
}

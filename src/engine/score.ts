// DESIGN.md section 5: an evaluation is one (rule, in-scope resource) pair, weighted by its
// severity (critical 10, high 5, medium 3, low 1; info is shown, not scored). A category's
// score is 100 x weight passed / weight evaluated; overall is the same over all evaluations.
// Grades A >= 90, B >= 80, C >= 70, D >= 60, else F; an unsuppressed critical caps at D.
// A suppressed evaluation (annotation, config exemption, baseline) still weighs what its worst
// finding weighs and never counts as passed: suppressing leaves the gate, not the score, so a
// baseline cannot turn a failing repository into 100/A and --min-score keeps its meaning.

import { CATEGORIES, SEVERITY_WEIGHT, type Category, type Severity } from '../model/types.ts';
import type { CategoryScore, Finding, Score } from './types.ts';

export interface Evaluation {
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Findings that count (unsuppressed) for this evaluation. */
  readonly failed: boolean;
  /** Every finding of this evaluation is suppressed: in the weight, neither passed nor failed. */
  readonly suppressed?: boolean;
  readonly notEvaluated?: boolean;
  /** notEvaluated: why (default: kinds that could not be read), for the coverage text. */
  readonly why?: string;
  /** How many evaluations alike this one stands for (default 1): run() counts them, it does not list one object each. */
  readonly count?: number;
}

export function grade(score: number | null): Score['grade'] {
  if (score === null) return '-';
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

const UNREAD = 'kinds that could not be read';

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function computeScore(evaluations: readonly Evaluation[], findings: readonly Finding[]): Score {
  const acc = new Map<Category, { passed: number; failed: number; notEvaluated: number; wp: number; wt: number }>();
  for (const c of CATEGORIES) acc.set(c, { passed: 0, failed: 0, notEvaluated: 0, wp: 0, wt: 0 });
  let wp = 0;
  let wt = 0;
  let made = 0;
  let missed = 0;
  const whyMissed = new Set<string>();
  for (const e of evaluations) {
    const a = acc.get(e.category)!;
    const n = e.count ?? 1;
    if (e.notEvaluated) {
      a.notEvaluated += n;
      missed += n;
      whyMissed.add(e.why ?? UNREAD);
      continue;
    }
    made += n;
    // Weights are integers: n evaluations add n x w, exactly what n additions of w add.
    const w = SEVERITY_WEIGHT[e.severity] * n;
    if (e.suppressed) {
      // Not passed: the weight counts against the score, the count is the report's "suppressed".
    } else if (e.failed) a.failed += n;
    else {
      a.passed += n;
      a.wp += w;
      wp += w;
    }
    a.wt += w;
    wt += w;
  }
  const categories = {} as Record<Category, CategoryScore>;
  for (const c of CATEGORIES) {
    const a = acc.get(c)!;
    categories[c] = {
      score: a.wt > 0 ? round1((100 * a.wp) / a.wt) : null,
      passed: a.passed, failed: a.failed, notEvaluated: a.notEvaluated, weightPassed: a.wp, weightTotal: a.wt,
    };
  }
  const overall = wt > 0 ? round1((100 * wp) / wt) : null;
  let g = grade(overall);
  let cappedBy: string | undefined;
  const critical = findings.find((f) => f.severity === 'critical' && !f.suppressed);
  if (critical && (g === 'A' || g === 'B' || g === 'C')) {
    g = 'D';
    cappedBy = `an unsuppressed critical finding (${critical.ruleId}) caps the grade at D`;
  }
  const coverage = missed > 0
    ? { coverage: { evaluated: made, notEvaluated: missed, text: `partial coverage: over ${made} of ${made + missed} evaluations; ${missed} not made (${[...whyMissed].join('; ')})` } }
    : {};
  return cappedBy ? { overall, grade: g, cappedBy, ...coverage, categories } : { overall, grade: g, ...coverage, categories };
}

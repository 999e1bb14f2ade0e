// What a report could not judge: the kinds a live read (or the snapshot of one) could not list,
// with the rules that would have judged them. Every format shows it, from the Report alone:
// target.notEvaluated holds the kinds, and a rule on such a kind is one whose scope names it
// (engine/run.ts counts the same evaluations as not evaluated, out of the score).

import type { NotEvaluatedKind, Report } from '../engine/types.ts';

export interface NotEvaluatedItem extends NotEvaluatedKind {
  /** Ids of the rules that ran and judge this kind. */
  readonly rules: readonly string[];
}

export function notEvaluated(report: Report): NotEvaluatedItem[] {
  return (report.target.notEvaluated ?? []).map((n) => ({ ...n, rules: report.rules.filter((r) => r.scope.includes(n.kind)).map((r) => r.id) }));
}

export const NOT_EVALUATED_TITLE = 'these kinds could not be read, so the rules on them did not judge anything';

/** "Pod (v1, namespace shop): forbidden: <the API server's message>" */
export const notEvaluatedLine = (n: NotEvaluatedKind): string =>
  `${n.kind} (${n.apiVersion}${n.namespace ? `, namespace ${n.namespace}` : ''}): ${n.reason}: ${n.message}`;

// The JSON contract (DESIGN.md section 6, schemaVersion 1; additive changes only).
import type { Report } from '../engine/types.ts';

export function formatJson(report: Report): string {
  // results (one entry per evaluation) is for JUnit; too large for the JSON contract.
  const { rules, evaluations, results: _results, ...rest } = report;
  const out = {
    ...rest,
    evaluations,
    rules: rules.map((r) => ({ id: r.id, title: r.title, category: r.category, severity: r.severity })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

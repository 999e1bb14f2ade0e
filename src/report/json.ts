// The JSON contract (DESIGN.md section 6, schemaVersion 1; additive changes only).
import type { Report } from '../engine/types.ts';

export function formatJson(report: Report): string {
  const { rules, evaluations, ...rest } = report;
  const out = {
    ...rest,
    evaluations,
    rules: rules.map((r) => ({ id: r.id, title: r.title, category: r.category, severity: r.severity })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

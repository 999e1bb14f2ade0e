// The JSON contract (DESIGN.md section 6, schemaVersion 1; additive changes only).
import type { Report } from '../engine/types.ts';

/** The object the JSON report serialises. */
function jsonOut(report: Report): Record<string, unknown> {
  // results (one entry per evaluation) is for JUnit; too large for the JSON contract.
  const { rules, evaluations, results: _results, ...rest } = report;
  return {
    ...rest,
    evaluations,
    rules: rules.map((r) => ({ id: r.id, title: r.title, category: r.category, severity: r.severity })),
  };
}

export function formatJson(report: Report): string {
  return `${JSON.stringify(jsonOut(report), null, 2)}\n`;
}

/**
 * The same text as formatJson, in pieces: each element of a top-level array (a finding, a
 * Service, ...) is serialised on its own, so the whole report never exists as one string. At
 * 100,000 documents the report is about 50 MB of text, held once as a string and again as the
 * bytes written; the CLI writes these pieces as they come. JSON.stringify's newlines are all
 * structural (strings escape theirs), so indenting a nested piece is adding spaces after each.
 */
export function* formatJsonChunks(report: Report): Generator<string> {
  const out = jsonOut(report);
  const nested = (v: unknown, pad: string): string | undefined => JSON.stringify(v, null, 2)?.replace(/\n/g, `\n${pad}`);
  let first = true;
  for (const [k, v] of Object.entries(out)) {
    // What JSON.stringify leaves out of an object.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    const whole = Array.isArray(v) && v.length > 0 ? undefined : nested(v, '  ');
    if (whole === undefined && !(Array.isArray(v) && v.length > 0)) continue;
    const head = `${first ? '{' : ','}\n  ${JSON.stringify(k)}: `;
    first = false;
    if (whole !== undefined) {
      yield `${head}${whole}`;
      continue;
    }
    const list = v as unknown[];
    yield `${head}[`;
    for (let i = 0; i < list.length; i++) yield `${i === 0 ? '' : ','}\n    ${nested(list[i], '    ') ?? 'null'}`;
    yield '\n  ]';
  }
  yield first ? '{}\n' : '\n}\n';
}

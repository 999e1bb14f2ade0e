// JUnit XML, as GitLab, Jenkins and Azure DevOps read it: a testsuite per phase (category), a
// testcase per evaluation (rule x resource; classname = rule, name = resource), a failure per
// failed evaluation carrying its messages and file:line, suppressed evaluations as skipped, an
// evaluation a rule could not make (Target.notEvaluated) as skipped with why, and a skipped
// testcase per rule and kind a live read could not list (not evaluated). Input
// problems are a last "input" suite of errors. Pure.

import { CATEGORIES, formatRef, type Category } from '../model/types.ts';
import type { EvaluationResult, Finding, Report } from '../engine/types.ts';
import { notEvaluated, notEvaluatedLine } from './not-evaluated.ts';
import { storedLine } from './stored.ts';
import { escapeOutput } from './escape.ts';

/** Characters XML 1.0 cannot carry at all (not even escaped). */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const attrs = (a: Record<string, string | number | undefined>): string =>
  Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`).join('');

const where = (f: Finding): string =>
  f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : formatRef(f.resource);

function findingText(f: Finding): string {
  return `${where(f)} ${f.severity} ${f.ruleId}: ${f.message}${f.fix ? `\nfix: ${f.fix.summary}` : ''}`;
}

/**
 * The finding as the evaluation of `e` saw it: a finding folded into one on another resource (a
 * Node's repeat of a cause, the Service a controller writes: engine/fold.ts) is that root's
 * `related` entry for this rule and resource, with its own message and position.
 */
function asSeenBy(f: Finding, e: EvaluationResult): Finding {
  const ref = formatRef(e.resource);
  if (formatRef(f.resource) === ref) return f;
  const r = f.related?.find((x) => x.ruleId === e.ruleId && x.resource !== undefined && formatRef(x.resource) === ref);
  if (!r) return f;
  const { location: _drop, ...rest } = f;
  return { ...rest, ruleId: r.ruleId, severity: r.severity, message: r.message, path: r.path, resource: r.resource!, ...(r.location ? { location: r.location } : {}) };
}

/** Every evaluation; reports made without them (older callers) fall back to one per finding. */
function evaluationsOf(report: Report): readonly EvaluationResult[] {
  if (report.results) return report.results;
  return report.findings.map((f, i) => ({
    ruleId: f.ruleId, category: f.category, severity: f.severity, resource: f.resource,
    ...(f.location ? { file: f.location.file } : {}),
    failed: !f.suppressed, ...(f.suppressed ? { suppressed: true } : {}), findings: [i],
  }));
}

/** The JUnit report; control characters (invalid in XML 1.0) made visible, no line a workflow command (report/escape.ts). */
export const formatJunit = (report: Report): string => {
  let out = '';
  for (const c of formatJunitChunks(report)) out += c;
  return out;
};

/**
 * The JUnit report in pieces, each a run of whole lines (so escapeOutput, which works line by
 * line, gives each piece what it gives the whole): the totals are counted first, then every test
 * case is written as it is made. One string of the whole report, built from a string per case and
 * per suite, and then escaped, took the 100,000-document audit to 883 MiB of RSS.
 */
export function* formatJunitChunks(report: Report): Generator<string> {
  const byCat = new Map<Category, EvaluationResult[]>();
  for (const e of evaluationsOf(report)) {
    const list = byCat.get(e.category) ?? [];
    list.push(e);
    byCat.set(e.category, list);
  }
  const categoryOf = new Map(report.rules.map((r) => [r.id, r.category]));
  const unread = notEvaluated(report);
  const stored = storedLine(report);
  const notReadOf = (cat: Category): string[] => unread.flatMap((n) => n.rules.filter((id) => categoryOf.get(id) === cat).map((id) =>
    `    <testcase${attrs({ classname: `dualstack-audit.${cat}.${id}`, name: `${n.kind} (not evaluated)`, time: 0 })}>\n` +
    `      <skipped${attrs({ message: `not evaluated: ${notEvaluatedLine(n)}${n.rbac ? `; grant: ${n.rbac}` : ''}` })}/>\n    </testcase>`));
  // The totals first: the <testsuites> element carries them.
  const suites: { cat: Category; list: EvaluationResult[]; notRead: string[]; failures: number; skipped: number }[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const cat of CATEGORIES) {
    const list = byCat.get(cat) ?? [];
    const notRead = notReadOf(cat);
    if (list.length + notRead.length === 0) continue;
    let f = 0;
    let s = notRead.length;
    for (const e of list) {
      if (e.failed) f++;
      else if (e.suppressed || e.notEvaluated !== undefined) s++;
    }
    suites.push({ cat, list, notRead, failures: f, skipped: s });
    tests += list.length + notRead.length;
    failures += f;
    skipped += s;
  }
  const errors = report.problems.filter((p) => p.fatal).length;
  tests += report.problems.length;
  const time = (report.stats.durationMs / 1000).toFixed(3);
  yield escapeOutput(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: `${report.tool.name} ${report.tool.version}`, tests, failures, errors, skipped, time })}>\n`);
  if (suites.length === 0 && report.problems.length === 0) yield '\n';
  for (const { cat, list, notRead, failures: f, skipped: s } of suites) {
    const sc = report.score.categories[cat];
    yield escapeOutput(`  <testsuite${attrs({ name: cat, tests: list.length + notRead.length, failures: f, errors: 0, skipped: s, time: 0 })}>\n` +
      `    <properties>\n      <property name="score" value="${sc.score ?? '-'}"/>\n${stored ? `      <property${attrs({ name: 'stored', value: stored })}/>\n` : ''}    </properties>\n`);
    // A rule with two evaluations of one resource (a summary on the resource that holds its
    // evidence, beside that resource's own): the later testcases are numbered, names stay unique.
    const named = new Map<string, number>();
    for (const e of list) {
      const fs = e.findings.map((i) => report.findings[i]!).filter(Boolean).map((f) => asSeenBy(f, e));
      const first = fs.find((x) => !x.suppressed) ?? fs[0];
      const line = first?.location?.line;
      const classname = `dualstack-audit.${cat}.${e.ruleId}`;
      const seen = (named.get(`${classname} ${formatRef(e.resource)}`) ?? 0) + 1;
      named.set(`${classname} ${formatRef(e.resource)}`, seen);
      const name = seen === 1 ? formatRef(e.resource) : `${formatRef(e.resource)} #${seen}`;
      const head = `    <testcase${attrs({ classname, name, file: first?.location?.file ?? e.file, line, time: 0 })}`;
      if (e.failed) {
        const active = fs.filter((x) => !x.suppressed);
        yield escapeOutput(`${head}>\n      <failure${attrs({ message: active[0]!.message, type: active[0]!.severity })}>${xmlEscape(active.map(findingText).join('\n'))}</failure>\n    </testcase>\n`);
      } else if (e.suppressed) {
        const sup = fs[0]!.suppressed!;
        yield escapeOutput(`${head}>\n      <skipped${attrs({ message: `suppressed by ${sup.by}${sup.reason ? `: ${sup.reason}` : ''}` })}/>\n    </testcase>\n`);
      } else if (e.notEvaluated !== undefined) {
        yield escapeOutput(`${head}>\n      <skipped${attrs({ message: `not evaluated: ${e.notEvaluated}` })}/>\n    </testcase>\n`);
      } else {
        yield escapeOutput(`${head}/>\n`);
      }
    }
    for (const c of notRead) yield escapeOutput(`${c}\n`);
    yield '  </testsuite>\n';
  }
  if (report.problems.length > 0) {
    yield escapeOutput(`  <testsuite${attrs({ name: 'input', tests: report.problems.length, failures: 0, errors, skipped: 0, time: 0 })}>\n`);
    for (const p of report.problems) {
      const loc = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}` : '(input)';
      const head = `    <testcase${attrs({ classname: 'dualstack-audit.input', name: loc, file: p.file, line: p.line, time: 0 })}`;
      if (!p.fatal) yield escapeOutput(`${head}>\n      <system-out>${xmlEscape(`${loc}: ${p.message}`)}</system-out>\n    </testcase>\n`);
      else yield escapeOutput(`${head}>\n      <error${attrs({ message: p.message, type: 'invalid-input' })}>${xmlEscape(`${loc}: ${p.message}`)}</error>\n    </testcase>\n`);
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

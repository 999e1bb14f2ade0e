// The human report: score and grade per phase, findings grouped by phase then file, each
// with file:line:column, severity, rule id, message and fix. Pure: colour and table
// rendering are passed in.

import { CATEGORIES, SEVERITIES, SEVERITY_WEIGHT, formatRef, type Severity } from '../model/types.ts';
import { platformWhy } from './platform.ts';
import type { RelatedFinding, Report } from '../engine/types.ts';
import { gateVerdict, type GateResult } from '../engine/gate.ts';
import { NOT_EVALUATED_TITLE, notEvaluated, notEvaluatedLine } from './not-evaluated.ts';
import { storedLine } from './stored.ts';
import { relatedShown } from './related.ts';
import { escapeDeep, guardWorkflowCommands } from './escape.ts';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
}

export const plainStyle: Style = {
  bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s, cyan: (s) => s, magenta: (s) => s,
};

/** Renders rows as a table (cli-table3 in the CLI; a plain fallback here). */
export type TableRenderer = (head: readonly string[], rows: readonly (readonly string[])[]) => string;

export const plainTable: TableRenderer = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

/**
 * The box table cli-table3 draws when neither head nor border is coloured, for cells of printable
 * ASCII and rows as long as the head (the score table's: phases, numbers, grades; cli-table3 would
 * span a short row's last cell and measure wide characters). The CLI uses it for uncoloured text so
 * that such a run does not load cli-table3 (start-up time, issue 9);
 * test/report/text-table.test.ts checks that both give the same text.
 */
export const boxTable: TableRenderer = (head, rows) => {
  const cell = (r: readonly string[], i: number): string => r[i] ?? '';
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => cell(r, i).length)));
  const rule = (l: string, m: string, r: string): string => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const line = (r: readonly string[]): string => `│${widths.map((w, i) => ` ${cell(r, i).padEnd(w)} `).join('│')}│`;
  const out = [rule('┌', '┬', '┐'), line(head)];
  for (const r of rows) out.push(rule('├', '┼', '┤'), line(r));
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
};

export interface TextOptions {
  readonly style?: Style;
  readonly table?: TableRenderer;
  readonly gate?: GateResult;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

const sevStyle = (st: Style, s: Severity): string => {
  switch (s) {
    case 'critical': return st.bold(st.red(s));
    case 'high': return st.red(s);
    case 'medium': return st.yellow(s);
    case 'low': return st.cyan(s);
    default: return st.dim(s);
  }
};

const gradeStyle = (st: Style, g: string): string =>
  g === 'A' || g === 'B' ? st.green(g) : g === 'C' || g === 'D' ? st.yellow(g) : g === '-' ? st.dim(g) : st.red(g);

/**
 * The text report. Every value is one line with its control characters made visible (names and
 * file names come from the input: ESC sequences, BEL, "\n::error"), and no line is a GitHub
 * Actions workflow command (report/escape.ts).
 */
export const formatText = (report: Report, opts: TextOptions = {}): string => guardWorkflowCommands(formatTextRaw(escapeDeep(report), opts));

function formatTextRaw(report: Report, opts: TextOptions): string {
  const st = opts.style ?? plainStyle;
  const table = opts.table ?? plainTable;
  const out: string[] = [];
  const t = report.target;
  const fam = `[${t.clusterFamilies.join(', ')}]`;
  const famWhy = t.familiesFrom === 'flag' ? 'from --cluster-families'
    : t.familiesFrom === 'config' ? 'from the config file'
      : t.familiesFrom === 'inferred' ? `inferred from ${(t.familiesEvidence ?? []).join('; ')}`
        : t.familiesFrom === 'undetermined' ? `undetermined: ${(t.familiesCandidates ?? []).map((c) => `[${c.join(', ')}]`).join(' or ')}; ${(t.familiesEvidence ?? []).join('; ')}`
        : t.familiesEvidence && t.familiesEvidence.length > 0
          ? `default: ${t.familiesEvidence.join('; ')}`
          : 'default: no --cluster-families and no cluster configuration in the input';
  const s = report.stats;
  out.push(st.bold(`${report.tool.name} ${report.tool.version}`) +
    st.dim(` · ${t.mode === 'cluster' ? `context ${t.context ?? '-'} (${t.sources[0] ?? ''})` : `${s.files} file${s.files === 1 ? '' : 's'}`}, ${s.resources} resource${s.resources === 1 ? '' : 's'}` +
      `${s.skipped ? `, ${s.skipped} non-Kubernetes document${s.skipped === 1 ? '' : 's'} skipped` : ''}`));
  out.push(`Cluster Service families ${st.bold(fam)} ${st.dim(`(${famWhy})`)}`);
  if (t.platform) {
    out.push(`Platform ${st.bold(t.platform.name)} ${st.dim(`(${platformWhy(t.platform)})`)}`);
  }
  const stored = storedLine(report);
  if (stored) out.push(`Stored state: ${stored}`);
  out.push('');
  // Right after the header: what this report could not judge (live audits and their snapshots).
  const ne = notEvaluated(report);
  if (ne.length > 0) {
    out.push(`Not evaluated (${ne.length}): ${NOT_EVALUATED_TITLE}`);
    for (const n of ne) {
      out.push(`  ${notEvaluatedLine(n)}`);
      if (n.rbac) out.push(`    grant: ${n.rbac}`);
      if (opts.verbose && n.rules.length > 0) out.push(st.dim(`    rules: ${n.rules.join(', ')}`));
    }
    out.push('');
  }
  // Optional kinds (CRDs) the cluster does not serve: nothing of them to judge, not a failure.
  const ni = t.notInstalled ?? [];
  if (ni.length > 0) {
    const shown = opts.verbose ? ni : ni.slice(0, 8);
    out.push(st.dim(`Not installed (${ni.length} optional kind${ni.length === 1 ? '' : 's'} the cluster does not serve, nothing of them to judge): ` +
      `${shown.map((n) => n.kind).join(', ')}${shown.length < ni.length ? `, … ${ni.length - shown.length} more (--verbose)` : ''}`), '');
  }

  const active = report.findings.filter((f) => !f.suppressed);
  if (!opts.quiet) {
    for (const c of CATEGORIES) {
      const fs = active.filter((f) => f.category === c);
      if (fs.length === 0) continue;
      out.push(st.bold(st.magenta(c)));
      let lastFile: string | undefined;
      for (const f of fs) {
        const file = f.location?.file ?? '(cluster)';
        if (file !== lastFile) {
          out.push(`  ${st.bold(file)}`);
          lastFile = file;
        }
        // Helm output: the line is of the rendered stream (below), not of the template named above.
        const pos = f.location ? `${f.location.rendered ? f.location.rendered.line : f.location.line}:${f.location.column}` : '';
        out.push(`    ${pos.padEnd(7)} ${sevStyle(st, f.severity).padEnd(8)} ${st.dim(f.ruleId)}  ${st.dim(formatRef(f.resource))}`);
        out.push(`            ${f.message}`);
        // Consequences folded into this finding (engine/fold.ts): named always, told with --verbose.
        if (f.related && f.related.length > 0) {
          // A consequence on another resource (one a controller writes from this one) names it.
          const on = (r: RelatedFinding): string => (r.resource ? ` on ${formatRef(r.resource)}` : '');
          if (opts.verbose) for (const r of f.related) out.push(st.dim(`            also ${r.ruleId}${on(r)}: ${r.message}`));
          else {
            // The finding's own rule on other Nodes (the same cause repeated) is counted in its message.
            const others = [...new Set(relatedShown(f, Infinity).shown.map((r) => `${r.ruleId}${on(r)}`))];
            if (others.length > 0) out.push(st.dim(`            also explains: ${others.join(', ')}`));
          }
        }
        if (opts.verbose && f.fix) out.push(st.dim(`            fix: ${f.fix.summary}`));
        if (f.location?.rendered) out.push(st.dim(`            (line ${f.location.rendered.line} of the rendered output ${f.location.rendered.file}, not of the template)`));
      }
      out.push('');
    }
  }

  if (report.problems.length > 0) {
    out.push(st.bold(`Problems (${report.problems.length})`));
    for (const p of report.problems) {
      const loc = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}` : '';
      out.push(`  ${p.fatal ? st.red('error') : st.yellow('warn ')} ${loc}${loc ? ': ' : ''}${p.message}`);
    }
    out.push('');
  }

  const unused = report.unusedSuppressions ?? [];
  if (unused.length > 0 && !opts.quiet) {
    out.push(st.bold(`Unused suppressions (${unused.length})`));
    for (const u of unused) {
      const loc = u.location ? `${u.location.file}:${u.location.line}:${u.location.column}: ` : '';
      out.push(`  ${st.dim('note ')} ${loc}${u.message}`);
    }
    out.push('');
  }

  const d = report.dns;
  if (d.services > 0) {
    const pct = d.coverage === null ? '-' : `${Math.round(d.coverage * 1000) / 10}%`;
    out.push(`${st.bold('DNS')}: ${d.withAAAA} of ${d.services} Services get an AAAA record (${pct})` +
      `${d.externalName ? `; ${d.externalName} ExternalName (CNAME, depends on the target)` : ''}`);
    if (d.withoutAAAA.length > 0) {
      const shown = opts.verbose ? d.withoutAAAA : d.withoutAAAA.slice(0, 8);
      out.push(st.dim(`  no AAAA: ${shown.join(', ')}${shown.length < d.withoutAAAA.length ? `, … ${d.withoutAAAA.length - shown.length} more (--verbose)` : ''}`));
    }
    out.push('');
  }
  if (d.external && d.external.names > 0) {
    const x = d.external;
    const list = (l: readonly string[]): string => {
      const shown = opts.verbose ? l : l.slice(0, 8);
      return `${shown.join(', ')}${shown.length < l.length ? `, … ${l.length - shown.length} more (--verbose)` : ''}`;
    };
    out.push(`${st.bold('External names')} (--resolve): ${x.withAAAA} of ${x.names} have an AAAA record`);
    if (x.withoutAAAA.length > 0) out.push(st.dim(`  no AAAA: ${list(x.withoutAAAA)}`));
    if (x.failed.length > 0) out.push(st.dim(`  not resolved: ${list(x.failed)}`));
    out.push('');
  }

  const rows: string[][] = [];
  for (const c of CATEGORIES) {
    const cs = report.score.categories[c];
    if (cs.passed + cs.failed + cs.notEvaluated === 0) continue;
    const sc = cs.score === null ? '-' : cs.score.toFixed(1);
    rows.push([c, sc, cs.score === null ? '-' : gradeOf(cs.score), String(cs.passed), String(cs.failed), String(cs.notEvaluated)]);
  }
  const sc = report.score;
  rows.push(['overall', sc.overall === null ? '-' : sc.overall.toFixed(1), sc.grade, ...sum(rows)]);
  out.push(table(['phase', 'score', 'grade', 'passed', 'failed', 'not evaluated'], rows));
  out.push(st.dim(`Score = 100 × weight of passed evaluations ÷ weight of all evaluations (one per rule and resource it judges; ` +
    `weights ${SEVERITIES.filter((x) => SEVERITY_WEIGHT[x] > 0).map((x) => `${x} ${SEVERITY_WEIGHT[x]}`).join(', ')}; info is not scored).`));
  if (sc.cappedBy) out.push(st.yellow(`Grade capped: ${sc.cappedBy}.`));
  if (sc.coverage) out.push(st.yellow(`Score ${sc.coverage.text}.`));

  const counts = SEVERITIES.map((x) => [x, active.filter((f) => f.severity === x).length] as const).filter(([, n]) => n > 0);
  const suppressed = report.findings.length - active.length;
  out.push('');
  out.push(`${st.bold(`Score ${sc.overall === null ? '-' : sc.overall.toFixed(1)}, grade ${gradeStyle(st, sc.grade)}`)}${sc.coverage ? ` (${sc.coverage.evaluated} of ${sc.coverage.evaluated + sc.coverage.notEvaluated} evaluations)` : ''} · ` +
    `${active.length} finding${active.length === 1 ? '' : 's'}${counts.length ? ` (${counts.map(([x, n]) => `${n} ${x}`).join(', ')})` : ''}` +
    `${suppressed ? `, ${suppressed} suppressed` : ''}`);
  if (opts.gate) {
    const v = gateVerdict(opts.gate);
    out.push(v.status === 'passed' ? st.green(v.text) : v.status === 'failed' ? st.red(v.text) : st.yellow(v.text));
  }
  return `${out.join('\n')}\n`;
}

function gradeOf(score: number): string {
  return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
}

function sum(rows: readonly (readonly string[])[]): string[] {
  const n = (i: number): string => String(rows.reduce((a, r) => a + (Number(r[i]) || 0), 0));
  return [n(3), n(4), n(5)];
}

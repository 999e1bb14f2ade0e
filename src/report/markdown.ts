// The pre-migration checklist in Markdown, sized for a pull-request comment: the score table,
// then the phases in migration order, a checkbox per finding with its fix. Long phases keep
// their worst findings open and collapse the rest in <details>; if the whole comment would
// still exceed GitHub's comment limit, lists are cut and say how many were left out. Pure.

import { CATEGORIES, SEVERITY_RANK, formatRef, type Category } from '../model/types.ts';
import { platformWhy } from './platform.ts';
import type { Finding, Report } from '../engine/types.ts';
import type { GateResult } from '../engine/gate.ts';
import { NOT_EVALUATED_TITLE, notEvaluated, notEvaluatedLine } from './not-evaluated.ts';
import { storedLine } from './stored.ts';
import { RELATED_SHOWN, relatedShown } from './related.ts';

/** passed, failed, or failed but not enforced (--fail-on never changes only the exit code). */
function markdownGate(g: GateResult): string {
  if (!g.passed) return `**failed** ❌ (${mdEscape(g.reasons.join('; '))})`;
  if (g.notEnforced && g.notEnforced.length > 0) return `**failed** ❌, not enforced (--fail-on never) (${mdEscape(g.notEnforced.join('; '))})`;
  return '**passed** ✅';
}
import { grade } from '../engine/score.ts';
import { escapeOutput } from './escape.ts';

export interface MarkdownOptions {
  readonly gate?: GateResult;
  /** Findings shown open per phase before the rest is collapsed. */
  readonly openPerPhase?: number;
  /** Upper bound of the output length (GitHub comments take 65,536 characters). */
  readonly maxChars?: number;
}

export const PHASE_TITLES: Readonly<Record<Category, string>> = {
  cluster: 'Cluster', addressing: 'Addressing', services: 'Services', dns: 'DNS',
  policy: 'Network policy', workloads: 'Workloads', observability: 'Observability',
};

/** Escapes text for Markdown and inline HTML. */
export function mdEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1').replace(/\r?\n/g, ' ');
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

const bySeverity = (a: Finding, b: Finding): number => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];

const where = (f: Finding): string => (!f.location ? ''
  : f.location.rendered ? ` · ${code(f.location.file)} (rendered ${code(`${f.location.rendered.file}:${f.location.rendered.line}`)})`
  : ` · ${code(`${f.location.file}:${f.location.line}`)}`);

function item(f: Finding): string {
  const fix = f.fix?.summary ? `\n  - Fix: ${mdEscape(f.fix.summary)}` : '';
  const { shown, more } = relatedShown(f, RELATED_SHOWN);
  const also = shown.map((r) => `\n  - Also ${code(r.ruleId)}${r.resource ? ` on ${code(formatRef(r.resource))}` : ''}: ${mdEscape(r.message)}`).join('') +
    (more > 0 ? `\n  - Also ${more} more consequence${more === 1 ? '' : 's'} (see the full report)` : '');
  return `- [ ] **${f.severity}** ${code(f.ruleId)} · ${code(formatRef(f.resource))}${where(f)}  \n  ${mdEscape(f.message)}${fix}${also}`;
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** A list whose first `open` items show and the rest collapse; at most `cap` items in all. */
function list(items: readonly string[], open: number, cap: number, what: string): string {
  const shown = items.slice(0, cap);
  const cut = items.length - shown.length;
  const tail = cut > 0 ? `\n\n_… ${cut} more ${what} not shown; see the full report (\`-f html\` or \`-f json\`)._` : '';
  if (shown.length <= open) return shown.join('\n') + tail;
  return `${shown.slice(0, open).join('\n')}\n\n${details(`${shown.length - open} more ${what}`, shown.slice(open).join('\n'))}${tail}`;
}

function render(report: Report, opts: MarkdownOptions, cap: number): string {
  const open = opts.openPerPhase ?? 5;
  const sc = report.score;
  const active = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const out: string[] = [];
  out.push('## Dual-stack readiness: pre-migration checklist', '');
  const counts = (['critical', 'high', 'medium', 'low', 'info'] as const)
    .map((s) => [s, active.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  out.push(`**Score ${sc.overall === null ? '-' : sc.overall.toFixed(1)} · grade ${sc.grade}** · ` +
    `${active.length} finding${active.length === 1 ? '' : 's'}${counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}` +
    `${suppressed.length ? ` · ${suppressed.length} suppressed` : ''}` +
    (opts.gate ? ` · gate ${markdownGate(opts.gate)}` : ''));
  if (sc.cappedBy) out.push('', `> Grade capped: ${mdEscape(sc.cappedBy)}.`);
  if (sc.coverage) out.push('', `> Score ${mdEscape(sc.coverage.text)}.`);
  const t = report.target;
  out.push('', `Target cluster families: ${t.clusterFamilies.join(', ')} (${t.familiesFrom === 'inferred' ? 'inferred from the input' : t.familiesFrom === 'undetermined' ? `undetermined: the evidence allows ${(t.familiesCandidates ?? []).map((c) => c.join(', ')).join(' or ')}; set --cluster-families` : t.familiesFrom === 'flag' ? '--cluster-families' : t.familiesFrom === 'config' ? 'config file' : 'default'})` +
    ` · ${t.mode === 'cluster' ? `cluster ${mdEscape(t.context ?? '')}` : `${report.stats.files} file${report.stats.files === 1 ? '' : 's'}, ${report.stats.resources} resources`}`);
  // Undetermined families: the evidence that disagrees, so the reader can settle it (docs/families.md).
  if (t.familiesFrom === 'undetermined' && t.familiesEvidence) out.push('', ...t.familiesEvidence.map((e) => `- ${mdEscape(e)}`));
  const stored = storedLine(report);
  if (stored) out.push('', `Stored state: ${mdEscape(stored)}`);

  if (t.platform) out.push('', `Platform: ${t.platform.name} (${mdEscape(platformWhy(t.platform))})`);

  const ne = notEvaluated(report);
  if (ne.length > 0) {
    const items = ne.map((n) => `- ${mdEscape(notEvaluatedLine(n))}${n.rbac ? ` · grant: ${code(n.rbac)}` : ''}` +
      `${n.rules.length > 0 ? ` · rules: ${n.rules.map(code).join(', ')}` : ''}`);
    out.push('', `> **Not evaluated (${ne.length})**: ${NOT_EVALUATED_TITLE}.`, '', list(items, cap, cap, 'kinds'));
  }

  out.push('', '| phase | score | grade | passed | failed | suppressed |', '|---|---:|:---:|---:|---:|---:|');
  const supByCat = (c: Category): number => report.evaluations.filter((e) => e.category === c).reduce((a, e) => a + (e.suppressed ?? 0), 0);
  for (const c of CATEGORIES) {
    const cs = sc.categories[c];
    const sup = supByCat(c);
    if (cs.passed + cs.failed + cs.notEvaluated + sup === 0) continue;
    out.push(`| ${PHASE_TITLES[c]} | ${cs.score === null ? '-' : cs.score.toFixed(1)} | ${grade(cs.score)} | ${cs.passed} | ${cs.failed} | ${sup} |`);
  }
  out.push(`| **Overall** | **${sc.overall === null ? '-' : sc.overall.toFixed(1)}** | **${sc.grade}** | | | |`);

  out.push('', '### Checklist');
  CATEGORIES.forEach((c, i) => {
    const cs = sc.categories[c];
    const fs = active.filter((f) => f.category === c).sort(bySeverity);
    out.push('', `#### ${i + 1}. ${PHASE_TITLES[c]}${fs.length ? ` (${fs.length} to fix)` : ''}`, '');
    if (fs.length > 0) out.push(list(fs.map(item), open, cap, 'findings'));
    else if (cs.passed + cs.failed === 0) out.push('_Nothing evaluated in this phase._');
    else out.push(`✅ All ${cs.passed} check${cs.passed === 1 ? '' : 's'} pass.`);
  });

  if (report.problems.length > 0) {
    const ps = report.problems.map((p) => `- ${p.fatal ? '**error**' : 'warning'} ${p.file ? code(`${p.file}${p.line ? `:${p.line}` : ''}`) : ''} ${mdEscape(p.message)}`);
    out.push('', `### Input problems (${report.problems.length})`, '', list(ps, open, cap, 'problems'));
  }
  if (suppressed.length > 0) {
    const ss = suppressed.map((f) => `- [x] ~~${code(f.ruleId)} · ${code(formatRef(f.resource))}~~${where(f)} · suppressed by ${f.suppressed!.by}` +
      `${f.suppressed!.reason ? `: ${mdEscape(f.suppressed!.reason)}` : ''}`);
    out.push('', details(`Suppressed findings (${suppressed.length})`, list(ss, cap, cap, 'suppressed findings')));
  }
  const unused = report.unusedSuppressions ?? [];
  if (unused.length > 0) {
    const us = unused.map((u) => `- ${u.location ? `${code(`${u.location.file}:${u.location.line}`)} ` : ''}${mdEscape(u.message)}`);
    out.push('', details(`Unused suppressions (${unused.length})`, list(us, cap, cap, 'unused suppressions')));
  }
  out.push('', `<sub>${mdEscape(report.tool.name)} ${mdEscape(report.tool.version)} · score = 100 × weight of passed evaluations ÷ weight of all (critical 10, high 5, medium 3, low 1) · suppressed findings are out of the gate, and weigh in the score without passing</sub>`);
  return `${out.join('\n')}\n`;
}

/** The Markdown report; values cannot drive a terminal or make a workflow command (report/escape.ts). */
export const formatMarkdown = (report: Report, opts: MarkdownOptions = {}): string => escapeOutput(formatMarkdownRaw(report, opts));

function formatMarkdownRaw(report: Report, opts: MarkdownOptions): string {
  const max = opts.maxChars ?? 65_000;
  let text = '';
  for (const cap of [Infinity, 200, 50, 20, 5, 0]) {
    text = render(report, opts, cap);
    if (text.length <= max) return text;
  }
  return text;
}

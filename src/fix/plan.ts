// Which findings of a report `dualstack-audit fix` applies, grouped by file, and why the others
// are left. Pure: the CLI reads and writes the files.

import type { Finding, Report } from '../engine/types.ts';
import { formatRef } from '../model/types.ts';
import type { FixRequest } from './apply.ts';

export interface FixPlanOptions {
  /** Apply suggestions too (`--suggestions`). */
  readonly suggestions: boolean;
  /** Rules whose fix needs a value only a person knows (RuleMeta.needsValue). */
  readonly needsValue: ReadonlySet<string>;
}

export type LeftWhy =
  | 'no safe fix'
  | 'needs a value only a person knows'
  | 'a suggestion (apply with --suggestions)'
  | 'rendered by Helm'
  | 'read from stdin'
  | 'a Corefile file (not YAML)'
  | 'not from a file'
  | 'not applied';

export interface LeftFinding {
  /** Index into Report.findings. */
  readonly index: number;
  readonly why: LeftWhy;
  /** More about this one: the chart template, the reason an edit was not made. */
  readonly detail?: string;
}

export interface FixPlan {
  /** Per file (the finding's location.file, as the loader named it), the fixes to apply. */
  readonly files: ReadonlyMap<string, readonly FixRequest[]>;
  /** Unsuppressed findings not planned, with the reason. */
  readonly left: readonly LeftFinding[];
  /** Suppressed findings (annotation, config, baseline): never fixed, not counted as left. */
  readonly suppressed: number;
}

const COREFILE = /(^|[\\/])([^\\/]*\.)?Corefile$/;

export function planFixes(report: Report, opts: FixPlanOptions): FixPlan {
  const files = new Map<string, FixRequest[]>();
  const left: LeftFinding[] = [];
  let suppressed = 0;
  report.findings.forEach((f, index) => {
    if (f.suppressed) {
      suppressed++;
      return;
    }
    const patch = f.fix?.patch;
    if (!patch || patch.length === 0) {
      left.push({ index, why: opts.needsValue.has(f.ruleId) ? 'needs a value only a person knows' : 'no safe fix' });
      return;
    }
    if (f.fix?.kind === 'suggestion' && !opts.suggestions) {
      left.push({ index, why: 'a suggestion (apply with --suggestions)' });
      return;
    }
    const loc = f.location;
    if (!loc) return void left.push({ index, why: 'not from a file' });
    if (loc.rendered) return void left.push({ index, why: 'rendered by Helm', detail: `fix the chart template ${loc.file}` });
    if (loc.file === '<stdin>') return void left.push({ index, why: 'read from stdin', detail: 'nothing to write back to' });
    if (COREFILE.test(loc.file)) return void left.push({ index, why: 'a Corefile file (not YAML)' });
    const list = files.get(loc.file) ?? [];
    list.push(request(f, index));
    files.set(loc.file, list);
  });
  return { files, left, suppressed };
}

function request(f: Finding, index: number): FixRequest {
  return {
    id: index,
    line: f.location!.line,
    resource: { kind: f.resource.kind, name: f.resource.name, ...(f.resource.namespace !== undefined ? { namespace: f.resource.namespace } : {}) },
    patch: f.fix!.patch!,
  };
}

export interface FixSummaryInput {
  readonly report: Report;
  readonly plan: FixPlan;
  /** Outcomes of the planned fixes that were not applied (the edit could not be made). */
  readonly failed: readonly LeftFinding[];
  readonly fixed: number;
  readonly filesChanged: readonly string[];
  readonly dryRun: boolean;
}

/** The closing summary: files changed, findings fixed, findings left grouped by reason. */
export function formatFixSummary(s: FixSummaryInput): string {
  const n = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
  const lines: string[] = [];
  const verb = s.dryRun ? 'would change' : 'changed';
  lines.push(`${n(s.filesChanged.length, 'file')} ${verb}, ${n(s.fixed, 'finding')} ${s.dryRun ? 'would be ' : ''}fixed${s.plan.suppressed > 0 ? `, ${s.plan.suppressed} suppressed (not fixed)` : ''}`);
  for (const f of s.filesChanged) lines.push(`  ${f}`);
  const left = [...s.plan.left, ...s.failed];
  if (left.length > 0) {
    lines.push(`${n(left.length, 'finding')} left:`);
    const groups = new Map<string, LeftFinding[]>();
    for (const l of left) {
      const g = groups.get(l.why);
      if (g) g.push(l);
      else groups.set(l.why, [l]);
    }
    for (const [why, list] of groups) {
      lines.push(`  ${why}: ${list.length}`);
      // Name each finding where the reason is about it (a template, a failed edit); counts otherwise.
      if (why === 'rendered by Helm' || why === 'not applied' || why === 'read from stdin') {
        for (const l of list) {
          const f = s.report.findings[l.index]!;
          lines.push(`    ${f.ruleId} ${formatRef(f.resource)}${l.detail ? `: ${l.detail}` : ''}`);
        }
      } else {
        const byRule = new Map<string, number>();
        for (const l of list) byRule.set(s.report.findings[l.index]!.ruleId, (byRule.get(s.report.findings[l.index]!.ruleId) ?? 0) + 1);
        lines.push(`    ${[...byRule].map(([r, k]) => (k > 1 ? `${r} (${k})` : r)).join(', ')}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

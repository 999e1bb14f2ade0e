// `dualstack-audit fix [options] [paths...]`: audit, apply the fixes (and with --suggestions the
// suggestions) to the source files, re-audit, and judge the gate on what is left. The audit
// itself is the caller's (`analyze`, the same pipeline and flags as a plain audit); this module
// plans (fix/plan.ts), edits text (fix/apply.ts, pure), diffs (fix/diff.ts) and writes
// (load/write.ts).

import * as path from 'node:path';
import type { Report } from '../engine/types.ts';
import type { GateResult } from '../engine/gate.ts';
import { fixText } from '../fix/apply.ts';
import { unifiedDiff } from '../fix/diff.ts';
import { formatFixSummary, planFixes, type LeftFinding } from '../fix/plan.ts';
import { replacementsOf, type Replacement } from '../fix/replacement.ts';
import { readForFix, writeIfUnchanged } from '../load/write.ts';
import { RULES } from '../rules/index.ts';

export interface FixOptions {
  readonly dryRun?: boolean;
  readonly suggestions?: boolean;
  readonly quiet?: boolean;
}

export interface FixIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

/** One audit of the paths: the report and the gate as the audit's flags and config set it. */
export type Analyze = () => Promise<{ report: Report; gate: (r: Report) => GateResult }>;

export async function runFix(opts: FixOptions, io: FixIO, analyze: Analyze): Promise<number> {
  const { report, gate } = await analyze();
  const plan = planFixes(report, {
    suggestions: Boolean(opts.suggestions),
    needsValue: new Set(RULES.filter((r) => r.meta.needsValue).map((r) => r.meta.id)),
  });
  const failed: LeftFinding[] = [];
  const fixedIdx = new Set<number>();
  const filesChanged: string[] = [];
  let diff = '';
  for (const file of [...plan.files.keys()].sort()) {
    const requests = plan.files.get(file)!;
    const read = readForFix(path.resolve(file));
    if ('error' in read) {
      for (const r of requests) failed.push({ index: r.id, why: 'not applied', detail: `${file}: ${read.error}` });
      continue;
    }
    const res = fixText(read.text, requests);
    const applied = res.outcomes.filter((o) => o.applied).map((o) => o.id);
    for (const o of res.outcomes) if (!o.applied) failed.push({ index: o.id, why: 'not applied', detail: o.reason });
    if (!res.changed) {
      for (const id of applied) fixedIdx.add(id);
      continue;
    }
    if (opts.dryRun) {
      diff += unifiedDiff(file, read.text, res.text);
    } else {
      const w = writeIfUnchanged(read, res.text);
      if ('error' in w) {
        for (const id of applied) failed.push({ index: id, why: 'not applied', detail: `${file}: ${w.error}` });
        continue;
      }
    }
    for (const id of applied) fixedIdx.add(id);
    filesChanged.push(file);
  }
  if (diff) io.stdout(diff);
  if (!opts.quiet) {
    io.stderr(formatFixSummary({ report, plan, failed, fixed: fixedIdx.size, filesChanged, dryRun: Boolean(opts.dryRun) }));
  }
  // The gate on what is left: a fresh audit of the written files, or (dry run) the report
  // without the findings the diff fixes (the score stays the one before fixing).
  let g: GateResult;
  if (!opts.dryRun && filesChanged.length > 0) {
    const after = await analyze();
    g = after.gate(after.report);
  } else {
    g = gate({ ...report, findings: report.findings.filter((_, i) => !fixedIdx.has(i)) });
  }
  if (!opts.quiet) io.stderr(`gate ${g.passed ? 'passed' : `failed: ${g.reasons.join('; ')}`}\n`);
  return g.passed ? 0 : 1;
}

/**
 * For SARIF's fixes[]: per finding index, the replacement its patch (fix or suggestion) makes
 * in its file, each on its own. Files that cannot be read, Helm output and stdin get none.
 */
export function sarifReplacements(report: Report): Map<number, Replacement> {
  const plan = planFixes(report, { suggestions: true, needsValue: new Set() });
  const out = new Map<number, Replacement>();
  for (const [file, requests] of plan.files) {
    const read = readForFix(path.resolve(file));
    if ('error' in read) continue;
    for (const [id, rep] of replacementsOf(read.text, requests)) out.set(id, rep);
  }
  return out;
}

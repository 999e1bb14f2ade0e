// Live audits: the current kube context, the --context ones or --all-contexts (a fleet). Each
// cluster's objects go through the same pipeline as files (engine/analyze.ts). Loaded by
// cli/index.ts only when no paths are given, so an offline run never loads it (nor
// @kubernetes/client-node, which load/cluster.ts imports lazily).

import { ClusterAccessError, loadCluster } from '../load/cluster.ts';
import { analyze } from '../engine/analyze.ts';
import { modelIntake } from '../model/build.ts';
import type { Report } from '../engine/types.ts';
import { SEVERITY_RANK } from '../model/types.ts';
import { clusterOptions, contextsToAudit, progressLine } from './cluster.ts';
import type { LiveOpts } from './options.ts';
import type { AuditAnalysis } from './options.ts';
import { TOOL, UsageError, emitReport, gateOf, reportColor, reportText, textRenderers, writeOutput, type CliIO, type OutputOpts } from './io.ts';
import { escapeControls } from '../report/escape.ts';

/**
 * Whether a single-cluster audit of this process has resolved its kubeconfig in a worker thread
 * already. The worker saves the client library's memory during the one read of a CLI run; a
 * process that audits again (the tests run the CLI in-process dozens of times) would pay the
 * worker's start-up, ~1 s of loading the library, every time: later audits load it here, once.
 */
let clientIsolated = false;

/** Clusters of a fleet read at once (each reads several kinds at once). */
export const FLEET_CONCURRENCY = 8;

const blockers = (r: Report): number => r.findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high).length;

export interface FleetEntry {
  readonly context: string;
  readonly server?: string;
  readonly score: number | null;
  readonly grade: string;
  /** Unsuppressed critical and high findings. */
  readonly blockers: number;
  readonly findings: number;
  readonly notEvaluated: number;
  readonly gate?: 'passed' | 'failed';
  readonly error?: string;
}

/** No paths: audit the current context, the --context ones or --all-contexts (a fleet). */
export async function auditLive(o: LiveOpts, io: CliIO, a: AuditAnalysis, out: OutputOpts): Promise<number> {
  const base = clusterOptions(o, io);
  const contexts = await contextsToAudit(o, base);
  const fleet = o.allContexts || contexts.length > 1;
  if (fleet && !['text', 'json'].includes(out.format)) throw new UsageError(`--format ${out.format} is not available for a fleet (use text or json)`);
  const progress = progressLine(io);
  const started = performance.now();
  // Clusters are audited concurrently, at most FLEET_CONCURRENCY at a time.
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (running < FLEET_CONCURRENCY) {
      running++;
      return;
    }
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const results = await Promise.all(contexts.map(async (context) => {
    await slot();
    const t0 = performance.now();
    try {
      // The model intake takes the documents kind by kind as the read ends; each kind's list is let
      // go once taken, and only what the model links across documents is kept (model/build.ts).
      const intake = modelIntake({ namespaces: a.namespaces ?? [], excludeNamespaces: a.excludeNamespaces ?? [] });
      // One cluster: the kubeconfig and credentials are resolved in a worker thread, so the client
      // library is not in memory during the read (load/cluster.ts). A fleet loads it once here.
      const isolateClient = !fleet && !clientIsolated;
      if (isolateClient) clientIsolated = true;
      const res = await loadCluster({ ...base, ...(context ? { context } : {}), progress: progress.update, onDocument: (d) => intake.add(d), ...(isolateClient ? { isolateClient } : {}) });
      const r0 = analyze(intake, res.problems, undefined,
        { mode: 'cluster', sources: [res.server], context: res.context, live: true, notEvaluated: res.notEvaluated, notInstalled: res.notInstalled },
        // A fleet's JSON prints each report whole, its records of every evaluation included.
        { ...a, ...(fleet && out.format === 'json' ? { results: true } : {}), tool: TOOL(), stats: { files: 0, skipped: 0 } });
      const report: Report = { ...r0, stats: { ...r0.stats, durationMs: Math.round(performance.now() - t0) } };
      return { context: res.context, report };
    } catch (e) {
      if (e instanceof ClusterAccessError) return { context: context ?? '(current)', error: e.message };
      throw e;
    } finally {
      release();
    }
  }));
  progress.clear();

  if (!fleet) {
    const r = results[0]!;
    if (r.error !== undefined) throw new UsageError(r.error);
    return emitReport(r.report!, out, io);
  }

  const entries: FleetEntry[] = [];
  const texts: string[] = [];
  let anyFailed = false;
  for (const r of results) {
    if (r.error !== undefined) {
      entries.push({ context: r.context, score: null, grade: '-', blockers: 0, findings: 0, notEvaluated: 0, error: r.error });
      continue;
    }
    const report = r.report!;
    const passed = gateOf(report, out).passed;
    if (!passed) anyFailed = true;
    entries.push({
      context: r.context, server: report.target.sources[0]!, score: report.score.overall, grade: report.score.grade,
      blockers: blockers(report), findings: report.findings.filter((f) => !f.suppressed).length,
      notEvaluated: report.target.notEvaluated?.length ?? 0, gate: passed ? 'passed' : 'failed',
    });
    if (out.format !== 'json') texts.push(`${'='.repeat(8)} context ${r.context} ${'='.repeat(8)}\n${(await reportText(report, out, io)).text}`);
  }
  const errors = entries.filter((e) => e.error !== undefined).length;
  const scored = entries.filter((e) => e.score !== null);
  const summary = {
    clusters: entries.length,
    audited: entries.length - errors,
    failed: errors,
    blockers: entries.reduce((n, e) => n + e.blockers, 0),
    lowestScore: scored.length > 0 ? Math.min(...scored.map((e) => e.score!)) : null,
    entries,
  };
  let text: string;
  if (out.format === 'json') {
    text = `${JSON.stringify({ schemaVersion: 1, fleet: results.flatMap((r) => (r.report ? [r.report] : [])), summary }, null, 2)}\n`;
  } else {
    const { table } = await textRenderers(reportColor(out, io));
    const rows = entries.map((e) => [e.context, e.score === null ? '-' : String(e.score), e.grade, String(e.blockers), String(e.findings), String(e.notEvaluated), e.error ? `error: ${e.error}` : e.gate ?? '']);
    text = `${texts.join('\n')}Fleet summary: ${summary.audited} of ${summary.clusters} clusters audited in ${Math.round(performance.now() - started)} ms\n` +
      `${table(['context', 'score', 'grade', 'blockers', 'findings', 'not evaluated', 'gate'], rows)}\n`;
  }
  writeOutput(io, out.output, text, `${summary.audited} of ${summary.clusters} clusters audited, ${summary.blockers} blockers`, out.quiet);
  if (errors > 0) {
    for (const e of entries) if (e.error) io.stderr(`dualstack-audit: ${escapeControls(`${e.context}: ${e.error}`)}\n`);
    return 2;
  }
  return anyFailed ? 1 : 0;
}

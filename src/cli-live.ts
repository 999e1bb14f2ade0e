// The live half of the command line: auditing the current kube context (or several: a fleet)
// and writing snapshots. Loaded by cli.ts only when no paths are given or for `snapshot`, so an
// offline run never loads it (nor @kubernetes/client-node, which load/cluster.ts imports lazily).

import { writeFileSync } from 'node:fs';
import { ClusterAccessError, listContexts, loadCluster, parseDuration, type ClusterLoadOptions, type ClusterLoadResult } from './load/cluster.ts';
import { snapshotYaml } from './load/snapshot.ts';
import { buildModel } from './model/build.ts';
import { run } from './engine/run.ts';
import { gate, type FailOn, type GateResult } from './engine/gate.ts';
import { RULES } from './rules/index.ts';
import { formatJson } from './report/json.ts';
import { formatText } from './report/text.ts';
import { SEVERITY_RANK, type Family, type Severity } from './model/types.ts';
import type { Report } from './engine/types.ts';
import type { Exemption } from './engine/suppress.ts';
import type { Baseline } from './engine/baseline.ts';
import { formatReport, type Format } from './cli-ci.ts';
import { UsageError, textRenderers, toolVersion, useColor, type CliIO } from './cli.ts';

export interface LiveOpts {
  context: string[];
  allContexts?: boolean;
  kubeconfig?: string;
  requestTimeout?: string;
  namespace: string[];
  excludeNamespace: string[];
}

export interface AnalysisOpts {
  readonly families?: readonly Family[];
  readonly familiesFrom?: 'flag' | 'config';
  readonly exemptions?: readonly Exemption[];
  readonly exemptionsFrom?: string;
  readonly baseline?: Baseline;
  readonly only: readonly string[];
  readonly disabled: readonly string[];
  readonly severityOverrides: Readonly<Record<string, Severity>>;
}

export interface OutputOpts {
  readonly format: string;
  readonly output?: string;
  readonly color: string;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly failOn: FailOn;
  readonly minScore?: number;
}

/** Clusters of a fleet read at once (each reads several kinds at once). */
export const FLEET_CONCURRENCY = 8;

const splitList = (l: readonly string[]): string[] => l.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

/** Loader options common to every context, from the flags and (for tests) the environment. */
export function clusterOptions(o: LiveOpts, io: CliIO): ClusterLoadOptions {
  let requestTimeoutMs: number | undefined;
  if (o.requestTimeout !== undefined) {
    requestTimeoutMs = parseDuration(o.requestTimeout);
    if (requestTimeoutMs === undefined) throw new UsageError(`--request-timeout takes a duration such as 30s, 1m or 500ms, 0 for none (got "${o.requestTimeout}")`);
  }
  const backoff = Number(io.env.DUALSTACK_AUDIT_BACKOFF_MS);
  const namespaces = splitList(o.namespace);
  return {
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(namespaces.length > 0 ? { namespaces } : {}),
    ...(Number.isFinite(backoff) && backoff >= 0 && io.env.DUALSTACK_AUDIT_BACKOFF_MS ? { backoffMs: backoff } : {}),
    env: io.env,
  };
}

/** The contexts to audit: --all-contexts, else every --context, else the current one (undefined). */
export async function contextsToAudit(o: LiveOpts, base: ClusterLoadOptions): Promise<(string | undefined)[]> {
  const named = splitList(o.context);
  if (o.allContexts) {
    if (named.length > 0) throw new UsageError('--all-contexts and --context cannot be combined');
    const { contexts } = await listContexts(base).catch(accessToUsage);
    if (contexts.length === 0) throw new UsageError('the kubeconfig has no contexts');
    return contexts;
  }
  return named.length > 0 ? [...new Set(named)] : [undefined];
}

function accessToUsage(e: unknown): never {
  if (e instanceof ClusterAccessError) throw new UsageError(e.message);
  throw e;
}

/** A progress line on stderr, redrawn in place, only on a TTY. */
function progressLine(io: CliIO): { update: (s: string) => void; clear: () => void } {
  if (!io.stderrIsTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  let shown = false;
  return {
    update: (s) => {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      shown = true;
      io.stderr(`\r\x1b[K${s.slice(0, 120)}`);
    },
    clear: () => {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}

/** Model and rules over what one context returned (the same path as an offline audit of its snapshot). */
export function analyzeCluster(res: ClusterLoadResult, a: AnalysisOpts, o: Pick<LiveOpts, 'namespace' | 'excludeNamespace'>): Report {
  const model = buildModel(res.documents, {
    ...(a.families ? { clusterFamilies: { families: a.families, from: a.familiesFrom ?? 'flag' } } : {}),
    namespaces: splitList(o.namespace),
    excludeNamespaces: splitList(o.excludeNamespace),
    live: { notRead: res.notEvaluated.map((n) => n.kind) },
  });
  return run(model, RULES, {
    only: a.only, disabled: a.disabled, severityOverrides: a.severityOverrides,
    ...(a.exemptions && a.exemptions.length > 0 ? { exemptions: a.exemptions, ...(a.exemptionsFrom ? { exemptionsFrom: a.exemptionsFrom } : {}) } : {}),
    ...(a.baseline ? { baseline: a.baseline } : {}),
    live: true, resolve: false,
    tool: { name: 'dualstack-audit', version: toolVersion() },
    target: {
      mode: 'cluster',
      sources: [res.server],
      context: res.context,
      clusterFamilies: [...model.clusterFamilies.families],
      familiesFrom: model.clusterFamilies.from,
      ...(model.clusterFamilies.evidence ? { familiesEvidence: model.clusterFamilies.evidence } : {}),
      ...(res.notEvaluated.length > 0 ? { notEvaluated: res.notEvaluated } : {}),
    },
    problems: res.problems,
    stats: { files: 0, documents: res.documents.length, resources: model.resources.length, skipped: 0 },
  });
}

/** Text for what could not be read: the kind, why, and the RBAC rule that would grant it. */
export function notEvaluatedText(r: Report): string {
  const ne = r.target.notEvaluated ?? [];
  if (ne.length === 0) return '';
  const lines = [`Not evaluated (${ne.length}): these kinds could not be read, so the rules on them did not judge anything`];
  for (const n of ne) {
    lines.push(`  ${n.kind} (${n.apiVersion}${n.namespace ? `, namespace ${n.namespace}` : ''}): ${n.reason === 'forbidden' ? 'forbidden' : 'error'}: ${n.message}`);
    if (n.rbac) lines.push(`    grant: ${n.rbac}`);
  }
  return `${lines.join('\n')}\n\n`;
}

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

function write(o: OutputOpts, io: CliIO, text: string, summary: string): void {
  if (o.output) {
    try {
      writeFileSync(o.output, text);
    } catch (e) {
      throw new UsageError(`cannot write ${o.output}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!o.quiet) io.stderr(`Wrote ${o.output}: ${summary}\n`);
  } else {
    io.stdout(text);
  }
}

/** No paths: audit the current context, the --context ones or --all-contexts (a fleet). */
export async function auditLive(o: LiveOpts, io: CliIO, a: AnalysisOpts, out: OutputOpts): Promise<number> {
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
      const res = await loadCluster({ ...base, ...(context ? { context } : {}), progress: progress.update });
      const r0 = analyzeCluster(res, a, o);
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
    const report = r.report!;
    const g = gate(report, { failOn: out.failOn, ...(out.minScore !== undefined ? { minScore: out.minScore } : {}) });
    const text = out.format === 'json' ? formatJson(report)
      : out.format === 'text' ? await textReport(report, g, out, io)
        : formatReport(out.format as Exclude<Format, 'text'>, report, g);
    write(out, io, text, `score ${report.score.overall ?? '-'} (${report.score.grade}), ${report.findings.length} findings; gate ${g.passed ? 'passed' : 'failed'}`);
    return g.passed ? 0 : 1;
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
    const g = gate(report, { failOn: out.failOn, ...(out.minScore !== undefined ? { minScore: out.minScore } : {}) });
    if (!g.passed) anyFailed = true;
    entries.push({
      context: r.context, server: report.target.sources[0]!, score: report.score.overall, grade: report.score.grade,
      blockers: blockers(report), findings: report.findings.filter((f) => !f.suppressed).length,
      notEvaluated: report.target.notEvaluated?.length ?? 0, gate: g.passed ? 'passed' : 'failed',
    });
    if (out.format !== 'json') texts.push(`${'='.repeat(8)} context ${r.context} ${'='.repeat(8)}\n${await textReport(report, g, out, io)}`);
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
    const { table } = await textRenderers(out.output ? out.color === 'always' : useColor(out.color, io.env, io.stdoutIsTTY));
    const rows = entries.map((e) => [e.context, e.score === null ? '-' : String(e.score), e.grade, String(e.blockers), String(e.findings), String(e.notEvaluated), e.error ? `error: ${e.error}` : e.gate ?? '']);
    text = `${texts.join('\n')}Fleet summary: ${summary.audited} of ${summary.clusters} clusters audited in ${Math.round(performance.now() - started)} ms\n` +
      `${table(['context', 'score', 'grade', 'blockers', 'findings', 'not evaluated', 'gate'], rows)}\n`;
  }
  write(out, io, text, `${summary.audited} of ${summary.clusters} clusters audited, ${summary.blockers} blockers`);
  if (errors > 0) {
    for (const e of entries) if (e.error) io.stderr(`dualstack-audit: ${e.context}: ${e.error}\n`);
    return 2;
  }
  return anyFailed ? 1 : 0;
}

async function textReport(report: Report, g: GateResult, out: OutputOpts, io: CliIO): Promise<string> {
  const color = out.output ? out.color === 'always' : useColor(out.color, io.env, io.stdoutIsTTY);
  const { style, table } = await textRenderers(color);
  const text = formatText(report, { style, table, gate: g, quiet: Boolean(out.quiet), verbose: Boolean(out.verbose) });
  // Right after the header (tool, context, cluster families): what this report could not judge.
  const i = text.indexOf('\n\n');
  return i < 0 ? notEvaluatedText(report) + text : text.slice(0, i + 2) + notEvaluatedText(report) + text.slice(i + 2);
}

/** `dualstack-audit snapshot -o FILE`: write what a live audit reads, for an offline re-run. */
export async function snapshot(o: LiveOpts & { output?: string; quiet?: boolean }, io: CliIO): Promise<number> {
  if (!o.output) throw new UsageError('snapshot needs -o FILE (use -o - for stdout)');
  if (o.allContexts || splitList(o.context).length > 1) throw new UsageError('snapshot reads one context (give at most one --context)');
  const base = clusterOptions(o, io);
  const context = splitList(o.context)[0];
  const progress = progressLine(io);
  let res: ClusterLoadResult;
  try {
    res = await loadCluster({ ...base, ...(context ? { context } : {}), progress: progress.update });
  } catch (e) {
    accessToUsage(e);
  } finally {
    progress.clear();
  }
  const text = snapshotYaml({ context: res.context, server: res.server, ...(base.namespaces ? { namespaces: base.namespaces } : {}), read: res.read, notEvaluated: res.notEvaluated },
    res.documents, { name: 'dualstack-audit', version: toolVersion() });
  if (o.output === '-') {
    io.stdout(text);
  } else {
    try {
      writeFileSync(o.output, text);
    } catch (e) {
      throw new UsageError(`cannot write ${o.output}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!o.quiet) {
      io.stderr(`Wrote ${o.output}: ${res.documents.length} objects from context "${res.context}"` +
        `${res.notEvaluated.length > 0 ? `; not readable: ${[...new Set(res.notEvaluated.map((n) => n.kind))].join(', ')}` : ''}\n`);
    }
  }
  return 0;
}

// The audit command: flags -> options (cli/options.ts); no paths is a live audit (cli/live.ts,
// loaded lazily); files, directories, stdin and snapshots are loaded here and go through the same
// pipeline (engine/analyze.ts) and the same output (cli/io.ts).

import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { clobberedInput, loadPaths } from '../load/files.ts';
import { helmTemplateResolver } from '../load/helm-charts.ts';
import { resolveHelmTemplates } from '../report/helm.ts';
import { STDIN_NOTE } from './usage.ts';
import { isSnapshot, snapshotMeta, type SnapshotMeta } from '../load/snapshot.ts';
import { loadCloudArmor, withCloudArmor } from '../load/cloud-armor.ts';
import { loadGcp, withGcp } from '../load/gcp.ts';
import type { ResolvedName } from '../model/dns.ts';
import { modelIntake, type ModelIntake } from '../model/build.ts';
import { analyze, type AnalyzeTarget, type Locate } from '../engine/analyze.ts';
import type { Report } from '../engine/types.ts';
import type { LoadProblem } from '../model/types.ts';
import { writeBaseline } from './config-files.ts';
import { auditOptions, splitList, type AuditAnalysis, type AuditOpts } from './options.ts';
import { TOOL, UsageError, emitReport, readOptions, type CliIO, type OutputOpts } from './io.ts';

/** Takes a file audit's report instead of writing it: `fix` (cli/fix.ts). */
export type ReportSink = (report: Report, out: OutputOpts) => Promise<number>;

export async function audit(paths: string[], o: AuditOpts, io: CliIO, sink?: ReportSink): Promise<number> {
  // hrtime, not performance.now(): the performance global loads perf_hooks (start-up time).
  const started = process.hrtime.bigint();
  const { analysis, out } = auditOptions(o, io);
  if (o.dnsServer !== undefined && !o.resolve) throw new UsageError('--dns-server applies only with --resolve');
  let dnsServer: string | undefined;
  try {
    // load/resolve.ts (node:dns) is loaded only when a run uses it: start-up time (issue 9).
    if (o.dnsServer !== undefined) dnsServer = (await import('../load/resolve.ts')).parseDnsServer(o.dnsServer);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (o.resolve && paths.length === 0) {
    throw new UsageError('--resolve applies to file audits: write a snapshot (dualstack-audit snapshot -o FILE) and audit FILE --resolve');
  }
  if (paths.length === 0 && sink) throw new UsageError('fix edits files: give the paths of the manifests to fix');
  if (paths.length === 0) {
    // `cat x.yaml | dualstack-audit` would audit the kube context, not stdin: say so (issue 19).
    if (io.stdinIsPiped && !out.quiet) io.stderr(`dualstack-audit: ${STDIN_NOTE}\n`);
    // No paths: audit the current kube context (or --context/--all-contexts). Loaded lazily.
    if (o.gcp && o.gcp.length > 0) throw new UsageError('--gcp applies to file audits: give the manifests (or a snapshot of the cluster) as paths');
    const { auditLive } = await import('./live.ts');
    return auditLive(o, io, analysis, out);
  }
  if (o.context.length > 0 || o.allContexts || o.kubeconfig || o.requestTimeout !== undefined || o.kindDeadline !== undefined || o.configmaps !== undefined) {
    throw new UsageError('--context, --all-contexts, --kubeconfig, --request-timeout, --kind-deadline and --configmaps apply to live audits: give no paths to audit a cluster');
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const cwd = io.cwd ?? process.cwd();
  const chartRoot = resolvePath(cwd, o.chartRoot ?? '.');
  if (o.chartRoot !== undefined && !isDirectory(chartRoot)) throw new UsageError(`--chart-root ${o.chartRoot}: no such directory`);
  // A report or baseline written over an input destroys the manifest (issue 20): refused before anything is read.
  for (const [flag, file] of [['-o', o.output], ['--write-baseline', o.writeBaseline]] as const) {
    const hit = file !== undefined ? clobberedInput(file, paths, io.cwd ?? process.cwd()) : undefined;
    if (hit !== undefined) throw new UsageError(`${flag} ${file} would overwrite the input ${hit}; write the report elsewhere`);
  }
  const input = await loadInput(paths, o, io, analysis, dnsServer);
  const report0 = analyze(input.intake, input.problems, input.locate, input.target, {
    ...analysis, ...input.options, tool: TOOL(),
    ...(o.writeBaseline !== undefined ? { rebaseline: (first: Report) => rebaseline(o.writeBaseline!, first, out, io) } : {}),
  });
  // Helm's chart-relative `# Source:` names -> the templates' paths in the repository (issue 19).
  const helm = report0.findings.some((f) => f.location?.rendered) ? resolveHelmTemplates(report0, helmTemplateResolver(chartRoot, cwd)) : report0;
  const report: Report = { ...helm, stats: { ...helm.stats, durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) } };
  if (sink) return sink(report, out);
  // The only table of a file audit's text report is the score table: ASCII cells.
  return emitReport(report, out, io, { asciiTable: true });
}

/** --write-baseline: the new baseline applies to this run already, so it reports every current finding as known. */
function rebaseline(file: string, first: Report, out: OutputOpts, io: CliIO): NonNullable<AuditAnalysis['baseline']> {
  const written = writeBaseline(io.cwd ?? process.cwd(), file, first);
  if (!out.quiet) io.stderr(`Wrote baseline ${file}: ${written.count} finding${written.count === 1 ? '' : 's'}\n`);
  return written.baseline;
}

interface Input {
  /** The model intake that took every document as it was read (model/build.ts): no document array is held. */
  readonly intake: ModelIntake;
  readonly problems: readonly LoadProblem[];
  readonly locate: Locate;
  readonly target: AnalyzeTarget;
  readonly options: { readonly stats: { files: number; documents: number; resources: number; skipped: number }; readonly resolved?: ReadonlyMap<string, ResolvedName> };
}

/**
 * The paths (and --cloud-armor, --gcp, --resolve answers) read into a model intake: each document
 * is handed over as the loader reads it and let go once the intake has taken its facts (issue 21).
 */
async function loadInput(paths: readonly string[], o: AuditOpts, io: CliIO, analysis: AuditAnalysis, dnsServer: string | undefined): Promise<Input> {
  const exclude = splitList(o.exclude ?? []);
  const intake = modelIntake({ namespaces: analysis.namespaces ?? [], excludeNamespaces: analysis.excludeNamespaces ?? [] });
  // A snapshot (dualstack-audit snapshot) is audited as the live run was: live-only rules, same coverage.
  let snapshot: SnapshotMeta | undefined;
  const loaded = await loadPaths(paths, {
    readStdin: io.readStdin, ...(exclude.length > 0 ? { exclude } : {}), ...(o.followSymlinks ? { followSymlinks: true } : {}),
    ...readOptions(io),
    onDocument: (doc) => {
      if (!isSnapshot(doc)) intake.add(doc);
      else snapshot ??= snapshotMeta(doc);
    },
  });
  const missing = loaded.problems.filter((p) => paths.includes(p.file ?? '') && /no such file/.test(p.message));
  if (missing.length === paths.length) {
    throw new UsageError(missing.map((p) => `${p.file}: ${p.message}`).join('; '));
  }
  const snap = snapshot as SnapshotMeta | undefined;
  const armor = o.cloudArmor && o.cloudArmor.length > 0 ? loadCloudArmor(o.cloudArmor) : undefined;
  const armorFatal = armor?.problems.filter((p) => p.fatal) ?? [];
  if (armorFatal.length > 0) throw new UsageError(armorFatal.map((p) => `${p.file}: ${p.message}`).join('; '));
  // --gcp: the cluster, VPC, subnets and addresses as gcloud or Terraform print them.
  const gcp = o.gcp && o.gcp.length > 0 ? loadGcp(o.gcp) : undefined;
  const gcpFatal = gcp?.problems.filter((p) => p.fatal) ?? [];
  if (gcpFatal.length > 0) throw new UsageError(gcpFatal.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`).join('; '));
  const locator = armor ? withCloudArmor(armor, loaded.locator) : loaded.locator;
  // --resolve is the only network use of a file audit; the answers enter the model as data. The
  // names are those of the files read (the intake's, namespace-filtered), before --cloud-armor and --gcp.
  const resolved = o.resolve
    ? await (await import('../load/resolve.ts')).resolveNames(intake.namesToResolve(), dnsServer !== undefined ? { server: dnsServer } : {})
    : undefined;
  for (const doc of armor?.documents ?? []) intake.add(doc);
  for (const doc of gcp?.documents ?? []) intake.add(doc);
  return {
    intake,
    problems: [...loaded.problems, ...(gcp?.problems ?? [])],
    locate: gcp ? withGcp(gcp, locator).locate : locator.locate,
    target: {
      mode: 'files',
      sources: paths.map((p) => (p === '-' ? '<stdin>' : p)),
      // A snapshot holds stored objects: it runs as live, so manifest-only rules are left out (RuleMeta.manifestOnly).
      live: Boolean(snap),
      ...(snap ? { context: snap.context, notEvaluated: snap.notEvaluated, ...(snap.notInstalled ? { notInstalled: snap.notInstalled } : {}) } : {}),
    },
    options: { stats: loaded.stats, ...(resolved ? { resolved } : {}) },
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

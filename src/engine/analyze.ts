// The one audit pipeline: documents -> model -> rules -> Report. File, stdin, snapshot and live
// audits all come through here; the CLI only gathers the documents (load/) and the options, and
// writes what report/ renders. Pure: no clock, no I/O (the baseline callback is the caller's).

import { modelIntake, type ModelIntake } from '../model/build.ts';
import { duplicateProblems } from '../model/coexist.ts';
import type { ResolvedName } from '../model/dns.ts';
import type { Family, InputDocument, JsonPath, LoadProblem, Severity, SourceLocation, SourceRef } from '../model/types.ts';
import { RULES } from '../rules/index.ts';
import type { Rule } from '../rules/types.ts';
import type { Baseline } from './baseline.ts';
import { run } from './run.ts';
import type { Exemption } from './suppress.ts';
import type { NotEvaluatedKind, NotInstalledKind, Report } from './types.ts';
import type { PlatformName } from '../model/platform.ts';

export type Locate = (source: SourceRef, path: JsonPath, textLine?: number) => SourceLocation | undefined;

/** What is audited: shown in the report's header and deciding which rules run. */
export interface AnalyzeTarget {
  readonly mode: 'files' | 'cluster';
  /** Files as given (`<stdin>` for -), or the API server's URL. */
  readonly sources: readonly string[];
  readonly context?: string;
  /** Stored objects read from a cluster (or its snapshot): live-only rules run, manifest-only ones do not. */
  readonly live: boolean;
  /** Kinds the live read could not list: the rules on them are not evaluated (and the report says so). */
  readonly notEvaluated?: readonly NotEvaluatedKind[];
  /** Optional kinds (CRDs) the cluster does not serve: named in the report. */
  readonly notInstalled?: readonly NotInstalledKind[];
}

export interface AnalyzeOptions {
  readonly tool: { readonly name: string; readonly version: string };
  /** --cluster-families or the config file's; otherwise the model infers them. */
  readonly families?: readonly Family[];
  readonly familiesFrom?: 'flag' | 'config';
  /** --platform or the config file's; otherwise the model infers it (model/platform.ts). */
  readonly platform?: { readonly name: PlatformName; readonly from: 'flag' | 'config' };
  readonly namespaces?: readonly string[];
  readonly excludeNamespaces?: readonly string[];
  readonly only?: readonly string[];
  readonly disabled?: readonly string[];
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
  readonly exemptions?: readonly Exemption[];
  /** The config file the exemptions come from, for the messages about unused ones. */
  readonly exemptionsFrom?: string;
  /** Known findings (--baseline): suppressed, so the gate fails only on new ones. */
  readonly baseline?: Baseline;
  /**
   * --write-baseline: called with the report of a first run; the baseline it returns (the caller
   * writes it) applies to the report analyze() returns. The model is built once for both runs.
   */
  readonly rebaseline?: (first: Report) => Baseline;
  /** --resolve answers: also runs the rules that need name lookups. */
  readonly resolved?: ReadonlyMap<string, ResolvedName>;
  /** The loader's counts; resources defaults to the model's, documents to the input's. */
  readonly stats?: { readonly files: number; readonly documents?: number; readonly resources?: number; readonly skipped: number };
  /**
   * Report.results, a record per evaluation (default true): only the JUnit report reads it (and a
   * fleet's JSON, which prints the reports whole). false saves a record per passed evaluation.
   */
  readonly results?: boolean;
  /** The rule catalog (tests); default RULES. */
  readonly rules?: readonly Rule[];
}

/**
 * Builds the model, runs the rules and returns the Report (durationMs 0: the caller times the
 * run). The input is the documents, or a model intake (model/build.ts modelIntake, made with the
 * same namespace options) that already took them one at a time as they were read, keeping only
 * their facts. The documents are not referenced once the model is built, so a caller that holds
 * no other reference to them lets them go before the rules run.
 */
export function analyze(input: readonly InputDocument[] | ModelIntake, problems: readonly LoadProblem[], locate: Locate | undefined,
  target: AnalyzeTarget, options: AnalyzeOptions): Report {
  const notRead = target.notEvaluated ?? [];
  let intake: ModelIntake;
  if (Array.isArray(input)) {
    intake = modelIntake({ namespaces: options.namespaces ?? [], excludeNamespaces: options.excludeNamespaces ?? [] });
    for (const doc of input as readonly InputDocument[]) intake.add(doc);
  } else {
    intake = input as ModelIntake;
  }
  input = [];
  const docCount = intake.count;
  const model = intake.finish({
    // So that inferred cluster families name their evidence as file:line.
    ...(locate ? { locate } : {}),
    ...(options.resolved ? { resolved: options.resolved } : {}),
    ...(target.live ? { live: { notRead: notRead.map((n) => n.kind) } } : {}),
    ...(options.families ? { clusterFamilies: { families: options.families, from: options.familiesFrom ?? 'flag' } } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    namespaces: options.namespaces ?? [],
    excludeNamespaces: options.excludeNamespaces ?? [],
  });
  const families = {
    clusterFamilies: [...model.clusterFamilies.families],
    familiesFrom: model.clusterFamilies.from,
    ...(model.clusterFamilies.evidence ? { familiesEvidence: model.clusterFamilies.evidence } : {}),
    ...(model.clusterFamilies.candidates ? { familiesCandidates: model.clusterFamilies.candidates.map((c) => [...c]) } : {}),
    platform: model.platform,
  };
  const unread = {
    ...(notRead.length > 0 ? { notEvaluated: notRead } : {}),
    ...(target.notInstalled && target.notInstalled.length > 0 ? { notInstalled: target.notInstalled } : {}),
  };
  // Key order as the JSON report has always had it for each mode.
  const reportTarget: Report['target'] = target.mode === 'cluster'
    ? { mode: 'cluster', sources: target.sources, ...(target.context !== undefined ? { context: target.context } : {}), ...families, ...unread }
    : { mode: 'files', sources: target.sources, ...(target.context !== undefined ? { context: target.context, ...unread } : {}), ...families };
  const s = options.stats;
  const runWith = (baseline: Baseline | undefined): Report => run(model, options.rules ?? RULES, {
    ...(locate ? { locate } : {}),
    only: options.only ?? [], disabled: options.disabled ?? [], severityOverrides: options.severityOverrides ?? {},
    ...(options.exemptions && options.exemptions.length > 0
      ? { exemptions: options.exemptions, ...(options.exemptionsFrom ? { exemptionsFrom: options.exemptionsFrom } : {}) } : {}),
    ...(baseline ? { baseline } : {}),
    live: target.live, resolve: options.resolved !== undefined,
    ...(options.results === false ? { results: false } : {}),
    tool: options.tool,
    target: reportTarget,
    // Objects the input defines twice: one problem each, naming every copy (model/coexist.ts).
    problems: model.coexistence.duplicates.length > 0 ? [...problems, ...duplicateProblems(model.coexistence, locate)] : problems,
    stats: { files: s?.files ?? 0, documents: s?.documents ?? docCount, resources: s?.resources ?? model.resources.length, skipped: s?.skipped ?? 0 },
  });
  const first = runWith(options.baseline);
  return options.rebaseline ? runWith(options.rebaseline(first)) : first;
}

// The audit command's flags (and the config file) -> the engine's AnalyzeOptions and the output
// options, validated once for file, stdin, snapshot and live audits alike.

import type { AnalyzeOptions } from '../engine/analyze.ts';
import { parseMinScore, type FailOn } from '../engine/gate.ts';
import { SEVERITIES, type Family, type Severity } from '../model/types.ts';
import { PLATFORMS, type PlatformName } from '../model/platform.ts';
import { FORMATS, isFormat } from '../report/render.ts';
import { RULES } from '../rules/index.ts';
import { configRuleOptions, loadConfig, readBaseline } from './config-files.ts';
import { UsageError, type CliIO, type OutputOpts } from './io.ts';
import { unknownRuleMessage } from './usage.ts';

/** The audit command's options as commander parses them. */
/** The flags of live audits and `snapshot` (cli/cluster.ts turns them into loader options). */
export interface LiveOpts {
  context: string[];
  allContexts?: boolean;
  kubeconfig?: string;
  requestTimeout?: string;
  /** --kind-deadline: total time for reading one kind, all pages and retries. */
  kindDeadline?: string;
  /** --configmaps all|kube-system (commander checks the value). */
  configmaps?: string;
  namespace: string[];
  excludeNamespace: string[];
}

/** The audit's flags: LiveOpts and the rest. */
export interface AuditOpts extends LiveOpts {
  clusterFamilies?: string;
  format: string;
  output?: string;
  failOn?: string;
  minScore?: string;
  /** --allow-partial: kinds a live read could not read do not fail the gate. */
  allowPartial?: boolean;
  /** --allow-empty: nothing to audit passes (hooks given only the files changed). */
  allowEmpty?: boolean;
  rule: string[];
  disableRule: string[];
  severity: string[];
  color: string;
  quiet?: boolean;
  verbose?: boolean;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  /** --cloud-armor: gcloud exports of Cloud Armor policies (load/cloud-armor.ts). */
  cloudArmor?: string[];
  /** --gcp: the GCP network layer as gcloud describe output or terraform show -json (load/gcp.ts). */
  gcp?: string[];
  /** --platform gke|generic (model/platform.ts). */
  platform?: string;
  /** --resolve: look up the external names (load/resolve.ts); --dns-server picks the server. */
  resolve?: boolean;
  dnsServer?: string;
  /** --chart-root: where Helm charts named by `# Source:` are searched (default: the working directory). */
  chartRoot?: string;
  /** --exclude: globs of paths directory walks leave out (load/exclude.ts). */
  exclude?: string[];
  /** --follow-symlinks: follow links to directories outside the directories given. */
  followSymlinks?: boolean;
}

/** The analysis options every audit shares (the engine adds tool, stats and --resolve answers). */
export type AuditAnalysis = Omit<AnalyzeOptions, 'tool' | 'stats' | 'resolved' | 'rebaseline' | 'rules'>;

/** Comma-separated and repeated list flags, trimmed, empty entries dropped. */
export const splitList = (l: readonly string[]): string[] => l.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

const FAMILY_ARG: Record<string, Family[]> = {
  ipv4: ['IPv4'], ipv6: ['IPv6'], 'ipv4,ipv6': ['IPv4', 'IPv6'], 'ipv6,ipv4': ['IPv6', 'IPv4'],
};

export function parseFamilies(v: string): Family[] {
  const f = FAMILY_ARG[v.toLowerCase().replace(/\s+/g, '')];
  if (!f) throw new UsageError(`--cluster-families must be one of ipv4, ipv6, ipv4,ipv6, ipv6,ipv4 (got "${v}")`);
  return f;
}

function parseSeverityOverrides(list: readonly string[]): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  const ids = new Set(RULES.map((r) => r.meta.id));
  for (const item of list) {
    for (const part of item.split(',')) {
      const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(part.trim());
      if (!m || !(SEVERITIES as readonly string[]).includes(m[2]!)) {
        throw new UsageError(`--severity takes RULE=SEVERITY with a severity of ${SEVERITIES.join('|')} (got "${part}")`);
      }
      if (!ids.has(m[1]!)) throw new UsageError(unknownRuleMessage('--severity: ', m[1]!, ids));
      out[m[1]!] = m[2] as Severity;
    }
  }
  return out;
}

function checkRuleIds(flag: string, list: readonly string[]): string[] {
  const ids = new Set(RULES.map((r) => r.meta.id));
  const out = splitList(list);
  for (const id of out) if (!ids.has(id)) throw new UsageError(unknownRuleMessage(`${flag}: `, id, ids));
  return out;
}

/** Flags and config file -> what to analyse and how to write it. Throws UsageError on bad input. */
export function auditOptions(o: AuditOpts, io: CliIO): { analysis: AuditAnalysis; out: OutputOpts } {
  const cwd = io.cwd ?? process.cwd();
  const cfg = loadConfig(cwd, new Set(RULES.map((r) => r.meta.id)), o.config);
  const families = o.clusterFamilies !== undefined ? parseFamilies(o.clusterFamilies)
    : cfg.config.clusterFamilies ? [...cfg.config.clusterFamilies] : undefined;
  if (o.platform !== undefined && !(PLATFORMS as readonly string[]).includes(o.platform)) throw new UsageError(`--platform must be one of ${PLATFORMS.join('|')} (got "${o.platform}")`);
  const platform = (o.platform ?? cfg.config.platform) as PlatformName | undefined;
  const failOn = (o.failOn ?? cfg.config.failOn ?? 'high') as FailOn;
  if (![...SEVERITIES, 'never'].includes(failOn)) throw new UsageError(`--fail-on must be one of ${[...SEVERITIES, 'never'].join('|')} (got "${o.failOn}")`);
  let minScore: number | undefined;
  if (o.minScore !== undefined) {
    // Plain decimals only: Number() took "", "0x10", " 50" and "1e1" (issue 20).
    minScore = parseMinScore(o.minScore);
    if (minScore === undefined) throw new UsageError(`--min-score must be a number from 0 to 100 (got "${o.minScore}")`);
  }
  if (minScore === undefined) minScore = cfg.config.minScore;
  if (!isFormat(o.format)) throw new UsageError(`--format must be one of ${FORMATS.join('|')} (got "${o.format}")`);
  const only = checkRuleIds('--rule', o.rule);
  const fromConfig = configRuleOptions(cfg.config, only);
  const disabled = [...new Set([...fromConfig.disabled, ...checkRuleIds('--disable-rule', o.disableRule)])];
  const severityOverrides = { ...fromConfig.severityOverrides, ...parseSeverityOverrides(o.severity) };
  const baseline = o.baseline !== undefined ? readBaseline(cwd, o.baseline) : undefined;
  return {
    analysis: {
      ...(families ? { families, familiesFrom: o.clusterFamilies !== undefined ? 'flag' as const : 'config' as const } : {}),
      ...(platform ? { platform: { name: platform, from: o.platform !== undefined ? 'flag' as const : 'config' as const } } : {}),
      namespaces: splitList(o.namespace),
      excludeNamespaces: splitList(o.excludeNamespace),
      only, disabled, severityOverrides,
      ...(cfg.config.exemptions.length > 0 ? { exemptions: cfg.config.exemptions, exemptionsFrom: cfg.shown ?? '.dualstack-audit.yaml' } : {}),
      ...(baseline ? { baseline } : {}),
      // A record per evaluation only for the report that prints them (a testcase each).
      results: o.format === 'junit',
    },
    out: {
      format: o.format, ...(o.output ? { output: o.output } : {}), color: o.color, quiet: Boolean(o.quiet), verbose: Boolean(o.verbose),
      failOn, ...(minScore !== undefined ? { minScore } : {}),
      ...(o.allowPartial || cfg.config.allowPartial ? { allowPartial: true } : {}),
      ...(o.allowEmpty ? { allowEmpty: true } : {}),
    },
  };
}

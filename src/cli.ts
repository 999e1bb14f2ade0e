// The command line: commander -> options -> load -> model -> engine -> report -> stdout.
// The only writer to stdout/stderr; main() returns the exit code (0 gate passed, 1 gate
// failed, 2 could not audit) and never throws for user errors.

import { Command, CommanderError, Option } from 'commander';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { loadPaths, readStreamCapped, type LoadResult } from './load/files.ts';
import { splitSnapshot } from './load/snapshot.ts';
import { loadCloudArmor, withCloudArmor } from './load/cloud-armor.ts';
import { buildModel } from './model/build.ts';
import { namesToResolve } from './model/dns.ts';
import { run } from './engine/run.ts';
import { gate, type FailOn } from './engine/gate.ts';
import { RULES } from './rules/index.ts';
import { ruleDoc, rulesIndexDoc } from './docs.ts';
import { formatJson } from './report/json.ts';
import { FORMATS, CiInputError, configRuleOptions, formatReport, initConfig, loadConfig, readBaseline, writeBaseline, type Format } from './cli-ci.ts';
import type { Baseline } from './engine/baseline.ts';
import { boxTable, formatText, plainStyle, plainTable, type Style, type TableRenderer } from './report/text.ts';
import { SEVERITIES, type Family, type Severity } from './model/types.ts';
import type { Report } from './engine/types.ts';

export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readStdin(): Promise<Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  /** Where the config file search starts and relative --config/--baseline paths resolve (default process.cwd()). */
  cwd?: string;
  /** Live audits draw a progress line on stderr only when it is a terminal. */
  stderrIsTTY?: boolean;
}

const defaultIO = (): CliIO => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  // Capped while reading (load/files.ts): stdin has no size to check first.
  readStdin: () => readStreamCapped(process.stdin),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
});

/** A user-facing error: one line, exit 2. */
export class UsageError extends Error {}

export function toolVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    const p = new URL(rel, import.meta.url);
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dualstack-audit' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

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
      if (!ids.has(m[1]!)) throw new UsageError(`--severity: unknown rule "${m[1]}" (see \`dualstack-audit rules\`)`);
      out[m[1]!] = m[2] as Severity;
    }
  }
  return out;
}

function checkRuleIds(flag: string, list: readonly string[]): string[] {
  const ids = new Set(RULES.map((r) => r.meta.id));
  const out = list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const id of out) if (!ids.has(id)) throw new UsageError(`${flag}: unknown rule "${id}" (see \`dualstack-audit rules\`)`);
  return out;
}

/** Colour: --color wins; else NO_COLOR disables, FORCE_COLOR enables, else only on a TTY. */
export function useColor(opt: string, env: CliIO['env'], isTTY: boolean): boolean {
  if (opt === 'always') return true;
  if (opt === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/**
 * Colour and tables of the text report. chalk is loaded only for colour; without colour,
 * `asciiTable` (a table of printable ASCII cells, as the score table is) draws boxTable, the same
 * text as cli-table3 without loading it (start-up time, issue 9).
 */
export async function textRenderers(color: boolean, opts: { asciiTable?: boolean } = {}): Promise<{ style: Style; table: TableRenderer }> {
  if (!color && opts.asciiTable) return { style: plainStyle, table: boxTable };
  let style: Style = plainStyle;
  if (color) {
    const { Chalk } = await import('chalk');
    const c = new Chalk({ level: 1 });
    style = { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan, magenta: c.magenta };
  }
  const { default: Table } = await import('cli-table3');
  const table: TableRenderer = (head, rows) => {
    const t = new Table({ head: [...head], style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [] } });
    for (const r of rows) t.push([...r]);
    return t.toString();
  };
  return { style, table: color ? table : table ?? plainTable };
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Config, baseline and init problems are usage errors (exit 2). */
function ciInput<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CiInputError) throw new UsageError(e.message);
    throw e;
  }
}

interface AuditOpts {
  clusterFamilies?: string;
  format: string;
  output?: string;
  failOn?: string;
  minScore?: string;
  rule: string[];
  disableRule: string[];
  severity: string[];
  namespace: string[];
  excludeNamespace: string[];
  color: string;
  quiet?: boolean;
  verbose?: boolean;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  /** Live (no paths): cli-live.ts. */
  context: string[];
  allContexts?: boolean;
  kubeconfig?: string;
  requestTimeout?: string;
  /** --cloud-armor: gcloud exports of Cloud Armor policies (load/cloud-armor.ts). */
  cloudArmor?: string[];
  /** --resolve: look up the external names (load/resolve.ts); --dns-server picks the server. */
  resolve?: boolean;
  dnsServer?: string;
}

export async function audit(paths: string[], o: AuditOpts, io: CliIO): Promise<number> {
  // hrtime, not performance.now(): the performance global loads perf_hooks (start-up time).
  const started = process.hrtime.bigint();
  const cwd = io.cwd ?? process.cwd();
  const cfg = ciInput(() => loadConfig(cwd, new Set(RULES.map((r) => r.meta.id)), o.config));
  const families = o.clusterFamilies !== undefined ? parseFamilies(o.clusterFamilies)
    : cfg.config.clusterFamilies ? [...cfg.config.clusterFamilies] : undefined;
  const familiesFrom = o.clusterFamilies !== undefined ? ('flag' as const) : ('config' as const);
  const failOn = (o.failOn ?? cfg.config.failOn ?? 'high') as FailOn;
  if (![...SEVERITIES, 'never'].includes(failOn)) throw new UsageError(`--fail-on must be one of ${[...SEVERITIES, 'never'].join('|')} (got "${o.failOn}")`);
  let minScore: number | undefined;
  if (o.minScore !== undefined) {
    minScore = Number(o.minScore);
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 100) throw new UsageError(`--min-score must be a number from 0 to 100 (got "${o.minScore}")`);
  }
  if (minScore === undefined) minScore = cfg.config.minScore;
  if (!(FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format must be one of ${FORMATS.join('|')} (got "${o.format}")`);
  const only = checkRuleIds('--rule', o.rule);
  const fromConfig = configRuleOptions(cfg.config, only);
  const disabled = [...new Set([...fromConfig.disabled, ...checkRuleIds('--disable-rule', o.disableRule)])];
  const severityOverrides = { ...fromConfig.severityOverrides, ...parseSeverityOverrides(o.severity) };
  const baseline = o.baseline !== undefined ? ciInput(() => readBaseline(cwd, o.baseline!)) : undefined;
  if (o.dnsServer !== undefined && !o.resolve) throw new UsageError('--dns-server applies only with --resolve');
  let dnsServer: string | undefined;
  try {
    // load/resolve.ts (node:dns) is loaded only when a run uses it: start-up time (issue 9).
    if (o.dnsServer !== undefined) dnsServer = (await import('./load/resolve.ts')).parseDnsServer(o.dnsServer);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (o.resolve && paths.length === 0) {
    throw new UsageError('--resolve applies to file audits: write a snapshot (dualstack-audit snapshot -o FILE) and audit FILE --resolve');
  }
  if (paths.length === 0) {
    // No paths: audit the current kube context (or --context/--all-contexts). Loaded lazily.
    const { auditLive } = await import('./cli-live.ts');
    return auditLive(o, io, {
      ...(families ? { families, familiesFrom } : {}), only, disabled, severityOverrides,
      ...(cfg.config.exemptions.length > 0 ? { exemptions: cfg.config.exemptions, exemptionsFrom: cfg.shown ?? '.dualstack-audit.yaml' } : {}),
      ...(baseline ? { baseline } : {}),
    },
      { format: o.format, ...(o.output ? { output: o.output } : {}), color: o.color, quiet: Boolean(o.quiet), verbose: Boolean(o.verbose), failOn, ...(minScore !== undefined ? { minScore } : {}) });
  }
  if (o.context.length > 0 || o.allContexts || o.kubeconfig || o.requestTimeout !== undefined) {
    throw new UsageError('--context, --all-contexts, --kubeconfig and --request-timeout apply to live audits: give no paths to audit a cluster');
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read only once');

  let loaded: LoadResult | undefined = await loadPaths(paths, { readStdin: io.readStdin });
  const { locator, problems: loadProblems, stats: loadStats } = loaded;
  const missing = loaded.problems.filter((p) => paths.includes(p.file ?? '') && /no such file/.test(p.message));
  if (missing.length === paths.length) {
    throw new UsageError(missing.map((p) => `${p.file}: ${p.message}`).join('; '));
  }
  // A snapshot (dualstack-audit snapshot) is audited as the live run was: live-only rules, same coverage.
  let snap: ReturnType<typeof splitSnapshot> | undefined = splitSnapshot(loaded.documents);
  const snapMeta = snap.meta;
  const armor = o.cloudArmor && o.cloudArmor.length > 0 ? loadCloudArmor(o.cloudArmor) : undefined;
  const armorFatal = armor?.problems.filter((p) => p.fatal) ?? [];
  if (armorFatal.length > 0) throw new UsageError(armorFatal.map((p) => `${p.file}: ${p.message}`).join('; '));
  // --resolve is the only network use of a file audit; the answers enter the model as data.
  const resolved = o.resolve
    ? await (await import('./load/resolve.ts')).resolveNames(namesToResolve(snap.docs, {
      namespaces: o.namespace.flatMap((s) => s.split(',')), excludeNamespaces: o.excludeNamespace.flatMap((s) => s.split(',')),
    }), dnsServer !== undefined ? { server: dnsServer } : {})
    : undefined;
  const model = buildModel(armor ? [...snap.docs, ...armor.documents] : snap.docs, {
    // So that inferred cluster families name their evidence as file:line.
    locate: locator.locate,
    ...(resolved ? { resolved } : {}),
    ...(snapMeta ? { live: { notRead: snapMeta.notEvaluated.map((n) => n.kind) } } : {}),
    ...(families ? { clusterFamilies: { families, from: familiesFrom } } : {}),
    namespaces: o.namespace.flatMap((s) => s.split(',')),
    excludeNamespaces: o.excludeNamespace.flatMap((s) => s.split(',')),
  });
  // The documents are not needed once the model is built: let them go before the rules run (the
  // model keeps small facts, not the documents; at 100,000 documents that is about 90 MB).
  loaded = undefined;
  snap = undefined;
  const runWith = (known: Baseline | undefined): Report => run(model, RULES, {
    locate: armor ? withCloudArmor(armor, locator).locate : locator.locate,
    // A snapshot holds stored objects: it runs as live, so manifest-only rules are left out (RuleMeta.manifestOnly).
    only, disabled, severityOverrides,
    ...(cfg.config.exemptions.length > 0 ? { exemptions: cfg.config.exemptions, exemptionsFrom: cfg.shown ?? '.dualstack-audit.yaml' } : {}),
    ...(known ? { baseline: known } : {}),
    live: Boolean(snapMeta), resolve: Boolean(o.resolve),
    tool: { name: 'dualstack-audit', version: toolVersion() },
    target: {
      mode: 'files',
      sources: paths.map((p) => (p === '-' ? '<stdin>' : p)),
      ...(snapMeta ? { context: snapMeta.context, ...(snapMeta.notEvaluated.length > 0 ? { notEvaluated: snapMeta.notEvaluated } : {}) } : {}),
      clusterFamilies: [...model.clusterFamilies.families],
      familiesFrom: model.clusterFamilies.from,
      ...(model.clusterFamilies.evidence ? { familiesEvidence: model.clusterFamilies.evidence } : {}),
    },
    problems: loadProblems,
    stats: loadStats,
  });
  let report0 = runWith(baseline);
  if (o.writeBaseline !== undefined) {
    // The new baseline applies to this run already: it reports every current finding as known.
    const written = ciInput(() => writeBaseline(cwd, o.writeBaseline!, report0));
    if (!o.quiet) io.stderr(`Wrote baseline ${o.writeBaseline}: ${written.count} finding${written.count === 1 ? '' : 's'}\n`);
    report0 = runWith(written.baseline);
  }
  const report: Report = { ...report0, stats: { ...report0.stats, durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) } };
  const g = gate(report, { failOn, ...(minScore !== undefined ? { minScore } : {}) });

  let text: string;
  if (o.format !== 'text') {
    text = formatReport(o.format as Exclude<Format, 'text'>, report, g);
  } else {
    const color = o.output ? o.color === 'always' : useColor(o.color, io.env, io.stdoutIsTTY);
    // The only table of a file audit's text report is the score table: ASCII cells.
    const { style, table } = await textRenderers(color, { asciiTable: true });
    text = formatText(report, { style, table, gate: g, quiet: Boolean(o.quiet), verbose: Boolean(o.verbose) });
  }
  if (o.output) {
    try {
      writeFileSync(o.output, text);
    } catch (e) {
      throw new UsageError(`cannot write ${o.output}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!o.quiet) io.stderr(`Wrote ${o.output}: score ${report.score.overall ?? '-'} (${report.score.grade}), ${report.findings.length} findings; gate ${g.passed ? 'passed' : 'failed'}\n`);
  } else {
    io.stdout(text);
  }
  // Nothing evaluated: not a pass and not a gate failure, but an audit that could not be done (exit 2).
  if (g.nothingAudited !== undefined) {
    io.stderr(`dualstack-audit: nothing to audit: ${g.nothingAudited}\n`);
    return 2;
  }
  return g.passed ? 0 : 1;
}

function buildProgram(io: CliIO, result: { code: number }): Command {
  const program = new Command();
  program
    .name('dualstack-audit')
    .description('Audit Kubernetes manifests for IPv4/IPv6 dual-stack readiness: what breaks, why, and how to fix it.')
    .version(toolVersion(), '-V, --version')
    .argument('[paths...]', "manifest files, directories (recursive *.yaml, *.yml, *.json) or '-' for stdin")
    .option('--cluster-families <families>', "the target cluster's Service families, primary first: ipv4 | ipv6 | ipv4,ipv6 | ipv6,ipv4 (default: ipv4,ipv6)")
    .addOption(new Option('-f, --format <format>', 'output format (docs/formats.md)').choices([...FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at or above this severity (default: high, or failOn in the config file)').choices([...SEVERITIES, 'never']))
    .option('--min-score <n>', 'exit 1 when the overall score is below n (0-100)')
    .option('-c, --config <file>', 'config file (default: .dualstack-audit.yaml, searched upward from the working directory)')
    .option('--baseline <file>', 'known findings (from --write-baseline) are suppressed: the gate fails only on new ones')
    .option('--write-baseline <file>', 'record the current findings as the baseline, then report with it applied')
    .option('--rule <id>', 'run only this rule (repeatable or comma-separated)', collect, [])
    .option('--disable-rule <id>', 'do not run this rule (repeatable or comma-separated)', collect, [])
    .option('--cloud-armor <file>', 'Cloud Armor policies exported with gcloud compute security-policies describe --format yaml (repeatable)', collect, [])
    .option('--resolve', 'look up A and AAAA of the external names the manifests use (ExternalName targets, Ingress/Gateway/Route hostnames, external-dns hostnames, FQDN policy targets); without it nothing touches the network')
    .option('--dns-server <host[:port]>', 'with --resolve: the DNS server to ask, an IP address (default: the system resolvers)')
    .option('--severity <rule=severity>', 'override a rule\'s severity (repeatable or comma-separated)', collect, [])
    .option('-n, --namespace <ns>', 'audit only these namespaces (repeatable or comma-separated)', collect, [])
    .option('--exclude-namespace <ns>', 'skip these namespaces (repeatable or comma-separated)', collect, [])
    .option('--context <name>', 'live: audit this kube context (repeatable or comma-separated: a fleet)', collect, [])
    .option('--all-contexts', 'live: audit every context of the kubeconfig, concurrently (a fleet)')
    .option('--kubeconfig <file>', 'live: use this kubeconfig file (default $KUBECONFIG, else ~/.kube/config, else in-cluster)')
    .option('--request-timeout <duration>', 'live: timeout of each API request, e.g. 30s, 1m; 0 for none (default 30s)')
    .addOption(new Option('--color <when>', 'colour in the text report (honours NO_COLOR and FORCE_COLOR with auto)').choices(['auto', 'always', 'never']).default('auto'))
    .option('-q, --quiet', 'text: only the score table and the gate; with -o, nothing on stderr')
    .option('--verbose', 'text: show fixes and every name without AAAA')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions()
    .action(async (paths: string[], opts: AuditOpts) => {
      result.code = await audit(paths, opts, io);
    });

  program
    .command('snapshot')
    .description('read what a live audit reads from a cluster and write it as one YAML List (audit it offline with `dualstack-audit FILE`)')
    .requiredOption('-o, --output <file>', 'the snapshot file (- for stdout)')
    .option('--context <name>', 'the kube context (default: the current one)', collect, [])
    .option('--kubeconfig <file>', 'use this kubeconfig file')
    .option('-n, --namespace <ns>', 'read only these namespaces (repeatable or comma-separated)', collect, [])
    .option('--request-timeout <duration>', 'timeout of each API request, e.g. 30s; 0 for none')
    .option('-q, --quiet', 'nothing on stderr')
    .action(async (opts: { output: string; context: string[]; kubeconfig?: string; namespace: string[]; requestTimeout?: string; quiet?: boolean }) => {
      const { snapshot } = await import('./cli-live.ts');
      result.code = await snapshot({ ...opts, excludeNamespace: [] }, io);
    });

  program
    .command('plan')
    .description('what applying these manifests to a cluster does to each Service: created, upgraded in place, kept, rejected or to recreate (docs/plan.md)')
    .argument('<paths...>', "manifest files, directories or '-' for stdin")
    .option('--against <file>', 'the cluster as stored: a snapshot (dualstack-audit snapshot) or kubectl get -o yaml|json output')
    .option('--context <name>', 'read the cluster live from this kube context (read-only: GET requests only)', collect, [])
    .option('--kubeconfig <file>', 'with --context: use this kubeconfig file')
    .option('--request-timeout <duration>', 'with --context: timeout of each API request, e.g. 30s; 0 for none')
    .option('--cluster-families <families>', "the cluster's Service families, primary first: ipv4 | ipv6 | ipv4,ipv6 | ipv6,ipv4 (default: inferred from the stored objects)")
    .addOption(new Option('--method <method>', 'how the manifests are sent: kubectl apply (three-way merge with last-applied-configuration), apply --server-side, or replace').choices(['apply', 'server-side', 'replace']).default('apply'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('-o, --output <file>', 'write the plan to a file instead of stdout')
    .option('-n, --namespace <ns>', 'the namespace of manifests that name none (as kubectl apply -n; default "default")')
    .option('-q, --quiet', 'with -o, nothing on stderr')
    .action(async (paths: string[], opts: import('./cli-plan.ts').PlanOpts) => {
      const { plan } = await import('./cli-plan.ts');
      result.code = await plan(paths, opts, io);
    });

  program
    .command('init')
    .description('write a commented starter config file (.dualstack-audit.yaml) in the working directory')
    .argument('[file]', 'the file to write', '.dualstack-audit.yaml')
    .option('--force', 'overwrite an existing file')
    .action((file: string, opts: { force?: boolean }) => {
      ciInput(() => initConfig(io.cwd ?? process.cwd(), file, Boolean(opts.force)));
      io.stderr(`Wrote ${file}: edit it; dualstack-audit reads it from this directory and below\n`);
      result.code = 0;
    });

  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action((opts: { format: string }) => {
      const metas = RULES.map((r) => r.meta);
      if (opts.format === 'json') io.stdout(`${JSON.stringify(metas, null, 2)}\n`);
      else if (opts.format === 'markdown') io.stdout(rulesIndexDoc(metas));
      else {
        const w = Math.max(...metas.map((m) => m.id.length));
        for (const m of metas) io.stdout(`${m.id.padEnd(w)}  ${m.category.padEnd(12)} ${m.severity.padEnd(8)} ${m.title}\n`);
      }
      result.code = 0;
    });

  program
    .command('explain')
    .description('show a rule\'s rationale, examples and fix')
    .argument('<rule-id>')
    .action((id: string) => {
      const r = RULES.find((x) => x.meta.id === id);
      if (!r) throw new UsageError(`unknown rule "${id}" (see \`dualstack-audit rules\`)`);
      io.stdout(ruleDoc(r.meta).replace(/^<!--.*-->\n/, ''));
      result.code = 0;
    });

  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

export async function main(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv]);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`dualstack-audit: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`dualstack-audit: internal error: ${err?.message ?? String(e)}\n` +
      `Please report it with the input that caused it${io.env.DUALSTACK_AUDIT_DEBUG ? `\n${err?.stack ?? ''}` : ' (set DUALSTACK_AUDIT_DEBUG=1 for a stack trace)'}.\n`);
    return 2;
  }
}

// The command line: commander -> cli/options -> load -> engine/analyze -> report/render -> stdout.
// The only writer to stdout/stderr (through CliIO); main() returns the exit code (0 gate passed,
// 1 gate failed, 2 could not audit) and never throws for user errors; only bin/ sets it.

import { Command, CommanderError, Option } from 'commander';
import { RULES } from '../rules/index.ts';
import { ruleDoc, rulesIndexDoc } from '../docs.ts';
import { FORMATS } from '../report/render.ts';
import { SEVERITIES } from '../model/types.ts';
import { audit } from './audit.ts';
import { escapeControls } from '../report/escape.ts';
import { anyCase, commandHint, programName, unknownRuleMessage } from './usage.ts';
import { initConfig } from './config-files.ts';
import { UsageError, defaultIO, gateOf, toolVersion, type CliIO } from './io.ts';
import { runFix } from './fix.ts';
import type { AuditOpts } from './options.ts';
import type { Report } from '../engine/types.ts';
import type { GateResult } from '../engine/gate.ts';

/** `fix`: the audit's target flags, and its own. */
type FixFlags = Pick<AuditOpts, 'clusterFamilies' | 'platform' | 'config' | 'baseline' | 'rule' | 'disableRule' | 'severity' | 'namespace' | 'excludeNamespace' | 'failOn' | 'minScore'>
  & { dryRun?: boolean; suggestions?: boolean; quiet?: boolean };

export type { CliIO } from './io.ts';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function buildProgram(io: CliIO, result: { code: number }, name: string): Command {
  const program = new Command();
  // Set before any .command(): subcommands copy these settings when created, so every one of them
  // (explain, rules, init included) writes through io and returns its exit code instead of exiting the process.
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  program
    .name(name)
    .description('Audit Kubernetes manifests for IPv4/IPv6 dual-stack readiness: what breaks, why, and how to fix it.')
    .version(toolVersion(), '-V, --version')
    .argument('[paths...]', "manifest files, directories (recursive *.yaml, *.yml, *.json) or '-' for stdin")
    .option('--cluster-families <families>', "the target cluster's Service families, primary first: ipv4 | ipv6 | ipv4,ipv6 | ipv6,ipv4 (default: ipv4,ipv6)")
    .addOption(new Option('-f, --format <format>', 'output format (docs/formats.md)').choices([...FORMATS]).argParser(anyCase(FORMATS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at or above this severity (default: high, or failOn in the config file); never: exit 0, the report still shows the gate').choices([...SEVERITIES, 'never']).argParser(anyCase([...SEVERITIES, 'never'])))
    .option('--min-score <n>', 'exit 1 when the overall score is below n (0-100)')
    .option('--allow-empty', 'pass (exit 0) when there is nothing to audit: no Kubernetes objects, or none a rule applies to; for hooks given only the files a commit changes (default: exit 2)')
    .option('--allow-partial', 'live: pass the gate although some kinds could not be read (their rules are not evaluated); default: exit 1 naming them (or allowPartial in the config file)')
    .option('-c, --config <file>', 'config file (default: .dualstack-audit.yaml, searched upward from the working directory)')
    .option('--baseline <file>', 'known findings (from --write-baseline) are suppressed: the gate fails only on new ones')
    .option('--write-baseline <file>', 'record the current findings as the baseline, then report with it applied')
    .option('--rule <id>', 'run only this rule (repeatable or comma-separated)', collect, [])
    .option('--disable-rule <id>', 'do not run this rule (repeatable or comma-separated)', collect, [])
    .option('--cloud-armor <file>', 'Cloud Armor policies exported with gcloud compute security-policies describe --format yaml (repeatable)', collect, [])
    .option('--gcp <file>', 'the GCP network layer: gcloud container clusters / compute networks, subnets, addresses describe output, or terraform show -json (repeatable; a directory for its files)', collect, [])
    .option('--platform <name>', 'gke | generic (default: inferred from GKE evidence in the input)')
    .option('--resolve', 'look up A and AAAA of the external names the manifests use (ExternalName targets, Ingress/Gateway/Route hostnames, external-dns hostnames, FQDN policy targets); without it nothing touches the network')
    .option('--dns-server <host[:port]>', 'with --resolve: the DNS server to ask, an IP address (default: the system resolvers)')
    .option('--severity <rule=severity>', 'override a rule\'s severity (repeatable or comma-separated)', collect, [])
    .option('-n, --namespace <ns>', 'audit only these namespaces (repeatable or comma-separated)', collect, [])
    .option('--exclude-namespace <ns>', 'skip these namespaces (repeatable or comma-separated)', collect, [])
    .option('--exclude <glob>', 'leave these paths out of directory walks: * and ? within a segment, ** across segments, dir/ for directories (repeatable or comma-separated)', collect, [])
    .option('--follow-symlinks', 'follow symbolic links to directories outside the directories given (by default they are reported, not followed)')
    .option('--context <name>', 'live: audit this kube context (repeatable or comma-separated: a fleet)', collect, [])
    .option('--all-contexts', 'live: audit every context of the kubeconfig, concurrently (a fleet)')
    .option('--kubeconfig <file>', 'live: use this kubeconfig file (default $KUBECONFIG, else ~/.kube/config, else in-cluster)')
    .option('--request-timeout <duration>', 'live: timeout of each whole API request (connect to last byte), e.g. 30s, 1m; 0 for none (default 30s)')
    .option('--kind-deadline <duration>', 'live: total time for reading one kind (all pages, retries, restarts); past it the kind is not evaluated; 0 for none (default 5m)')
    .addOption(new Option('--configmaps <scope>', 'live: list ConfigMaps in every namespace read (all, the default) or in kube-system only; either way only those the audit recognises are kept').choices(['all', 'kube-system']).argParser(anyCase(['all', 'kube-system'])))
    .addOption(new Option('--color <when>', 'colour in the text report (honours NO_COLOR and FORCE_COLOR with auto)').choices(['auto', 'always', 'never']).argParser(anyCase(['auto', 'always', 'never'])).default('auto'))
    .option('--chart-root <dir>', 'Helm output: where to find the charts named by # Source: comments, to report the templates\' repository paths (default: the working directory)')
    .option('-q, --quiet', 'text: only the score table and the gate; with -o, nothing on stderr')
    .option('--verbose', 'text: show fixes and every name without AAAA')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions()
    .action(async (paths: string[], opts: AuditOpts) => {
      try {
        result.code = await audit(paths, opts, io);
      } catch (e) {
        // `dualstack-audit expain x` reads "expain" as a path: name the command it resembles.
        const hint = e instanceof UsageError && /no such file/.test(e.message) ? commandHint(paths, program.commands.map((c) => c.name())) : '';
        throw hint ? new UsageError(`${e instanceof Error ? e.message : String(e)}${hint}`) : e;
      }
    });

  program
    .command('snapshot')
    .description('read what a live audit reads from a cluster and write it as one YAML List (audit it offline with `dualstack-audit FILE`)')
    .requiredOption('-o, --output <file>', 'the snapshot file (- for stdout)')
    .option('--context <name>', 'the kube context (default: the current one)', collect, [])
    .option('--kubeconfig <file>', 'use this kubeconfig file')
    .option('-n, --namespace <ns>', 'read only these namespaces (repeatable or comma-separated)', collect, [])
    .option('--request-timeout <duration>', 'timeout of each whole API request, e.g. 30s; 0 for none')
    .option('--kind-deadline <duration>', 'total time for reading one kind, e.g. 5m; 0 for none (default 5m)')
    .addOption(new Option('--configmaps <scope>', 'list ConfigMaps in every namespace read (all, the default) or in kube-system only; only those the audit recognises are written').choices(['all', 'kube-system']).argParser(anyCase(['all', 'kube-system'])))
    .option('-q, --quiet', 'nothing on stderr')
    .action(async (opts: { output: string; context: string[]; kubeconfig?: string; namespace: string[]; requestTimeout?: string; kindDeadline?: string; configmaps?: string; quiet?: boolean }) => {
      const { snapshot } = await import('./snapshot.ts');
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
    .action(async (paths: string[], opts: import('./plan.ts').PlanOpts) => {
      const { plan } = await import('./plan.ts');
      result.code = await plan(paths, opts, io);
    });

  program
    .command('fix')
    .description('apply the fixes to the files the findings came from, keeping every comment and the layout (docs/fix.md)')
    .argument('<paths...>', 'manifest files or directories (recursive *.yaml, *.yml, *.json)')
    .option('--dry-run', 'write nothing: print a unified diff of the changes (git apply reads it)')
    .option('--suggestions', 'also apply the suggestions (changes of behaviour or choices), not only the fixes')
    .option('--cluster-families <families>', "the target cluster's Service families, primary first: ipv4 | ipv6 | ipv4,ipv6 | ipv6,ipv4")
    .option('--platform <name>', 'gke | generic (default: inferred from GKE evidence in the input)')
    .option('-c, --config <file>', 'config file (default: .dualstack-audit.yaml, searched upward from the working directory)')
    .option('--baseline <file>', 'findings recorded in this baseline are suppressed, and so not fixed')
    .option('--rule <id>', 'fix only the findings of this rule (repeatable or comma-separated)', collect, [])
    .option('--disable-rule <id>', 'do not run this rule (repeatable or comma-separated)', collect, [])
    .option('--severity <rule=severity>', 'override a rule\'s severity (repeatable or comma-separated)', collect, [])
    .option('-n, --namespace <ns>', 'fix only these namespaces (repeatable or comma-separated)', collect, [])
    .option('--exclude-namespace <ns>', 'skip these namespaces (repeatable or comma-separated)', collect, [])
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding left after fixing is at or above this severity (default: high)').choices([...SEVERITIES, 'never']))
    .option('--min-score <n>', 'exit 1 when the score after fixing is below n (0-100)')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (paths: string[], opts: FixFlags) => {
      if (paths.length === 1 && paths[0] === '-') io.stderr('dualstack-audit: fix reads stdin but cannot write it back: nothing will be changed\n');
      const auditOpts: AuditOpts = { ...opts, format: 'text', color: 'never', context: [], cloudArmor: [] };
      // The re-audit after writing reads stdin again: it gets what the first read got.
      let stdin: Promise<Uint8Array> | undefined;
      const once: CliIO = { ...io, readStdin: () => (stdin ??= io.readStdin()) };
      const analyze = (): Promise<{ report: Report; gate: (r: Report) => GateResult }> => new Promise((resolve, reject) => {
        audit(paths, auditOpts, once, async (report, out) => {
          resolve({ report, gate: (r) => gateOf(r, out) });
          return 0;
        }).catch(reject);
      });
      result.code = await runFix(opts, io, analyze);
    });


  program
    .command('init')
    .description('write a commented starter config file (.dualstack-audit.yaml) in the working directory')
    .argument('[file]', 'the file to write', '.dualstack-audit.yaml')
    .option('--force', 'overwrite an existing file')
    .action((file: string, opts: { force?: boolean }) => {
      initConfig(io.cwd ?? process.cwd(), file, Boolean(opts.force));
      io.stderr(`Wrote ${file}: edit it; dualstack-audit reads it from this directory and below\n`);
      result.code = 0;
    });

  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).argParser(anyCase(['text', 'json', 'markdown'])).default('text'))
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
      if (!r) throw new UsageError(unknownRuleMessage('', id, RULES.map((x) => x.meta.id)));
      io.stdout(ruleDoc(r.meta).replace(/^<!--.*-->\n/, ''));
      result.code = 0;
    });

  return program;
}

export async function main(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result, programName(argv));
  try {
    await program.parseAsync([...argv]);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      // Messages name files and values from the input: one line, no terminal sequences, no workflow command.
      io.stderr(`dualstack-audit: ${escapeControls(e.message)}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`dualstack-audit: internal error: ${escapeControls(err?.message ?? String(e))}\n` +
      `Please report it with the input that caused it${io.env.DUALSTACK_AUDIT_DEBUG ? `\n${err?.stack ?? ''}` : ' (set DUALSTACK_AUDIT_DEBUG=1 for a stack trace)'}.\n`);
    return 2;
  }
}

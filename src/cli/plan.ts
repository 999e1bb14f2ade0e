// `dualstack-audit plan [paths...] --against FILE | --context NAME`: the I/O edge of src/plan/.
// Reads the manifests and the stored objects (a snapshot or `kubectl get -o yaml|json` output,
// or a live context read-only through load/cluster.ts), then plans and prints. Loaded by cli/index.ts
// only for the plan command.

import { writeFileSync } from 'node:fs';
import { loadPaths } from '../load/files.ts';
import { splitSnapshot } from '../load/snapshot.ts';
import { ClusterAccessError, loadCluster } from '../load/cluster.ts';
import { clusterOptions } from './cluster.ts';
import { parseFamilies } from './options.ts';
import { UsageError, readOptions, toolVersion, type CliIO } from './io.ts';
import { inferServiceFamilies, type FamiliesDecision } from '../plan/families.ts';
import { planExitCode, planServices, type Plan } from '../plan/plan.ts';
import { METHODS, type Method } from '../plan/request.ts';
import { PLAN_FORMATS, formatPlan, type PlanFormat } from '../plan/report.ts';
import type { InputDocument, LoadProblem } from '../model/types.ts';
import { escapeControls } from '../report/escape.ts';

export interface PlanOpts {
  against?: string;
  context: string[];
  kubeconfig?: string;
  requestTimeout?: string;
  clusterFamilies?: string;
  method: string;
  format: string;
  output?: string;
  namespace?: string;
  quiet?: boolean;
}

/** What a plan reads live: the Services, and what tells the cluster's Service families. */
const PLAN_KINDS: readonly string[] = ['Service', 'ServiceCIDR', 'Node'];

const splitList = (l: readonly string[]): string[] => l.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
const problemLine = (p: LoadProblem): string => `${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`;

export async function plan(paths: string[], o: PlanOpts, io: CliIO): Promise<number> {
  if (!(METHODS as readonly string[]).includes(o.method)) throw new UsageError(`--method must be one of ${METHODS.join('|')} (got "${o.method}")`);
  if (!(PLAN_FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`plan --format must be one of ${PLAN_FORMATS.join('|')} (got "${o.format}")`);
  const contexts = splitList(o.context);
  if (paths.length === 0) throw new UsageError('plan needs the manifests to plan: files, directories or - (stdin)');
  if ((o.against === undefined) === (contexts.length === 0)) throw new UsageError('plan needs exactly one of --against FILE (a snapshot or kubectl get -o yaml output) and --context NAME');
  if (contexts.length > 1) throw new UsageError('plan reads one context (give one --context)');
  if (o.against !== undefined && (o.kubeconfig !== undefined || o.requestTimeout !== undefined)) {
    throw new UsageError('--kubeconfig and --request-timeout apply to plan --context');
  }
  if (paths.filter((p) => p === '-').length > 1 || (paths.includes('-') && o.against === '-')) throw new UsageError('stdin (-) can be read only once');
  const explicit: FamiliesDecision | undefined = o.clusterFamilies !== undefined
    ? { families: parseFamilies(o.clusterFamilies), from: 'flag', evidence: [] } : undefined;

  const manifests = await loadPaths(paths, { readStdin: io.readStdin, ...readOptions(io) });
  const missing = manifests.problems.filter((p) => paths.includes(p.file ?? '') && /cannot read/.test(p.message));
  if (missing.length === paths.length) throw new UsageError(missing.map(problemLine).join('; '));
  const manifestNamespaces = new Set<string>([o.namespace ?? 'default']);
  for (const d of manifests.documents) {
    const m = d.object.metadata as Record<string, unknown> | undefined;
    if (d.object.kind === 'Service' && typeof m?.namespace === 'string') manifestNamespaces.add(m.namespace);
  }

  let stored: InputDocument[];
  let against: Plan['against'];
  const problems: LoadProblem[] = [...manifests.problems];
  if (o.against !== undefined) {
    const loaded = await loadPaths([o.against], { readStdin: io.readStdin, ...readOptions(io) });
    const unreadable = loaded.problems.find((p) => p.file === o.against && /cannot read/.test(p.message));
    if (unreadable) throw new UsageError(`--against ${unreadable.file}: ${unreadable.message}`);
    const snap = splitSnapshot(loaded.documents);
    const noServices = snap.meta?.notEvaluated.find((n) => n.kind === 'Service');
    if (noServices) throw new UsageError(`--against ${o.against}: the snapshot could not read Services (${noServices.message}), so every Service would look new`);
    stored = snap.docs;
    problems.push(...loaded.problems);
    against = { source: o.against === '-' ? '<stdin>' : o.against, ...(snap.meta ? { context: snap.meta.context } : {}), kind: snap.meta ? 'snapshot' : 'objects' };
  } else {
    const base = clusterOptions({ context: contexts, namespace: [...manifestNamespaces], excludeNamespace: [], ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), ...(o.requestTimeout !== undefined ? { requestTimeout: o.requestTimeout } : {}) }, io);
    try {
      // Read-only: the live reader sends GET requests only. last-applied-configuration is kept for --method apply.
      const res = await loadCluster({ ...base, context: contexts[0]!, keepLastApplied: true, kinds: PLAN_KINDS });
      stored = res.documents;
      problems.push(...res.problems);
      if (res.notEvaluated.some((n) => n.kind === 'Service')) {
        throw new UsageError(`context "${res.context}": cannot read Services (${res.notEvaluated.find((n) => n.kind === 'Service')!.message})`);
      }
      against = { source: res.server, context: res.context, kind: 'live' };
    } catch (e) {
      if (e instanceof ClusterAccessError) throw new UsageError(e.message);
      throw e;
    }
  }

  const families = explicit ?? inferServiceFamilies(stored);
  if (!families) {
    throw new UsageError(`cannot tell the cluster's Service families from ${against.source}: it holds no ServiceCIDR, no default/kubernetes Service and no Service with a cluster IP; pass --cluster-families`);
  }
  if (families.from === 'undetermined') {
    // A plan predicts exact outcomes: it does not guess between what the evidence allows (docs/families.md).
    throw new UsageError(`cannot tell the cluster's Service families from ${against.source}: the evidence allows ${(families.candidates ?? []).map((c) => c.join(',')).join(' or ')} (` +
      `${families.evidence.slice(0, -1).join('; ')}); check the kube-apiserver --service-cluster-ip-range flag and pass --cluster-families`);
  }
  const result = planServices({
    manifests: manifests.documents, stored, clusterFamilies: families, method: o.method as Method, against,
    sources: paths.map((p) => (p === '-' ? '<stdin>' : p)), problems,
    tool: { name: 'dualstack-audit', version: toolVersion() },
    ...(o.namespace ? { defaultNamespace: o.namespace } : {}),
    locate: (d) => (d.source ? manifests.locator.locate(d.source, ['metadata', 'name']) : undefined),
  });
  const text = formatPlan(result, o.format as PlanFormat);
  const code = planExitCode(result);
  if (o.output) {
    try {
      writeFileSync(o.output, text);
    } catch (e) {
      throw new UsageError(`cannot write ${o.output}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!o.quiet) {
      const s = result.summary;
      io.stderr(`Wrote ${o.output}: ${result.services.length} Service(s); ${s.accepted} accepted, ${s.rejected} rejected, ${s.recreate} to recreate\n`);
    }
  } else {
    io.stdout(text);
  }
  for (const p of problems) io.stderr(`dualstack-audit: ${escapeControls(problemLine(p))}
`);
  return code;
}

// `dualstack-audit snapshot -o FILE`: write what a live audit reads, for an offline re-run
// (`dualstack-audit FILE` audits it through the same pipeline as the live run).

import { loadCluster, type ClusterLoadResult } from '../load/cluster.ts';
import { snapshotYaml } from '../load/snapshot.ts';
import { inferFamiliesOfDocs } from '../model/families.ts';
import { accessToUsage, clusterOptions, progressLine } from './cluster.ts';
import type { LiveOpts } from './options.ts';
import { splitList } from './options.ts';
import { UsageError, toolVersion, writeOutput, type CliIO } from './io.ts';

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
  const text = snapshotYaml({ context: res.context, server: res.server, ...(base.namespaces ? { namespaces: base.namespaces } : {}), read: res.read, notEvaluated: res.notEvaluated, notInstalled: res.notInstalled,
    ...(base.configMaps === 'kube-system' ? { configMaps: 'kube-system' as const } : {}) },
    res.documents, { name: 'dualstack-audit', version: toolVersion() });
  // The families an audit of this snapshot will infer (docs/families.md), so whoever took it can say if they are wrong.
  const fams = inferFamiliesOfDocs(res.documents, { stored: true });
  writeOutput(io, o.output === '-' ? undefined : o.output, text, `${res.documents.length} objects from context "${res.context}"` +
    `${res.notEvaluated.length > 0 ? `; not readable: ${[...new Set(res.notEvaluated.map((n) => n.kind))].join(', ')}` : ''}` +
    `; Service families ${fams.from === 'undetermined' ? `undetermined (${(fams.candidates ?? []).map((c) => c.join(',')).join(' or ')}: the audit needs --cluster-families to decide)` : `${fams.families.join(',')} (${fams.from})`}`, o.quiet);
  return 0;
}

// Snapshots: what a live audit read, as one YAML List, so the audit can be re-run offline and
// shared. The first item is an AuditSnapshot object (the context, the server, what was read,
// with the ConfigMaps dropped as not recognised counted, what could not be read, the optional
// kinds the cluster does not serve); the rest are the objects as the apiserver returned them, with
// managedFields and similar noise stripped (load/cluster.ts stripNoise); ConfigMaps the model
// does not recognise were never kept, so they are not in it. An offline audit that meets an
// AuditSnapshot runs the live-only rules with the same "not evaluated" and "not installed" kinds.

import jsyaml from 'js-yaml';
import type { InputDocument } from '../model/types.ts';
import type { KindRead, NotEvaluated, NotInstalled } from './cluster.ts';
import { NOT_EVALUATED_REASONS } from '../engine/types.ts';

export const SNAPSHOT_API_VERSION = 'dualstack-audit.io/v1';
export const SNAPSHOT_KIND = 'AuditSnapshot';

export interface SnapshotMeta {
  readonly context: string;
  readonly server: string;
  readonly namespaces?: readonly string[];
  readonly read: readonly KindRead[];
  readonly notEvaluated: readonly NotEvaluated[];
  /** Optional kinds (CRDs) the cluster did not serve. */
  readonly notInstalled?: readonly NotInstalled[];
  /** --configmaps kube-system: ConfigMaps were listed in kube-system only. */
  readonly configMaps?: 'kube-system';
}

/** The snapshot file text. */
export function snapshotYaml(meta: SnapshotMeta, docs: readonly InputDocument[], tool: { name: string; version: string }): string {
  const header = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    metadata: { name: meta.context },
    tool: `${tool.name} ${tool.version}`,
    context: meta.context,
    server: meta.server,
    ...(meta.namespaces && meta.namespaces.length > 0 ? { namespaces: [...meta.namespaces] } : {}),
    read: meta.read.map((r) => ({ ...r })),
    notEvaluated: meta.notEvaluated.map((n) => ({ ...n })),
    ...(meta.notInstalled && meta.notInstalled.length > 0 ? { notInstalled: meta.notInstalled.map((n) => ({ ...n })) } : {}),
    ...(meta.configMaps ? { configMaps: meta.configMaps } : {}),
  };
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [header, ...docs.map((d) => d.object)] };
  return `# dualstack-audit snapshot of context "${meta.context}" (${meta.server}): audit it offline with \`dualstack-audit FILE\`\n${jsyaml.dump(list, { noRefs: true, lineWidth: -1, sortKeys: false })}`;
}

/** An AuditSnapshot header (the first item of a snapshot file). */
export const isSnapshot = (d: InputDocument): boolean => d.object.apiVersion === SNAPSHOT_API_VERSION && d.object.kind === SNAPSHOT_KIND;

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Separate AuditSnapshot headers from the objects. meta is the first header found. */
export function splitSnapshot(docs: readonly InputDocument[]): { docs: InputDocument[]; meta?: SnapshotMeta } {
  const header = docs.find(isSnapshot);
  if (!header) return { docs: [...docs] };
  return { docs: docs.filter((d) => !isSnapshot(d)), meta: snapshotMeta(header) };
}

/** What an AuditSnapshot header (isSnapshot) says about the live read it records. */
export function snapshotMeta(header: InputDocument): SnapshotMeta {
  const o = header.object;
  const notEvaluated = arr(o.notEvaluated).filter((n): n is NotEvaluated => {
    const x = n as Record<string, unknown>;
    return typeof x?.kind === 'string' && typeof x.apiVersion === 'string' && NOT_EVALUATED_REASONS.includes(x.reason as string) && typeof x.message === 'string';
  });
  const read = arr(o.read).filter((r): r is KindRead => typeof (r as KindRead)?.kind === 'string');
  const notInstalled = arr(o.notInstalled).filter((n): n is NotInstalled => typeof (n as NotInstalled)?.kind === 'string' && typeof (n as NotInstalled).resource === 'string');
  return {
    context: typeof o.context === 'string' ? o.context : '(unknown)',
    server: typeof o.server === 'string' ? o.server : '',
    ...(Array.isArray(o.namespaces) ? { namespaces: o.namespaces.filter((n): n is string => typeof n === 'string') } : {}),
    read,
    notEvaluated,
    ...(notInstalled.length > 0 ? { notInstalled } : {}),
    ...(o.configMaps === 'kube-system' ? { configMaps: 'kube-system' as const } : {}),
  };
}

// Which platform the audited objects run on: `gke` or `generic`. From --platform or the config
// file's `platform:`, else inferred from GKE evidence in the input: a GKE cluster in any of its
// three forms (model/gcp.ts), Nodes that GKE made (the cloud.google.com/gke-nodepool label, a
// gce:// providerID), or GKE kinds, annotations and classes (model/gke.ts gkeFiles). Pure.
// Sources: GKE node labels (https://cloud.google.com/kubernetes-engine/docs/how-to/creating-managing-labels,
// cloud.google.com/gke-nodepool); the GCE provider ID form gce://PROJECT/ZONE/INSTANCE
// (kubernetes/cloud-provider-gcp providers/gce/gce_instances.go).

import type { InputDocument } from './types.ts';
import { isObject } from './resources.ts';
import type { GcpModel } from './gcp.ts';
import type { Locate } from './cluster-config.ts';

export type PlatformName = 'gke' | 'generic';
export const PLATFORMS: readonly PlatformName[] = ['gke', 'generic'];

export interface Platform {
  readonly name: PlatformName;
  readonly from: 'flag' | 'config' | 'inferred' | 'default';
  /** Why, when inferred: "ContainerCluster web (gcloud) in cluster.yaml:1". */
  readonly evidence?: readonly string[];
}

const MAX_EVIDENCE = 3;

const where = (d: { source?: { file: string; doc: number; item?: number } }, locate?: Locate): string => {
  if (!d.source) return '';
  const loc = locate?.(d.source, []);
  return ` in ${loc ? `${loc.file}:${loc.line}` : d.source.file}`;
};

/**
 * Evidence that the cluster itself is GKE, which holds for every object of the input: a GKE
 * cluster in any of its three forms, or Nodes that GKE made. (GKE kinds and annotations in a file
 * hold for that file only: the input may gather several projects.)
 */
export function clusterGkeEvidence(docs: readonly InputDocument[], gcp: GcpModel, locate?: Locate): string[] {
  const evidence: string[] = [];
  for (const c of gcp.clusters) if (evidence.length < MAX_EVIDENCE) evidence.push(`${c.label}${where(c, locate)}`);
  for (const d of docs) {
    if (evidence.length >= MAX_EVIDENCE) break;
    const o = d.object;
    if (o.kind !== 'Node' || o.apiVersion !== 'v1') continue;
    const meta = isObject(o.metadata) ? o.metadata : {};
    const labels = isObject(meta.labels) ? meta.labels : {};
    const spec = isObject(o.spec) ? o.spec : {};
    const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
    if (typeof labels['cloud.google.com/gke-nodepool'] === 'string') evidence.push(`Node/${name} label cloud.google.com/gke-nodepool`);
    else if (typeof spec.providerID === 'string' && spec.providerID.startsWith('gce://')) evidence.push(`Node/${name} providerID ${spec.providerID.split('/').slice(0, 3).join('/')}/...`);
  }
  return evidence;
}

/** The platform of the input: the one given, else inferred, else generic. `cluster`: clusterGkeEvidence, when the caller has it. */
export function inferPlatform(
  docs: readonly InputDocument[], gcp: GcpModel, gkeFiles: ReadonlySet<string>,
  given?: { readonly name: PlatformName; readonly from: 'flag' | 'config' }, locate?: Locate, cluster?: readonly string[],
): Platform {
  if (given) return { name: given.name, from: given.from };
  const evidence = [...(cluster ?? clusterGkeEvidence(docs, gcp, locate))];
  for (const f of gkeFiles) {
    if (evidence.length >= MAX_EVIDENCE) break;
    evidence.push(`GKE kinds, annotations or classes in ${f}`);
  }
  return evidence.length > 0 ? { name: 'gke', from: 'inferred', evidence } : { name: 'generic', from: 'default' };
}

// Generic facts every object has: its reference, source, labels and annotations.

import type { InputDocument, ResourceRef, SourceRef } from './types.ts';
import { LIVE_KINDS } from './kinds.ts';

export interface Resource {
  readonly ref: ResourceRef;
  readonly source?: SourceRef;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The object carries the apiserver's marks (isStoredObject): it is judged as stored state, not as a manifest. */
  readonly stored?: true;
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** JSON with sorted keys: equal for equal content, whatever the key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A string map (labels, annotations, selectors); non-string values are dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

/** Namespaced kinds default to "default" when metadata.namespace is absent (as kubectl apply does). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume',
  'StorageClass', 'IngressClass', 'GatewayClass', 'ServiceCIDR', 'IPAddress', 'PriorityClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'CSIDriver',
  'ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy', 'GlobalNetworkSet', 'IPPool', 'FelixConfiguration', 'Installation', 'ClusterIssuer',
  'ClusterConfiguration', 'Cluster', 'KubeProxyConfiguration', 'KubeletConfiguration', 'InitConfiguration',
  'JoinConfiguration', 'BGPConfiguration', 'BGPPeer',
  // A Corefile file read by the loader (synthetic object, see load/files.ts).
  'Corefile',
]);

/** Kinds the registry (model/kinds.ts) reads only cluster-scoped (CRDs such as CiliumLoadBalancerIPPool, ClusterRules). */
const REGISTRY_CLUSTER_SCOPED = new Set(LIVE_KINDS.filter((k) => !k.namespaced && LIVE_KINDS.every((o) => o.kind !== k.kind || !o.namespaced)).map((k) => k.kind));

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind) || REGISTRY_CLUSTER_SCOPED.has(kind);
}

/**
 * An object as the apiserver stores it (`kubectl get -o yaml`, a live read, a snapshot), not as
 * someone wrote it: metadata.uid, which only the apiserver assigns, with its resourceVersion or
 * creationTimestamp. `kubectl create --dry-run=client -o yaml` writes `creationTimestamp: null`
 * and `status: {}` and no uid: a manifest.
 */
export function isStoredObject(o: Readonly<Record<string, unknown>>): boolean {
  const meta = o.metadata;
  if (!isObject(meta) || typeof meta.uid !== 'string' || meta.uid === '') return false;
  return (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '') || typeof meta.creationTimestamp === 'string';
}

/** The name findings give an object: metadata.name, else `<generateName>*`, else "(unnamed)" (an IstioOperator often has none). */
export function resourceName(meta: Readonly<Record<string, unknown>>): string {
  return str(meta.name) ?? (str(meta.generateName) ? `${str(meta.generateName)}*` : '(unnamed)');
}

/** The generic Resource of a document; `name` falls back to "(unnamed)" (e.g. generateName). */
export function toResource(doc: InputDocument): Resource {
  const o = doc.object;
  const meta = isObject(o.metadata) ? o.metadata : {};
  const kind = String(o.kind);
  const name = resourceName(meta);
  // gcloud and Terraform resources read by load/gcp.ts (model/gcp.ts) are not Kubernetes objects: no namespace.
  const ns = str(meta.namespace) ?? (isClusterScoped(kind) || /^(gcloud|terraform)\.dualstack-audit\.local\//.test(String(o.apiVersion)) ? undefined : 'default');
  const ref: ResourceRef = ns === undefined
    ? { apiVersion: String(o.apiVersion), kind, name }
    : { apiVersion: String(o.apiVersion), kind, namespace: ns, name };
  const r: Resource = { ref, labels: stringMap(meta.labels), annotations: stringMap(meta.annotations), ...(isStoredObject(o) ? { stored: true as const } : {}) };
  return doc.source ? { ...r, source: doc.source } : r;
}

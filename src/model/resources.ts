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

/** Strings interned by intern(): a bounded table, started afresh when full. */
const interned = new Map<string, string>();
const INTERNED_MAX = 4096;

/**
 * One copy of a short string that recurs across documents (kinds, API versions, namespaces,
 * Service types): each document read brings its own copy, which the model would otherwise keep
 * once per object after the documents are let go. Equal strings are interchangeable.
 */
export function intern(s: string): string {
  if (s.length > 64) return s;
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size >= INTERNED_MAX) interned.clear();
  interned.set(s, s);
  return s;
}

/**
 * The same text as one flat string. A string built by concatenation (a template literal, `+`,
 * path.join) is a V8 rope: a tree of pieces, which may keep the larger strings its pieces were cut
 * from. For strings kept once per file or document while the input is read (the walk's paths)
 * the tree costs more than the text: seven pieces are ~190 bytes as a rope and ~70 flat.
 * JSON.parse of the string's JSON makes a new flat string with exactly the same code units (lone
 * surrogates included). Neither a Map lookup nor Number() flattens a rope for good. A string
 * made fresh is cheaper flat from the start: `[a, b].join(sep)` makes one flat string. Pure.
 */
export function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** JSON with sorted keys: equal for equal content, whatever the key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The one empty string map: most objects have no annotations, many no labels (an empty `{}` takes 56 bytes). */
export const NO_STRINGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * kubectl's copy of the whole object it applied (`kubectl get -o yaml` output carries it). No
 * rule reads it (plan/request.ts reads it from the live objects themselves), so Resource
 * annotations leave it out: the model would otherwise keep a second copy of each such object.
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A string map (labels, annotations, selectors); non-string values are dropped, and so is the
 * key `skip` when given. Empty: the shared frozen NO_STRINGS.
 */
export function stringMap(v: unknown, skip?: string): Readonly<Record<string, string>> {
  if (!isObject(v)) return NO_STRINGS;
  let out: Record<string, string> | undefined;
  for (const [k, val] of Object.entries(v)) {
    if (k === skip) continue;
    if (typeof val === 'string') (out ??= {})[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') (out ??= {})[k] = String(val);
  }
  return out ?? NO_STRINGS;
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

/**
 * Each document's Resource, made once: the model builders all start from it (resources, Services,
 * workloads, policies, coexistence...), and one ref, labels and annotations per document, instead
 * of one per builder, is what a streaming model keeps until its final freeze. Dies with the
 * document. Not frozen here: the model's final freeze shares equal labels and refs across
 * documents, which it can only do in objects not yet frozen. Nothing writes to a Resource.
 */
const resourceOf = new WeakMap<InputDocument, Resource>();

/** The generic Resource of a document (one per document, read-only); `name` falls back to "(unnamed)" (e.g. generateName). */
export function toResource(doc: InputDocument): Resource {
  let r = resourceOf.get(doc);
  if (!r) resourceOf.set(doc, (r = makeResource(doc)));
  return r;
}

function makeResource(doc: InputDocument): Resource {
  const o = doc.object;
  const meta = isObject(o.metadata) ? o.metadata : {};
  const kind = intern(String(o.kind));
  const name = resourceName(meta);
  // gcloud and Terraform resources read by load/gcp.ts (model/gcp.ts) are not Kubernetes objects: no namespace.
  const apiVersion = intern(String(o.apiVersion));
  const ns = typeof meta.namespace === 'string' ? intern(meta.namespace) : (isClusterScoped(kind) || /^(gcloud|terraform)\.dualstack-audit\.local\//.test(apiVersion) ? undefined : 'default');
  const ref: ResourceRef = ns === undefined
    ? { apiVersion, kind, name }
    : { apiVersion, kind, namespace: ns, name };
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations, LAST_APPLIED);
  // Literals, not spreads of a conditional: an object a spread builds may get a hidden class of
  // its own (V8), which at 100,000 documents was ~15 MB of classes for identical Resource shapes.
  const source = doc.source;
  if (isStoredObject(o)) return source ? { ref, labels, annotations, stored: true, source } : { ref, labels, annotations, stored: true };
  return source ? { ref, labels, annotations, source } : { ref, labels, annotations };
}

// Which objects of the input can be in one cluster together. An object is identified by its API
// group, kind, namespace and name: the apiserver stores one object per identity, and
// `kubectl apply` of a second copy replaces the first. A file is applied whole, so two files that
// define one object with different content are alternatives (overlays, variants, copies of one
// example): the objects of one never meet those of the other in a cluster. Links between objects
// (Ingress -> Service, HTTPRoute -> Gateway, Service -> pods, BackendConfig -> Service) are made
// only between objects that can coexist. Copies with identical content are one object declared
// twice (kubectl apply is idempotent) and do not make their files alternatives. Pure.

import type { InputDocument, LoadProblem, ResourceRef, SourceRef } from './types.ts';
import { canonical, toResource } from './resources.ts';
import type { Locate } from './cluster-config.ts';

export interface DuplicateObject {
  readonly ref: ResourceRef;
  /** Every copy, in input order (two or more). */
  readonly sources: readonly SourceRef[];
  /** All copies have the same content. */
  readonly identical: boolean;
}

export interface Coexistence {
  /** Objects defined more than once in the input, in input order of their first copy. */
  readonly duplicates: readonly DuplicateObject[];
  /**
   * For each file that holds a copy of an object defined differently elsewhere: that object's
   * identity -> which content the file's copy has (an index; -1 when the file itself holds two
   * different copies).
   */
  readonly variants: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** An input without duplicates (live objects, tests). */
export const noDuplicates = (): Coexistence => ({ duplicates: [], variants: new Map() });

/** API groups that serve the same stored objects under an older name. */
const GROUP_ALIASES: Readonly<Record<string, string>> = {
  'extensions/Ingress': 'networking.k8s.io', 'extensions/NetworkPolicy': 'networking.k8s.io',
  'extensions/Deployment': 'apps', 'extensions/DaemonSet': 'apps', 'extensions/ReplicaSet': 'apps',
};

/** The identity of an object (API group, kind, namespace, name), or undefined when it has none of its own. */
export function identity(doc: InputDocument): { key: string; ref: ResourceRef } | undefined {
  const o = doc.object;
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  // The loader's synthetic objects (Corefile files, gcloud and Terraform exports) are not Kubernetes objects.
  if (apiVersion.includes('dualstack-audit.local')) return undefined;
  const r = toResource(doc);
  // generateName objects get a fresh name each time; unnamed ones are not applied at all.
  if (r.ref.name === '(unnamed)' || r.ref.name.endsWith('*')) return undefined;
  const g = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const group = GROUP_ALIASES[`${g}/${r.ref.kind}`] ?? g;
  return { key: `${group}\u0000${r.ref.kind}\u0000${r.ref.namespace ?? ''}\u0000${r.ref.name}`, ref: r.ref };
}

/** Finds the objects the input defines more than once. Documents without a source (live objects) are unique. */
export function buildCoexistence(docs: readonly InputDocument[]): Coexistence {
  const seen = new Map<string, { ref: ResourceRef; docs: InputDocument[] }>();
  for (const doc of docs) {
    if (!doc.source) continue;
    const id = identity(doc);
    if (!id) continue;
    const e = seen.get(id.key);
    if (e) e.docs.push(doc);
    else seen.set(id.key, { ref: id.ref, docs: [doc] });
  }
  const duplicates: DuplicateObject[] = [];
  const variants = new Map<string, Map<string, number>>();
  for (const [key, { ref, docs: copies }] of seen) {
    if (copies.length < 2) continue;
    const contents: string[] = [];
    const which = copies.map((d) => {
      const c = canonical(d.object);
      const i = contents.indexOf(c);
      if (i >= 0) return i;
      contents.push(c);
      return contents.length - 1;
    });
    duplicates.push({ ref, sources: copies.map((d) => d.source!), identical: contents.length === 1 });
    if (contents.length === 1) continue;
    copies.forEach((d, i) => {
      const file = d.source!.file;
      let m = variants.get(file);
      if (!m) variants.set(file, (m = new Map()));
      const had = m.get(key);
      m.set(key, had === undefined || had === which[i] ? which[i]! : -1);
    });
  }
  return { duplicates, variants };
}

/**
 * Whether the objects at a and b can be in one cluster: the same file (or a live object), or two
 * files that define no common object differently.
 */
export function coexist(c: Coexistence, a: SourceRef | undefined, b: SourceRef | undefined): boolean {
  if (!a || !b || a.file === b.file || c.variants.size === 0) return true;
  const va = c.variants.get(a.file);
  const vb = c.variants.get(b.file);
  if (!va || !vb) return true;
  const [small, large] = va.size <= vb.size ? [va, vb] : [vb, va];
  for (const [key, v] of small) {
    const w = large.get(key);
    if (w !== undefined && (v !== w || v < 0)) return false;
  }
  return true;
}

const MAX_PLACES = 5;

/**
 * One non-fatal problem per duplicated object, at its first copy, naming every copy as file:line.
 * Not a rule finding: it is about how the input is read, not about the cluster's IPv6 readiness,
 * and `kubectl apply` accepts it (the last copy wins).
 */
export function duplicateProblems(c: Coexistence, locate?: Locate): LoadProblem[] {
  return c.duplicates.map((d) => {
    const where = d.sources.map((s) => {
      const loc = locate?.(s, []);
      if (!loc) return { file: s.file, text: s.file };
      // Helm output: the template, and where it is in the stream read (two charts' outputs share template names).
      const text = loc.rendered ? `${loc.file}:${loc.line} in ${loc.rendered.file}:${loc.rendered.line}` : `${loc.file}:${loc.line}`;
      return { file: loc.file, line: loc.line, text };
    });
    const places = where.length > MAX_PLACES
      ? `${where.slice(0, MAX_PLACES).map((w) => w.text).join(', ')} and ${where.length - MAX_PLACES} more`
      : where.map((w) => w.text).join(', ');
    const times = d.sources.length === 2 ? 'twice' : `${d.sources.length} times`;
    const ref = `${d.ref.kind} ${d.ref.namespace ? `${d.ref.namespace}/` : ''}${d.ref.name}`;
    const message = d.identical
      ? `${ref} is defined ${times} with the same content (${places}): findings on it are shown at each copy`
      : `${ref} is defined ${times} with different content (${places}): the copies are audited as alternatives, each linked only to objects that can be applied with it`;
    const first = where[0]!;
    return { file: first.file, ...('line' in first ? { line: first.line } : {}), message, fatal: false };
  });
}

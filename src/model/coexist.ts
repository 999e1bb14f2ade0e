// Which objects of the input can be in one cluster together. An object is identified by its API
// group, kind, namespace and name: the apiserver stores one object per identity, and
// `kubectl apply` of a second copy replaces the first. A file is applied whole, so two files that
// define one object with different content are alternatives (overlays, variants, copies of one
// example): the objects of one never meet those of the other in a cluster. Links between objects
// (Ingress -> Service, HTTPRoute -> Gateway, Service -> pods, BackendConfig -> Service) are made
// only between objects that can coexist. Copies with identical content are one object declared
// twice (kubectl apply is idempotent) and do not make their files alternatives. Pure.

import type { InputDocument, LoadProblem, ResourceRef, SourceRef } from './types.ts';
import { toResource, type Resource } from './resources.ts';
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
export function identity(doc: InputDocument, resource?: Resource): { key: string; ref: ResourceRef } | undefined {
  const o = doc.object;
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  // The loader's synthetic objects (Corefile files, gcloud and Terraform exports) are not Kubernetes objects.
  if (apiVersion.includes('dualstack-audit.local')) return undefined;
  const r = resource ?? toResource(doc);
  // generateName objects get a fresh name each time; unnamed ones are not applied at all.
  if (r.ref.name === '(unnamed)' || r.ref.name.endsWith('*')) return undefined;
  const g = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const group = GROUP_ALIASES[`${g}/${r.ref.kind}`] ?? g;
  // join makes one flat string: kept per object until the link, a template's rope of seven
  // pieces was ~190 bytes (resources.ts flat(), which costs more than join for a new string).
  return { key: [group, r.ref.kind, r.ref.namespace ?? '', r.ref.name].join('\u0000'), ref: r.ref };
}

/**
 * A hash of a JSON value's content, equal for equal content whatever the key order (as
 * canonical() compares): two 32-bit lanes (FNV-1a and a multiply-xorshift) mixed per node; object
 * members are combined by addition, so no key is sorted and no text is built. A copy's content is
 * compared by this hash, so that a document can be let go once read (the streaming model build).
 */
export function contentHash(v: unknown): number {
  // The second lane comes back in `lane.b`, the first as the return value: no pair per node
  // (they were 4% of the audit's allocations at 10,000 documents).
  const lane = { b: 0 };
  const a = hashValue(v, lane);
  // 53 bits of the two lanes in one number: a text (`a.b`) was three strings per document while
  // the input was read (~10 MB at 100,000 documents).
  return (a >>> 0) * 0x200000 + (lane.b >>> 11);
}

interface Lane { b: number }

function hashText(t: string, tag: number, lane: Lane): number {
  let a = 0x811c9dc5 ^ tag;
  let b = 0x9e3779b9 ^ Math.imul(tag, 0x85ebca6b);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  lane.b = Math.imul(b ^ t.length, 0x27d4eb2d);
  return a ^ t.length;
}

const mix = (x: number, y: number): number => {
  let z = Math.imul(x ^ (y >>> 16), 0x7feb352d) ^ y;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b);
  return z ^ (z >>> 16);
};

function hashValue(v: unknown, lane: Lane): number {
  if (v === null || v === undefined) {
    lane.b = 0x4e554c4c;
    return 0x6e756c6c;
  }
  switch (typeof v) {
    case 'string': return hashText(v, 1, lane);
    // As JSON writes them (canonical() compares JSON texts): 1 and 1.0 are one number, and -0 is 0.
    // Integers (most numbers: ports, replicas) are mixed as they are, others by their JSON text.
    case 'number':
      if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) {
        lane.b = mix(0x494e5432, ~v);
        return mix(0x696e7431, v | 0);
      }
      return hashText(JSON.stringify(v), 2, lane);
    case 'boolean':
      lane.b = v ? 0x54525545 : 0x46414c53;
      return v ? 0x74727565 : 0x66616c73;
    default: break;
  }
  if (Array.isArray(v)) {
    let a = 0x5b5b5b5b ^ v.length;
    let b = 0x5d5d5d5d ^ v.length;
    for (let i = 0; i < v.length; i++) {
      const p = hashValue(v[i], lane);
      a = mix(a, p);
      b = mix(b ^ 0x2545f491, lane.b);
    }
    lane.b = b;
    return a;
  }
  // An object: the sum of its members' hashes (order-free), each member mixing key and value.
  // for-in, not Object.entries: no array of pairs per object (the documents are plain data).
  let a = 0x7b7b7b7b;
  let b = 0x7d7d7d7d;
  let n = 0;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x === undefined) continue;
    const kp = hashText(k, 3, lane);
    const kq = lane.b;
    const p = hashValue(x, lane);
    a = (a + mix(kp, p)) | 0;
    b = (b + mix(kq ^ 0x68e31da4, lane.b)) | 0;
    n++;
  }
  lane.b = mix(b, n ^ 0x1b873593);
  return mix(a, n);
}

/**
 * Takes the documents one at a time (keeping each copy's source and a hash of its content, not
 * the document) and finds the objects the input defines more than once. Documents without a
 * source (live objects) are unique.
 */
export function coexistenceIntake(): { add(doc: InputDocument, resource?: Resource): void; finish(): Coexistence } {
  interface Copy { readonly source: SourceRef; readonly content: number }
  // The first copy inline (almost every object has one), a list only for the others.
  const seen = new Map<string, { readonly ref: ResourceRef; readonly source: SourceRef; readonly content: number; more?: Copy[] }>();
  return {
    add(doc, resource) {
      if (!doc.source) return;
      const id = identity(doc, resource);
      if (!id) return;
      const content = contentHash(doc.object);
      const e = seen.get(id.key);
      if (!e) seen.set(id.key, { ref: id.ref, source: doc.source, content });
      else (e.more ??= []).push({ source: doc.source, content });
    },
    finish() {
      const duplicates: DuplicateObject[] = [];
      const variants = new Map<string, Map<string, number>>();
      for (const [key, e] of seen) {
        if (!e.more) continue;
        const copies: Copy[] = [e, ...e.more];
        const contents: number[] = [];
        const which = copies.map((c) => {
          const i = contents.indexOf(c.content);
          if (i >= 0) return i;
          contents.push(c.content);
          return contents.length - 1;
        });
        duplicates.push({ ref: e.ref, sources: copies.map((c) => c.source), identical: contents.length === 1 });
        if (contents.length === 1) continue;
        copies.forEach((c, i) => {
          const file = c.source.file;
          let m = variants.get(file);
          if (!m) variants.set(file, (m = new Map()));
          const had = m.get(key);
          m.set(key, had === undefined || had === which[i] ? which[i]! : -1);
        });
      }
      return { duplicates, variants };
    },
  };
}

/** Finds the objects the input defines more than once. Documents without a source (live objects) are unique. */
export function buildCoexistence(docs: readonly InputDocument[]): Coexistence {
  const c = coexistenceIntake();
  for (const doc of docs) c.add(doc);
  return c.finish();
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

// Shared vocabulary of the model, the rules, the engine and the reporters.
// Everything here is plain data: no functions, no I/O, safe to deep-freeze.

export type Family = 'IPv4' | 'IPv6';
export const FAMILIES: readonly Family[] = ['IPv4', 'IPv6'];
export const otherFamily = (f: Family): Family => (f === 'IPv4' ? 'IPv6' : 'IPv4');

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 3, low: 1, info: 0 };
/** Higher is worse; used by --fail-on. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** The migration phases, in report order. */
export type Category = 'cluster' | 'addressing' | 'services' | 'dns' | 'policy' | 'workloads' | 'observability';
export const CATEGORIES: readonly Category[] = ['cluster', 'addressing', 'services', 'dns', 'policy', 'workloads', 'observability'];

/** A JSON path into a Kubernetes object, e.g. ['spec', 'ports', 0, 'port']. */
export type JsonPath = readonly (string | number)[];

export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Where a resource came from: a document of a file, or a live object. */
export interface SourceRef {
  /** The file name shown in findings (Helm `# Source:` wins over the real path). */
  readonly file: string;
  /** Index of the document inside the real file (0-based); used to resolve positions lazily. */
  readonly doc: number;
  /** Index of the item when the document is a `List` (expanded), else undefined. */
  readonly item?: number;
}

/** A Kubernetes object read from a file or from a cluster, as the model receives it. */
export interface InputDocument {
  readonly source?: SourceRef;
  readonly object: Readonly<Record<string, unknown>>;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /**
   * For Helm output (`# Source:` comments), `file` is the template and `line` counts from the
   * document's first line; this is the position in the rendered stream that was read.
   */
  readonly rendered?: { readonly file: string; readonly line: number };
}

export interface LoadProblem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** Problems that mean "kubectl could not apply this" fail the gate. */
  readonly fatal: boolean;
}

export type FamiliesFrom = 'flag' | 'inferred' | 'default' | 'config' | 'undetermined';

export interface ClusterFamilies {
  /** Service families of the target cluster, primary first. */
  readonly families: readonly Family[];
  readonly from: FamiliesFrom;
  /** Human-readable evidence (file:line or resource) when inferred. */
  readonly evidence?: readonly string[];
  /** undetermined (model/families.ts): the family lists the evidence allows, the assumed `families` first. */
  readonly candidates?: readonly (readonly Family[])[];
}

export const formatRef = (r: ResourceRef): string =>
  `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

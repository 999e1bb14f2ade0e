// The Report: the only thing reporters see.

import type { Category, ClusterFamilies, JsonPath, LoadProblem, ResourceRef, Severity, SourceLocation } from '../model/types.ts';
import type { JsonPatchOp, RuleMeta } from '../rules/types.ts';

export interface Suppression {
  readonly by: 'annotation' | 'config' | 'baseline';
  readonly reason?: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly messageId: string;
  readonly message: string;
  readonly resource: ResourceRef;
  readonly path: JsonPath;
  readonly location?: SourceLocation;
  /** kind: 'fix' (safe, applied by `fix`) or 'suggestion' (applied by `fix --suggestions`); set with patch. */
  readonly fix?: { readonly summary: string; readonly patch?: readonly JsonPatchOp[]; readonly kind?: 'fix' | 'suggestion' };
  readonly suppressed?: Suppression;
  /** Stable across moved lines: rule id, resource, JSON path and message (see engine/baseline.ts). */
  readonly fingerprint?: string;
  /**
   * Running Pods of the input the judged pod template stands for (stored Pods collapsed onto
   * their owner); the message ends with the count. Not part of the fingerprint.
   */
  readonly pods?: number;
  /**
   * Findings of other rules whose cause this finding states (engine/fold.ts), on the same resource
   * or on one a controller writes from this one, and this rule's findings on other Nodes that
   * repeat its cause (RuleReport.sameCause): they are not listed apart, their evaluations still
   * fail, and this finding's severity is the worst of them.
   */
  readonly related?: readonly RelatedFinding[];
}

/** A consequence folded into its root-cause finding. */
export interface RelatedFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path: JsonPath;
  /** The folded finding's resource, when it is not the root cause's (RuleReport.cause, sameCause). */
  readonly resource?: ResourceRef;
  readonly location?: SourceLocation;
  /** The folded finding's own fingerprint (baselines record it, so it stays suppressed with its root cause). */
  readonly fingerprint?: string;
}

/** One (rule, resource) evaluation, passed or failed (JUnit has a testcase per evaluation). */
export interface EvaluationResult {
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly resource: ResourceRef;
  readonly file?: string;
  /** An unsuppressed finding belongs to it. */
  readonly failed: boolean;
  /** Every finding it had was suppressed (out of the score). */
  readonly suppressed?: boolean;
  /** It could not be made, and why (Target.notEvaluated): out of the score, neither passed nor failed. */
  readonly notEvaluated?: string;
  /** Indexes into Report.findings. */
  readonly findings: readonly number[];
}

/** A suppression that matched no finding: an ignore annotation, a config exemption or a baseline entry. */
export interface UnusedSuppression {
  readonly by: Suppression['by'];
  readonly ruleId: string;
  readonly resource?: ResourceRef;
  readonly location?: SourceLocation;
  readonly message: string;
}

/** Why a kind was not read (load/cluster.ts says when each applies). */
export const NOT_EVALUATED_REASONS: readonly string[] = ['forbidden', 'error', 'invalid-response', 'paging', 'deadline'];
export type NotEvaluatedReason = 'forbidden' | 'error' | 'invalid-response' | 'paging' | 'deadline';

/** A kind a live audit could not read (load/cluster.ts NotEvaluated). */
export interface NotEvaluatedKind {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace?: string;
  /** forbidden, error, invalid-response (200 but not a list), paging (no progress), deadline (per-kind time limit). */
  readonly reason: NotEvaluatedReason;
  readonly message: string;
  /** The RBAC rule that would grant the read. */
  readonly rbac?: string;
}

/** An optional kind (a CRD) the cluster does not serve: its rules had nothing of it to judge (not a failure). */
export interface NotInstalledKind {
  readonly kind: string;
  /** group/plural. */
  readonly resource: string;
}

export interface CategoryScore {
  /** null when nothing in this category was evaluated. */
  readonly score: number | null;
  readonly passed: number;
  readonly failed: number;
  /** Evaluations that could not be made (e.g. a kind the cluster did not let us read). */
  readonly notEvaluated: number;
  /** Weighted sums behind the score. */
  readonly weightPassed: number;
  readonly weightTotal: number;
}

export interface Score {
  readonly overall: number | null;
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'F' | '-';
  /** Why the grade is capped, when it is. */
  readonly cappedBy?: string;
  /**
   * Set when some evaluations could not be made (kinds a live read could not read, Services judged
   * against undetermined cluster families): the score is over `evaluated` evaluations only,
   * `notEvaluated` more were not made; `text` says why.
   */
  readonly coverage?: { readonly evaluated: number; readonly notEvaluated: number; readonly text: string };
  readonly categories: Readonly<Record<Category, CategoryScore>>;
}

export interface ServiceSummary {
  readonly namespace?: string;
  readonly name: string;
  readonly type: string;
  readonly declared: { readonly ipFamilyPolicy?: unknown; readonly ipFamilies?: unknown; readonly clusterIPs?: unknown };
  readonly effective: { readonly ipFamilyPolicy: string; readonly ipFamilies: readonly string[] } | null;
  readonly rejected?: { readonly field: string; readonly message: string };
  readonly dns: { readonly A: boolean; readonly AAAA: boolean; readonly CNAME?: string };
  readonly location?: SourceLocation;
}

export interface DnsSummary {
  /** Services that get A or AAAA records from cluster DNS (all but ExternalName and rejected ones). */
  readonly services: number;
  readonly withAAAA: number;
  /** withAAAA / services, 0..1; null when there are no such Services. */
  readonly coverage: number | null;
  readonly externalName: number;
  readonly byNamespace: Readonly<Record<string, { readonly services: number; readonly withAAAA: number }>>;
  /** <name>.<namespace>.svc names IPv6 clients cannot resolve. */
  readonly withoutAAAA: readonly string[];
  /** With --resolve: the external names the input depends on (ExternalName targets, hostnames, FQDN policy targets), looked up. */
  readonly external?: {
    readonly names: number;
    readonly withAAAA: number;
    /** Names with no AAAA record (A only, or no address at all). */
    readonly withoutAAAA: readonly string[];
    /** "name (error)" for names that could not be looked up (NXDOMAIN, timeout, ...). */
    readonly failed: readonly string[];
  };
}

/**
 * Objects judged as stored state (they carry the apiserver's marks: uid with resourceVersion or
 * creationTimestamp): Service families as allocated, live-only rules run on them, manifest-only
 * rules (hard-coded cluster IPs) do not.
 */
export interface StoredSummary {
  readonly count: number;
  /** Every object of the input (a live read or a snapshot): `objects` is left out. */
  readonly all: boolean;
  /** "Kind/namespace/name" of each, in input order (file inputs). */
  readonly objects?: readonly string[];
}

export interface RuleEvaluation {
  readonly ruleId: string;
  readonly category: Category;
  readonly passed: number;
  readonly failed: number;
  readonly notEvaluated: number;
  /** Evaluations whose findings were all suppressed (out of the score). */
  readonly suppressed?: number;
}

export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly target: {
    readonly mode: 'files' | 'cluster';
    readonly sources: readonly string[];
    readonly context?: string;
    readonly clusterFamilies: readonly string[];
    readonly familiesFrom: ClusterFamilies['from'];
    readonly familiesEvidence?: readonly string[];
    /** familiesFrom undetermined: the family lists the evidence allows, the assumed clusterFamilies first (docs/families.md). */
    readonly familiesCandidates?: readonly (readonly string[])[];
    /** gke or generic, and why (--platform, the config file, inferred from GKE evidence, or the default): model/platform.ts. */
    readonly platform?: { readonly name: string; readonly from: string; readonly evidence?: readonly string[] };
    /** Live: kinds (or namespaces of a kind) that could not be read; rules on them are not evaluated. */
    readonly notEvaluated?: readonly NotEvaluatedKind[];
    /** Live: optional kinds (CRDs) the cluster does not serve (model/kinds.ts). */
    readonly notInstalled?: readonly NotInstalledKind[];
  };
  readonly score: Score;
  readonly findings: readonly Finding[];
  readonly services: readonly ServiceSummary[];
  readonly dns: DnsSummary;
  readonly problems: readonly LoadProblem[];
  readonly rules: readonly RuleMeta[];
  readonly evaluations: readonly RuleEvaluation[];
  /** Every evaluation (not in the JSON report: JUnit reads it). */
  readonly results?: readonly EvaluationResult[];
  readonly unusedSuppressions?: readonly UnusedSuppression[];
  /** Objects read as stored state; absent when there are none (manifests only). */
  readonly stored?: StoredSummary;
  readonly stats: {
    readonly files: number;
    readonly documents: number;
    readonly resources: number;
    readonly skipped: number;
    readonly durationMs: number;
  };
}

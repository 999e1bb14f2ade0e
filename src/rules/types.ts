// The rule contract: metadata plus pure functions over the frozen model.
// A rule never reads YAML, positions, config files or annotations; the engine does that.

import type { Category, JsonPath, ResourceRef, Severity, SourceRef } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import { EXAMPLES, type RuleExamples } from './examples.ts';

export type { RuleExamples };

/** What a rule file writes in `meta.docs`; the examples are YAML files beside it. */
export interface RuleDocsSource {
  /** Extra notes (caveats, sources), Markdown. */
  readonly notes?: string;
  /**
   * Why there is no fixed.yaml: the rule emits no JSON Patch for its bad example (the fix is a
   * choice only the user can make, or lives outside the manifest). Required exactly then.
   */
  readonly noFixedExample?: string;
  /** For a rule that needs --resolve: the DNS answers its examples are judged with, by name. */
  readonly resolved?: Readonly<Record<string, { readonly A: readonly string[]; readonly AAAA: readonly string[] }>>;
}

/**
 * A rule's docs. bad, good and fixed are the files src/rules/<id>/{bad,good,fixed}.yaml, built
 * into src/rules/examples.ts by `npm run gen`; test/rules-meta.test.ts runs them through the
 * loader and engine (bad reports the rule, good does not, bad + the rule's patch = fixed).
 */
export interface RuleDocs extends RuleDocsSource, RuleExamples {}

export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  /** Default severity; a rule may raise or lower it per target, config may override it. */
  readonly severity: Severity;
  /** Kinds evaluated (what counts as an evaluation in the score). */
  readonly scope: readonly string[];
  /** Why this matters for IPv6, full sentences. */
  readonly rationale: string;
  readonly docs: RuleDocs;
  readonly fix: {
    readonly summary: string;
    /**
     * A finding's own fix text where it needs the finding's data ({placeholders} as in messages),
     * by message id; the others carry `summary`. Messages say what is wrong, never the fix.
     */
    readonly byMessage?: Readonly<Record<string, string>>;
  };
  /**
   * What `dualstack-audit fix` can do with its findings, as ESLint's `fixable`/`hasSuggestions`:
   * 'fix' (some findings carry a patch that keeps the object's meaning on single- and dual-stack
   * clusters: applied by `fix`), 'suggestion' (a patch that changes behaviour or makes a choice:
   * applied only with `fix --suggestions`), 'both'. Absent: no patch; the fix is made by hand.
   */
  readonly fixable?: 'fix' | 'suggestion' | 'both';
  /** The fix needs a value only a person knows (an IPv6 range, an address): never patched. */
  readonly needsValue?: boolean;
  /** Message templates with {placeholders}; no trailing period. */
  readonly messages: Readonly<Record<string, string>>;
  /** Upstream sources: Kubernetes, CoreDNS, CNI and vendor code and docs, RFCs (URLs or repo:path). */
  readonly references: readonly string[];
  /** Only meaningful against a live cluster. */
  readonly liveOnly?: boolean;
  /**
   * Judges what a manifest writes that a stored object always has (e.g. allocated cluster IPs),
   * so it does not run on live objects or snapshots of them, where it would judge the apiserver.
   */
  readonly manifestOnly?: boolean;
  /** Needs --resolve. */
  readonly needsResolve?: boolean;
  /**
   * Root causes: when a finding of one of these rules is on the same resource (and, with samePath,
   * on the same field), this rule's finding is a consequence of it and is folded into it (engine/fold.ts).
   * With onCause, the root cause is looked for on the resource the finding names as its cause
   * (RuleReport.cause) instead: a controller writes this resource from that one.
   */
  readonly foldsInto?: readonly { readonly rule: string; readonly samePath?: boolean; readonly onCause?: boolean }[];
}

/** One (rule, resource) evaluation. */
export interface Target {
  readonly ref: ResourceRef;
  readonly source?: SourceRef;
  /** Annotations of the resource (for suppression); the rule does not read them. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Severity of this evaluation when it differs from the rule's default. */
  readonly severity?: Severity;
  /**
   * A pod template judged once for the running Pods it stands for (model/workloads.ts): the
   * engine adds the count to each finding's message (not to its fingerprint: scaling keeps baselines).
   */
  readonly pods?: number;
  /**
   * This evaluation cannot be made, and why (a phrase: "the cluster's Service families are
   * undetermined"): the engine counts it as not evaluated (out of the score, never passed) and
   * does not call check(). The rule reports what stops it elsewhere, once.
   */
  readonly notEvaluated?: string;
}

export interface JsonPatchOp {
  /** `test` (RFC 6902 4.6) guards the ops after it: the patch applies only where the value is still this one. */
  readonly op: 'add' | 'remove' | 'replace' | 'test';
  readonly path: string;
  readonly value?: unknown;
}

export interface RuleReport {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  /** JSON path of the field the finding is about (resolved to file:line by the engine). */
  readonly path: JsonPath;
  /** Severity of this finding when it differs from the target's. */
  readonly severity?: Severity;
  /** The fix as data (JSON Patch against the resource), never a mutation: safe to apply (RuleMeta.fixable). */
  readonly fix?: readonly JsonPatchOp[];
  /** A patch that changes behaviour or makes a choice: applied only when asked (`fix --suggestions`). */
  readonly suggest?: readonly JsonPatchOp[];
  /**
   * The resource whose setting this finding's resource follows (a controller writes one from the
   * other): a finding of a foldsInto rule with onCause on it is this finding's root cause.
   */
  readonly cause?: { readonly ref: ResourceRef; readonly source?: SourceRef };
  /**
   * A key for the root cause when this rule's finding repeats it per Node (Node podCIDRs carved
   * from one cluster pod range, the addresses of one node network): the rule's Node findings with
   * the same key fold into one, the one with that key on another kind of object if there is one
   * (the cluster range they are carved from), else the first Node's, which then says on how many
   * more Nodes it is (engine/fold.ts). Compared only within the rule.
   */
  readonly sameCause?: string;
  /**
   * What identifies the finding in baselines instead of its resource, path and message, when it
   * summarises resources that come and go (the Services that depend on undetermined families):
   * its message counts and names them, and without evidence of its own it sits on the first.
   */
  readonly key?: string;
  /** When the finding is about another resource than the target (rare). */
  readonly resource?: ResourceRef;
  readonly source?: SourceRef;
  /**
   * 1-based line inside the multi-line string at `path` (a Corefile in a ConfigMap, a Corefile
   * file): the locator maps it to the file line when it can (literal block scalar, plain file).
   */
  readonly textLine?: number;
}

export interface RuleContext {
  readonly model: Model;
}

export interface Rule<T extends Target = Target> {
  readonly meta: RuleMeta;
  /** The evaluations: every in-scope resource (or configuration fact) this rule judges. */
  targets(ctx: RuleContext): Iterable<T>;
  /** Findings for one target; none means the evaluation passed. */
  check(target: T, ctx: RuleContext): Iterable<RuleReport>;
}

/** A rule as its file writes it: metadata without the examples. */
export interface RuleSource<T extends Target = Target> extends Omit<Rule<T>, 'meta'> {
  readonly meta: Omit<RuleMeta, 'docs'> & { readonly docs: RuleDocsSource };
}

export const DOCS_BASE = 'https://github.com/dualstack-audit/dualstack-audit/blob/main/docs/rules';
export const docsUrl = (id: string): string => `${DOCS_BASE}/${id}.md`;

const NO_EXAMPLES: RuleExamples = { bad: '', good: '' };

/**
 * Fixes the types and attaches the rule's examples (generated data, no I/O); checks nothing at
 * run time (the meta test does: a rule without example files has empty ones and fails it).
 */
export function defineRule<T extends Target>(rule: RuleSource<T>): Rule<Target> {
  const examples = EXAMPLES[rule.meta.id] ?? NO_EXAMPLES;
  return { ...rule, meta: { ...rule.meta, docs: { ...examples, ...rule.meta.docs } } } as unknown as Rule<Target>;
}

/** The fix text a finding carries: fix.byMessage[messageId] rendered as a sentence, else fix.summary. */
export function fixSummary(meta: Pick<RuleMeta, 'fix'>, messageId: string, data?: Readonly<Record<string, string | number>>): string {
  const t = meta.fix.byMessage?.[messageId];
  if (t === undefined) return meta.fix.summary;
  const s = renderMessage(t, data).trim().replace(/\.+$/, '');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

/** Render a message template: `{name}` is replaced by data.name. */
export function renderMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

// Suppressions, applied after the rules ran and before the score: in order, the resource's
// `dualstack-audit.io/ignore` annotation, the config file's exemptions, then the baseline.
// A suppressed finding stays in the report, flagged with who suppressed it and why; the gate
// and the score leave it out. Suppressions that matched nothing are returned as unused, so
// stale ignores are visible (stylelint's needless disables). Pure.

import { formatRef, type ResourceRef, type SourceLocation, type SourceRef, type JsonPath } from '../model/types.ts';
import type { Resource } from '../model/resources.ts';
import { findingFingerprint, type Baseline } from './baseline.ts';
import type { Finding, Suppression, UnusedSuppression } from './types.ts';

export const IGNORE_ANNOTATION = 'dualstack-audit.io/ignore';
export const IGNORE_REASON_ANNOTATION = 'dualstack-audit.io/ignore-reason';

/** A config file exemption; kind, namespace and name match exactly or as globs with `*`. */
export interface Exemption {
  /** A rule id, or `*` for every rule. */
  readonly rule: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly reason: string;
}

/** One finding with the resource it belongs to (for its annotations). */
export interface SuppressItem {
  readonly finding: Finding;
  /** resourceKey() of the resource whose annotations apply. */
  readonly owner: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface SuppressOptions {
  readonly exemptions?: readonly Exemption[];
  /** Where the exemptions came from, for messages (the config file name). */
  readonly exemptionsFrom?: string;
  readonly baseline?: Baseline;
  /** Every resource (to find ignore annotations that matched nothing). */
  readonly resources?: readonly Resource[];
  /** Rules that ran: suppressions of other rules are neither applied nor reported unused. */
  readonly ranRules: ReadonlySet<string>;
  /** Every rule id the tool has. */
  readonly knownRules: ReadonlySet<string>;
  /** `resourceKey + NUL + rule id` of evaluations not made (Target.notEvaluated): their annotations are not unused. */
  readonly notJudged?: ReadonlySet<string>;
  readonly locate?: (source: SourceRef, path: JsonPath) => SourceLocation | undefined;
}

export interface SuppressResult {
  /** The findings in the same order, some now flagged `suppressed`. */
  readonly findings: readonly Finding[];
  readonly unused: readonly UnusedSuppression[];
}

/** Identity of a resource for annotation lookups: its document when it has one (two files may hold the same name). */
export function resourceKey(ref: ResourceRef, source?: SourceRef): string {
  return source ? `${source.file}\u0000${source.doc}\u0000${source.item ?? ''}` : `${ref.apiVersion}\u0000${formatRef(ref)}`;
}

/** Rule ids listed in an ignore annotation value ("a,b" or "a b"); `*` means every rule. */
export function parseIgnoreList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

function glob(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined || pattern === '*') return true;
  if (value === undefined) return false;
  if (!pattern.includes('*')) return pattern === value;
  return wildcardMatch(pattern, value);
}

/**
 * Whether `value` matches `pattern`, where `*` matches any run of characters (possibly empty) and
 * every other character matches itself. The greedy two-pointer algorithm: on a mismatch it goes
 * back only to the most recent `*` (a later star can match anything an earlier one could), so it
 * takes at most |pattern| x |value| steps. The regex it replaced (`^.*x.*x...$`) backtracked over
 * every star: `*x*x*x*x*x*x*x*xy` against a 60-character namespace took 26-45 s (issue 20).
 * A glob library would bring classes and braces the config does not promise, and compiles to
 * backtracking regexes too.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1; // index in pattern of the last '*' seen
  let mark = 0; // where in value that star's match ends now
  while (v < value.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === value[v]) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

export function exemptionMatches(e: Exemption, f: Finding): boolean {
  return (e.rule === '*' || e.rule === f.ruleId) && glob(e.kind, f.resource.kind) &&
    glob(e.namespace, f.resource.namespace) && glob(e.name, f.resource.name);
}

const describeExemption = (e: Exemption): string =>
  [`rule ${e.rule}`, e.kind && `kind ${e.kind}`, e.namespace && `namespace ${e.namespace}`, e.name && `name ${e.name}`].filter(Boolean).join(', ');

export function applySuppressions(items: readonly SuppressItem[], opts: SuppressOptions): SuppressResult {
  const usedAnnotation = new Set<string>();
  const usedExemption = new Set<number>();
  const remaining = new Map<string, number>();
  for (const e of opts.baseline?.findings ?? []) remaining.set(e.fingerprint, (remaining.get(e.fingerprint) ?? 0) + e.count);
  const exemptions = opts.exemptions ?? [];

  const findings = items.map(({ finding: f, owner, annotations }): Finding => {
    if (f.suppressed) return f;
    let by: Suppression | undefined;
    const ignored = parseIgnoreList(annotations?.[IGNORE_ANNOTATION]);
    const hit = ignored.includes(f.ruleId) ? f.ruleId : ignored.includes('*') ? '*' : undefined;
    if (hit !== undefined) {
      usedAnnotation.add(`${owner}\u0000${hit}`);
      const reason = annotations?.[IGNORE_REASON_ANNOTATION];
      by = reason ? { by: 'annotation', reason } : { by: 'annotation' };
    }
    if (!by) {
      const i = exemptions.findIndex((e) => exemptionMatches(e, f));
      if (i >= 0) {
        usedExemption.add(i);
        by = { by: 'config', reason: exemptions[i]!.reason };
      }
    }
    if (!by && remaining.size > 0) {
      const fp = findingFingerprint(f);
      const n = remaining.get(fp) ?? 0;
      if (n > 0) {
        remaining.set(fp, n - 1);
        by = { by: 'baseline', reason: 'recorded in the baseline' };
      }
    }
    // Object.assign, not a spread then a key: a hidden class per finding otherwise (fold.ts).
    return by ? Object.assign({}, f, { suppressed: by }) : f;
  });

  const unused: UnusedSuppression[] = [];
  for (const r of opts.resources ?? []) {
    const value = r.annotations[IGNORE_ANNOTATION];
    if (value === undefined) continue;
    const owner = resourceKey(r.ref, r.source);
    const location = r.source && opts.locate ? opts.locate(r.source, ['metadata', 'annotations', IGNORE_ANNOTATION]) : undefined;
    const ids = parseIgnoreList(value);
    if (ids.length === 0) {
      unused.push({ by: 'annotation', ruleId: '', resource: r.ref, ...(location ? { location } : {}),
        message: `${IGNORE_ANNOTATION} on ${formatRef(r.ref)} lists no rule ids; give a comma-separated list of rule ids or remove it` });
    }
    for (const id of ids) {
      if (id !== '*' && !opts.knownRules.has(id)) {
        unused.push({ by: 'annotation', ruleId: id, resource: r.ref, ...(location ? { location } : {}),
          message: `${IGNORE_ANNOTATION} on ${formatRef(r.ref)} names unknown rule "${id}" (see \`dualstack-audit rules\`)` });
        continue;
      }
      if (id !== '*' && !opts.ranRules.has(id)) continue;
      if (usedAnnotation.has(`${owner}\u0000${id}`) || opts.notJudged?.has(`${owner}\u0000${id}`)) continue;
      unused.push({ by: 'annotation', ruleId: id, resource: r.ref, ...(location ? { location } : {}),
        message: id === '*'
          ? `${IGNORE_ANNOTATION}: "*" on ${formatRef(r.ref)} suppressed nothing; remove it`
          : `${IGNORE_ANNOTATION} on ${formatRef(r.ref)} suppresses ${id}, which reported nothing there; remove it from the list` });
    }
  }
  exemptions.forEach((e, i) => {
    if (usedExemption.has(i) || (e.rule !== '*' && !opts.ranRules.has(e.rule))) return;
    unused.push({ by: 'config', ruleId: e.rule,
      message: `${opts.exemptionsFrom ?? 'config'}: exemptions[${i}] (${describeExemption(e)}) matched no finding; remove it` });
  });
  for (const e of opts.baseline?.findings ?? []) {
    const left = remaining.get(e.fingerprint) ?? 0;
    if (left <= 0 || !opts.ranRules.has(e.ruleId)) continue;
    remaining.set(e.fingerprint, 0);
    unused.push({ by: 'baseline', ruleId: e.ruleId,
      message: `baseline entry ${e.fingerprint.slice(0, 12)} (${e.ruleId} on ${e.resource}) no longer occurs${left > 1 ? ` (${left} times)` : ''}; rewrite the baseline with --write-baseline` });
  }
  return { findings, unused };
}

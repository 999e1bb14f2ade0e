// One root cause, one finding. A rule may declare that its finding is a consequence of another
// rule's finding on the same resource (RuleMeta.foldsInto): service-single-stack states why a
// Service has no AAAA record, so dns-aaaa-coverage's finding on that Service adds nothing a user
// can act on. Such a finding is folded into the root-cause finding: it leaves the findings list,
// is listed in the root cause's `related`, and its evaluation still counts as failed (score.ts
// sees it through the evaluation, and the root cause's severity is raised to the worst folded one
// so the gate sees it too). A finding may also name another resource as its cause (RuleReport.cause,
// foldsInto onCause): the Service Envoy Gateway writes from an EnvoyProxy folds into the finding on
// that EnvoyProxy; the folded finding then keeps its own resource in `related`. Pure: no I/O, no clock.

import { SEVERITY_RANK } from '../model/types.ts';
import type { RuleMeta } from '../rules/types.ts';
import type { Finding, RelatedFinding } from './types.ts';

export interface FoldResult {
  /** The findings left, root causes carrying `related`; same order as the input otherwise. */
  readonly findings: Finding[];
  /** For each input index: the index in `findings` of the finding that now stands for it. */
  readonly into: number[];
}

const pathKey = (p: readonly (string | number)[]): string => p.join('\u0000');

/**
 * Folds consequences into root causes on the same resource (owner key from suppress.ts), or, for
 * a foldsInto entry with onCause, on the resource whose owner key `causes` gives for the finding.
 * A consequence folds only into a root cause with the same suppression state: a suppressed root
 * cause does not hide an unsuppressed consequence, nor the reverse.
 */
export function foldRootCauses(findings: readonly Finding[], owners: readonly string[], metaOf: (ruleId: string) => RuleMeta | undefined, causes?: readonly (string | undefined)[]): FoldResult {
  // Candidate root causes by rule, then owner (two lookups of strings that already exist: a key
  // joined from both was a new string to hash for every finding).
  const byRuleOwner = new Map<string, Map<string, number[]>>();
  for (let i = 0; i < findings.length; i++) {
    const ruleId = findings[i]!.ruleId;
    let byOwner = byRuleOwner.get(ruleId);
    if (!byOwner) byRuleOwner.set(ruleId, (byOwner = new Map()));
    const l = byOwner.get(owners[i]!);
    if (l) l.push(i);
    else byOwner.set(owners[i]!, [i]);
  }
  const target = new Array<number>(findings.length).fill(-1);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const folds = metaOf(f.ruleId)?.foldsInto;
    if (!folds) continue;
    for (const fold of folds) {
      const owner = fold.onCause ? causes?.[i] : owners[i]!;
      if (owner === undefined) continue;
      const cands = byRuleOwner.get(fold.rule)?.get(owner);
      if (!cands) continue;
      const hit = cands.find((j) => j !== i && target[j] === -1 && !!findings[j]!.suppressed === !!f.suppressed && (!fold.samePath || pathKey(findings[j]!.path) === pathKey(f.path)));
      if (hit !== undefined) {
        target[i] = hit;
        break;
      }
    }
  }
  // Chains (A folds into B, B into C) end at the last root cause; a cycle is cut where it closes.
  const root = (i: number): number => {
    const seen = new Set<number>([i]);
    let r = i;
    while (target[r] !== -1 && !seen.has(target[r]!)) {
      r = target[r]!;
      seen.add(r);
    }
    if (target[r] !== -1) target[r] = -1;
    return r;
  };
  for (let i = 0; i < findings.length; i++) if (target[i] !== -1) target[i] = root(i);
  for (let i = 0; i < findings.length; i++) if (target[i] === i) target[i] = -1;
  const related = new Map<number, RelatedFinding[]>();
  for (let i = 0; i < findings.length; i++) {
    const t = target[i]!;
    if (t === -1) continue;
    const f = findings[i]!;
    const r: RelatedFinding = {
      ruleId: f.ruleId, severity: f.severity, message: f.message, path: f.path, ...(f.location ? { location: f.location } : {}), ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
      // Folded across resources (onCause, or a chain through such a fold): it names its own.
      ...(owners[i] !== owners[t] ? { resource: f.resource } : {}),
    };
    const l = related.get(t);
    if (l) l.push(r);
    else related.set(t, [r]);
  }
  const out: Finding[] = [];
  const newIndex = new Array<number>(findings.length);
  for (let i = 0; i < findings.length; i++) {
    if (target[i] !== -1) continue;
    const f = findings[i]!;
    const rel = related.get(i);
    if (!rel) {
      newIndex[i] = out.length;
      out.push(f);
      continue;
    }
    let severity = f.severity;
    for (const r of rel) if (SEVERITY_RANK[r.severity] > SEVERITY_RANK[severity]) severity = r.severity;
    newIndex[i] = out.length;
    // Object.assign, not `{ ...f, severity, related }`: V8 gives such a spread-then-add object a
    // hidden class of its own (~350 bytes each, 17,000 findings at 100,000 documents).
    out.push(Object.assign({}, f, { severity, related: [...(f.related ?? []), ...rel] }));
  }
  const into = findings.map((_, i) => newIndex[target[i] === -1 ? i : target[i]!]!);
  return { findings: out, into };
}

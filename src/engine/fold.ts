// One root cause, one finding. A rule may declare that its finding is a consequence of another
// rule's finding on the same resource (RuleMeta.foldsInto): service-single-stack states why a
// Service has no AAAA record, so dns-aaaa-coverage's finding on that Service adds nothing a user
// can act on. Such a finding is folded into the root-cause finding: it leaves the findings list,
// is listed in the root cause's `related`, and its evaluation still counts as failed (score.ts
// sees it through the evaluation, and the root cause's severity is raised to the worst folded one
// so the gate sees it too). A finding may also name another resource as its cause (RuleReport.cause,
// foldsInto onCause): the Service Envoy Gateway writes from an EnvoyProxy folds into the finding on
// that EnvoyProxy; the folded finding then keeps its own resource in `related`.
//
// The same cause repeated per Node is one finding too: a cluster pod range with a non-random ULA
// Global ID is carved into every Node's spec.podCIDRs, so a rule that judges each Node's range
// reports the same cause once per Node. Such reports name a key for their cause
// (RuleReport.sameCause); of one rule's findings with the same key and suppression state, the
// Node findings fold into the one that is not on a Node (the cluster range, when the input has
// it), else into the first Node's, whose message then says on how many more Nodes it is.
// Pure: no I/O, no clock.

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
 * a foldsInto entry with onCause, on the resource whose owner key `causes` gives for the finding;
 * then the Node findings of one rule that repeat one cause (`sameCauses`: RuleReport.sameCause).
 * A finding folds only into one with the same suppression state: a suppressed root cause does
 * not hide an unsuppressed consequence, nor the reverse.
 */
export function foldRootCauses(findings: readonly Finding[], owners: readonly string[], metaOf: (ruleId: string) => RuleMeta | undefined, causes?: readonly (string | undefined)[], sameCauses?: readonly (string | undefined)[]): FoldResult {
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
      const fits = (j: number): boolean => j !== i && !!findings[j]!.suppressed === !!f.suppressed && (!fold.samePath || pathKey(findings[j]!.path) === pathKey(f.path));
      // A root cause not folded itself first; else one that is (its chain is followed below), so
      // a chain folds whatever order the rules' findings come in.
      const hit = cands.find((j) => target[j] === -1 && fits(j)) ?? cands.find(fits);
      if (hit !== undefined) {
        target[i] = hit;
        break;
      }
    }
  }
  // The same cause on many Nodes, among the findings not folded above.
  const nodesOf = sameCauses ? sameCauseOnNodes(findings, owners, sameCauses, target) : undefined;
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
    // The count is not in the fingerprint (made before): more Nodes keep a baseline's entry.
    const nodes = nodesOf?.get(i);
    const message = nodes ? `${f.message} (and on ${nodes.count} ${nodes.more ? 'more ' : ''}Node${nodes.count === 1 ? '' : 's'})` : f.message;
    // Object.assign, not `{ ...f, severity, related }`: V8 gives such a spread-then-add object a
    // hidden class of its own (~350 bytes each, 17,000 findings at 100,000 documents).
    out.push(Object.assign({}, f, { severity, message, related: [...(f.related ?? []), ...rel] }));
  }
  const into = findings.map((_, i) => newIndex[target[i] === -1 ? i : target[i]!]!);
  return { findings: out, into };
}

const isNode = (f: Finding): boolean => f.resource.kind === 'Node';

/**
 * Groups the findings not folded yet (target -1) by rule, same-cause key and suppression state,
 * and folds each group's Node findings into its root: the first finding of the group that is not
 * on a Node, else the first on a Node. Findings of the group that are not on Nodes stay as they
 * are. Sets `target`; returns, per root, on how many Nodes besides its own the folded findings
 * are (`more`: the root is on a Node too).
 */
function sameCauseOnNodes(findings: readonly Finding[], owners: readonly string[], sameCauses: readonly (string | undefined)[], target: number[]): Map<number, { count: number; more: boolean }> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < findings.length; i++) {
    const key = sameCauses[i];
    if (key === undefined || target[i] !== -1) continue;
    const f = findings[i]!;
    const k = `${f.ruleId}\u0000${f.suppressed ? 1 : 0}\u0000${key}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const out = new Map<number, { count: number; more: boolean }>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const root = g.find((i) => !isNode(findings[i]!)) ?? g[0]!;
    const nodes = new Set<string>();
    for (const i of g) {
      if (i === root || !isNode(findings[i]!)) continue;
      target[i] = root;
      if (owners[i] !== owners[root]) nodes.add(owners[i]!);
    }
    if (nodes.size > 0) out.set(root, { count: nodes.size, more: isNode(findings[root]!) });
  }
  return out;
}

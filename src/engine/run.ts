// (model, rules, options) -> Report. Deterministic: no clock, no I/O; positions come from
// the injected locate() (the loader's Locator), so rules never compute them.

import { SEVERITIES, SEVERITY_RANK, formatRef, type ResourceRef, type JsonPath, type LoadProblem, type Severity, type SourceLocation, type SourceRef } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import type { ResolvedName } from '../model/dns.ts';
import { fixSummary, renderMessage, type Rule, type RuleMeta, type RuleReport } from '../rules/types.ts';
import { computeScore, type Evaluation } from './score.ts';
import type { DnsSummary, EvaluationResult, Finding, Report, RuleEvaluation, ServiceSummary, StoredSummary } from './types.ts';
import type { Resource } from '../model/resources.ts';
import { applySuppressions, resourceKey, type Exemption, type SuppressItem } from './suppress.ts';
import { fingerprint, keyFingerprint, type Baseline } from './baseline.ts';
import { foldRootCauses } from './fold.ts';

export interface RunOptions {
  readonly locate?: (source: SourceRef, path: JsonPath, textLine?: number) => SourceLocation | undefined;
  /** Rule ids to run exclusively (--rule); empty or absent: all. */
  readonly only?: readonly string[];
  readonly disabled?: readonly string[];
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
  /** Include live-only rules (a cluster run). */
  readonly live?: boolean;
  /** Include rules that need name lookups (--resolve). */
  readonly resolve?: boolean;
  readonly tool: { readonly name: string; readonly version: string };
  readonly target: Report['target'];
  readonly problems?: readonly LoadProblem[];
  readonly stats?: Omit<Report['stats'], 'durationMs'>;
  /** Config file exemptions (suppress.ts). */
  readonly exemptions?: readonly Exemption[];
  readonly exemptionsFrom?: string;
  /** Known findings (--baseline): suppressed, so the gate fails only on new ones. */
  readonly baseline?: Baseline;
  /**
   * Report.results, a record per evaluation, passed or not (default true): only the JUnit
   * reporter reads it. false leaves it out, and an evaluation that reports nothing is only
   * counted (per-rule counts and score unchanged).
   */
  readonly results?: boolean;
}

/**
 * The rules of a run. live: every object is stored state (a live read, a snapshot): live-only
 * rules run, manifest-only ones do not. stored: some objects of a file input are stored state
 * (`kubectl get -o yaml`): both run, each on its own objects (run() filters their targets).
 */
export function selectRules(rules: readonly Rule[], opts: Pick<RunOptions, 'only' | 'disabled' | 'live' | 'resolve'> & { readonly stored?: boolean }): Rule[] {
  const only = opts.only && opts.only.length > 0 ? new Set(opts.only) : undefined;
  const disabled = new Set(opts.disabled ?? []);
  return rules.filter((r) => {
    if (disabled.has(r.meta.id)) return false;
    if (only) return only.has(r.meta.id);
    if (r.meta.liveOnly && !opts.live && !opts.stored) return false;
    if (r.meta.manifestOnly && opts.live) return false;
    if (r.meta.needsResolve && !opts.resolve) return false;
    return true;
  });
}

const compareFindings = (a: Finding, b: Finding): number => {
  const fa = a.location?.file ?? '\uffff';
  const fb = b.location?.file ?? '\uffff';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  const ra = `${a.resource.kind}/${a.resource.namespace ?? ''}/${a.resource.name}`;
  const rb = `${b.resource.kind}/${b.resource.namespace ?? ''}/${b.resource.name}`;
  return ra < rb ? -1 : ra > rb ? 1 : 0;
};

const NO_FINDINGS: readonly number[] = Object.freeze([]);

/** Tally slots of one rule: state (passed, failed, suppressed) x severity (SEVERITIES order). */
const PASSED = 0;
const FAILED = 1;
const SUPPRESSED = 2;
const SEVERITY_INDEX: Readonly<Record<Severity, number>> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;
const BY_RANK: readonly Severity[] = SEVERITIES.slice().sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b]);

type Pending = { meta: RuleMeta; rep: RuleReport; severity: Severity; source?: SourceRef; resource: ResourceRef; owner: string; cause?: string; annotations: Readonly<Record<string, string>> | undefined; ev: number; pods?: number };
type MutableResult = { -readonly [K in keyof EvaluationResult]: EvaluationResult[K] };

export function run(model: Model, allRules: readonly Rule[], opts: RunOptions): Report {
  // Only stored objects (a `kubectl get -o yaml` dump) are judged as a snapshot is; a file input
  // that mixes them with manifests runs both kinds of rules, each on its own objects.
  const live = opts.live === true || (model.resources.length > 0 && model.stored.length === model.resources.length);
  const mixed = !live && model.stored.length > 0;
  const rules = selectRules(allRules, { ...opts, live, stored: mixed });
  const ctx = { model };
  // Report.results (JUnit's testcases): one record per evaluation, completed in place below.
  // Without it, an evaluation that reports nothing leaves no object behind, only a count.
  const keep = opts.results !== false;
  const raw: MutableResult[] = [];
  // Evaluations that reported something, numbered in order (`ev`): their rule, and their record.
  const evMeta: RuleMeta[] = [];
  const evRecord: MutableResult[] = [];
  // Per rule: evaluations counted by state and severity (for the score and the per-rule counts).
  const tally = new Map<string, number[]>();
  for (const r of rules) tally.set(r.meta.id, new Array<number>(3 * SEVERITIES.length).fill(0));
  // Per rule: evaluations that could not be made (Target.notEvaluated), counted by severity and why.
  const notMade = new Map<string, Map<string, { severity: Severity; why: string; count: number }>>();
  // Resource and rule of each of them: an ignore annotation there is not "unused" (the rule did not judge it).
  let notJudged: Set<string> | undefined;
  let byKey: Map<string, Resource> | undefined;
  const resourceAt = (key: string): Resource | undefined => {
    byKey ??= new Map(model.resources.map((r) => [resourceKey(r.ref, r.source), r]));
    return byKey.get(key);
  };
  // Reports first; their positions are resolved afterwards in file and document order, so the
  // loader reads and scans each document once however many rules report on it.
  let pending: (Pending | undefined)[] = [];
  for (const rule of rules) {
    const meta = rule.meta;
    const override = opts.severityOverrides?.[meta.id];
    const counts = tally.get(meta.id)!;
    for (const target of rule.targets(ctx)) {
      if (mixed && (meta.manifestOnly || meta.liveOnly)) {
        // Manifest-only rules judge what someone wrote (not what the apiserver allocated), live-only ones what it stored.
        const stored = resourceAt(resourceKey(target.ref, target.source))?.stored === true;
        if (meta.manifestOnly ? stored : !stored) continue;
      }
      const targetSeverity = override ?? target.severity ?? meta.severity;
      let rec: MutableResult | undefined;
      if (keep) {
        rec = { ruleId: meta.id, category: meta.category, severity: targetSeverity, resource: target.ref, failed: false, findings: NO_FINDINGS };
        if (target.source) rec.file = target.source.file;
        raw.push(rec);
      }
      if (target.notEvaluated !== undefined) {
        // Cannot be judged: neither passed nor failed, out of the score (score.ts), and check() is not asked.
        if (rec) rec.notEvaluated = target.notEvaluated;
        let byWhy = notMade.get(meta.id);
        if (!byWhy) notMade.set(meta.id, (byWhy = new Map()));
        const k = `${targetSeverity}\u0000${target.notEvaluated}`;
        const n = byWhy.get(k);
        if (n) n.count++;
        else byWhy.set(k, { severity: targetSeverity, why: target.notEvaluated, count: 1 });
        (notJudged ??= new Set()).add(`${resourceKey(target.ref, target.source)}\u0000${meta.id}`);
        continue;
      }
      let ev = -1;
      for (const rep of rule.check(target, ctx)) {
        if (meta.messages[rep.messageId] === undefined) throw new Error(`rule ${meta.id} reported unknown messageId ${rep.messageId}`);
        if (rep.fix && meta.fixable !== 'fix' && meta.fixable !== 'both') throw new Error(`rule ${meta.id} reported a fix but its meta.fixable is ${meta.fixable ?? 'unset'}`);
        if (rep.suggest && meta.fixable !== 'suggestion' && meta.fixable !== 'both') throw new Error(`rule ${meta.id} reported a suggestion but its meta.fixable is ${meta.fixable ?? 'unset'}`);
        if (ev < 0) {
          ev = evMeta.length;
          evMeta.push(meta);
          if (rec) evRecord.push(rec);
        }
        const severity = override ?? rep.severity ?? targetSeverity;
        const source = rep.source ?? target.source;
        const resource = rep.resource ?? target.ref;
        // The annotations of the resource the finding is about (the target's, unless the rule names another).
        const owner = rep.resource ? resourceKey(rep.resource, rep.source) : resourceKey(target.ref, target.source);
        const annotations = rep.resource ? resourceAt(owner)?.annotations : target.annotations ?? resourceAt(owner)?.annotations;
        const pods = rep.resource ? undefined : target.pods;
        // The resource this one follows (RuleReport.cause): where an onCause fold finds its root.
        const cause = rep.cause ? resourceKey(rep.cause.ref, rep.cause.source) : undefined;
        pending.push({ meta, rep, severity, ...(source ? { source } : {}), resource, owner, ...(cause !== undefined ? { cause } : {}), annotations, ev, ...(pods ? { pods } : {}) });
      }
      // Nothing reported: passed, at the severity of the target.
      if (ev < 0) counts[PASSED * SEVERITIES.length + SEVERITY_INDEX[targetSeverity]]!++;
    }
  }
  // The lookup by resource key (a key string per resource: ~17 MB at 100,000 documents) is done with.
  byKey = undefined;
  const locations = new Array<SourceLocation | undefined>(pending.length);
  if (opts.locate) {
    const byPlace = pending.map((_, i) => i).filter((i) => pending[i]!.source !== undefined);
    byPlace.sort((a, b) => {
      const sa = pending[a]!.source!;
      const sb = pending[b]!.source!;
      if (sa.file !== sb.file) return sa.file < sb.file ? -1 : 1;
      return sa.doc - sb.doc || (sa.item ?? -1) - (sb.item ?? -1) || a - b;
    });
    for (const i of byPlace) {
      const p = pending[i]!;
      locations[i] = opts.locate(p.source!, p.rep.path, p.rep.textLine);
    }
  }
  let items: SuppressItem[] = [];
  /** Evaluation (ev) of each item. */
  const evalOf = new Int32Array(pending.length);
  /** Owner key of each item's cause (RuleReport.cause); undefined for almost all. */
  let causes: (string | undefined)[] | undefined;
  /** Each item's same-cause key (RuleReport.sameCause), made only when a report names one. */
  let sameCauses: (string | undefined)[] | undefined;
  for (let i = 0; i < pending.length; i++) {
    const { meta, rep, severity, resource, owner, cause, annotations, ev, pods } = pending[i]!;
    if (cause !== undefined) (causes ??= new Array<string | undefined>(pending.length))[i] = cause;
    if (rep.sameCause !== undefined) (sameCauses ??= new Array<string | undefined>(pending.length))[i] = rep.sameCause;
    // Each report let go as its finding is made (its data is in the message now).
    pending[i] = undefined;
    const template = meta.messages[rep.messageId]!;
    const location = locations[i];
    const ruleMessage = renderMessage(template, rep.data);
    // A pod template judged once for its running Pods says how many (the fingerprint keeps the rule's message).
    const message = pods ? `${ruleMessage} (${pods} running Pod${pods === 1 ? '' : 's'})` : ruleMessage;
    const fixText = fixSummary(meta, rep.messageId, rep.data);
    const finding: Finding = {
      ruleId: meta.id,
      severity,
      category: meta.category,
      messageId: rep.messageId,
      message,
      resource,
      path: rep.path,
      ...(location ? { location } : {}),
      fix: rep.fix ? { summary: fixText, patch: rep.fix, kind: 'fix' }
        : rep.suggest ? { summary: fixText, patch: rep.suggest, kind: 'suggestion' } : { summary: fixText },
      fingerprint: rep.key !== undefined ? keyFingerprint(meta.id, rep.key) : fingerprint({ ruleId: meta.id, resource, path: rep.path, message: ruleMessage }),
      ...(pods ? { pods } : {}),
    };
    items.push(annotations ? { finding, owner, annotations } : { finding, owner });
    evalOf[i] = ev;
  }
  // The reports (their data, paths and patches the findings do not keep) and positions are done with.
  pending = [];

  const suppressed = applySuppressions(items, {
    ...(opts.exemptions ? { exemptions: opts.exemptions } : {}),
    ...(opts.exemptionsFrom ? { exemptionsFrom: opts.exemptionsFrom } : {}),
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    resources: model.resources,
    ranRules: new Set(rules.map((r) => r.meta.id)),
    ...(notJudged ? { notJudged } : {}),
    knownRules: new Set(allRules.map((r) => r.meta.id)),
    ...(opts.locate ? { locate: opts.locate } : {}),
  });

  // One root cause, one finding: consequences fold into the finding that states their cause, and
  // one cause repeated on many Nodes into one finding.
  const metaById = new Map(rules.map((r) => [r.meta.id, r.meta]));
  const folded = foldRootCauses(suppressed.findings, items.map((it) => it.owner), (id) => metaById.get(id), causes, sameCauses);
  // The items (owners, annotations, findings before suppression) are done with.
  items = [];
  // Findings sorted for output; evaluations refer to them by their sorted index.
  const order = folded.findings.map((_, i) => i).sort((a, b) => compareFindings(folded.findings[a]!, folded.findings[b]!));
  const findings = order.map((i) => folded.findings[i]!);
  const sortedIndex = new Array<number>(order.length);
  order.forEach((from, to) => { sortedIndex[from] = to; });
  // Each evaluation that reported lists the findings that stand for its reports (a folded
  // finding's, the root cause that stands for it); its severity and suppression come from its own
  // findings: the worst unsuppressed and the worst suppressed (ranks, -1 for none).
  const evCount = evMeta.length;
  const evFindings = new Array<number[] | undefined>(evCount);
  const worstRank = new Int8Array(evCount).fill(-1);
  const worstSuppressedRank = new Int8Array(evCount).fill(-1);
  for (let i = 0; i < evalOf.length; i++) {
    const ev = evalOf[i]!;
    const at = sortedIndex[folded.into[i]!]!;
    const list = evFindings[ev];
    if (!list) evFindings[ev] = [at];
    else if (!list.includes(at)) list.push(at);
    const f = suppressed.findings[i]!;
    const rank = SEVERITY_RANK[f.severity];
    if (f.suppressed) {
      if (rank > worstSuppressedRank[ev]!) worstSuppressedRank[ev] = rank;
    } else if (rank > worstRank[ev]!) worstRank[ev] = rank;
  }

  const perRuleMap = new Map<string, { -readonly [K in keyof RuleEvaluation]-?: RuleEvaluation[K] }>();
  for (const r of rules) perRuleMap.set(r.meta.id, { ruleId: r.meta.id, category: r.meta.category, passed: 0, failed: 0, notEvaluated: 0, suppressed: 0 });
  for (let ev = 0; ev < evCount; ev++) {
    const counts = tally.get(evMeta[ev]!.id)!;
    const worst = worstRank[ev]! >= 0 ? BY_RANK[worstRank[ev]!]! : undefined;
    const worstSuppressed = worstSuppressedRank[ev]! >= 0 ? BY_RANK[worstSuppressedRank[ev]!]! : undefined;
    const rec = keep ? evRecord[ev]! : undefined;
    if (rec) rec.findings = evFindings[ev]!.sort((a, b) => a - b);
    if (worst === undefined) {
      // Every finding suppressed: out of the gate, not out of the score: it weighs its worst
      // finding and is not passed (score.ts).
      counts[SUPPRESSED * SEVERITIES.length + SEVERITY_INDEX[worstSuppressed!]]!++;
      if (rec) rec.suppressed = true;
    } else {
      // A suppressed finding next to an unsuppressed one still weighs: suppressing never lightens.
      const weight = worstSuppressed !== undefined && SEVERITY_RANK[worstSuppressed] > SEVERITY_RANK[worst] ? worstSuppressed : worst;
      counts[FAILED * SEVERITIES.length + SEVERITY_INDEX[weight]]!++;
      if (rec) {
        rec.severity = worst;
        rec.failed = true;
      }
    }
  }
  // The score's input: one entry per rule, state and severity, with its count.
  const evaluations: Evaluation[] = [];
  for (const r of rules) {
    const counts = tally.get(r.meta.id)!;
    const pr = perRuleMap.get(r.meta.id)!;
    for (let state = PASSED; state <= SUPPRESSED; state++) {
      for (let s = 0; s < SEVERITIES.length; s++) {
        const count = counts[state * SEVERITIES.length + s]!;
        if (count === 0) continue;
        if (state === PASSED) pr.passed += count;
        else if (state === FAILED) pr.failed += count;
        else pr.suppressed += count;
        evaluations.push({ ruleId: r.meta.id, category: r.meta.category, severity: SEVERITIES[s]!, failed: state === FAILED, ...(state === SUPPRESSED ? { suppressed: true } : {}), count });
      }
    }
    for (const { severity, why, count } of notMade.get(r.meta.id)?.values() ?? []) {
      pr.notEvaluated += count;
      evaluations.push({ ruleId: r.meta.id, category: r.meta.category, severity, failed: false, notEvaluated: true, why, count });
    }
  }
  // Kinds a live read could not list: each rule whose scope names one counts one evaluation
  // per such kind as not evaluated (out of the score, shown in the report).
  const unread = new Set((opts.target.notEvaluated ?? []).map((n) => n.kind));
  for (const r of rules) {
    for (const kind of r.meta.scope) {
      if (!unread.has(kind)) continue;
      perRuleMap.get(r.meta.id)!.notEvaluated++;
      evaluations.push({ ruleId: r.meta.id, category: r.meta.category, severity: r.meta.severity, failed: false, notEvaluated: true });
    }
  }
  const perRule: RuleEvaluation[] = [...perRuleMap.values()].map(({ suppressed: n, ...r }) => (n > 0 ? { ...r, suppressed: n } : r));
  const services = summarizeServices(model, opts.locate);
  return {
    schemaVersion: 1,
    tool: opts.tool,
    target: opts.target,
    score: computeScore(evaluations, findings),
    findings,
    services,
    dns: summarizeDns(services, model.resolved),
    problems: opts.problems ?? [],
    rules: rules.map((r): RuleMeta => r.meta),
    evaluations: perRule,
    ...(keep ? { results: raw as readonly EvaluationResult[] } : {}),
    ...(suppressed.unused.length > 0 ? { unusedSuppressions: suppressed.unused } : {}),
    ...storedSummary(model, opts.live === true),
    stats: { ...(opts.stats ?? { files: 0, documents: 0, resources: model.resources.length, skipped: 0 }), durationMs: 0 },
  };
}

/** Which objects were judged as stored state: all of a live read or snapshot (count only), else the stored part of a file input. */
function storedSummary(model: Model, live: boolean): { stored?: StoredSummary } {
  if (live) return model.resources.length > 0 ? { stored: { count: model.resources.length, all: true } } : {};
  if (model.stored.length === 0) return {};
  return { stored: { count: model.stored.length, all: model.stored.length === model.resources.length, objects: model.stored.map(formatRef) } };
}

function summarizeServices(model: Model, locate: RunOptions['locate']): ServiceSummary[] {
  return model.services.map((s) => {
    const location = s.source && locate ? locate(s.source, []) : undefined;
    const rej = s.rejected[0];
    // Built key by key, not as a literal opening with a conditional spread: V8 gives each such
    // object a hidden class of its own (~350 bytes; 18,000 Services at 100,000 documents).
    const sum: { -readonly [K in keyof ServiceSummary]: ServiceSummary[K] } = {} as ServiceSummary;
    if (s.ref.namespace !== undefined) sum.namespace = s.ref.namespace;
    sum.name = s.ref.name;
    sum.type = s.type;
    sum.declared = s.declared;
    sum.effective = s.effective;
    if (rej) sum.rejected = { field: rej.field, message: rej.message };
    sum.dns = s.dns;
    if (location) sum.location = location;
    return sum;
  });
}

export function summarizeDns(services: readonly ServiceSummary[], resolved?: ReadonlyMap<string, ResolvedName>): DnsSummary {
  let total = 0;
  let withAAAA = 0;
  let externalName = 0;
  const byNamespace: Record<string, { services: number; withAAAA: number }> = {};
  const withoutAAAA: string[] = [];
  for (const s of services) {
    if (s.type === 'ExternalName') {
      externalName++;
      continue;
    }
    if (s.rejected) continue;
    // default/kubernetes is the apiserver's own Service, single-stack by design (SEMANTICS.md a.7).
    if (s.namespace === 'default' && s.name === 'kubernetes' && s.type === 'ClusterIP') continue;
    total++;
    const ns = s.namespace ?? 'default';
    const b = (byNamespace[ns] ??= { services: 0, withAAAA: 0 });
    b.services++;
    if (s.dns.AAAA) {
      withAAAA++;
      b.withAAAA++;
    } else {
      withoutAAAA.push(`${s.name}.${ns}.svc`);
    }
  }
  return {
    services: total, withAAAA, coverage: total > 0 ? Math.round((withAAAA / total) * 1000) / 1000 : null,
    externalName, byNamespace, withoutAAAA,
    ...(resolved ? { external: summarizeResolved(resolved) } : {}),
  };
}

/** --resolve answers: how many external names have an AAAA record, which have none, which could not be looked up. */
function summarizeResolved(resolved: ReadonlyMap<string, ResolvedName>): NonNullable<DnsSummary['external']> {
  let withAAAA = 0;
  const withoutAAAA: string[] = [];
  const failed: string[] = [];
  for (const [name, r] of resolved) {
    if (r.AAAA.length > 0) withAAAA++;
    else if (r.error) failed.push(`${name} (${r.error})`);
    else withoutAAAA.push(name);
  }
  return { names: resolved.size, withAAAA, withoutAAAA, failed };
}

// (model, rules, options) -> Report. Deterministic: no clock, no I/O; positions come from
// the injected locate() (the loader's Locator), so rules never compute them.

import { SEVERITY_RANK, type JsonPath, type LoadProblem, type Severity, type SourceLocation, type SourceRef } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import { renderMessage, type Rule, type RuleMeta } from '../rules/types.ts';
import { computeScore, type Evaluation } from './score.ts';
import type { DnsSummary, Finding, Report, RuleEvaluation, ServiceSummary } from './types.ts';

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
}

export function selectRules(rules: readonly Rule[], opts: Pick<RunOptions, 'only' | 'disabled' | 'live' | 'resolve'>): Rule[] {
  const only = opts.only && opts.only.length > 0 ? new Set(opts.only) : undefined;
  const disabled = new Set(opts.disabled ?? []);
  return rules.filter((r) => {
    if (disabled.has(r.meta.id)) return false;
    if (only) return only.has(r.meta.id);
    if (r.meta.liveOnly && !opts.live) return false;
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

export function run(model: Model, allRules: readonly Rule[], opts: RunOptions): Report {
  const rules = selectRules(allRules, opts);
  const ctx = { model };
  const findings: Finding[] = [];
  const evaluations: Evaluation[] = [];
  const perRule: RuleEvaluation[] = [];
  for (const rule of rules) {
    const meta = rule.meta;
    const override = opts.severityOverrides?.[meta.id];
    let passed = 0;
    let failed = 0;
    for (const target of rule.targets(ctx)) {
      const targetSeverity = override ?? target.severity ?? meta.severity;
      let worst: Severity | undefined;
      for (const rep of rule.check(target, ctx)) {
        const template = meta.messages[rep.messageId];
        if (template === undefined) throw new Error(`rule ${meta.id} reported unknown messageId ${rep.messageId}`);
        const severity = override ?? rep.severity ?? targetSeverity;
        const source = rep.source ?? target.source;
        const location = source && opts.locate ? opts.locate(source, rep.path, rep.textLine) : undefined;
        findings.push({
          ruleId: meta.id,
          severity,
          category: meta.category,
          messageId: rep.messageId,
          message: renderMessage(template, rep.data),
          resource: rep.resource ?? target.ref,
          path: rep.path,
          ...(location ? { location } : {}),
          fix: rep.fix ? { summary: meta.fix.summary, patch: rep.fix } : { summary: meta.fix.summary },
        });
        if (worst === undefined || SEVERITY_RANK[severity] > SEVERITY_RANK[worst]) worst = severity;
      }
      if (worst === undefined) passed++;
      else failed++;
      evaluations.push({ ruleId: meta.id, category: meta.category, severity: worst ?? targetSeverity, failed: worst !== undefined });
    }
    perRule.push({ ruleId: meta.id, category: meta.category, passed, failed, notEvaluated: 0 });
  }
  findings.sort(compareFindings);
  const services = summarizeServices(model, opts.locate);
  return {
    schemaVersion: 1,
    tool: opts.tool,
    target: opts.target,
    score: computeScore(evaluations, findings),
    findings,
    services,
    dns: summarizeDns(services),
    problems: opts.problems ?? [],
    rules: rules.map((r): RuleMeta => r.meta),
    evaluations: perRule,
    stats: { ...(opts.stats ?? { files: 0, documents: 0, resources: model.resources.length, skipped: 0 }), durationMs: 0 },
  };
}

function summarizeServices(model: Model, locate: RunOptions['locate']): ServiceSummary[] {
  return model.services.map((s) => {
    const location = s.source && locate ? locate(s.source, []) : undefined;
    const rej = s.rejected[0];
    return {
      ...(s.ref.namespace !== undefined ? { namespace: s.ref.namespace } : {}),
      name: s.ref.name,
      type: s.type,
      declared: s.declared,
      effective: s.effective,
      ...(rej ? { rejected: { field: rej.field, message: rej.message } } : {}),
      dns: s.dns,
      ...(location ? { location } : {}),
    };
  });
}

export function summarizeDns(services: readonly ServiceSummary[]): DnsSummary {
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
  };
}

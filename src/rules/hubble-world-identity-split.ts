import { defineRule, type RuleReport, type Target } from './types.ts';
import type { Resource } from '../model/resources.ts';
import type { JsonPath } from '../model/types.ts';
import { relabelMatch, type RelabelConfig } from '../emulate/relabel.ts';
import { ciliumDualStack, parseFlowFilters } from '../model/observability.ts';
import { jobName } from './helpers-prometheus.ts';

interface Hit {
  readonly path: JsonPath;
  readonly textLine?: number;
  readonly where: string;
  readonly what: string;
}

interface WorldTarget extends Target {
  readonly hits: readonly Hit[];
}

/** reserved:world, or a label matcher ="world" / =~"world" (PromQL), not followed by -ipv4/-ipv6. */
const WORLD_TEXT = /reserved:world(?![-\w(?|*.[])|=~?\s*["']world["']/;

const relabelHit = (r: RelabelConfig): boolean => {
  if (!/world/.test(r.regex) || !['keep', 'drop', 'replace'].includes(r.action)) return false;
  const matches = (x: string): boolean => !!relabelMatch(r.regex, x);
  if (relabelMatch(r.regex, '') === undefined) return false; // RE2 rejects it
  const plain = matches('world') || matches('reserved:world');
  const split = matches('world-ipv4') || matches('reserved:world-ipv4');
  return plain && !split;
};

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

export default defineRule<WorldTarget>({
  meta: {
    id: 'hubble-world-identity-split',
    title: 'Hubble filters, alerts and relabelings keyed on the "world" identity, which splits per family on dual-stack Cilium',
    category: 'observability',
    severity: 'low',
    scope: ['ConfigMap', 'PrometheusRule', 'Rules', 'ClusterRules', 'GlobalRules', 'ServiceMonitor', 'PodMonitor', 'ScrapeConfig', 'PodMonitoring'],
    rationale:
      'On a dual-stack Cilium, traffic to and from outside the cluster gets the identity reserved:world-ipv4 (ID 9) or reserved:world-ipv6 (ID 10) instead of reserved:world (pkg/identity/numericidentity.go). ' +
      'Hubble export filters, alerts, dashboards and relabelings that match exactly "world" stop matching external traffic after the switch to dual-stack, silently. Whether newer Cilium versions also attach the plain reserved:world label is unconfirmed, so the finding asks to verify.',
    docs: {
      noFixedExample: 'The identity names sit inside regexes, PromQL or filter texts, which a JSON Patch cannot edit in place.',
      notes: 'Searched: cilium-config hubble-export-allowlist and hubble-export-denylist (FlowFilter source_label/destination_label), PrometheusRule expressions, JSON files in ConfigMaps (Grafana dashboards), and the relabel and metric relabel rules of scrape jobs, ServiceMonitors, PodMonitors and GMP PodMonitorings whose regex (RE2, anchored) matches "world" or "reserved:world" but not "world-ipv4". Evaluated when Cilium is dual-stack (cilium-config enable-ipv6 "true"; without a cilium-config, when the target cluster is dual-stack). Low and verify: the behaviour of newer Cilium versions is not verified (verify per version). CiliumNetworkPolicy toEntities/fromEntities world is not affected and not reported.',
    },
    fix: { summary: 'Match both split identities as well as the plain one: reserved:world(-ipv4|-ipv6)? in regexes and PromQL, or list reserved:world-ipv4 and reserved:world-ipv6 in Hubble filters.' },
    messages: {
      world: '{where} matches exactly the "world" identity ({what}), but dual-stack Cilium labels it world-ipv4 or world-ipv6, so it stops matching ({evidence}; verify)',
    },
    references: ['https://github.com/cilium/cilium/blob/main/install/kubernetes/cilium/templates/cilium-configmap.yaml', 'https://github.com/cilium/cilium/blob/main/api/v1/flow/flow.proto', 'https://github.com/cilium/cilium/blob/main/pkg/identity/numericidentity.go', 'https://github.com/cilium/cilium/blob/main/pkg/labels/labels.go'],
  },
  *targets({ model }) {
    if (!ciliumDualStack(model).dual) return;
    const byOwner = new Map<Resource, Hit[]>();
    const add = (owner: Resource, h?: Hit): void => {
      const l = byOwner.get(owner) ?? [];
      if (h) l.push(h);
      byOwner.set(owner, l);
    };
    const obs = model.observability;
    for (const cfg of obs.ciliumConfigs) {
      for (const key of ['hubble-export-allowlist', 'hubble-export-denylist']) {
        if (cfg.data[key] !== undefined) add(cfg);
        const filters = cfg.data[key] !== undefined ? parseFlowFilters(cfg.data[key]!) : undefined;
        for (const f of filters ?? []) {
          for (const k of ['source_label', 'destination_label']) {
            const v = Array.isArray(f[k]) ? (f[k] as unknown[]) : [];
            if (v.some((x) => x === 'reserved:world')) add(cfg, { path: ['data', key], where: `${key} (${k})`, what: 'reserved:world' });
          }
        }
      }
    }
    for (const t of obs.texts) {
      add(t.owner);
      const m = WORLD_TEXT.exec(t.text);
      if (m) add(t.owner, { path: t.path, ...(t.path[0] === 'data' ? { textLine: lineOf(t.text, m.index) } : {}), where: t.what, what: m[0] });
    }
    for (const job of obs.jobs) {
      if (job.relabels.length + job.metricRelabels.length > 0) add(job.owner);
      for (const r of [...job.relabels, ...job.metricRelabels]) {
        if (relabelHit(r)) add(job.owner, { path: r.path, ...(r.textLine !== undefined ? { textLine: r.textLine } : {}), where: `${jobName(job)} relabeling`, what: `regex ${JSON.stringify(r.regex)}` });
      }
    }
    for (const [owner, hits] of byOwner) yield { ref: owner.ref, ...(owner.source ? { source: owner.source } : {}), annotations: owner.annotations, hits };
  },
  *check({ hits }, { model }): Generator<RuleReport> {
    const evidence = ciliumDualStack(model).evidence;
    for (const h of hits) yield { messageId: 'world', path: h.path, ...(h.textLine !== undefined ? { textLine: h.textLine } : {}), data: { where: h.where, what: h.what, evidence } };
  },
});

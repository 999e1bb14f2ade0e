// Observability configuration: Prometheus scrape jobs (prometheus.yml in ConfigMaps and
// Secrets, the Secrets Prometheus CRs name in additionalScrapeConfigs, ServiceMonitors,
// PodMonitors, ScrapeConfigs, Probes, GMP PodMonitorings), Prometheus CRs, PrometheusRules and
// the Cilium/Hubble settings of cilium-config. Every relabel entry keeps its position: a JSON
// path, plus the line inside the embedded prometheus.yml text. Pure (no Secret is ever fetched:
// only Secrets present in the input are read). Sources: SEMANTICS-FRONTENDS.md section 4.

import type { ClusterFamilies, InputDocument, JsonPath } from './types.ts';
import { isObject, str, stringMap, toResource, type Resource } from './resources.ts';
import type { RelabelConfig } from '../emulate/relabel.ts';
import { Mismatch, readFastMemo, readWithYaml, type EmbeddedText, type NodeAt, type ReadMemo, type ReadText } from '../yaml/embedded.ts';

export type JobOrigin = 'prometheus.yml' | 'additionalScrapeConfigs' | 'ServiceMonitor' | 'PodMonitor' | 'ScrapeConfig' | 'Probe' | 'PodMonitoring';

export interface StaticTarget {
  readonly text: string;
  readonly path: JsonPath;
  readonly textLine?: number;
}

export interface ScrapeJob {
  readonly owner: Resource;
  readonly origin: JobOrigin;
  /** job_name, or "<kind> endpoint i". */
  readonly name: string;
  /** Kubernetes service discovery roles, lower case (pod, endpoints, endpointslice, service, node, ingress). */
  readonly roles: readonly string[];
  /** Target relabelling (not metric relabelling), in order. */
  readonly relabels: readonly RelabelConfig[];
  /** Metric relabelling (read by the Hubble rules only). */
  readonly metricRelabels: readonly RelabelConfig[];
  readonly staticTargets: readonly StaticTarget[];
  readonly path: JsonPath;
  readonly textLine?: number;
  /** ServiceMonitor/PodMonitor selector and namespaces (for the Services a monitor scrapes). */
  readonly selector?: { readonly matchLabels: Readonly<Record<string, string>>; readonly namespaces?: readonly string[]; readonly any: boolean };
  /** Jobs that rewrite target addresses: what their relabelling does to IPv6 targets (model/prometheus.ts). */
  readonly addressIssues?: readonly AddressIssue[];
}

/** A relabel entry that handles IPv4 targets right and IPv6 ones wrong, found by simulation (model/prometheus.ts). */
export type AddressIssue =
  | { readonly kind: 'noop'; readonly rule: RelabelConfig; readonly v4: string; readonly v6: string }
  | { readonly kind: 'mangled' | 'unbracketed' | 'lazyBare'; readonly rule: RelabelConfig; readonly input: string; readonly output: string };


export interface PrometheusCR extends Resource {
  /** spec.serviceDiscoveryRole (Endpoints by default in prometheus-operator). */
  readonly serviceDiscoveryRole?: string;
  /** spec.additionalScrapeConfigs: a Secret key selector; found when the Secret is in the input. */
  readonly additional?: { readonly secret: string; readonly key: string; readonly found: boolean; readonly path: JsonPath };
}

export interface TextSource {
  readonly owner: Resource;
  readonly text: string;
  readonly path: JsonPath;
  readonly textLine?: number;
  readonly what: string;
}

export interface CiliumConfig extends Resource {
  readonly data: Readonly<Record<string, string>>;
}

export interface ObservabilityModel {
  readonly jobs: readonly ScrapeJob[];
  readonly prometheuses: readonly PrometheusCR[];
  /** PrometheusRule expressions, Grafana dashboard JSON and other texts the Hubble rules search. */
  readonly texts: readonly TextSource[];
  readonly ciliumConfigs: readonly CiliumConfig[];
  /** Embedded configurations that could not be parsed (YAML errors): not evaluated. */
  readonly unparsed: readonly { readonly owner: Resource; readonly path: JsonPath; readonly error: string }[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');
const group = (v: unknown): string => (typeof v === 'string' && v.includes('/') ? v.slice(0, v.indexOf('/')) : '');

/** A relabel entry, snake_case (prometheus.yml) or camelCase (operator CRs). */
function relabel(v: unknown, path: JsonPath, textLine?: number): RelabelConfig | undefined {
  if (!isObject(v)) return undefined;
  const src = v.source_labels ?? v.sourceLabels;
  const target = str(v.target_label ?? v.targetLabel);
  const regex = v.regex === undefined ? '(.*)' : String(v.regex);
  const repl = v.replacement === undefined ? '$1' : String(v.replacement);
  return {
    action: (str(v.action) ?? 'replace').toLowerCase(),
    sourceLabels: strs(src),
    separator: v.separator === undefined ? ';' : String(v.separator),
    regex, replacement: repl,
    ...(target !== undefined ? { targetLabel: target } : {}),
    path, ...(textLine !== undefined ? { textLine } : {}),
  };
}

const relabels = (v: unknown, path: JsonPath): RelabelConfig[] =>
  list(v).flatMap((x, i) => {
    const r = relabel(x, [...path, i]);
    return r ? [r] : [];
  });

// ---- prometheus.yml text ---------------------------------------------------------------------

interface Embedded { readonly owner: Resource; readonly path: JsonPath; readonly text: string; readonly origin: JobOrigin; readonly lineMapped: boolean }

function jobsFromText(e: Embedded, out: ScrapeJob[], unparsed: ObservabilityModel['unparsed'][number][], memo: ReadMemo, yamlOnly = false): boolean {
  // prometheus.yml has scrape_configs; an additionalScrapeConfigs Secret holds the list itself.
  const text: EmbeddedText = { text: e.text, lineMapped: e.lineMapped, list: 'scrape_configs' };
  const fast = yamlOnly ? undefined : readFastMemo(text, memo);
  if (fast) {
    try {
      jobsFromValue(e, fast, out);
      return true;
    } catch (err) {
      if (!(err instanceof Mismatch)) throw err;
    }
  }
  const slow = readWithYaml(text);
  if (slow && 'error' in slow) unparsed.push({ owner: e.owner, path: e.path, error: slow.error });
  else if (slow) jobsFromValue(e, slow, out);
  return false;
}

/**
 * The scrape jobs of one prometheus.yml text (its lines mapped), read by the fast reader when it
 * accepts the text, or by yaml's Document API (`yamlOnly`). For tests: both must agree.
 */
export function scrapeJobsOfText(owner: Resource, text: string, yamlOnly = false): { jobs: ScrapeJob[]; unparsed: ObservabilityModel['unparsed'][number][]; fast: boolean } {
  const jobs: ScrapeJob[] = [];
  const unparsed: ObservabilityModel['unparsed'][number][] = [];
  const fast = jobsFromText({ owner, path: ['data', 'prometheus.yml'], text, origin: 'prometheus.yml', lineMapped: true }, jobs, unparsed, new Map(), yamlOnly);
  return { jobs, unparsed, fast };
}

function jobsFromValue(e: Embedded, read: ReadText, out: ScrapeJob[]): void {
  const { value, jobsAt } = read;
  // prometheus.yml has scrape_configs; an additionalScrapeConfigs Secret holds the list itself.
  const jobList = isObject(value) ? value.scrape_configs : value;
  if (!Array.isArray(jobList)) return;
  const lineOf = (n: NodeAt | undefined): number | undefined => (e.lineMapped && n ? read.lineAt(n.start) : undefined);
  const found: ScrapeJob[] = [];
  jobList.forEach((j, i) => {
    if (!isObject(j)) return;
    const jNode = jobsAt?.item(i);
    const rNode = jNode?.member('relabel_configs');
    const mNode = jNode?.member('metric_relabel_configs');
    const rel = list(j.relabel_configs).flatMap((x, k) => {
      const r = relabel(x, e.path, isObject(x) ? lineOf(rNode?.item(k)) : undefined);
      return r ? [r] : [];
    });
    const mrel = list(j.metric_relabel_configs).flatMap((x, k) => {
      const r = relabel(x, e.path, isObject(x) ? lineOf(mNode?.item(k)) : undefined);
      return r ? [r] : [];
    });
    const roles = list(j.kubernetes_sd_configs).flatMap((s) => (isObject(s) && typeof s.role === 'string' ? [s.role.toLowerCase()] : []));
    const sNode = jNode?.member('static_configs');
    const staticTargets: StaticTarget[] = [];
    list(j.static_configs).forEach((sc, k) => {
      if (!isObject(sc)) return;
      const targets = strs(sc.targets);
      if (targets.length === 0) return;
      const tNode = sNode?.item(k)?.member('targets');
      // m counts the string targets only (as it always has): with a non-string entry before it, the line is of another item.
      targets.forEach((t, m) => {
        const line = lineOf(tNode?.item(m));
        staticTargets.push({ text: t, path: e.path, ...(line !== undefined ? { textLine: line } : {}) });
      });
    });
    const line = lineOf(jNode);
    found.push({
      owner: e.owner, origin: e.origin, name: str(j.job_name) ?? `job ${i}`, roles, relabels: rel, metricRelabels: mrel, staticTargets,
      path: e.path, ...(line !== undefined ? { textLine: line } : {}),
    });
  });
  out.push(...found);
}

export const looksLikeScrapeConfig = (text: string): boolean => /(^|\n)\s*-?\s*(scrape_configs|job_name)\s*:/.test(text);

// ---- operator CRs ----------------------------------------------------------------------------

function selectorOf(spec: Record<string, unknown>, ns: string | undefined): ScrapeJob['selector'] {
  const sel = isObject(spec.selector) ? spec.selector : {};
  const nsSel = isObject(spec.namespaceSelector) ? spec.namespaceSelector : {};
  const any = nsSel.any === true;
  const names = strs(nsSel.matchNames);
  return {
    matchLabels: stringMap(sel.matchLabels), any,
    ...(any ? {} : { namespaces: names.length > 0 ? names : ns ? [ns] : ['default'] }),
  };
}

function operatorJobs(doc: InputDocument, sdRole: string | undefined, out: ScrapeJob[]): void {
  const o = doc.object;
  const r = toResource(doc);
  const spec = isObject(o.spec) ? o.spec : {};
  const kind = o.kind;
  if (kind === 'ServiceMonitor' || kind === 'PodMonitor') {
    const key = kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints';
    const own = str(spec.serviceDiscoveryRole);
    const role = kind === 'PodMonitor' ? 'pod' : (own ?? sdRole ?? 'Endpoints').toLowerCase();
    list(spec[key]).forEach((ep, i) => {
      if (!isObject(ep)) return;
      const path: JsonPath = ['spec', key, i];
      out.push({
        owner: r, origin: kind, name: `${key}[${i}]${typeof ep.port === 'string' ? ` (port ${ep.port})` : ''}`, roles: [role],
        relabels: relabels(ep.relabelings, [...path, 'relabelings']),
        metricRelabels: relabels(ep.metricRelabelings, [...path, 'metricRelabelings']),
        staticTargets: [], path, selector: selectorOf(spec, r.ref.namespace),
      });
    });
  } else if (kind === 'ScrapeConfig') {
    const roles = list(spec.kubernetesSDConfigs).flatMap((s) => (isObject(s) && typeof s.role === 'string' ? [s.role.toLowerCase()] : []));
    const staticTargets: StaticTarget[] = [];
    list(spec.staticConfigs).forEach((sc, k) => {
      strs(isObject(sc) ? sc.targets : undefined).forEach((t, m) => staticTargets.push({ text: t, path: ['spec', 'staticConfigs', k, 'targets', m] }));
    });
    out.push({
      owner: r, origin: 'ScrapeConfig', name: str(spec.jobName) ?? r.ref.name, roles,
      relabels: relabels(spec.relabelings, ['spec', 'relabelings']),
      metricRelabels: relabels(spec.metricRelabelings, ['spec', 'metricRelabelings']),
      staticTargets, path: ['spec'],
    });
  } else if (kind === 'Probe') {
    const targets = isObject(spec.targets) ? spec.targets : {};
    const sc = isObject(targets.staticConfig) ? targets.staticConfig : {};
    const staticTargets = strs(sc.static).map((t, m): StaticTarget => ({ text: t, path: ['spec', 'targets', 'staticConfig', 'static', m] }));
    out.push({
      owner: r, origin: 'Probe', name: r.ref.name, roles: [],
      relabels: relabels(sc.relabelingConfigs, ['spec', 'targets', 'staticConfig', 'relabelingConfigs']),
      metricRelabels: relabels(spec.metricRelabelings, ['spec', 'metricRelabelings']),
      staticTargets, path: ['spec', 'targets'],
    });
  } else if (kind === 'PodMonitoring' || kind === 'ClusterPodMonitoring') {
    list(spec.endpoints).forEach((ep, i) => {
      if (!isObject(ep)) return;
      const path: JsonPath = ['spec', 'endpoints', i];
      out.push({
        owner: r, origin: 'PodMonitoring', name: `endpoints[${i}]`, roles: ['pod'], relabels: [],
        metricRelabels: relabels(ep.metricRelabeling, [...path, 'metricRelabeling']), staticTargets: [], path,
      });
    });
  }
}

function base64(s: string): string | undefined {
  try {
    return Buffer.from(s, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

// ---- Build ----------------------------------------------------------------------------------

const GMP_RULE_KINDS = new Set(['Rules', 'ClusterRules', 'GlobalRules']);

export function buildObservabilityModel(docs: readonly InputDocument[]): ObservabilityModel {
  const jobs: ScrapeJob[] = [];
  const unparsed: ObservabilityModel['unparsed'][number][] = [];
  const texts: TextSource[] = [];
  const ciliumConfigs: CiliumConfig[] = [];
  const prometheuses: PrometheusCR[] = [];
  const secrets = new Map<string, { r: Resource; doc: InputDocument }>();
  const operatorDocs: InputDocument[] = [];
  const memo: ReadMemo = new Map();
  for (const d of docs) {
    const o = d.object;
    const g = group(o.apiVersion);
    if (o.kind === 'Secret' && o.apiVersion === 'v1') {
      const r = toResource(d);
      secrets.set(`${r.ref.namespace ?? 'default'}/${r.ref.name}`, { r, doc: d });
    } else if (o.kind === 'Prometheus' && g === 'monitoring.coreos.com') {
      const r = toResource(d);
      const spec = isObject(o.spec) ? o.spec : {};
      const a = isObject(spec.additionalScrapeConfigs) ? spec.additionalScrapeConfigs : undefined;
      prometheuses.push({
        ...r, ...(str(spec.serviceDiscoveryRole) ? { serviceDiscoveryRole: str(spec.serviceDiscoveryRole) } : {}),
        ...(a && str(a.name) && str(a.key) ? { additional: { secret: str(a.name)!, key: str(a.key)!, found: false, path: ['spec', 'additionalScrapeConfigs'] } } : {}),
      });
    } else if (g === 'monitoring.coreos.com' || g === 'monitoring.googleapis.com') {
      // Managed Service for Prometheus Rules, ClusterRules and GlobalRules hold the same
      // spec.groups as a PrometheusRule ("identical to the upstream Prometheus rule_group array",
      // https://cloud.google.com/stackdriver/docs/managed-prometheus/rules-managed).
      if (o.kind === 'PrometheusRule' || (g === 'monitoring.googleapis.com' && GMP_RULE_KINDS.has(String(o.kind)))) {
        const r = toResource(d);
        const what = o.kind === 'PrometheusRule' ? 'PrometheusRule expression' : `${String(o.kind)} (Managed Service for Prometheus) expression`;
        const spec = isObject(o.spec) ? o.spec : {};
        list(spec.groups).forEach((gr, i) => {
          list(isObject(gr) ? gr.rules : undefined).forEach((rule, j) => {
            if (isObject(rule) && typeof rule.expr === 'string') {
              texts.push({ owner: r, text: rule.expr, path: ['spec', 'groups', i, 'rules', j, 'expr'], what });
            }
          });
        });
      } else {
        operatorDocs.push(d);
      }
    } else if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') {
      const r = toResource(d);
      const data = stringMap(o.data);
      if (r.ref.name === 'cilium-config') ciliumConfigs.push({ ...r, data });
      for (const [k, v] of Object.entries(data)) {
        if (/\.ya?ml$/i.test(k) && looksLikeScrapeConfig(v)) {
          jobsFromText({ owner: r, path: ['data', k], text: v, origin: 'prometheus.yml', lineMapped: true }, jobs, unparsed, memo);
        } else if (/\.json$/i.test(k) && /world/.test(v)) {
          texts.push({ owner: r, text: v, path: ['data', k], what: `ConfigMap key ${k}` });
        }
      }
    }
  }
  // Prometheus CRs: the Secret of additionalScrapeConfigs, when the input has it (never fetched).
  const sdRole = prometheuses.find((p) => p.serviceDiscoveryRole)?.serviceDiscoveryRole;
  const usedSecrets = new Set<string>();
  prometheuses.forEach((p, i) => {
    if (!p.additional) return;
    const key = `${p.ref.namespace ?? 'default'}/${p.additional.secret}`;
    const s = secrets.get(key);
    if (!s) return;
    const o = s.doc.object;
    const plain = isObject(o.stringData) ? str(o.stringData[p.additional.key]) : undefined;
    const enc = isObject(o.data) ? str(o.data[p.additional.key]) : undefined;
    const text = plain ?? (enc !== undefined ? base64(enc) : undefined);
    if (text === undefined) return;
    usedSecrets.add(key);
    prometheuses[i] = { ...p, additional: { ...p.additional, found: true } };
    jobsFromText({
      owner: s.r, path: [plain !== undefined ? 'stringData' : 'data', p.additional.key], text, origin: 'additionalScrapeConfigs', lineMapped: plain !== undefined,
    }, jobs, unparsed, memo);
  });
  // Other Secrets holding a prometheus.yml (e.g. a Helm chart's config in a Secret).
  for (const [key, { r, doc }] of secrets) {
    if (usedSecrets.has(key)) continue;
    const o = doc.object;
    for (const [field, enc] of [['stringData', false], ['data', true]] as const) {
      const m = isObject(o[field]) ? o[field] as Record<string, unknown> : {};
      for (const [k, v] of Object.entries(m)) {
        if (typeof v !== 'string' || !/\.ya?ml$/i.test(k)) continue;
        const text = enc ? base64(v) : v;
        if (text !== undefined && /(^|\n)\s*scrape_configs\s*:/.test(text)) {
          jobsFromText({ owner: r, path: [field, k], text, origin: 'prometheus.yml', lineMapped: !enc }, jobs, unparsed, memo);
        }
      }
    }
  }
  for (const d of operatorDocs) operatorJobs(d, sdRole, jobs);
  return { jobs, prometheuses, texts, ciliumConfigs, unparsed };
}

// ---- Facts the Hubble rules read ---------------------------------------------------------------

/** Cilium runs dual-stack: a cilium-config with IPv4 and IPv6 on, else (no cilium-config) a dual-stack target cluster. */
export function ciliumDualStack(model: { readonly clusterFamilies: ClusterFamilies; readonly observability: Pick<ObservabilityModel, 'ciliumConfigs'> }): { dual: boolean; evidence: string } {
  const cfgs = model.observability.ciliumConfigs;
  if (cfgs.length === 0) {
    return { dual: model.clusterFamilies.families.length === 2, evidence: `the target cluster is ${model.clusterFamilies.families.join(', ')}` };
  }
  const on = (c: CiliumConfig): boolean => c.data['enable-ipv6'] === 'true' && c.data['enable-ipv4'] !== 'false';
  const c = cfgs.find(on);
  return c ? { dual: true, evidence: `cilium-config ${c.ref.namespace ?? 'default'}/${c.ref.name} enables IPv4 and IPv6` } : { dual: false, evidence: 'cilium-config leaves IPv6 off' };
}

/** FlowFilter objects of a hubble-export-allowlist/denylist value: one JSON object, a JSON list, or objects separated by commas or newlines. */
export function parseFlowFilters(text: string): Record<string, unknown>[] | undefined {
  const t = text.trim();
  if (t === '') return [];
  for (const candidate of [t, `[${t}]`, `[${t.replace(/\}\s*\n\s*\{/g, '},{')}]`]) {
    try {
      const v = JSON.parse(candidate) as unknown;
      const list = Array.isArray(v) ? v : [v];
      if (list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return list as Record<string, unknown>[];
    } catch {
      // try the next form
    }
  }
  return undefined;
}

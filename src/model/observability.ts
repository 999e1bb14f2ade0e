// Observability configuration: Prometheus scrape jobs (prometheus.yml in ConfigMaps and
// Secrets, the Secrets Prometheus CRs name in additionalScrapeConfigs, ServiceMonitors,
// PodMonitors, ScrapeConfigs, Probes, GMP PodMonitorings), Prometheus CRs, PrometheusRules and
// the Cilium/Hubble settings of cilium-config. Every relabel entry keeps its position: a JSON
// path, plus the line inside the embedded prometheus.yml text. Pure (no Secret is ever fetched:
// only Secrets present in the input are read). Sources: SEMANTICS-FRONTENDS.md section 4.

import { createRequire } from 'node:module';
import jsyaml from 'js-yaml';
import type { Node as YamlNode } from 'yaml';
import type { InputDocument, JsonPath } from './types.ts';
import { isObject, str, stringMap, toResource, type Resource } from './resources.ts';
import type { RelabelConfig } from '../emulate/relabel.ts';

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
}

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

// yaml is loaded on first use (only texts the fast reader below declines need it): it is a
// CommonJS package of ~80 modules, a sixth of a one-file audit's start-up when imported eagerly.
let yamlLib: typeof import('yaml') | undefined;
const yamlApi = (): typeof import('yaml') => (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

/** The position of a node inside an embedded text: a character offset (yaml's range[0]). */
interface NodeAt {
  readonly start: number;
  /** Sequence items. */
  item(i: number): NodeAt | undefined;
  /** Mapping values. */
  member(key: string): NodeAt | undefined;
}

/** Where the scrape jobs of a text are: the parsed value and (when lines are mapped) node positions. */
interface ReadText {
  readonly value: unknown;
  /** The node of the job list; undefined when lines are not mapped. */
  readonly jobsAt?: NodeAt;
  /** 1-based line of an offset. */
  readonly lineAt: (offset: number) => number;
}

function readWithYaml(e: Embedded, unparsed: ObservabilityModel['unparsed'][number][]): ReadText | undefined {
  const { LineCounter, parseDocument, isMap, isSeq } = yamlApi();
  const lc = new LineCounter();
  const doc = parseDocument(e.text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length > 0) {
    unparsed.push({ owner: e.owner, path: e.path, error: doc.errors[0]!.message.split('\n')[0]! });
    return undefined;
  }
  const root = doc.contents;
  // prometheus.yml has scrape_configs; an additionalScrapeConfigs Secret holds the list itself.
  let jobsNode: unknown = root;
  if (isMap(root)) jobsNode = root.get('scrape_configs', true);
  if (!isSeq(jobsNode)) return undefined;
  const at = (n: unknown): NodeAt | undefined => {
    if (!n || typeof n !== 'object' || !('range' in n) || !Array.isArray((n as YamlNode).range)) return undefined;
    return {
      start: (n as YamlNode).range![0],
      item: (i) => (isSeq(n) ? at(n.items[i]) : undefined),
      member: (k) => (isMap(n) ? at(n.get(k, true)) : undefined),
    };
  };
  return { value: doc.toJS({ maxAliasCount: 1000 }) as unknown, jobsAt: at(jobsNode), lineAt: (o) => lc.linePos(o).line };
}

// ---- The fast reader: js-yaml, with node positions from its parse events -------------------------
//
// yaml's Document API costs about five times js-yaml's parse. Most embedded prometheus.yml texts
// are read with js-yaml instead, with a schema that resolves plain scalars exactly as yaml's
// YAML 1.2 core schema does (null, bool, int in decimal, 0o and 0x, float, .inf and .nan; no
// timestamps, no merge keys), and the position of every node is taken from js-yaml's open/close
// events. Every node a position is read from is checked to be the node of the value (same
// object, same item count); a text with anchors, aliases, tags or directives, one js-yaml
// rejects, or one whose event tree does not match its value, is read with yaml as before.

// One type per tag (js-yaml keeps the last type of a tag); yaml's tests do not overlap.
const coreType = (tag: string, re: RegExp, construct: (s: string) => unknown): jsyaml.Type =>
  new jsyaml.Type(tag, { kind: 'scalar', resolve: (s: unknown) => typeof s === 'string' && re.test(s), construct: (s: string) => construct(s) });
const YAML_CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  // The types of yaml's core schema (schema/core/schema.js), in its order.
  implicit: [
    coreType('tag:yaml.org,2002:null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    coreType('tag:yaml.org,2002:bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    coreType('tag:yaml.org,2002:int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/,
      (s) => (s.startsWith('0o') ? parseInt(s.substring(2), 8) : s.startsWith('0x') ? parseInt(s.substring(2), 16) : parseInt(s, 10))),
    coreType('tag:yaml.org,2002:float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
      (s) => (/^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(s)
        ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)
        : parseFloat(s))),
  ],
});

/** Node properties (tag, anchor), aliases, directives, merge keys, tabs: left to yaml. */
const NOT_FAST = /(?:^|[\s[\]{},])[!&*][^\s[\]{},]|^%|<<|\t/m;

interface Frame { readonly start: number; result: unknown; readonly children: Frame[] }

class Mismatch extends Error {}

/** A frame checked against the value: the same object, and one child per item (sequences) or two per key (mappings). */
function frameAt(f: Frame, text: string): NodeAt {
  // A flow collection is read first as a would-be mapping key: one wrapping frame, same result.
  while (f.children.length === 1 && typeof f.result === 'object' && f.result !== null && f.children[0]!.result === f.result) f = f.children[0]!;
  const v = f.result;
  return {
    // js-yaml opens a sequence item's node at its content (after the "- ", "[" or "," and any
    // space or comment), where yaml's range starts; a map value's node opens right after the ":".
    get start() {
      const c = text.charCodeAt(f.start);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 35) throw new Mismatch();
      return f.start;
    },
    item(i) {
      if (!Array.isArray(v) || f.children.length !== v.length) throw new Mismatch();
      if (i >= v.length) return undefined;
      const ch = f.children[i]!;
      if (!Object.is(ch.result, v[i])) throw new Mismatch();
      return frameAt(ch, text);
    },
    member(key) {
      if (!isObject(v)) throw new Mismatch();
      const keys = Object.keys(v);
      if (f.children.length !== 2 * keys.length) throw new Mismatch();
      if (!Object.prototype.hasOwnProperty.call(v, key)) return undefined;
      for (let j = 0; j < f.children.length; j += 2) {
        if (f.children[j]!.result !== key) continue;
        const ch = f.children[j + 1]!;
        if (!Object.is(ch.result, v[key])) throw new Mismatch();
        return frameAt(ch, text);
      }
      throw new Mismatch();
    },
  };
}

function readFast(e: Embedded): ReadText | undefined {
  if (NOT_FAST.test(e.text)) return undefined;
  const stack: Frame[] = [{ start: 0, result: undefined, children: [] }];
  let value: unknown;
  try {
    value = jsyaml.load(e.text, {
      schema: YAML_CORE,
      ...(e.lineMapped ? {
        listener: (ev: jsyaml.EventType, st: jsyaml.State) => {
          if (ev === 'open') stack.push({ start: st.position, result: undefined, children: [] });
          else {
            const f = stack.pop()!;
            f.result = st.result;
            stack[stack.length - 1]!.children.push(f);
          }
        },
      } : {}),
    });
  } catch {
    return undefined;
  }
  let jobsAt: NodeAt | undefined;
  if (e.lineMapped) {
    const top = stack[0]!.children;
    if (stack.length !== 1 || top.length !== 1 || top[0]!.result !== value) return undefined;
    if (isObject(value) || Array.isArray(value)) {
      try {
        jobsAt = isObject(value) ? frameAt(top[0]!, e.text).member('scrape_configs') : frameAt(top[0]!, e.text);
      } catch (err) {
        if (err instanceof Mismatch) return undefined;
        throw err;
      }
    }
  }
  let lines: number[] | undefined;
  const lineAt = (offset: number): number => {
    if (!lines) {
      lines = [];
      for (let i = e.text.indexOf('\n'); i >= 0; i = e.text.indexOf('\n', i + 1)) lines.push(i);
    }
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  return { value, ...(jobsAt ? { jobsAt } : {}), lineAt };
}

// The same prometheus.yml is often in several objects (a chart installed in several namespaces,
// a ConfigMap and the Secret copy of it): a few reads are kept by text. A kept read is never
// changed (jobsFromValue only reads it), so sharing it cannot change a result.
const readMemo = new Map<string, ReadText>();
const READ_MEMO_MAX = 32;

function readFastMemo(e: Embedded): ReadText | undefined {
  const key = `${e.lineMapped ? 'L' : 'N'}${e.text}`;
  const known = readMemo.get(key);
  if (known) return known;
  const read = readFast(e);
  if (read) {
    if (readMemo.size >= READ_MEMO_MAX) readMemo.delete(readMemo.keys().next().value!);
    readMemo.set(key, read);
  }
  return read;
}

function jobsFromText(e: Embedded, out: ScrapeJob[], unparsed: ObservabilityModel['unparsed'][number][], yamlOnly = false): boolean {
  const fast = yamlOnly ? undefined : readFastMemo(e);
  if (fast) {
    try {
      jobsFromValue(e, fast, out);
      return true;
    } catch (err) {
      if (!(err instanceof Mismatch)) throw err;
    }
  }
  const slow = readWithYaml(e, unparsed);
  if (slow) jobsFromValue(e, slow, out);
  return false;
}

/**
 * The scrape jobs of one prometheus.yml text (its lines mapped), read by the fast reader when it
 * accepts the text, or by yaml's Document API (`yamlOnly`). For tests: both must agree.
 */
export function scrapeJobsOfText(owner: Resource, text: string, yamlOnly = false): { jobs: ScrapeJob[]; unparsed: ObservabilityModel['unparsed'][number][]; fast: boolean } {
  const jobs: ScrapeJob[] = [];
  const unparsed: ObservabilityModel['unparsed'][number][] = [];
  const fast = jobsFromText({ owner, path: ['data', 'prometheus.yml'], text, origin: 'prometheus.yml', lineMapped: true }, jobs, unparsed, yamlOnly);
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

const looksLikeScrapeConfig = (text: string): boolean => /(^|\n)\s*-?\s*(scrape_configs|job_name)\s*:/.test(text);

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

export function buildObservabilityModel(docs: readonly InputDocument[]): ObservabilityModel {
  const jobs: ScrapeJob[] = [];
  const unparsed: ObservabilityModel['unparsed'][number][] = [];
  const texts: TextSource[] = [];
  const ciliumConfigs: CiliumConfig[] = [];
  const prometheuses: PrometheusCR[] = [];
  const secrets = new Map<string, { r: Resource; doc: InputDocument }>();
  const operatorDocs: InputDocument[] = [];
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
      if (o.kind === 'PrometheusRule') {
        const r = toResource(d);
        const spec = isObject(o.spec) ? o.spec : {};
        list(spec.groups).forEach((gr, i) => {
          list(isObject(gr) ? gr.rules : undefined).forEach((rule, j) => {
            if (isObject(rule) && typeof rule.expr === 'string') {
              texts.push({ owner: r, text: rule.expr, path: ['spec', 'groups', i, 'rules', j, 'expr'], what: 'PrometheusRule expression' });
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
          jobsFromText({ owner: r, path: ['data', k], text: v, origin: 'prometheus.yml', lineMapped: true }, jobs, unparsed);
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
    }, jobs, unparsed);
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
          jobsFromText({ owner: r, path: [field, k], text, origin: 'prometheus.yml', lineMapped: !enc }, jobs, unparsed);
        }
      }
    }
  }
  for (const d of operatorDocs) operatorJobs(d, sdRole, jobs);
  return { jobs, prometheuses, texts, ciliumConfigs, unparsed };
}

// Helpers of the observability rules: scrape-job targets and the relabel simulation that
// runs a job's target relabelling on sample IPv4 and IPv6 targets (emulate/relabel.ts, RE2). Pure.

import type { Model } from '../model/build.ts';
import type { ScrapeJob } from '../model/observability.ts';
import {
  applyReplace, BARE_IP_LABEL, hostIs, joinHostPort, SAMPLE_ANNOTATION_PORT, SAMPLE_IP, SAMPLE_NODE_IP, SAMPLE_PORT, type RelabelConfig,
} from '../emulate/relabel.ts';
import type { Family, JsonPath } from '../model/types.ts';
import type { RuleReport, Target } from './types.ts';

export interface JobTarget extends Target {
  readonly job: ScrapeJob;
}

export const jobTarget = (job: ScrapeJob, severity?: Target['severity']): JobTarget => ({
  ref: job.owner.ref,
  ...(job.owner.source ? { source: job.owner.source } : {}),
  annotations: job.owner.annotations,
  ...(severity ? { severity } : {}),
  job,
});

/** Where a relabel entry is, as the fields of a RuleReport. */
export const at = (r: { readonly path: JsonPath; readonly textLine?: number }): Pick<RuleReport, 'path' | 'textLine'> =>
  ({ path: r.path, ...(r.textLine !== undefined ? { textLine: r.textLine } : {}) });

export const jobName = (job: ScrapeJob): string =>
  job.origin === 'prometheus.yml' || job.origin === 'additionalScrapeConfigs' ? `job ${JSON.stringify(job.name)}` : `${job.owner.ref.kind} ${job.name}`;

/** Roles whose targets are addresses of pods or nodes (the address rewrites matter). */
const ADDRESS_ROLES = new Set(['pod', 'endpoints', 'endpointslice', 'node', 'service']);
export const addressJob = (job: ScrapeJob): boolean =>
  job.roles.some((r) => ADDRESS_ROLES.has(r)) && job.relabels.some((r) => r.action === 'replace' && r.targetLabel === '__address__');

export const ipv6Primary = (model: Model): boolean => model.clusterFamilies.families[0] === 'IPv6';

export interface SimResult {
  /** The starting __address__ and the final one. */
  readonly start: string;
  readonly address: string;
  /** Index of the last rule that wrote __address__. */
  readonly writer?: number;
  /** Indexes of the replace rules whose regex matched. */
  readonly matched: ReadonlySet<number>;
}

/** Run a job's replace rules on a sample target of `family`; `bare`: a pod-role target of a container that declares no port. */
export function simulate(job: ScrapeJob, family: Family, bare: boolean): SimResult {
  const node = job.roles.includes('node') && !job.roles.includes('pod');
  const ip = node ? SAMPLE_NODE_IP[family] : SAMPLE_IP[family];
  const start = bare ? ip : joinHostPort(ip, node ? '10250' : SAMPLE_PORT);
  const labels = new Map<string, string>([['__address__', start]]);
  for (const r of job.relabels) {
    for (const l of r.sourceLabels) {
      if (labels.has(l)) continue;
      if (l === '__meta_kubernetes_pod_host_ip' || /^__meta_kubernetes_node_address_/.test(l)) labels.set(l, SAMPLE_NODE_IP[family]);
      else if (BARE_IP_LABEL.test(l)) labels.set(l, ip);
      else if (/_port_number$/.test(l)) labels.set(l, SAMPLE_PORT);
      else if (/annotation_.*port$/.test(l)) labels.set(l, SAMPLE_ANNOTATION_PORT);
    }
  }
  let writer: number | undefined;
  const matched = new Set<number>();
  job.relabels.forEach((r, i) => {
    const res = applyReplace(r, labels);
    if (res.matched) matched.add(i);
    if (res.wrote?.label === '__address__') writer = i;
  });
  return { start, address: labels.get('__address__') ?? '', ...(writer !== undefined ? { writer } : {}), matched };
}

export type AddressIssue =
  | { readonly kind: 'noop'; readonly rule: RelabelConfig; readonly v4: string; readonly v6: string }
  | { readonly kind: 'mangled' | 'unbracketed' | 'lazyBare'; readonly rule: RelabelConfig; readonly input: string; readonly output: string };

const sourceText = (job: ScrapeJob, r: RelabelConfig, sim: SimResult): string =>
  r.sourceLabels.length === 0 ? sim.start : r.sourceLabels.map((l) => (l === '__address__' ? sim.start : BARE_IP_LABEL.test(l) ? (l.includes('host_ip') || l.includes('node_address') ? '<node IP>' : SAMPLE_IP.IPv6) : l.includes('port') ? SAMPLE_ANNOTATION_PORT : '…')).join(r.separator);

/**
 * The outcome of addressIssues depends only on the job's roles and on the content of its relabel
 * entries (not on where they are): jobs copied across namespaces, and the three rules that ask
 * for the same job, share one simulation. Cached as relabel indexes, so that every job gets
 * issues that point at its own entries. Bounded; the cached values are frozen.
 */
type CachedIssue =
  | { readonly kind: 'noop'; readonly index: number; readonly v4: string; readonly v6: string }
  | { readonly kind: 'mangled' | 'unbracketed' | 'lazyBare'; readonly index: number; readonly input: string; readonly output: string };
const byContent = new Map<string, readonly CachedIssue[]>();
const byJob = new WeakMap<ScrapeJob, readonly AddressIssue[]>();
const CACHE_MAX = 2000;

const contentKey = (job: ScrapeJob): string =>
  JSON.stringify([job.roles, job.relabels.map((r) => [r.action, r.sourceLabels, r.separator, r.regex, r.replacement, r.targetLabel ?? null])]);

/** What the job's relabelling does to IPv6 targets that it does right for IPv4 ones. */
export function addressIssues(job: ScrapeJob): readonly AddressIssue[] {
  const done = byJob.get(job);
  if (done) return done;
  const key = contentKey(job);
  let cached = byContent.get(key);
  if (!cached) {
    cached = Object.freeze(computeAddressIssues(job).map((is) => {
      const index = job.relabels.indexOf(is.rule);
      return Object.freeze(is.kind === 'noop' ? { kind: is.kind, index, v4: is.v4, v6: is.v6 } : { kind: is.kind, index, input: is.input, output: is.output });
    }));
    if (byContent.size >= CACHE_MAX) byContent.clear();
    byContent.set(key, cached);
  }
  const out = Object.freeze(cached.map((c): AddressIssue => {
    const rule = job.relabels[c.index]!;
    return Object.freeze(c.kind === 'noop' ? { kind: c.kind, rule, v4: c.v4, v6: c.v6 } : { kind: c.kind, rule, input: c.input, output: c.output });
  }));
  byJob.set(job, out);
  return out;
}

function computeAddressIssues(job: ScrapeJob): AddressIssue[] {
  const out: AddressIssue[] = [];
  const seen = new Set<number>();
  const node = job.roles.includes('node') && !job.roles.includes('pod');
  const ip6 = node ? SAMPLE_NODE_IP.IPv6 : SAMPLE_IP.IPv6;
  const ip4 = node ? SAMPLE_NODE_IP.IPv4 : SAMPLE_IP.IPv4;
  const variants = job.roles.includes('pod') ? [false, true] : [false];
  for (const bare of variants) {
    const r4 = simulate(job, 'IPv4', bare);
    if (!hostIs(r4.address, ip4)) continue; // broken for IPv4 too: not an IPv6 question
    const r6 = simulate(job, 'IPv6', bare);
    if (r6.writer !== undefined && !hostIs(r6.address, ip6)) {
      if (seen.has(r6.writer)) continue;
      seen.add(r6.writer);
      const rule = job.relabels[r6.writer]!;
      const unbracketed = new RegExp(`(^|[^\\[])${ip6.replace(/[.:]/g, '\\$&')}:\\d`).test(r6.address);
      const kind = unbracketed ? 'unbracketed' : bare ? 'lazyBare' : 'mangled';
      out.push({ kind, rule, input: sourceText(job, rule, r6), output: r6.address });
      continue;
    }
    if (bare) continue;
    // A rewrite that applies to IPv4 targets and leaves IPv6 ones as they were (the regex does not match).
    for (const i of r4.matched) {
      const rule = job.relabels[i]!;
      if (rule.targetLabel !== '__address__' || r6.matched.has(i) || seen.has(i)) continue;
      if (r4.address === r4.start || r6.address !== r6.start) continue;
      seen.add(i);
      out.push({ kind: 'noop', rule, v4: `${r4.start} → ${r4.address}`, v6: r6.start });
    }
  }
  return out;
}

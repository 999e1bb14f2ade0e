// Prometheus facts derived once while the model is built: which scrape jobs rewrite target
// addresses, and what their target relabelling does to IPv6 targets that it does right for IPv4
// ones, found by running the job's replace rules on sample targets of each family
// (emulate/relabel.ts, RE2). Pure: the memos live as long as one build.

import type { Family } from './types.ts';
import type { AddressIssue, ObservabilityModel, ScrapeJob } from './observability.ts';
import {
  BARE_IP_LABEL, hostIs, joinHostPort, Relabeler, SAMPLE_ANNOTATION_PORT, SAMPLE_IP, SAMPLE_NODE_IP, SAMPLE_PORT, type RelabelConfig,
} from '../emulate/relabel.ts';

/** Roles whose targets are addresses of pods or nodes (the address rewrites matter). */
const ADDRESS_ROLES = new Set(['pod', 'endpoints', 'endpointslice', 'node', 'service']);
export const addressJob = (job: ScrapeJob): boolean =>
  job.roles.some((r) => ADDRESS_ROLES.has(r)) && job.relabels.some((r) => r.action === 'replace' && r.targetLabel === '__address__');

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
export function simulate(job: ScrapeJob, family: Family, bare: boolean, relabeler: Relabeler = new Relabeler()): SimResult {
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
    const res = relabeler.applyReplace(r, labels);
    if (res.matched) matched.add(i);
    if (res.wrote?.label === '__address__') writer = i;
  });
  return { start, address: labels.get('__address__') ?? '', ...(writer !== undefined ? { writer } : {}), matched };
}

const sourceText = (job: ScrapeJob, r: RelabelConfig, sim: SimResult): string =>
  r.sourceLabels.length === 0 ? sim.start : r.sourceLabels.map((l) => (l === '__address__' ? sim.start : BARE_IP_LABEL.test(l) ? (l.includes('host_ip') || l.includes('node_address') ? '<node IP>' : SAMPLE_IP.IPv6) : l.includes('port') ? SAMPLE_ANNOTATION_PORT : '…')).join(r.separator);

/**
 * The address issues of every job that rewrites target addresses (addressJob), by job. The
 * outcome depends only on the job's roles and on the content of its relabel entries (not on
 * where they are): jobs copied across namespaces share one simulation, kept as relabel indexes
 * so that every job gets issues that point at its own entries.
 */
export function addressIssuesOf(jobs: readonly ScrapeJob[]): Map<ScrapeJob, readonly AddressIssue[]> {
  const relabeler = new Relabeler();
  const byContent = new Map<string, readonly { readonly index: number; readonly issue: AddressIssue }[]>();
  const out = new Map<ScrapeJob, readonly AddressIssue[]>();
  for (const job of jobs) {
    if (!addressJob(job)) continue;
    const key = contentKey(job);
    let found = byContent.get(key);
    if (!found) {
      found = computeAddressIssues(job, relabeler).map((issue) => ({ index: job.relabels.indexOf(issue.rule), issue }));
      byContent.set(key, found);
    }
    out.set(job, found.map(({ index, issue }) => ({ ...issue, rule: job.relabels[index]! })));
  }
  return out;
}

const contentKey = (job: ScrapeJob): string =>
  JSON.stringify([job.roles, job.relabels.map((r) => [r.action, r.sourceLabels, r.separator, r.regex, r.replacement, r.targetLabel ?? null])]);

function computeAddressIssues(job: ScrapeJob, relabeler: Relabeler): AddressIssue[] {
  const out: AddressIssue[] = [];
  const seen = new Set<number>();
  const node = job.roles.includes('node') && !job.roles.includes('pod');
  const ip6 = node ? SAMPLE_NODE_IP.IPv6 : SAMPLE_IP.IPv6;
  const ip4 = node ? SAMPLE_NODE_IP.IPv4 : SAMPLE_IP.IPv4;
  const variants = job.roles.includes('pod') ? [false, true] : [false];
  for (const bare of variants) {
    const r4 = simulate(job, 'IPv4', bare, relabeler);
    if (!hostIs(r4.address, ip4)) continue; // broken for IPv4 too: not an IPv6 question
    const r6 = simulate(job, 'IPv6', bare, relabeler);
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

/** The observability model with each address-rewriting job's issues attached (ScrapeJob.addressIssues). */
export function withAddressIssues(o: ObservabilityModel): ObservabilityModel {
  const issues = addressIssuesOf(o.jobs);
  if (issues.size === 0) return o;
  return { ...o, jobs: o.jobs.map((j) => { const is = issues.get(j); return is ? { ...j, addressIssues: is } : j; }) };
}

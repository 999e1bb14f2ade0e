// Helpers of the observability rules: scrape-job targets and where relabel entries are. The
// relabel simulation is a model fact (model/prometheus.ts). Pure.

import type { Model } from '../model/build.ts';
import type { ScrapeJob } from '../model/observability.ts';
import type { JsonPath } from '../model/types.ts';
import type { AddressIssue } from '../model/observability.ts';
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

export const ipv6Primary = (model: Model): boolean => model.clusterFamilies.families[0] === 'IPv6';

export { addressJob } from '../model/prometheus.ts';
export type { AddressIssue } from '../model/observability.ts';

const NO_ISSUES: readonly AddressIssue[] = Object.freeze([]);

/** What the job's relabelling does to IPv6 targets that it does right for IPv4 ones (computed with the model). */
export const addressIssues = (job: ScrapeJob): readonly AddressIssue[] => job.addressIssues ?? NO_ISSUES;

import { defineRule, type RuleReport } from './types.ts';
import { jobName, jobTarget, type JobTarget } from './helpers-prometheus.ts';
import type { ScrapeJob } from '../model/observability.ts';
import type { Model } from '../model/build.ts';
import { formatRef } from '../model/types.ts';

const ADDRESS_TYPE = '__meta_kubernetes_endpointslice_address_type';

const dual = (m: Model): readonly Model['services'][number][] => m.dualStackServices;

/** Dual-stack Services in the input that a ServiceMonitor selects (matchLabels and namespaces). */
function selected(job: ScrapeJob, m: Model): string[] {
  const sel = job.selector;
  if (!sel) return dual(m).map((s) => formatRef(s.ref));
  return dual(m).filter((s) => (sel.any || (sel.namespaces ?? []).includes(s.ref.namespace ?? 'default'))
    && Object.entries(sel.matchLabels).every(([k, v]) => s.labels[k] === v)).map((s) => formatRef(s.ref));
}

export default defineRule<JobTarget>({
  meta: {
    id: 'prometheus-endpointslice-dual-targets',
    title: 'EndpointSlice discovery that scrapes every dual-stack pod twice',
    category: 'observability',
    severity: 'low',
    scope: ['ConfigMap', 'Secret', 'ServiceMonitor', 'ScrapeConfig'],
    rationale:
      'With role: endpointslice (prometheus-operator: serviceDiscoveryRole: EndpointSlice, which kube-prometheus sets), a dual-stack Service has one EndpointSlice per family, ' +
      'so each pod becomes two targets, one per address family. The series double, and the target of one family fails when the exporter listens on one family only. ' +
      'v1 Endpoints (the operator\'s default role) carry the primary family only. Keep one family with a keep/drop rule on __meta_kubernetes_endpointslice_address_type, or label the family deliberately.',
    docs: {
      noFixedExample: 'Keeping one family or both targets is the user\'s decision.',
      notes: 'ServiceMonitors are evaluated as EndpointSlice when a Prometheus CR in the input sets serviceDiscoveryRole: EndpointSlice (or the monitor sets it), and are reported when they select a Service of the input that is dual-stack on the target cluster (selector.matchLabels and namespaceSelector; matchExpressions are not read). prometheus.yml and ScrapeConfig jobs with role endpointslice are reported when the input has any dual-stack Service. Any relabel rule that reads __meta_kubernetes_endpointslice_address_type counts as handling the family. Source: prom:docs/configuration/configuration.md, kp:manifests/prometheus-prometheus.yaml.',
    },
    fix: { summary: 'Add a relabel rule on __meta_kubernetes_endpointslice_address_type: keep one family (action: keep, regex: IPv4 or IPv6), or copy it into a label so that both targets are kept on purpose.' },
    messages: {
      dual: '{job} discovers EndpointSlices of dual-stack {services}, so each pod is scraped once per family and one target fails if the exporter listens on one',
    },
    references: ['https://github.com/prometheus/prometheus/blob/main/docs/configuration/configuration.md', 'https://github.com/prometheus-operator/kube-prometheus/blob/main/manifests/prometheus-prometheus.yaml', 'https://github.com/prometheus/prometheus/blob/main/discovery/kubernetes/endpointslice.go'],
  },
  *targets({ model }) {
    for (const job of model.observability.jobs) {
      if (job.roles.includes('endpointslice')) yield jobTarget(job);
    }
  },
  *check({ job }, { model }): Generator<RuleReport> {
    if (job.relabels.some((r) => r.sourceLabels.includes(ADDRESS_TYPE))) return;
    const svcs = selected(job, model);
    if (svcs.length === 0) return;
    const services = svcs.length > 3 ? `${svcs.slice(0, 3).join(', ')} and ${svcs.length - 3} more` : svcs.join(', ');
    yield {
      messageId: 'dual', path: job.path, ...(job.textLine !== undefined ? { textLine: job.textLine } : {}),
      data: { job: jobName(job), services: `Service${svcs.length > 1 ? 's' : ''} ${services}` },
    };
  },
});

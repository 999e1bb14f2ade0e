import { defineRule, type RuleReport } from './types.ts';
import { jobName, jobTarget, type JobTarget } from './helpers-prometheus.ts';
import { parseIP } from '../emulate/ip.ts';
import { addressHost } from '../emulate/relabel.ts';

export default defineRule<JobTarget>({
  meta: {
    id: 'prometheus-static-target-ipv4-literal',
    needsValue: true,
    title: 'Static scrape or probe targets given as IPv4 literals',
    category: 'observability',
    severity: 'low',
    scope: ['ConfigMap', 'Secret', 'ScrapeConfig', 'Probe'],
    rationale:
      'A static target written as an IPv4 address (10.0.0.5:9100) is scraped over IPv4 only, whatever the families of the cluster and of the target. ' +
      'When the target moves to IPv6 or loses its IPv4 address the job breaks silently, and the monitoring never tests the IPv6 path. A DNS name with A and AAAA records follows both.',
    docs: {
      noFixedExample: 'The target\'s DNS name or IPv6 address is known only to its operators.',
      notes: 'Read in prometheus.yml static_configs (ConfigMaps, Secrets in the input, additionalScrapeConfigs), ScrapeConfig staticConfigs and Probe spec.targets.staticConfig.static. Loopback targets (127.0.0.0/8, Prometheus scraping itself) are not reported. Probe targets may be URLs: the host of the URL is read.',
    },
    fix: { summary: 'Name the target by a DNS name that has A and AAAA records, or list the target\'s IPv6 address next to the IPv4 one.' },
    messages: {
      literal: '{job} scrapes the IPv4 literal {target}, which is reached over IPv4 only',
    },
    references: ['https://github.com/prometheus/prometheus/blob/main/docs/configuration/configuration.md', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
  },
  *targets({ model }) {
    for (const job of model.observability.jobs) if (job.staticTargets.length > 0) yield jobTarget(job);
  },
  *check({ job }): Generator<RuleReport> {
    for (const t of job.staticTargets) {
      let hostport = t.text.trim();
      const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(hostport);
      if (url) hostport = url[1]!.replace(/^[^@]*@/, '');
      const ip = parseIP(addressHost(hostport));
      if (!ip || ip.family !== 'IPv4' || ip.range === 'loopback') continue;
      yield { messageId: 'literal', path: t.path, ...(t.textLine !== undefined ? { textLine: t.textLine } : {}), data: { job: jobName(job), target: JSON.stringify(t.text) } };
    }
  },
});

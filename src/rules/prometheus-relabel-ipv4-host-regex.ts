import { defineRule, type RuleReport, type Target } from './types.ts';
import type { PrometheusCR } from '../model/observability.ts';
import { addressIssues, addressJob, at, ipv6Primary, jobName, jobTarget, type JobTarget } from './helpers-prometheus.ts';

type T = (JobTarget & { readonly prom?: undefined }) | (Target & { readonly job?: undefined; readonly prom: PrometheusCR });

export default defineRule<T>({
  meta: {
    id: 'prometheus-relabel-ipv4-host-regex',
    title: 'Prometheus __address__ rewrites whose regex only matches IPv4 hosts',
    category: 'observability',
    severity: 'medium',
    scope: ['ConfigMap', 'Secret', 'ServiceMonitor', 'PodMonitor', 'ScrapeConfig', 'Prometheus'],
    rationale:
      'The widely copied rewrite `([^:]+)(?::\\d+)?;(\\d+)` -> `$1:$2` takes the host as "text without colons". An IPv6 target address ([2001:db8::5]:8080) ' +
      'never matches, so the rewrite silently does nothing for IPv6 targets: the prometheus.io/port annotation is ignored and the declared container port is scraped instead, ' +
      'or the target fails. Prometheus anchors the regex as ^(?:regex)$ and runs it with RE2; the rule runs the job\'s relabelling with RE2 on IPv4 and IPv6 sample targets and ' +
      'reports the rewrites that work for IPv4 and are a no-op (or produce a wrong host) for IPv6. Pod-role and Endpoints targets carry the primary family only, EndpointSlice ' +
      'targets both, so the impact is high on IPv6-primary clusters, medium with EndpointSlice discovery and low otherwise.',
    docs: {
      noFixedExample: 'The fix replaces one relabel rule with two inside the Prometheus configuration text, which a JSON Patch cannot edit in place.',
      notes: 'The scrape jobs of a Prometheus CR\'s additionalScrapeConfigs are read from the Secret it names when that Secret is in the input (stringData or base64 data); otherwise an info finding says they were not evaluated. Evaluated by simulation: the job\'s replace rules run in order on a sample target of each family (192.0.2.15 and 2001:db8::5, port 8080, annotation port 9102), with the regex matched as RE2 matches ^(?:regex)$ (re2-wasm, or V8 for the subset of regexes where both provably agree: src/emulate/relabel.ts) and the replacement expanded as Go\'s Regexp.Expand does. keep/drop and the other actions are not applied (the sample is taken as a kept target). Sources: prometheus-community/helm-charts PR #2127, ome-projects/ome PR #950, prometheus documentation/examples/prometheus-kubernetes.yml.',
    },
    fix: { summary: 'Use the two-rule pattern of the prometheus community chart and Istio: one rule for IPv6 pod IPs that writes [$2]:$1, one for IPv4 pod IPs that writes $2:$1, or the lazy (.+?)(?::\\d+)?;(\\d+) form for endpoints jobs whose address always carries a port.', byMessage: { additionalNotEvaluated: 'Add the Secret manifest to the input to audit its scrape jobs.' } },
    messages: {
      noop: '{job}: the __address__ rewrite (regex {regex}) matches IPv4 targets ({v4}) but not IPv6 ones ({v6}), so the annotated port is ignored for IPv6',
      additionalNotEvaluated: 'Prometheus spec.additionalScrapeConfigs names Secret {secret} key {key}, which is not in the input, so its scrape jobs were not evaluated',
      mangled: '{job}: the __address__ rewrite (regex {regex}, replacement {replacement}) turns the IPv6 target {input} into {output}, not its address',
    },
    references: ['https://github.com/prometheus/prometheus/blob/main/model/relabel/relabel.go', 'https://github.com/prometheus-community/helm-charts/blob/main/charts/prometheus/values.yaml'],
  },
  *targets({ model }) {
    for (const prom of model.observability.prometheuses) {
      if (prom.additional && !prom.additional.found) yield { ref: prom.ref, ...(prom.source ? { source: prom.source } : {}), annotations: prom.annotations, severity: 'info', prom };
    }
    for (const job of model.observability.jobs) {
      if (!addressJob(job)) continue;
      const sev = ipv6Primary(model) ? 'high' : job.roles.includes('endpointslice') ? 'medium' : 'low';
      yield jobTarget(job, sev);
    }
  },
  *check({ job, prom }): Generator<RuleReport> {
    if (prom) {
      yield { messageId: 'additionalNotEvaluated', path: prom.additional!.path, data: { secret: `${prom.ref.namespace ?? 'default'}/${prom.additional!.secret}`, key: prom.additional!.key } };
      return;
    }
    for (const is of addressIssues(job!)) {
      const base = { job: jobName(job!), regex: JSON.stringify(is.rule.regex), replacement: JSON.stringify(is.rule.replacement) };
      if (is.kind === 'noop') yield { messageId: 'noop', ...at(is.rule), data: { ...base, v4: is.v4, v6: is.v6 } };
      else if (is.kind === 'mangled') yield { messageId: 'mangled', ...at(is.rule), data: { ...base, input: is.input, output: is.output } };
    }
  },
});

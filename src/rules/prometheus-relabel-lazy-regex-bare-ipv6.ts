import { defineRule, type RuleReport } from './types.ts';
import { addressIssues, addressJob, at, ipv6Primary, jobName, jobTarget, type JobTarget } from './helpers-prometheus.ts';

export default defineRule<JobTarget>({
  meta: {
    id: 'prometheus-relabel-lazy-regex-bare-ipv6',
    title: 'Pod-role __address__ rewrites that mangle a bare IPv6 pod address',
    category: 'observability',
    severity: 'medium',
    scope: ['ConfigMap', 'Secret', 'PodMonitor', 'ScrapeConfig'],
    rationale:
      'In the pod role, __address__ is the bare status.podIP (no port) when a container declares no ports. The lazy rewrite `(.+?)(?::\\d+)?;(\\d+)` -> `$1:$2` is right for ' +
      'host:port and [v6]:port, but on a bare IPv6 address its optional port group eats the last hextet: 2001:db8::5;9102 becomes 2001:db8::9102, another address, and the scrape fails. ' +
      'RE2 (the engine Prometheus uses, whose semantics the simulation reproduces) gives exactly that result. Pod-role targets carry the primary family, so this breaks on IPv6-primary clusters (medium) and is low otherwise.',
    docs: {
      noFixedExample: 'The fix replaces one relabel rule with two inside the Prometheus configuration text, which a JSON Patch cannot edit in place.',
      notes: 'The RE2 result is settled with RE2\'s own matches under Prometheus\'s anchoring ^(?:regex)$ (re2-wasm, Google\'s RE2 compiled to WebAssembly; a regex in the subset where V8\'s RegExp provably matches as RE2 does runs on V8, which a differential test against re2-wasm checks, see src/emulate/relabel.ts): 2001:db8::5;9102 gives 2001:db8::9102 and fd00::ab;9102 gives fd00::ab:9102. Only pod-role jobs (prometheus.yml, ScrapeConfig, PodMonitor) are evaluated: the endpoints roles always join a port. Sources: prom:discovery/kubernetes/pod.go (bare podIP without ports), pcc PR #2127.',
    },
    fix: { summary: 'Build the address from __meta_kubernetes_pod_ip with the two-rule IPv4/IPv6 pattern (IPv6: [$2]:$1), which never splits an unbracketed IPv6 address.' },
    messages: {
      lazyBare: '{job}: the __address__ rewrite (regex {regex}, replacement {replacement}) turns the bare IPv6 pod address ({input}) into {output}, another host',
    },
    references: ['https://github.com/prometheus/prometheus/blob/main/discovery/kubernetes/pod.go', 'https://github.com/prometheus/prometheus/blob/main/model/relabel/relabel.go'],
  },
  *targets({ model }) {
    for (const job of model.observability.jobs) {
      if (!addressJob(job) || !job.roles.includes('pod')) continue;
      yield jobTarget(job, ipv6Primary(model) ? 'medium' : 'low');
    }
  },
  *check({ job }): Generator<RuleReport> {
    for (const is of addressIssues(job)) {
      if (is.kind !== 'lazyBare') continue;
      yield {
        messageId: 'lazyBare', ...at(is.rule),
        data: { job: jobName(job), regex: JSON.stringify(is.rule.regex), replacement: JSON.stringify(is.rule.replacement), input: is.input, output: is.output },
      };
    }
  },
});

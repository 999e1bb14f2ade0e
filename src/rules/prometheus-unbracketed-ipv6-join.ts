import { defineRule, type RuleReport } from './types.ts';
import { addressIssues, addressJob, at, ipv6Primary, jobName, jobTarget, type JobTarget } from './helpers-prometheus.ts';
import { containerLabel, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import type { Workload } from '../model/workloads.ts';

type T = (JobTarget & { readonly w?: undefined }) | (WorkloadTarget & { readonly job?: undefined });

const IP_FIELDS = new Set(['status.podIP', 'status.hostIP', 'status.podIPs', 'status.hostIPs']);

/** `$(VAR):<port>` (not inside brackets) in command/args, where VAR is a pod or host IP from the downward API. */
function* unbracketedArgs(w: Workload): Generator<{ path: readonly (string | number)[]; text: string; v: string; c: string }> {
  for (const c of w.containers) {
    const ipVars = new Set(c.env.filter((e) => e.fieldRef && IP_FIELDS.has(e.fieldRef.value)).map((e) => e.name));
    if (ipVars.size === 0) continue;
    for (const f of [...c.command, ...c.args]) {
      const re = /(^|[^[])\$\(([A-Za-z_][A-Za-z0-9_]*)\):(\d+|\$\()/g;
      for (let m = re.exec(f.value); m; m = re.exec(f.value)) {
        if (ipVars.has(m[2]!)) {
          yield { path: f.path, text: f.value, v: m[2]!, c: containerLabel(c) };
          break;
        }
      }
    }
  }
}

export default defineRule<T>({
  meta: {
    id: 'prometheus-unbracketed-ipv6-join',
    title: 'Addresses joined as IP:port without brackets (breaks for IPv6)',
    category: 'observability',
    severity: 'low',
    scope: ['ConfigMap', 'Secret', 'ServiceMonitor', 'PodMonitor', 'ScrapeConfig', 'Deployment', 'DaemonSet', 'StatefulSet', 'Pod'],
    rationale:
      'An IPv6 address joined to a port must be bracketed ([2001:db8::5]:9102, Go\'s net.JoinHostPort). A relabel rule that writes $1:<port> from __meta_kubernetes_pod_ip, ' +
      'the host IP or a node address gives 2001:db8::5:9102, which Prometheus reads as another host (or rejects with "invalid port after host"); the same happens to container ' +
      'arguments such as --cluster.advertise-address=$(POD_IP):6783. The pod and node IPs are of the primary family, so this breaks on IPv6-primary clusters (high) and is low elsewhere.',
    docs: {
      noFixedExample: 'The fix adds a relabel rule inside the Prometheus configuration text, which a JSON Patch cannot edit in place.',
      notes: 'Relabel rules are run with RE2 on sample targets of both families (see prometheus-relabel-ipv4-host-regex); a rule is reported when the IPv4 result is right and the IPv6 result holds the IPv6 address unbracketed before a port. Container arguments are read as text: $(VAR):port where VAR comes from status.podIP, status.hostIP or their plural forms. Sources: grafana/k8s-monitoring-helm issue #2999 (fixed by PR #3028), prometheus-community/helm-charts issue #241.',
    },
    fix: { summary: 'Bracket IPv6 hosts: write [$1]:port for IPv6 addresses (a separate rule whose regex requires a colon), or build the address from __address__, which Kubernetes discovery already joins with net.JoinHostPort; in arguments use [$(POD_IP)]:port where the program accepts it.', byMessage: { arg: 'Bracket the address ([$({v})]:port) or use the pod\'s DNS name.' } },
    messages: {
      relabel: '{job}: the __address__ rewrite (replacement {replacement}) joins an IPv6 address and a port unbracketed ({input} -> {output})',
      arg: '{container} passes $({v}):port unbracketed ({text}), which on an IPv6 pod is not a valid host:port',
    },
    references: ['https://github.com/prometheus/prometheus/blob/main/model/relabel/relabel.go', 'https://github.com/prometheus/prometheus/blob/main/discovery/kubernetes/pod.go', 'https://pkg.go.dev/net#JoinHostPort'],
  },
  *targets({ model }) {
    const sev = ipv6Primary(model) ? 'high' : 'low';
    for (const job of model.observability.jobs) if (addressJob(job)) yield jobTarget(job, sev);
    for (const w of model.workloads) {
      if (w.containers.some((c) => c.env.some((e) => e.fieldRef && IP_FIELDS.has(e.fieldRef.value)))) yield workloadTarget(w, sev);
    }
  },
  *check(t): Generator<RuleReport> {
    if (t.job) {
      for (const is of addressIssues(t.job)) {
        if (is.kind !== 'unbracketed') continue;
        yield { messageId: 'relabel', ...at(is.rule), data: { job: jobName(t.job), replacement: JSON.stringify(is.rule.replacement), input: is.input, output: is.output } };
      }
      return;
    }
    for (const a of unbracketedArgs(t.w!)) {
      yield { messageId: 'arg', path: a.path, data: { container: a.c, v: a.v, text: a.text.length > 80 ? `${a.text.slice(0, 77)}...` : a.text } };
    }
  },
});

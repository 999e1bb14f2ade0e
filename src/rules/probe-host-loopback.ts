import { defineRule, type RuleReport } from './types.ts';
import { containerLabel, pointer, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';
import { parseIP } from '../emulate/ip.ts';

/** 127.0.0.0/8, ::1 and localhost (with or without brackets, any case). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  return parseIP(h)?.range === 'loopback';
}

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'probe-host-loopback',
    fixable: 'fix',
    title: 'Probes that dial a loopback host',
    category: 'workloads',
    severity: 'medium',
    scope: WORKLOAD_KINDS,
    rationale:
      'The kubelet runs httpGet and tcpSocket probes from the node, not from inside the pod. With host set to 127.0.0.1, ::1 or localhost it dials ' +
      'the node\'s own loopback, so the probe tests whatever listens there and never the pod, in either family. Without host the kubelet dials the pod IP, ' +
      'which is the primary family only, so the probe at least reaches the pod. hostNetwork pods share the node\'s network namespace, where loopback is the pod\'s own, and pass.',
    docs: {
      notes: 'Probe hosts default to status.podIP (k8s:pkg/kubelet/prober/prober.go, k8s:pkg/probe/http/request.go), the primary family; gRPC probes have no host field and always use it. To send a virtual host name, set a Host header in httpHeaders instead of host, as the probe API docs recommend. Pods with hostNetwork: true are not reported: there the node\'s loopback is the pod\'s.',
    },
    fix: { summary: 'Remove host from the probe (the kubelet then dials the pod IP) and, if the server needs a virtual host name, set it as a Host header in httpHeaders.' },
    messages: {
      loopback: '{probe} ({handler}) of {container} dials host {host} in the node\'s network namespace, not the pod\'s, so it never reaches the pod in either family',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/prober/prober.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/probe/http/request.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes.md'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (w.containers.some((c) => c.probes.length > 0)) yield workloadTarget(w);
    }
  },
  *check({ w }): Generator<RuleReport> {
    if (w.hostNetwork?.value === true) return;
    for (const c of w.containers) {
      for (const p of c.probes) {
        if (!p.host || !isLoopbackHost(p.host.value)) continue;
        yield {
          messageId: 'loopback',
          path: p.host.path,
          data: { probe: p.kind, handler: p.handler, container: containerLabel(c), host: p.host.value },
          fix: [{ op: 'remove', path: pointer(p.host.path) }],
        };
      }
    }
  },
});

import { defineRule, type RuleReport } from './types.ts';
import { containerLabel, listText, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';
import { parseIP } from '../emulate/ip.ts';
import { formatRef } from '../model/types.ts';

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'hostnetwork-single-stack',
    title: 'Pods whose reachability depends on the node\'s families',
    category: 'workloads',
    severity: 'medium',
    scope: WORKLOAD_KINDS,
    rationale:
      'A hostNetwork pod has no addresses of its own: its pod IPs are the node\'s addresses, in the order of node.status.addresses. On a node without an IPv6 InternalIP ' +
      '(a kubelet started without a dual --node-ip, or a cloud node without an IPv6 address) the pod is single-stack even in a dual-stack cluster, ' +
      'and the IPv6 EndpointSlices of the Services that select it stay empty. ' +
      'Separately, a hostPort with an IPv4 hostIP is forwarded for IPv4 only: the CNI portmap plugin installs the mapping only in the family of hostIP.',
    docs: {
      noFixedExample: 'Node addresses come from kubelet flags or the cloud subnet, outside the manifests.',
      notes: 'Services are matched to pod templates through an index by namespace and label. A hostNetwork pod that no Service selects is not reported (node agents and CNI daemons reach the node, not a Service). The Service\'s families are those it gets on a dual-stack cluster. Whether the nodes have addresses of both families cannot be seen in manifests, so that message asks to verify.',
    },
    fix: { summary: 'Give the nodes addresses of both families (kubelet --node-ip=<v4>,<v6> or a dual-stack cloud subnet) or drop hostNetwork; leave hostIP empty so that the host port is forwarded in both families.' },
    messages: {
      selected: 'hostNetwork pod selected by the dual-stack {services}: it has the node\'s addresses, so an IPv6 endpoint only on IPv6 nodes',
      selectedSingleStack: 'hostNetwork pod selected by {services}, single-stack even on a dual-stack cluster, would get IPv6 endpoints only on IPv6 nodes',
      hostIP: 'port {port} of {container} binds hostPort on hostIP {hostIP}, an IPv4 address, so the host port is forwarded for IPv4 only',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/discovery/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/discovery/v1/types.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/endpointslice/utils.go', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2681-pod-host-ip', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (w.hostNetwork?.value === true || w.containers.some((c) => c.ports.some((p) => p.hostIP))) yield workloadTarget(w);
    }
  },
  *check({ w }): Generator<RuleReport> {
    const hostNetwork = w.hostNetwork?.value === true;
    if (hostNetwork && w.selectedBy.length > 0) {
      const dual = w.selectedBy.filter((s) => s.families.length >= 2);
      const names = (l: typeof w.selectedBy): string => listText([...new Set(l.map((s) => formatRef(s.ref)))]);
      if (dual.length > 0) {
        yield { messageId: 'selected', path: w.hostNetwork!.path, data: { services: names(dual) } };
      } else {
        yield { messageId: 'selectedSingleStack', path: w.hostNetwork!.path, data: { services: names(w.selectedBy) }, severity: 'low' };
      }
    }
    for (const c of w.containers) {
      for (const p of c.ports) {
        if (!p.hostIP || (p.hostPort === undefined && !hostNetwork)) continue;
        if (parseIP(p.hostIP.value.trim())?.family !== 'IPv4') continue;
        yield {
          messageId: 'hostIP', path: p.hostIP.path,
          data: { port: p.hostPort ?? p.containerPort ?? '?', container: containerLabel(c), hostIP: p.hostIP.value },
        };
      }
    }
  },
});

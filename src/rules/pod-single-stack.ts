import { defineRule, type RuleReport, type Target } from './types.ts';
import type { LivePod } from '../model/live.ts';
import { formatRef, type Family, type ResourceRef } from '../model/types.ts';
import { liveRead, missingOf } from '../model/live.ts';
import { familyList } from './helpers.ts';

interface PodTarget extends Target {
  readonly pod: LivePod;
  readonly want: readonly Family[];
  /** The Pods of one owner (model/workloads.ts), judged once: pod is the first that lacks a family, else the first. */
  readonly group?: { readonly owner: ResourceRef; readonly pods: readonly LivePod[] };
}

export default defineRule<PodTarget>({
  meta: {
    id: 'pod-single-stack',
    title: 'Running pods with an address of only one family on a dual-stack pod network',
    category: 'cluster',
    severity: 'medium',
    scope: ['Pod'],
    rationale:
      'The EndpointSlice controller adds a pod to a family\'s slices only when status.podIPs has an address of that family. ' +
      'A single-stack pod behind a dual-stack Service is silently missing from the IPv6 endpoints: IPv6 clients reach only the other replicas, or nothing. ' +
      'Pods keep the addresses they started with, so pods created before the node or the CNI handed out IPv6 stay IPv4-only until they are recreated. ' +
      'hostNetwork pods take the node\'s addresses and are single-stack exactly when their node is.',
    docs: {
      noFixedExample: 'Pod IPs are allocated at creation: the node or CNI is fixed and the pod recreated, not edited.',
      notes: 'Live only, and only when the pod network is dual-stack (some node has pod CIDRs of both families, or some pod has addresses of both): on a single-stack cluster ' +
        'every pod is single-stack and node-single-stack reports the cause. Pods that have finished (Succeeded, Failed) or have no address yet are not evaluated. ' +
        'The Pods of one controller (their top owner, or an owner not in the input) are judged once, with how many of them lack a family.',
    },
    fix: { summary: 'Fix the node (pod CIDRs of both families, see node-single-stack) or the CNI\'s IPv6 pool, then recreate the pod (roll its Deployment) so it gets an address of both families.', byMessage: { singleStack: 'Check node {node} (podCIDRs) and the CNI\'s {missing} pool, then recreate the pod (roll its Deployment).' } },
    messages: {
      singleStack: 'Pod on node {node} has only {have} address(es) {ips} on a dual-stack network, so it is missing from every {missing} EndpointSlice',
      hostNetwork: 'hostNetwork Pod has only {have} address(es) {ips}: it takes the addresses of node {node}, which has no {missing} InternalIP',
      singleStackPods: '{bad} of {total} Pods of {owner} have addresses of only one family on a dual-stack network (Pod {pod} on node {node}: {ips}), so they are missing from every {missing} EndpointSlice',
      hostNetworkPods: '{bad} of {total} hostNetwork Pods of {owner} have addresses of only one family (Pod {pod}: {ips}): they take the addresses of nodes without a {missing} InternalIP ({nodes})',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/discovery/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/discovery/v1/types.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/endpointslice/utils.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Pod')) return;
    const want = model.live!.podFamilies;
    if (want.length < 2) return;
    // The Pods of one owner run one template: judged once per owner (and hostNetwork or not), not per replica.
    const groups = new Map<string, LivePod[]>();
    for (const pod of model.live!.pods) {
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed' || pod.podIPs.length === 0) continue;
      if (!pod.owner) {
        yield {
          ref: pod.ref, ...(pod.source ? { source: pod.source } : {}), annotations: pod.annotations,
          ...(pod.hostNetwork ? { severity: 'low' as const } : {}), pod, want,
        };
        continue;
      }
      const k = `${formatRef(pod.owner)}\u0000${pod.hostNetwork}`;
      const g = groups.get(k);
      if (g) g.push(pod);
      else groups.set(k, [pod]);
    }
    for (const pods of groups.values()) {
      const first = pods.find((p) => missingOf(p.families, want).length > 0) ?? pods[0]!;
      yield {
        ref: first.owner!, ...(first.source ? { source: first.source } : {}), annotations: first.annotations,
        ...(first.hostNetwork ? { severity: 'low' as const } : {}), pod: first, want, group: { owner: first.owner!, pods },
      };
    }
  },
  *check({ pod, want, group }): Generator<RuleReport> {
    if (group) {
      const bad = group.pods.filter((p) => missingOf(p.families, want).length > 0);
      if (bad.length === 0) return;
      const missing = [...new Set(bad.flatMap((p) => missingOf(p.families, want)))];
      const nodes = [...new Set(bad.map((p) => p.nodeName ?? '(unscheduled)'))];
      yield {
        messageId: pod.hostNetwork ? 'hostNetworkPods' : 'singleStackPods',
        data: {
          bad: bad.length, total: group.pods.length, owner: formatRef(group.owner), pod: pod.ref.name, node: pod.nodeName ?? '(unscheduled)',
          ips: pod.podIPs.map((p) => p.text).join(', '), missing: missing.join(' and '),
          nodes: nodes.length <= 3 ? nodes.join(', ') : `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more`,
        },
        path: ['status', 'podIPs'],
      };
      return;
    }
    const missing = missingOf(pod.families, want);
    if (missing.length === 0) return;
    yield {
      messageId: pod.hostNetwork ? 'hostNetwork' : 'singleStack',
      data: { have: familyList(pod.families), ips: pod.podIPs.map((p) => p.text).join(', '), missing: missing.join(' and '), node: pod.nodeName ?? '(unscheduled)' },
      path: ['status', 'podIPs'],
    };
  },
});

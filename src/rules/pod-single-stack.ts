import { defineRule, type RuleReport, type Target } from './types.ts';
import type { LivePod } from '../model/live.ts';
import type { Family } from '../model/types.ts';
import { liveRead, missingOf } from './helpers-live.ts';
import { familyList } from './helpers.ts';

interface PodTarget extends Target {
  readonly pod: LivePod;
  readonly want: readonly Family[];
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
        'every pod is single-stack and node-single-stack reports the cause. Pods that have finished (Succeeded, Failed) or have no address yet are not evaluated.',
    },
    fix: { summary: 'Fix the node (pod CIDRs of both families, see node-single-stack) or the CNI\'s IPv6 pool, then recreate the pod (roll its Deployment) so it gets an address of both families.', byMessage: { singleStack: 'Check node {node} (podCIDRs) and the CNI\'s {missing} pool, then recreate the pod (roll its Deployment).' } },
    messages: {
      singleStack: 'Pod on node {node} has only {have} address(es) {ips} on a dual-stack network, so it is missing from every {missing} EndpointSlice',
      hostNetwork: 'hostNetwork Pod has only {have} address(es) {ips}: it takes the addresses of node {node}, which has no {missing} InternalIP',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/discovery/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/discovery/v1/types.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/endpointslice/utils.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Pod')) return;
    const want = model.live!.podFamilies;
    if (want.length < 2) return;
    for (const pod of model.live!.pods) {
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed' || pod.podIPs.length === 0) continue;
      yield {
        ref: pod.ref, ...(pod.source ? { source: pod.source } : {}), annotations: pod.annotations,
        ...(pod.hostNetwork ? { severity: 'low' as const } : {}), pod, want,
      };
    }
  },
  *check({ pod, want }): Generator<RuleReport> {
    const missing = missingOf(pod.families, want);
    if (missing.length === 0) return;
    yield {
      messageId: pod.hostNetwork ? 'hostNetwork' : 'singleStack',
      data: { have: familyList(pod.families), ips: pod.podIPs.map((p) => p.text).join(', '), missing: missing.join(' and '), node: pod.nodeName ?? '(unscheduled)' },
      path: ['status', 'podIPs'],
    };
  },
});

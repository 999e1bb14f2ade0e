import { defineRule, type RuleReport, type Target } from './types.ts';
import type { LiveNode } from '../model/live.ts';
import type { Family } from '../model/types.ts';
import { clusterIsDual, liveRead, missingOf, wantedFamilies } from '../model/live.ts';
import { familyList } from './helpers.ts';

interface NodeTarget extends Target {
  readonly node: LiveNode;
  readonly want: readonly Family[];
}

export default defineRule<NodeTarget>({
  meta: {
    id: 'node-single-stack',
    title: 'Nodes without a pod CIDR or an address of every family',
    category: 'cluster',
    severity: 'high',
    scope: ['Node'],
    rationale:
      'A Node\'s spec.podCIDRs is assigned once, when the node registers, and is immutable afterwards: a node that registered before the cluster allocated IPv6 pod CIDRs ' +
      'never gets one, and every pod scheduled on it is IPv4-only, is skipped from IPv6 EndpointSlices and cannot reach or be reached over IPv6. ' +
      'The node has to be drained, deleted and re-registered. A node without an InternalIP of a family also makes its hostNetwork pods single-stack.',
    docs: {
      noFixedExample: 'Node pod CIDRs are immutable: the node must be drained, deleted and re-registered.',
      notes: 'Live only: it reads what the node controller and kubelet stored. The wanted families are the cluster\'s Service families when they are dual, else the pod network\'s, ' +
        'else the migration target (the primary plus the other family), so on a single-stack cluster it lists every node that must be re-registered after the conversion (medium). ' +
        'Nodes without any podCIDR (the CNI does its own IPAM, e.g. Calico or Cilium cluster-pool) are judged on their addresses only.',
    },
    fix: { summary: 'Drain, delete and re-register nodes whose podCIDRs lack a family (podCIDRs are immutable); start kubelet with --node-ip=<IPv4>,<IPv6> so each node has an InternalIP of both families.', byMessage: { podCIDRs: 'spec.podCIDRs is immutable: drain, delete and re-register the node once the cluster allocates {missing} pod CIDRs.' } },
    messages: {
      podCIDRs: 'Node has pod CIDRs only in {have} ({cidrs}), so pods scheduled on it get no {missing} address',
      internalIP: 'Node has InternalIP addresses only in {have} ({ips}), so its hostNetwork pods get no {missing} address and {missing} node traffic has no source',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/3705-cloud-node-ips', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Node')) return;
    const want = wantedFamilies(model);
    const severity = clusterIsDual(model) ? 'high' : 'medium';
    for (const node of model.live!.nodes) {
      yield { ref: node.ref, ...(node.source ? { source: node.source } : {}), annotations: node.annotations, severity, node, want };
    }
  },
  *check({ node, want }): Generator<RuleReport> {
    if (node.podCIDRs.length > 0) {
      const missing = missingOf(node.podCIDRFamilies, want);
      if (missing.length > 0) {
        yield {
          messageId: 'podCIDRs',
          data: { have: node.podCIDRFamilies.length > 0 ? familyList(node.podCIDRFamilies) : '[none valid]', cidrs: node.podCIDRs.map((c) => c.text).join(', '), missing: missing.join(' and ') },
          path: ['spec', node.podCIDRsField ?? 'podCIDRs'],
        };
      }
    }
    if (node.internalIPs.length > 0) {
      const missing = missingOf(node.internalIPFamilies, want);
      if (missing.length > 0) {
        yield {
          messageId: 'internalIP',
          severity: 'medium',
          data: { have: familyList(node.internalIPFamilies), ips: node.internalIPs.map((a) => a.text).join(', '), missing: missing.join(' and ') },
          path: ['status', 'addresses'],
        };
      }
    }
  },
});

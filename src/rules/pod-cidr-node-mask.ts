import { defineRule, type RuleReport } from './types.ts';
import { factTarget, where, type FactTarget } from './helpers-cluster.ts';

export default defineRule<FactTarget>({
  meta: {
    id: 'pod-cidr-node-mask',
    title: 'Pod ranges that do not fit the per-node mask',
    category: 'addressing',
    severity: 'critical',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'Pod'],
    rationale:
      'The node IPAM controller cuts the cluster pod range into one range per node, of --node-cidr-mask-size-ipv6 (default /64) and -ipv4 (default /24). ' +
      'The node mask must not be shorter than the cluster range, and may be at most 16 bits longer, or kubeadm refuses the config and the controller-manager fails ("the node CIDR size is too big"). ' +
      'So with the default /64 node mask an IPv6 pod range must be /48 to /64, and a /64 gives a single node its range: every other node stays without an IPv6 pod range.',
    docs: {
      noFixedExample: 'Whether to change the pod range or the node mask is a decision of the site\'s addressing plan.',
      notes: 'Evaluated on the cluster pod ranges that the node IPAM controller splits: kubeadm podSubnet, kind podSubnet (its default /56 was chosen for this reason) and the controller-manager --cluster-cidr, with the node masks from controllerManager extraArgs or flags. For kind configs the node count is known and checked against the number of node ranges. CNI pools with their own IPAM (Calico blocks, Cilium cluster-pool) are not checked. Sources: k8s:pkg/controller/nodeipam/ipam/cidrset/cidr_set.go, k8s:cmd/kubeadm/app/apis/kubeadm/validation/validation.go.',
    },
    fix: { summary: 'Make the pod range 1 to 16 bits shorter than the node mask: an IPv6 /48 to /63 with the default /64 node mask, or change --node-cidr-mask-size-ipv6 to match.', byMessage: { nodeMaskShorter: 'Use a pod range of /{suggest} or shorter.', diffTooLarge: 'Use a /{suggest} or longer pod range, or a shorter node mask.', tooFewNodes: 'Use a /{suggest} or shorter pod range.', oneNode: 'Use a /{suggest} or shorter pod range.' } },
    messages: {
      nodeMaskShorter: '{what} {cidr} is smaller than one node range (node mask {nodeMask}), so kubeadm and the controller-manager refuse it',
      diffTooLarge: '{what} {cidr} is more than 16 bits shorter than the node mask {nodeMask}, so the controller-manager cannot split it ("the node CIDR size is too big")',
      tooFewNodes: '{what} {cidr} with node mask {nodeMask} gives only {capacity} node range(s) for {nodes} nodes, so the other nodes get no {family} pod range',
      oneNode: '{what} {cidr} is exactly one node range (node mask {nodeMask}), so only the first node gets a {family} pod range',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/nodeipam/ipam/cidrset/cidr_set.go', 'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/apis/kubeadm/validation/validation.go'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (f.cidr && f.nodeMask && f.role === 'pod') yield factTarget(f);
  },
  *check({ fact }): Generator<RuleReport> {
    const prefix = fact.cidr!.prefix;
    const { mask, defaulted } = fact.nodeMask!;
    const nodeMask = defaulted ? `/${mask} (the default)` : `/${mask}`;
    const base = { what: where(fact.site), cidr: fact.text, mask, nodeMask, prefix, family: fact.family ?? '' };
    if (mask < prefix) {
      yield { messageId: 'nodeMaskShorter', path: fact.site.path, data: { ...base, suggest: Math.max(0, mask - 8) } };
    } else if (mask - prefix > 16) {
      yield { messageId: 'diffTooLarge', path: fact.site.path, data: { ...base, suggest: mask - 16 } };
    } else if (fact.nodes !== undefined && 2 ** (mask - prefix) < fact.nodes) {
      yield { messageId: 'tooFewNodes', path: fact.site.path, severity: 'high', data: { ...base, capacity: 2 ** (mask - prefix), nodes: fact.nodes, suggest: mask - Math.ceil(Math.log2(fact.nodes)) - 4 } };
    } else if (fact.nodes === undefined && mask === prefix) {
      yield { messageId: 'oneNode', path: fact.site.path, severity: 'medium', data: { ...base, suggest: Math.max(0, mask - 8) } };
    }
  },
});

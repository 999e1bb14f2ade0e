import { defineRule, type RuleReport } from './types.ts';
import { elsewhere, factTarget, nodeOverlapCause, nodeRangeHolders, where, ROLE_NAME, type HeldFactTarget } from './helpers-cluster.ts';

export default defineRule<HeldFactTarget>({
  meta: {
    id: 'cidr-overlap',
    title: 'Pod, Service, node and load-balancer ranges that overlap',
    category: 'addressing',
    severity: 'high',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'CiliumLoadBalancerIPPool'],
    rationale:
      'Pod ranges, Service ranges, node addresses and load-balancer pools must be disjoint: an address in two of them is routed to the wrong place (kube-proxy captures Service ranges, the CNI routes pod ranges, the load-balancer announces its pool). ' +
      'A new IPv6 plan is often written in a hurry from defaults (fd00:10:244::/56, fd00:10:96::/112), which makes collisions between components more likely.',
    docs: {
      noFixedExample: 'The new range is a decision of the site\'s addressing plan, which the audit cannot make.',
      notes: 'Ranges of the same role (pod ranges of kubeadm, kind, kube-proxy, the CNI and Node podCIDRs) are expected to nest and are not compared. Every pair is reported once, on the later of the two. Node pod CIDRs that overlap a range stand for the cluster pod range of the input that holds them (the one the node IPAM controller splits: kubeadm or kind podSubnet, --cluster-cidr; else kube-proxy clusterCIDR or a CNI pool; the tightest): they are reported once, on the finding about that pair of ranges when there is one, else on the first Node, with the number of Nodes; so are node addresses that overlap the same range (the other Nodes\' evaluations still fail). All objects of one input are taken to describe one cluster: when an input holds alternative configurations, check that the two objects belong together. Defaults (kubeadm serviceSubnet 10.96.0.0/12, kind ranges) are included.',
    },
    fix: { summary: 'Give pods, Services, nodes and load balancers disjoint ranges in both families.' },
    messages: {
      overlap: '{what} {cidr} ({role}) overlaps {otherRole} {other} of {otherWhere}, so addresses in both are routed to the wrong component',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/options/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/bitmap.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/cluster-ip-allocation.md', 'https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/projectcalico/calico/blob/master/node/pkg/lifecycle/startup/startup.go', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kube-proxy/app/server_linux.go'],
  },
  *targets({ model }) {
    const holders = nodeRangeHolders(model);
    for (const f of model.clusterConfig.cidrs) {
      if (!f.cidr) continue;
      const holder = holders.get(f);
      yield holder ? { ...factTarget(f), holder } : factTarget(f);
    }
  },
  *check({ fact, holder }, { model }): Generator<RuleReport> {
    const other = model.clusterConfig.overlaps.get(fact);
    if (!other) return;
    yield {
      messageId: 'overlap', path: fact.site.path,
      data: { what: where(fact.site), cidr: fact.text, role: ROLE_NAME[fact.role], otherRole: ROLE_NAME[other.role], other: other.text, otherWhere: elsewhere(other.site) },
      // The cause is the pair of ranges: the Node pod CIDRs of one cluster range in a Service range,
      // or the addresses of one node network in a pod range, are one finding (engine/fold.ts).
      sameCause: nodeOverlapCause(fact, other, holder),
    };
  },
});

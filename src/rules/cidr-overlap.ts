import { defineRule, type RuleReport } from './types.ts';
import { elsewhere, factTarget, where, ROLE_NAME, type FactTarget } from './helpers-cluster.ts';

export default defineRule<FactTarget>({
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
      bad: `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.96.0.0/16,fd5e:1c7a:93d2::/56
  serviceSubnet: 10.96.0.0/12,fd5e:1c7a:93d2:1::/112`,
      good: `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16,fd5e:1c7a:93d2::/56
  serviceSubnet: 10.96.0.0/12,fd5e:1c7a:93d2:100::/112`,
      notes: 'Ranges of the same role (pod ranges of kubeadm, kind, kube-proxy, the CNI and Node podCIDRs) are expected to nest and are not compared. Every pair is reported once, on the later of the two. All objects of one input are taken to describe one cluster: when an input holds alternative configurations, check that the two objects belong together. Defaults (kubeadm serviceSubnet 10.96.0.0/12, kind ranges) are included.',
    },
    fix: { summary: 'Give pods, Services, nodes and load balancers disjoint ranges in both families.' },
    messages: {
      overlap: '{what} {cidr} ({role}) overlaps {otherRole} {other} of {otherWhere}; addresses in both are routed to the wrong component, so make the ranges disjoint',
    },
    references: ['SEMANTICS.md b.3', 'SEMANTICS.md g', 'web:concepts/services-networking/cluster-ip-allocation.md'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (f.cidr) yield factTarget(f);
  },
  *check({ fact }, { model }): Generator<RuleReport> {
    const other = model.clusterConfig.overlaps.get(fact);
    if (!other) return;
    yield {
      messageId: 'overlap', path: fact.site.path,
      data: { what: where(fact.site), cidr: fact.text, role: ROLE_NAME[fact.role], otherRole: ROLE_NAME[other.role], other: other.text, otherWhere: elsewhere(other.site) },
    };
  },
});

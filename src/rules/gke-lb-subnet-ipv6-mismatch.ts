import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { annotationPath, isInternal, onGke, wantsIPv6 } from './helpers-gke.ts';
import { L4_RBS } from '../model/gke.ts';
import { findSubnet, subnetHasIPv6, theCluster, type GcpSubnet } from '../model/gcp.ts';
import type { JsonPath } from '../model/types.ts';

export const LB_SUBNET = 'networking.gke.io/load-balancer-subnet';
export const ILB_SUBNET_LEGACY = 'networking.gke.io/internal-load-balancer-subnet';

interface T extends ServiceTarget {
  readonly subnet: GcpSubnet;
  readonly internal: boolean;
  /** Where the subnet was chosen: the annotation, or (the cluster's subnet) spec.type. */
  readonly from: JsonPath;
  readonly how: string;
}

export default defineRule<T>({
  meta: {
    id: 'gke-lb-subnet-ipv6-mismatch',
    title: 'GKE LoadBalancer asking for IPv6 on a subnet without IPv6 of the right access type',
    category: 'services',
    severity: 'high',
    scope: ['Service'],
    rationale:
      'GKE takes the IPv6 frontend of an L4 load balancer from a subnet: the one named in networking.gke.io/load-balancer-subnet (for internal LBs also the older networking.gke.io/internal-load-balancer-subnet), else the cluster\'s subnet. ' +
      'An external passthrough load balancer needs a dual-stack subnet with the IPv6 access type EXTERNAL; an internal one needs INTERNAL. ' +
      'Otherwise ingress-gce reports that the subnet "does not have external (internal) IPv6 ranges" and the Service gets no IPv6 frontend: IPv6 clients cannot reach it. ' +
      'A cluster that needs both kinds needs a second dual-stack subnet with the other access type, named per Service.',
    docs: {
      noFixedExample: 'The subnet to use (or its IPv6 access type) is a choice of the site\'s VPC, outside this object.',
      notes: 'Cross-object: evaluated for LoadBalancer Services on GKE (the platform, see `--platform`) that ask for IPv6, internal ones and backend-service-based external ones (cloud.google.com/l4-rbs or the l4-regional-external class; legacy target-pool LBs have no IPv6 at all, see gke-lb-legacy-ipv4-only), when the subnet they use is in the input in any form (Config Connector, `gcloud compute networks subnets describe`, `terraform show -json`). That this is a forwarding-rule limit of GCP and not only the controller\'s check is not known (verify). Sources: kubernetes/ingress-gce pkg/l4/resources/l4netlbipv6.go and l4ipv6.go (the subnet checks and their errors), pkg/l4/annotations/service.go (the subnet annotations), pkg/utils/utils.go SubnetHasIPv6Range; https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters.',
    },
    fix: { summary: 'Create a dual-stack subnet with the access type the load balancer needs (EXTERNAL for external, INTERNAL for internal) in the cluster\'s region and name it in networking.gke.io/load-balancer-subnet.' },
    messages: {
      noIPv6: '{kind} LoadBalancer asks for IPv6 but {how} {subnet} has stack type {stack}, with no IPv6 range: GKE gives it no IPv6 frontend; use a dual-stack subnet with IPv6 access type {need} (networking.gke.io/load-balancer-subnet)',
      wrongAccess: '{kind} LoadBalancer asks for IPv6 but {how} {subnet} has IPv6 access type {access}, and GKE takes {kind_lower} IPv6 frontends only from {need} subnets ("does not have {need_lower} IPv6 ranges"), so IPv6 clients cannot reach it; name a dual-stack {need} subnet in networking.gke.io/load-balancer-subnet',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/resources/l4netlbipv6.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/resources/l4ipv6.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/service.go', 'https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters'],
  },
  *targets({ model }) {
    if (model.gcp.subnets.length === 0) return;
    const cluster = theCluster(model.gcp);
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !wantsIPv6(svc) || !onGke(svc, model)) continue;
      const internal = isInternal(svc);
      const rbs = svc.annotations[L4_RBS]?.toLowerCase() === 'enabled' || svc.loadBalancerClass === 'networking.gke.io/l4-regional-external';
      if (!internal && !rbs) continue;
      const key = svc.annotations[LB_SUBNET] !== undefined ? LB_SUBNET : internal && svc.annotations[ILB_SUBNET_LEGACY] !== undefined ? ILB_SUBNET_LEGACY : undefined;
      const name = key ? svc.annotations[key]! : cluster?.subnetwork.value;
      const subnet = findSubnet(model.gcp, name, cluster?.location);
      if (!subnet || subnet.stackType.unknown || subnet.ipv6AccessType.unknown) continue;
      yield {
        ...serviceTarget(svc), subnet, internal,
        from: key ? annotationPath(key) : ['spec', 'type'],
        how: key ? `its subnet (${key})` : 'the cluster\'s subnet',
      };
    }
  },
  *check({ subnet, internal, from, how }): Generator<RuleReport> {
    const need = internal ? 'INTERNAL' : 'EXTERNAL';
    const kind = internal ? 'Internal' : 'External';
    const base = { kind, how, subnet: subnet.label, need, need_lower: need.toLowerCase(), kind_lower: kind.toLowerCase() };
    if (!subnetHasIPv6(subnet)) {
      yield { messageId: 'noIPv6', path: from, data: { ...base, stack: subnet.stackType.value ?? 'unset (IPV4_ONLY)' } };
    } else if (subnet.ipv6AccessType.value !== need) {
      yield { messageId: 'wrongAccess', path: from, data: { ...base, access: subnet.ipv6AccessType.value ?? 'unset' } };
    }
  },
});

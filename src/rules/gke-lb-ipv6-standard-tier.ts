import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { annotationPath, isInternal, onGke, wantsIPv6 } from './helpers-gke.ts';
import { NETWORK_TIER } from '../model/gke.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'gke-lb-ipv6-standard-tier',
    fixable: 'suggestion',
    title: 'External GKE LoadBalancers asking for IPv6 on the Standard network tier',
    category: 'services',
    severity: 'high',
    scope: ['Service'],
    rationale:
      'GKE\'s L4 controller refuses an external IPv6 frontend on the Standard network tier ("IPv6 address is not supported for External Regional Network Load Balancing with Standard network tier"): ' +
      'the sync of the IPv6 forwarding rule fails, so a dual-stack external LoadBalancer with cloud.google.com/network-tier: Standard has no IPv6 address and IPv6 clients cannot reach it.',
    docs: {
      notes: 'Source: ingress-gce pkg/l4/resources/l4netlbipv6.go (NewUnsupportedNetworkTierErr). Internal LoadBalancers are not evaluated: their IPv6 rule is built with the Premium tier. A Service counts as asking for IPv6 when it has IPv6 on the target cluster or on a dual-stack cluster with the same primary family (PreferDualStack, RequireDualStack, ipFamilies with IPv6).',
    },
    fix: { summary: 'Remove cloud.google.com/network-tier: Standard (Premium is the default) or set it to Premium, so that the IPv6 forwarding rule can be created.' },
    messages: {
      standard: 'cloud.google.com/network-tier is {tier}, and GKE refuses external IPv6 forwarding rules on Standard, so the load balancer gets no IPv6 address',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/service.go', 'https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/l4_static_address.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/resources/l4netlbipv6.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !wantsIPv6(svc) || isInternal(svc) || !onGke(svc, model)) continue;
      yield serviceTarget(svc);
    }
  },
  *check({ svc }): Generator<RuleReport> {
    const tier = svc.annotations[NETWORK_TIER];
    if (tier === undefined || tier.toLowerCase() !== 'standard') return;
    yield { messageId: 'standard', path: annotationPath(NETWORK_TIER), data: { tier: JSON.stringify(tier) }, suggest: [{ op: 'remove', path: '/metadata/annotations/cloud.google.com~1network-tier' }] };
  },
});

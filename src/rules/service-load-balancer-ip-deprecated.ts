import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-load-balancer-ip-deprecated',
    fixable: 'suggestion',
    title: 'spec.loadBalancerIP cannot express a dual-stack frontend',
    category: 'services',
    severity: 'low',
    scope: ['Service'],
    rationale:
      'spec.loadBalancerIP holds a single address and is deprecated because its meaning is under-specified and it may not support dual-stack ' +
      '(ServiceSpec doc in k8s.io/api/core/v1/types.go). A dual-stack LoadBalancer needs one address per family, which only the providers\' ' +
      'annotations can express (for example networking.gke.io/load-balancer-ip-addresses on GKE, metallb.universe.tf/loadBalancerIPs on MetalLB).',
    docs: {
      notes: 'Medium when the Service is dual-stack on the target cluster (the field can pin at most one of its two frontends), low otherwise.',
    },
    fix: { summary: 'Remove spec.loadBalancerIP and reserve the addresses through your load balancer provider\'s annotation, one per family.' },
    messages: {
      dual: 'spec.loadBalancerIP pins one {family} address on a dual-stack LoadBalancer, and the other family\'s frontend cannot be pinned this way',
      single: 'spec.loadBalancerIP is deprecated and holds a single address, so it cannot carry an IPv6 frontend once this Service is dual-stack',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/core/v1/types.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || svc.rejected.length > 0) continue;
      yield serviceTarget(svc, (svc.effective?.ipFamilies.length ?? 0) >= 2 ? 'medium' : 'low');
    }
  },
  *check({ svc }): Generator<RuleReport> {
    if (svc.loadBalancerIP === undefined) return;
    const dual = (svc.effective?.ipFamilies.length ?? 0) >= 2;
    const family = svc.loadBalancerIP.includes(':') ? 'IPv6' : 'IPv4';
    yield {
      messageId: dual ? 'dual' : 'single', path: ['spec', 'loadBalancerIP'], data: { family },
      suggest: [{ op: 'remove', path: '/spec/loadBalancerIP' }],
    };
  },
});

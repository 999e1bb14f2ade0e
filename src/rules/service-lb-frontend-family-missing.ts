import { defineRule, type RuleReport } from './types.ts';
import { familyList, serviceTarget, type ServiceTarget } from './helpers.ts';
import { liveRead, missingOf } from '../model/live.ts';
import { parseIP } from '../emulate/ip.ts';
import type { Family } from '../model/types.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-lb-frontend-family-missing',
    title: 'Dual-stack LoadBalancers whose load balancer has no frontend of one family',
    category: 'services',
    severity: 'high',
    scope: ['Service'],
    foldsInto: [{ rule: 'gke-lb-ipv6-frontend-missing' }],
    rationale:
      'The apiserver allocates cluster IPs of both families to a dual-stack LoadBalancer Service, but the frontend addresses in status.loadBalancer.ingress come from the ' +
      'load balancer controller, which may not support IPv6 (or needs a dual-stack subnet, an annotation or a loadBalancerClass). Without an IPv6 frontend, clients on the ' +
      'Internet cannot reach the Service over IPv6 although the manifest and the cluster are dual-stack.',
    docs: {
      noFixedExample: 'The frontend addresses are allocated by the load balancer controller, whose configuration is outside this object.',
      notes: 'Live only. Load balancers still pending (no ingress entry) and those published by host name only (e.g. AWS ELB names) are not evaluated: their families cannot be read from the Service.',
    },
    fix: { summary: 'Enable IPv6 frontends in the load balancer controller (a dual-stack subnet, the provider\'s IP family annotation or a loadBalancerClass that supports dual-stack) and check that status.loadBalancer.ingress gets an address of each family.' },
    messages: {
      missing: 'Dual-stack LoadBalancer Service has frontend addresses only in {have} ({ips}): no {missing} frontend, so {missing} clients cannot reach it',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/service.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/iptables/proxier.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/core/v1/types.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Service')) return;
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !svc.effective || svc.effective.ipFamilies.length < 2) continue;
      if (!svc.lbIngressIPs.some((ip) => parseIP(ip.trim()))) continue;
      yield serviceTarget(svc);
    }
  },
  *check({ svc }): Generator<RuleReport> {
    const have: Family[] = [];
    for (const ip of svc.lbIngressIPs) {
      const p = parseIP(ip.trim());
      if (p && !have.includes(p.family)) have.push(p.family);
    }
    const missing = missingOf(have, svc.effective!.ipFamilies);
    if (missing.length === 0) return;
    yield {
      messageId: 'missing',
      data: { have: familyList(have), ips: svc.lbIngressIPs.join(', '), missing: missing.join(' and ') },
      path: ['status', 'loadBalancer', 'ingress'],
    };
  },
});

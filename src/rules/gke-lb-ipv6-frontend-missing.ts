import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { liveRead } from '../model/live.ts';
import { finalizersOf } from './helpers-gke.ts';
import { NETWORK_TIER } from '../model/gke.ts';
import { parseIP } from '../emulate/ip.ts';

const RULE_ANNOTATION = /^service\.kubernetes\.io\/(tcp|udp|l3)-forwarding-rule(-ipv6)?$/;
const IPV6_RULE = /^service\.kubernetes\.io\/(tcp|udp|l3)-forwarding-rule-ipv6$/;

export default defineRule<ServiceTarget>({
  meta: {
    id: 'gke-lb-ipv6-frontend-missing',
    title: 'Dual-stack GKE LoadBalancers without an IPv6 forwarding rule',
    category: 'services',
    severity: 'high',
    scope: ['Service'],
    rationale:
      'ingress-gce records the forwarding rules it built for an L4 LoadBalancer in service.kubernetes.io/*-forwarding-rule annotations, with an -ipv6 variant for the IPv6 frontend. ' +
      'A dual-stack Service that has GKE\'s IPv4 forwarding rule but no IPv6 one, and no IPv6 address in status.loadBalancer.ingress, has no IPv6 frontend: IPv6 clients cannot reach it. ' +
      'The usual causes are the legacy controller (finalizer l4-*-v1), the Standard network tier for an external LB, and a subnet without IPv6 ranges of the right access type (internal or external).',
    docs: {
      noFixedExample: 'The fix moves the Service to other GKE controllers and subnet settings, mostly outside this object.',
      notes: 'Live only. Evaluated for LoadBalancer Services with IPv6 among the families the apiserver stored that GKE\'s L4 controllers manage (a gke.networking.io/l4-* finalizer or a service.kubernetes.io/*-forwarding-rule annotation). The Service events ("does not have internal/external IPv6 ranges", the unsupported network tier error) are not read: the message names the likely causes instead. This is the GKE diagnosis of what service-lb-frontend-family-missing reports from status alone. Source: ingress-gce pkg/l4/annotations/service.go',
    },
    fix: { summary: 'Move the Service to ingress-gce\'s L4 controllers (cloud.google.com/l4-rbs: "enabled", GKE subsetting), use the Premium tier for external LBs, and give the subnet IPv6 ranges of the right access type (networking.gke.io/load-balancer-subnet); then check kubectl describe service for IPv6 errors.', byMessage: { missing: 'Check the Service events for a subnet without {access} IPv6 ranges (networking.gke.io/load-balancer-subnet) and fix the cause.' } },
    messages: {
      legacy: 'Dual-stack LoadBalancer has no IPv6 forwarding rule: its finalizer {finalizer} is the legacy GKE controller, which has no IPv6 support',
      tier: 'Dual-stack LoadBalancer has no IPv6 forwarding rule and uses network-tier Standard, on which GKE refuses external IPv6 frontends',
      missing: 'Dual-stack LoadBalancer has GKE\'s IPv4 forwarding rule but no IPv6 one (frontends {ips}), so IPv6 clients cannot reach it',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/service.go', 'https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/l4_static_address.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/resources/l4ipv6.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/resources/l4netlbipv6.go'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Service')) return;
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !(svc.effective?.ipFamilies.includes('IPv6') ?? false)) continue;
      const managed = finalizersOf(svc, model).some((f) => /^gke\.networking\.io\/l4-/.test(f)) || Object.keys(svc.annotations).some((k) => RULE_ANNOTATION.test(k));
      if (managed) yield serviceTarget(svc);
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    if (Object.keys(svc.annotations).some((k) => IPV6_RULE.test(k))) return;
    if (svc.lbIngressIPs.some((ip) => parseIP(ip.trim())?.family === 'IPv6')) return;
    const legacy = finalizersOf(svc, model).find((f) => /\/l4-(ilb|netlb)-v1$/.test(f));
    if (legacy) {
      yield { messageId: 'legacy', path: ['metadata', 'finalizers'], data: { finalizer: legacy } };
      return;
    }
    const internal = finalizersOf(svc, model).some((f) => f.includes('l4-ilb'));
    if (!internal && svc.annotations[NETWORK_TIER]?.toLowerCase() === 'standard') {
      yield { messageId: 'tier', path: ['metadata', 'annotations', NETWORK_TIER] };
      return;
    }
    yield {
      messageId: 'missing', path: ['status', 'loadBalancer', 'ingress'],
      data: { ips: svc.lbIngressIPs.length > 0 ? svc.lbIngressIPs.join(', ') : 'none yet', access: internal ? 'internal' : 'external' },
    };
  },
});

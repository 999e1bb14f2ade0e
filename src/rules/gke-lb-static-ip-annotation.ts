import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { annotationPath, onGke } from './helpers-gke.ts';
import { L4_STATIC_IPS } from '../model/gke.ts';
import { parseIP } from '../emulate/ip.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'gke-lb-static-ip-annotation',
    title: 'GKE L4 static address annotation and loadBalancerIP mistakes for IPv6',
    category: 'services',
    severity: 'low',
    scope: ['Service'],
    rationale:
      'networking.gke.io/load-balancer-ip-addresses takes a comma-separated list of regional address names; ingress-gce reads only the first two, looks each up and uses it for the family of ' +
      'the reserved address, and silently skips a name it cannot find. spec.loadBalancerIP is used for IPv4 only: an IPv6 literal there is never used, and setting both raises a MixedStaticIP event. ' +
      'Each mistake leaves a family on an ephemeral address, or without the address that DNS and allow lists expect.',
    docs: {
      noFixedExample: 'The annotation names reserved address resources, which only the user can create.',
      notes: 'Sources: ingress-gce pkg/l4/annotations/l4_static_address.go (PR #2164: first 2 names, looked up, matched by IpVersion, not-found skipped) and pkg/l4/address/to_use.go (loadBalancerIP for IPv4 only, MixedStaticIP). Only Services on GKE are evaluated. The names\' families cannot be read offline, so a dual-stack Service naming a single address is info.',
    },
    fix: { summary: 'List one reserved regional address name per family (at most two) in networking.gke.io/load-balancer-ip-addresses and drop spec.loadBalancerIP.' },
    messages: {
      extra: 'networking.gke.io/load-balancer-ip-addresses lists {count} names but GKE reads only the first 2 ({ignored} ignored)',
      empty: 'networking.gke.io/load-balancer-ip-addresses has an empty name ({value}), so a family may get no reserved address',
      literal: 'networking.gke.io/load-balancer-ip-addresses takes address names, but {name} is an IP address, which GKE silently skips',
      ipv6LoadBalancerIP: 'spec.loadBalancerIP {ip} is IPv6, but GKE uses loadBalancerIP for IPv4 only, so the IPv6 frontend gets another address',
      mixed: 'spec.loadBalancerIP and networking.gke.io/load-balancer-ip-addresses are both set, which GKE refuses (MixedStaticIP)',
      oneFamily: 'The dual-stack Service names one static address ({name}), so the other family gets an ephemeral address (verify)',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/service.go', 'https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/l4_static_address.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/address/to_use.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !onGke(svc, model)) continue;
      if (svc.annotations[L4_STATIC_IPS] === undefined && svc.loadBalancerIP === undefined) continue;
      yield serviceTarget(svc);
    }
  },
  *check({ svc }): Generator<RuleReport> {
    const value = svc.annotations[L4_STATIC_IPS];
    const path = annotationPath(L4_STATIC_IPS);
    const lbip = svc.loadBalancerIP !== undefined ? parseIP(svc.loadBalancerIP.trim()) : undefined;
    if (lbip?.family === 'IPv6') yield { messageId: 'ipv6LoadBalancerIP', path: ['spec', 'loadBalancerIP'], data: { ip: svc.loadBalancerIP! } };
    if (value === undefined) return;
    if (svc.loadBalancerIP !== undefined) yield { messageId: 'mixed', path: ['spec', 'loadBalancerIP'] };
    const names = value.split(',').map((s) => s.trim());
    if (names.some((n) => n === '')) yield { messageId: 'empty', path, data: { value: JSON.stringify(value) } };
    const real = names.filter((n) => n !== '');
    const lit = real.find((n) => parseIP(n) !== undefined);
    if (lit) yield { messageId: 'literal', path, data: { name: lit } };
    if (real.length > 2) yield { messageId: 'extra', path, data: { count: real.length, ignored: real.slice(2).join(', ') } };
    const dual = (svc.effectiveWhenDual?.ipFamilies.length ?? 0) === 2;
    if (dual && real.length === 1 && !lit) yield { messageId: 'oneFamily', path, severity: 'info', data: { name: real[0]! } };
  },
});

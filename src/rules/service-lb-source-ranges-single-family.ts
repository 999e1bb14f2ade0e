import { defineRule, type RuleReport } from './types.ts';
import { familyList, serviceTarget, type ServiceTarget } from './helpers.ts';
import { parseCIDR } from '../emulate/ip.ts';
import { otherFamily, type Family } from '../model/types.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-lb-source-ranges-single-family',
    needsValue: true,
    title: 'LoadBalancer source ranges that cover only one family',
    category: 'services',
    severity: 'high',
    scope: ['Service'],
    rationale:
      'loadBalancerSourceRanges is split by family. kube-proxy (iptables and nftables) only installs the source filter for a family whose list is non-empty, ' +
      'and on GKE ingress-gce programs the firewall for a family without ranges with ::/0, so an IPv4-only allow list leaves the IPv6 frontend of a dual-stack ' +
      'LoadBalancer open to everyone. The restriction you wrote for IPv4 silently does not exist for IPv6.',
    docs: {
      noFixedExample: 'The ranges or addresses to add for the other family are the site\'s own, which only its operators know.',
      notes: 'High when the Service is dual-stack on the target cluster. A single-stack LoadBalancer with one-family ranges is reported at medium: the hole opens the moment it is made dual-stack, so add the ranges in the same change. The annotation service.beta.kubernetes.io/load-balancer-source-ranges is read when the field is empty, as the apiserver and cloud providers do. Sources: MapCIDRsByIPFamily in k8s:pkg/proxy, the iptables/nftables proxiers, and ingress-gce.',
    },
    fix: { summary: 'Add the IPv6 (or IPv4) ranges that correspond to the ones already listed, so that both frontends are filtered.' },
    messages: {
      whenDual: 'Source ranges in {from} list only {present} CIDRs, so once this Service is made dual-stack its {missing} frontend will not be filtered',
      unfiltered: 'Source ranges in {from} list only {present} CIDRs but the Service is {families}, so its {missing} frontend is not filtered',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/service.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/iptables/proxier.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/nftables/proxier.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/resources/l4ipv6.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/core/v1/types.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !svc.loadBalancerSourceRanges || !svc.effective) continue;
      // Single-stack today: judged at medium against the families it gets once made dual-stack.
      yield serviceTarget(svc, svc.effective.ipFamilies.length >= 2 ? 'high' : 'medium');
    }
  },
  *check({ svc }): Generator<RuleReport> {
    const ranges = svc.loadBalancerSourceRanges!;
    const present = new Set<Family>();
    for (const r of ranges.values) {
      const c = parseCIDR(r);
      if (c) present.add(c.family);
    }
    if (present.size === 0) return; // invalid values are service-ip-config-rejected's
    const dualNow = svc.effective!.ipFamilies.length >= 2;
    const families = dualNow ? svc.effective!.ipFamilies : ([...svc.effective!.ipFamilies, otherFamily(svc.effective!.ipFamilies[0]!)]);
    const missing = families.filter((f) => !present.has(f));
    if (missing.length === 0) return;
    yield {
      messageId: dualNow ? 'unfiltered' : 'whenDual',
      path: ranges.from === 'spec'
        ? ['spec', 'loadBalancerSourceRanges']
        : ['metadata', 'annotations', 'service.beta.kubernetes.io/load-balancer-source-ranges'],
      data: {
        from: ranges.from === 'spec' ? 'spec.loadBalancerSourceRanges' : 'the load-balancer-source-ranges annotation',
        present: [...present].join('/'), families: familyList(svc.effective!.ipFamilies), missing: missing.join('/'),
      },
    };
  },
});

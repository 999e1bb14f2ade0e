import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { liveRead } from '../model/live.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-endpoints-family-empty',
    title: 'Dual-stack Services with no ready endpoint in one family',
    category: 'services',
    severity: 'high',
    scope: ['Service', 'EndpointSlice'],
    rationale:
      'Each family of a dual-stack Service has its own EndpointSlices, filled only with pods that have an address of that family. When the selected pods are single-stack, ' +
      'the IPv6 slices are empty: the IPv6 cluster IP and the AAAA record exist, clients prefer them, and kube-proxy rejects every IPv6 connection while IPv4 works. ' +
      'This is the most common way a half-migrated cluster fails, and it is invisible in manifests.',
    docs: {
      noFixedExample: 'Endpoints follow the pods: the fix is on the nodes and the CNI, then the pods are recreated.',
      notes: 'Live only. A Service with no ready endpoint in any family is not reported (nothing serves it at all; that is not an IP family problem). ' +
        'Endpoints whose conditions.ready is unset count as ready, as kube-proxy reads them. Not evaluated when EndpointSlices could not be read.',
    },
    fix: { summary: 'Make the selected pods dual-stack (node pod CIDRs and the CNI\'s IPv6 pool, see node-single-stack and pod-single-stack) and recreate them; for a selectorless Service, create an EndpointSlice of the missing family.' },
    messages: {
      empty: 'Dual-stack Service has {ready} ready {have} endpoint(s) but none in {missing}, so its {missing} cluster IP and DNS record lead nowhere',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/discovery/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/api/discovery/v1/types.go', 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/endpointslice/utils.go'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Service') || !liveRead(model, 'EndpointSlice')) return;
    for (const svc of model.services) {
      if (svc.type === 'ExternalName' || !svc.effective || svc.effective.ipFamilies.length < 2) continue;
      yield serviceTarget(svc);
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    const slices = model.live!.slicesByService.get(`${svc.ref.namespace ?? 'default'}/${svc.ref.name}`) ?? [];
    const ready = svc.effective!.ipFamilies.map((f) => ({ f, n: slices.filter((s) => s.addressType === f).reduce((a, s) => a + s.ready, 0) }));
    const full = ready.filter((r) => r.n > 0);
    const empty = ready.filter((r) => r.n === 0);
    if (full.length === 0 || empty.length === 0) return;
    yield {
      messageId: 'empty',
      data: { ready: full.reduce((a, r) => a + r.n, 0), have: full.map((r) => r.f).join(' and '), missing: empty.map((r) => r.f).join(' and ') },
      path: ['spec', 'ipFamilies'],
    };
  },
});

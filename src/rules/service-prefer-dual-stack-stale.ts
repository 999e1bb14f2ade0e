import { defineRule, type RuleReport } from './types.ts';
import { familyList, serviceTarget, type ServiceTarget } from './helpers.ts';
import { liveRead } from '../model/live.ts';
import { otherFamily } from '../model/types.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-prefer-dual-stack-stale',
    fixable: 'suggestion',
    title: 'PreferDualStack Services the apiserver left single-stack',
    category: 'services',
    severity: 'medium',
    scope: ['Service'],
    rationale:
      'The apiserver decides a Service\'s families when it is created and does not revisit them when the cluster changes. A PreferDualStack Service created while the ' +
      'cluster had one Service family keeps that single family after the cluster becomes dual-stack: kubectl apply and strategic-merge patches keep the stored ' +
      'ipFamilies, so it has no IPv6 cluster IP, no AAAA record and no IPv6 EndpointSlices although its manifest asks for dual-stack. Manifests cannot show this; only the stored object does.',
    docs: {
      notes: 'Live only (the stored spec.ipFamilies). On a cluster that is still single-stack the finding is low: the Service will stay single-stack after the conversion unless it is edited. ' +
        'Adding the other family to spec.ipFamilies (kubectl patch) allocates the second cluster IP; a full PUT that omits ipFamilies also upgrades it.',
    },
    fix: { summary: 'Add the missing family to spec.ipFamilies (kubectl patch svc NAME --type=json -p \'[{"op":"add","path":"/spec/ipFamilies/-","value":"IPv6"}]\') so the apiserver allocates the second cluster IP.', byMessage: { stale: 'Add {missing} to spec.ipFamilies so the apiserver allocates the second cluster IP.', willStay: 'After the conversion, add {missing} to spec.ipFamilies.' } },
    messages: {
      stale: 'PreferDualStack Service has only {families}: the apiserver never upgrades an existing Service, so it has no {missing} cluster IP or AAAA record',
      willStay: 'PreferDualStack Service has only {families} and will keep it after the cluster becomes dual-stack: the apiserver never upgrades it',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/storage_test.go', 'https://github.com/kubernetes/kubernetes/blob/master/test/integration/dualstack/dualstack_test.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/alloc.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Service')) return;
    for (const svc of model.services) {
      if (svc.type === 'ExternalName' || svc.rejected.length > 0 || svc.declared.ipFamilyPolicy !== 'PreferDualStack' || !svc.effective) continue;
      yield serviceTarget(svc, model.clusterFamilies.families.length === 2 ? 'medium' : 'low');
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    const fams = svc.effective!.ipFamilies;
    if (fams.length !== 1) return;
    const missing = otherFamily(fams[0]!);
    const dual = model.clusterFamilies.families.length === 2;
    yield {
      messageId: dual ? 'stale' : 'willStay',
      data: { families: familyList(fams), missing },
      path: ['spec', 'ipFamilies'],
      suggest: [{ op: 'add', path: '/spec/ipFamilies/-', value: missing }],
    };
  },
});

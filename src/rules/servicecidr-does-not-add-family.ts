import { defineRule, type RuleReport } from './types.ts';
import { siteTarget, type SiteTarget } from './helpers-cluster.ts';
import { familyList } from './helpers.ts';
import type { ServiceCIDRObject } from '../model/cluster-config.ts';
import type { Family } from '../model/types.ts';

interface CidrObjTarget extends SiteTarget {
  readonly obj: ServiceCIDRObject;
}

export default defineRule<CidrObjTarget>({
  meta: {
    id: 'servicecidr-does-not-add-family',
    needsValue: true,
    title: 'ServiceCIDR objects that add a family the cluster does not have',
    category: 'cluster',
    severity: 'medium',
    scope: ['ServiceCIDR'],
    rationale:
      'Extra ServiceCIDR objects (KEP-1880) add address space to the families the cluster already has. They do not add a family: the allocators per family come from --service-cluster-ip-range, mirrored by the ServiceCIDR named kubernetes. ' +
      'An IPv6 ServiceCIDR on an IPv4-only cluster leaves RequireDualStack Services rejected and PreferDualStack Services single-stack, which is rarely what the author expected.',
    docs: {
      noFixedExample: 'The fix is a flag of the apiserver (--service-cluster-ip-range), not a field of this object.',
      notes: 'The cluster families are those of the kubernetes ServiceCIDR when the input has it, else the target cluster families (flag, inferred or default). Sources: k8s:pkg/registry/core/rest/storage_core.go.',
    },
    fix: { summary: 'Add the family to --service-cluster-ip-range (since 1.33 the kubernetes ServiceCIDR may gain the second family); then extra ServiceCIDRs of that family add space.' },
    messages: {
      noFamily: 'ServiceCIDR {name} adds {cidr} ({family}) but the Service families are {families} ({from}): it adds space, not a family, so no Service gets {family}',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/rest/storage_core.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/options/validation.go', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2438-dual-stack-apiserver/README.md', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1880-multiple-service-cidrs/kep.yaml', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/tasks/network/extend-service-ip-ranges.md', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1880-multiple-service-cidrs/README.md'],
  },
  *targets({ model }) {
    for (const obj of model.clusterConfig.serviceCIDRs) if (obj.name !== 'kubernetes') yield siteTarget(obj.site, { obj });
  },
  *check({ obj }, { model }): Generator<RuleReport> {
    const def = model.clusterConfig.serviceCIDRs.find((o) => o.name === 'kubernetes');
    const fams: readonly Family[] = def
      ? def.cidrs.map((f) => f.family).filter((f): f is Family => f !== undefined)
      : model.clusterFamilies.families;
    const from = def ? 'ServiceCIDR kubernetes' : `${model.clusterFamilies.from} cluster families`;
    for (const f of obj.cidrs) {
      if (!f.family || fams.includes(f.family)) continue;
      yield { messageId: 'noFamily', path: f.site.path, data: { name: obj.name, cidr: f.text, family: f.family, families: familyList(fams), from } };
    }
  },
});

import { defineRule, type RuleReport } from './types.ts';
import { siteTarget, where, type SiteTarget } from './helpers-cluster.ts';
import { familyList } from './helpers.ts';
import type { Component, FamilyClaim } from '../model/cluster-config.ts';

interface ClaimTarget extends SiteTarget {
  readonly claim: FamilyClaim;
}

const CHANGE: Partial<Record<Component, string>> = {
  kind: 'set networking.ipFamily: dual (kind then defaults to 10.244.0.0/16,fd00:10:244::/56 and 10.96.0.0/16,fd00:10:96::/112), or list one range of each family in podSubnet and serviceSubnet',
  kubeadm: 'set networking.serviceSubnet and networking.podSubnet to one range of each family, e.g. 10.96.0.0/16,fd12:3456:789a:1::/112 (the advertise address must be of the first family)',
  ServiceCIDR: 'add the second range to the apiserver\'s --service-cluster-ip-range; since 1.33 the kubernetes ServiceCIDR may also gain the second family in spec.cidrs',
  'kube-apiserver': 'give --service-cluster-ip-range a second range of the other family (and --cluster-cidr on the controller-manager)',
  'kube-controller-manager': 'give --service-cluster-ip-range a second range of the other family',
};

export default defineRule<ClaimTarget>({
  meta: {
    id: 'cluster-not-dual-stack',
    needsValue: true,
    title: 'Cluster configuration that makes a single-stack cluster',
    category: 'cluster',
    severity: 'high',
    scope: ['ServiceCIDR', 'ClusterConfiguration', 'Cluster', 'ConfigMap', 'Pod'],
    rationale:
      'A cluster hands out Service addresses only from the families of --service-cluster-ip-range (mirrored by the kubernetes ServiceCIDR, and set by kubeadm serviceSubnet or the kind networking settings). ' +
      'With one family there, no Service can get an address of the other family whatever its ipFamilyPolicy: PreferDualStack stays single and RequireDualStack is rejected. ' +
      'It is the first thing a dual-stack migration has to change, and pods need the second family in the pod ranges as well.',
    docs: {
      noFixedExample: 'The new range is a decision of the site\'s addressing plan, which the audit cannot make.',
      notes: 'Evaluated on every object that states the cluster\'s Service families: the ServiceCIDR named kubernetes, kube-apiserver static Pods, kubeadm ClusterConfiguration (also inside the kube-system/kubeadm-config ConfigMap, where kubeadm defaults serviceSubnet to 10.96.0.0/12), and kind Cluster configs (ipFamily defaults to ipv4). The default/kubernetes Service is always single-stack and is not evidence.',
    },
    fix: { summary: 'Configure one Service range and one pod range of each family (primary family first).', byMessage: { singleStack: '{change}.' } },
    messages: {
      singleStack: '{what} gives Services {families} only, so no Service can get an {missing} address',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/rest/storage_core.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/options/validation.go', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2438-dual-stack-apiserver/README.md', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/cluster-ip-allocation.md', 'https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go'],
  },
  *targets({ model }) {
    const seen = new Set<string>();
    for (const claim of model.clusterConfig.claims) {
      if (claim.about !== 'service' || claim.primaryOnly) continue;
      const key = `${claim.site.objectKey}|${claim.component}`;
      if (seen.has(key)) continue;
      seen.add(key);
      yield siteTarget(claim.site, { claim });
    }
  },
  *check({ claim }): Generator<RuleReport> {
    if (claim.families.length !== 1) return;
    const fam = claim.families[0]!;
    yield {
      messageId: 'singleStack',
      path: claim.site.path,
      data: {
        what: where(claim.site), families: familyList(claim.families), missing: fam === 'IPv4' ? 'IPv6' : 'IPv4',
        change: CHANGE[claim.component] ?? 'add a range of the other family',
      },
    };
  },
});

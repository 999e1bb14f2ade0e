import { defineRule, type RuleReport } from './types.ts';
import { elsewhere, referenceClaim, siteTarget, where, type SiteTarget } from './helpers-cluster.ts';
import { familyList } from './helpers.ts';
import type { FamilyClaim } from '../model/cluster-config.ts';

interface ClaimTarget extends SiteTarget {
  readonly claim: FamilyClaim;
}

export default defineRule<ClaimTarget>({
  meta: {
    id: 'cluster-family-config-mismatch',
    title: 'Cluster configuration objects that disagree about the IP families',
    category: 'cluster',
    severity: 'high',
    scope: ['ServiceCIDR', 'ClusterConfiguration', 'Cluster', 'ConfigMap', 'Pod', 'Service'],
    rationale:
      'The Service range, the pod range and the controller-manager\'s --cluster-cidr must list the same families in the same order. ' +
      'When one of them is single-stack, or the primary family differs, nodes get pod ranges of one family only, Services and pods disagree on the primary family, ' +
      'and the cluster is dual-stack on paper but not for traffic. Since node podCIDRs are immutable, nodes registered meanwhile must be re-created.',
    docs: {
      noFixedExample: 'Which range list is the intended one (families and order) is the user\'s decision, and the ranges sit in several objects and flags.',
      notes: 'Each statement of the Service or pod families is compared with the strongest statement of the Service families (ServiceCIDR kubernetes or the apiserver flag, then kubeadm or kind) of the same object or of another component: several kind configs (or several kubeadm files) in one input usually describe alternative clusters, so they are not compared with each other. The default/kubernetes Service only tells the primary family. A list of more than two ranges, or two of one family, is reported as critical (kubeadm, kind, the apiserver flag and the ServiceCIDR API all reject it). kube-proxy and CNI settings have their own rules (kube-proxy-cluster-cidr-single-family, cni-ipv6-disabled).',
    },
    fix: { summary: 'Make every range list the same families in the same order: Service range, pod range, controller-manager --cluster-cidr.' },
    messages: {
      invalidPair: '{what} lists {families}: a cluster takes one range or one of each family, so kubeadm, kind and the apiserver refuse it',
      families: '{what} gives {about} families {families} but {other} gives Service families {reference}, so one family is missing from part of the cluster',
      primary: '{what} makes {primary} the primary {about} family but {other} makes {refPrimary} primary, and the primary Service family cannot change later',
    },
    references: ['https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/rest/storage_core.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/options/validation.go', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2438-dual-stack-apiserver/README.md', 'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go'],
  },
  *targets({ model }) {
    for (const claim of model.clusterConfig.claims) yield siteTarget(claim.site, { claim });
  },
  *check({ claim }, { model }): Generator<RuleReport> {
    if (claim.families.length > 2 || new Set(claim.families).size !== claim.families.length) {
      yield { messageId: 'invalidPair', path: claim.site.path, severity: 'critical', data: { what: where(claim.site), families: familyList(claim.families) } };
      return;
    }
    const ref = referenceClaim(model, claim);
    if (!ref) return;
    const about = claim.about === 'service' ? 'Service' : 'pod';
    const base = { what: where(claim.site), about, other: elsewhere(ref.site) };
    const sameSet = claim.families.length === ref.families.length && claim.families.every((f) => ref.families.includes(f));
    if (!claim.primaryOnly && !sameSet) {
      yield { messageId: 'families', path: claim.site.path, data: { ...base, families: familyList(claim.families), reference: familyList(ref.families) } };
    } else if (claim.families[0] !== ref.families[0]) {
      yield { messageId: 'primary', path: claim.site.path, data: { ...base, primary: claim.families[0]!, refPrimary: ref.families[0]! } };
    }
  },
});

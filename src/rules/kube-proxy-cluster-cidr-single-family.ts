import { defineRule, type RuleReport } from './types.ts';
import { siteTarget, targetFamilies, where, type SiteTarget } from './helpers-cluster.ts';
import { familyList } from './helpers.ts';
import type { KubeProxySetting } from '../model/cluster-config.ts';
import type { Family } from '../model/types.ts';

interface ProxyTarget extends SiteTarget {
  readonly proxy: KubeProxySetting;
}

export default defineRule<ProxyTarget>({
  meta: {
    id: 'kube-proxy-cluster-cidr-single-family',
    needsValue: true,
    title: 'kube-proxy clusterCIDR with one family on a dual-stack cluster',
    category: 'cluster',
    severity: 'medium',
    scope: ['KubeProxyConfiguration', 'ConfigMap'],
    rationale:
      'With detectLocalMode ClusterCIDR (the default) kube-proxy tells pod traffic from external traffic by the clusterCIDR of each family. ' +
      'For a family missing from clusterCIDR it uses a no-op local detector, so traffic to Services is not masqueraded or short-circuited correctly for that family: ' +
      'external traffic policy and masquerading behave differently over IPv6 than over IPv4.',
    docs: {
      noFixedExample: 'The IPv6 pod range is a decision of the site\'s addressing plan, which the audit cannot make.',
      notes: 'Read from KubeProxyConfiguration documents and the kube-proxy ConfigMap (key config.conf). Reported when the target cluster families are dual-stack and detectLocalMode is ClusterCIDR or unset. The no-op detector behaviour (cmd/kube-proxy/app/server_linux.go) is not verified on every kube-proxy version (verify).',
    },
    fix: { summary: 'List the pod range of each family in clusterCIDR, in the cluster\'s family order.', byMessage: { single: 'Add the {missing} pod range to clusterCIDR, in the cluster\'s family order.' } },
    messages: {
      single: '{what} lists only {present} ({cidrs}) on a {families} cluster, so kube-proxy cannot tell local {missing} pod traffic from external (verify)',
    },
    references: ['https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kube-proxy/app/server_linux.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
  },
  *targets({ model }) {
    for (const proxy of model.clusterConfig.kubeProxy) yield siteTarget(proxy.site, { proxy });
  },
  *check({ proxy, site }, { model }): Generator<RuleReport> {
    const fams = targetFamilies(model);
    if (fams.length < 2) return;
    const mode = proxy.detectLocalMode ?? 'ClusterCIDR';
    if (mode !== 'ClusterCIDR' || proxy.clusterCIDRs.length === 0) return;
    const present = new Set(proxy.clusterCIDRs.map((f) => f.family).filter((f): f is Family => f !== undefined));
    if (present.size !== 1) return;
    const missing = fams.filter((f) => !present.has(f));
    yield {
      messageId: 'single',
      path: site.path,
      data: { what: where(site), present: [...present].join(''), cidrs: proxy.clusterCIDRs.map((f) => f.text).join(','), families: familyList(fams), missing: missing.join('/') },
    };
  },
});

import { defineRule, type RuleReport } from './types.ts';
import { siteTarget, targetFamilies, type SiteTarget } from './helpers-cluster.ts';
import { familyList } from './helpers.ts';
import type { CniSetting } from '../model/cluster-config.ts';

interface CniTarget extends SiteTarget {
  readonly cni: CniSetting;
}

const CHANGE: Readonly<Record<CniSetting['cni'], string>> = {
  calico: 'enable IPv6 in Calico (FELIX_IPV6SUPPORT "true", IP6 autodetect, an IPv6 IPPool or CALICO_IPV6POOL_CIDR, assign_ipv6 in the CNI IPAM config; with the operator an IPv6 entry in spec.calicoNetwork.ipPools)',
  cilium: 'set enable-ipv6: "true" in cilium-config (Helm ipv6.enabled=true) and give it an IPv6 pod range (cluster-pool-ipv6-cidr, or the cloud IPAM)',
  flannel: 'set "EnableIPv6": true and "IPv6Network" in net-conf.json',
};

export default defineRule<CniTarget>({
  meta: {
    id: 'cni-ipv6-disabled',
    title: 'CNI configuration that leaves pods without IPv6',
    category: 'cluster',
    severity: 'high',
    scope: ['DaemonSet', 'ConfigMap', 'Installation', 'FelixConfiguration', 'IPPool'],
    rationale:
      'Pods get their addresses from the CNI plugin, not from the Service or pod ranges of the cluster. ' +
      'If the plugin has IPv6 switched off, pods have no IPv6 address and dual-stack Services end up with no IPv6 endpoints, so IPv6 clients reach nothing even though the cluster looks dual-stack. ' +
      'Calico\'s default manifest sets FELIX_IPV6SUPPORT to false, Cilium defaults enable-ipv6 to false and flannel needs EnableIPv6.',
    docs: {
      noFixedExample: 'The IPv6 pod range is a decision of the site\'s addressing plan, and turning IPv6 on involves the CNI\'s rollout, not only this object.',
      notes: 'Reported while the target cluster families include IPv6 (the --cluster-families flag, the families inferred from the cluster configuration, or the dual-stack default). Reads calico-node env FELIX_IPV6SUPPORT and IP6, the calico-config CNI template (calico-ipam assign_ipv6), Calico IPPools (reported on the first pool when none is an enabled IPv6 pool and no IPv6 pool comes from calico-node or the operator), the operator Installation\'s ipPools, FelixConfiguration spec.ipv6Support, cilium-config enable-ipv6 and kube-flannel-cfg net-conf.json.',
    },
    fix: { summary: 'Turn IPv6 on in the CNI plugin and give it an IPv6 pod range that matches the cluster\'s pod CIDR.', byMessage: { disabled: '{change}.' } },
    messages: {
      disabled: '{what}: {detail}, so {cni} gives pods no IPv6 address and Services no IPv6 endpoints',
    },
    references: ['https://github.com/projectcalico/calico/blob/master/api/pkg/apis/projectcalico/v3/ippool.go', 'https://github.com/projectcalico/calico/blob/master/node/pkg/lifecycle/startup/startup.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/cilium/cilium/blob/main/install/kubernetes/cilium/templates/cilium-configmap.yaml'],
  },
  *targets({ model }) {
    for (const cni of model.clusterConfig.cni) yield siteTarget(cni.site, { cni });
  },
  *check({ cni }, { model }): Generator<RuleReport> {
    const fams = targetFamilies(model);
    if (cni.ipv6 || !fams.includes('IPv6')) return;
    yield {
      messageId: 'disabled',
      path: cni.site.path,
      data: { what: cni.site.object, detail: cni.detail, cni: cni.cni === 'calico' ? 'Calico' : cni.cni === 'cilium' ? 'Cilium' : 'flannel', families: familyList(fams), change: CHANGE[cni.cni] },
    };
  },
});

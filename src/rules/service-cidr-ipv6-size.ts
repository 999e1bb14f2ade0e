import { defineRule, type RuleReport } from './types.ts';
import { factTarget, where, type FactTarget } from './helpers-cluster.ts';

export default defineRule<FactTarget>({
  meta: {
    id: 'service-cidr-ipv6-size',
    title: 'IPv6 Service ranges too large for the apiserver or kubeadm, or larger than the allocator uses',
    category: 'addressing',
    severity: 'high',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'Pod'],
    rationale:
      'IPv6 Service ranges are usually written as generously as pod ranges, but the apiserver limits --service-cluster-ip-range to 20 host bits (IPv6 /108 or longer) unless MultiCIDRServiceAllocator is on (beta 1.31, GA 1.33), which allows 64 host bits (/64). ' +
      'kubeadm and kind enforce the 20-bit limit themselves, so a /64 serviceSubnet stops kubeadm init. The legacy bitmap allocator also uses only the first 65,536 addresses of an IPv6 range, so /108 to /111 waste most of the range.',
    docs: {
      noFixedExample: 'The new IPv6 Service range is a decision of the site\'s addressing plan, and a Service range cannot be resized in place.',
      notes: 'Prefixes shorter than /64 are rejected everywhere (critical). /64 to /107: critical for kubeadm and kind (MaximumBitsForServiceSubnet = 20), high for the apiserver flag (accepted only with MultiCIDRServiceAllocator, verify your version); ServiceCIDR objects exist only with that allocator and pass. /108 to /111 on kubeadm, kind or the flag: info, only 65,536 addresses are used. Sources: k8s:pkg/controlplane/apiserver/options/validation.go, k8s:pkg/registry/core/service/ipallocator/bitmap.go, k8s:cmd/kubeadm/app/constants/constants.go.',
    },
    fix: { summary: 'Use an IPv6 Service range of /112 (65,536 addresses) for kubeadm, kind and the legacy allocator, or /108 to /64 only with MultiCIDRServiceAllocator.' },
    messages: {
      tooLarge: '{what} {cidr} has {bits} host bits, over the 64 the apiserver accepts even with MultiCIDRServiceAllocator, so the control plane does not start',
      kubeadmLimit: '{what} {cidr} has {bits} host bits but kubeadm and kind allow at most 20 ("the mask must be >= 108"), so cluster creation fails',
      flagLimit: '{what} {cidr} has {bits} host bits, and the apiserver accepts more than 20 only with MultiCIDRServiceAllocator (GA in 1.33, verify)',
      bitmapCap: '{what} {cidr} has {bits} host bits but the bitmap allocator uses only the first 65,536 addresses of an IPv6 range',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/options/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/bitmap.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/cluster-ip-allocation.md', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/constants/constants.go'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (f.cidr && f.family === 'IPv6' && f.role === 'service') yield factTarget(f);
  },
  *check({ fact }): Generator<RuleReport> {
    const prefix = fact.cidr!.prefix;
    const bits = 128 - prefix;
    const data = { what: where(fact.site), cidr: fact.text, bits };
    const serviceCIDR = fact.component === 'ServiceCIDR';
    if (prefix < 64) yield { messageId: 'tooLarge', path: fact.site.path, severity: 'critical', data };
    else if (serviceCIDR) return;
    else if (prefix < 108) {
      if (fact.component === 'kubeadm' || fact.component === 'kind') yield { messageId: 'kubeadmLimit', path: fact.site.path, severity: 'critical', data };
      else yield { messageId: 'flagLimit', path: fact.site.path, severity: 'high', data };
    } else if (prefix < 112) yield { messageId: 'bitmapCap', path: fact.site.path, severity: 'info', data };
  },
});

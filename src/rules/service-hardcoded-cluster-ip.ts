import { defineRule, type RuleReport } from './types.ts';
import { familyList, serviceTarget, type ServiceTarget } from './helpers.ts';
import { parseIP } from '../emulate/ip.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-hardcoded-cluster-ip',
    fixable: 'suggestion',
    title: 'Hard-coded cluster IPs',
    category: 'services',
    severity: 'medium',
    scope: ['Service'],
    manifestOnly: true,
    rationale:
      'A cluster IP written into a manifest must lie inside the Service CIDR of its family, and once set it can never change: ' +
      'the primary family of the Service is fixed by it. During a dual-stack migration Service CIDRs are added or renumbered, ' +
      'and a hard-coded address in the wrong family, in a documentation range, or outside the new range makes the manifest fail to apply.',
    docs: {
      notes: 'Headless Services (clusterIP: None) are not reported. Well-known fixed addresses (the cluster DNS Service that kubelet\'s clusterDNS points at) are a legitimate reason to keep one: suppress the finding with a reason. When the target Service CIDRs are known (kubeadm, ServiceCIDR objects), addresses outside them are reported by the addressing rules.',
    },
    fix: { summary: 'Remove spec.clusterIP and spec.clusterIPs and let the apiserver allocate one address per family.' },
    messages: {
      hardcoded: 'clusterIP {ips} is hard-coded: it must stay in the {family} Service CIDR and pins the primary family ({families} on the target)',
      documentation: 'clusterIP {ip} is in a documentation range ({family}), copied from an example, and no cluster allocates it',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/strategy.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/alloc.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'ExternalName' && !svc.headless && svc.rejected.length === 0) yield serviceTarget(svc);
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    const ips = svc.clusterIPs.filter((ip) => ip !== '' && ip !== 'None');
    if (ips.length === 0) return;
    const field = svc.declared.clusterIPs !== undefined ? 'clusterIPs' : 'clusterIP';
    for (const [i, ip] of ips.entries()) {
      const p = parseIP(ip);
      if (p?.range === 'documentation') {
        yield {
          messageId: 'documentation', severity: 'high', path: field === 'clusterIPs' ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP'],
          data: { ip, family: p.family },
        };
      }
    }
    const first = parseIP(ips[0]!);
    yield {
      messageId: 'hardcoded', path: ['spec', field],
      data: { ips: ips.join(', '), family: first?.family ?? 'IPv4', families: familyList(svc.effective?.ipFamilies ?? model.clusterFamilies.families) },
      suggest: [{ op: 'remove', path: '/spec/clusterIP' }, ...(svc.declared.clusterIPs !== undefined ? [{ op: 'remove' as const, path: '/spec/clusterIPs' }] : [])],
    };
  },
});

import { defineRule, type RuleReport } from './types.ts';
import { listText, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';
import { parseIP } from '../emulate/ip.ts';
import { otherFamily, type Family } from '../model/types.ts';

/** MaxDNSNameservers in k8s:pkg/apis/core/validation/validation.go. */
const MAX_NAMESERVERS = 3;

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'pod-dns-config-single-family',
    needsValue: true,
    title: 'dnsConfig nameservers of one family, or too many',
    category: 'workloads',
    severity: 'low',
    scope: WORKLOAD_KINDS,
    rationale:
      'dnsConfig.nameservers are written into the pod\'s resolv.conf. Nameservers of only one family work for a dual-stack pod, but an IPv6-only pod cannot reach IPv4 ones ' +
      '(and the reverse); with dnsPolicy None they are the pod\'s only resolvers and bypass cluster DNS and what it does for both families. ' +
      'The apiserver rejects a pod with more than 3 nameservers or with one that is not an IP address.',
    docs: {
      noFixedExample: 'The IPv6 resolver addresses are the site\'s own, which only its operators know.',
      notes: 'With dnsPolicy ClusterFirst the kubelet merges these nameservers after the cluster DNS address and the 3-entry limit of resolv.conf still applies; with None they are the only resolvers. Validation: validateDNSConfig in k8s:pkg/apis/core/validation/validation.go (at most 3, each a valid IP).',
    },
    fix: { summary: 'List nameservers of both families (at most 3 in all), or use cluster DNS (dnsPolicy ClusterFirst without dnsConfig.nameservers).' },
    messages: {
      singleFamily: 'dnsConfig.nameservers are all {family} ({servers}){only}: an {missing}-only pod cannot reach them',
      tooMany: 'dnsConfig.nameservers lists {count} entries but the apiserver allows at most 3, so it rejects the pod',
      invalid: 'dnsConfig nameserver {value} is not a valid IP address, so the apiserver rejects the pod',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dns-pod-service.md'],
  },
  *targets({ model }) {
    for (const w of model.workloads) if (w.nameservers.length > 0) yield workloadTarget(w);
  },
  *check({ w }): Generator<RuleReport> {
    if (w.nameservers.length > MAX_NAMESERVERS) {
      yield { messageId: 'tooMany', path: w.nameserversPath, data: { count: w.nameservers.length }, severity: 'critical' };
    }
    const families = new Set<Family>();
    let invalid = false;
    for (const ns of w.nameservers) {
      const p = parseIP(ns.value.trim() === ns.value ? ns.value : '');
      if (!p) {
        invalid = true;
        yield { messageId: 'invalid', path: ns.path, data: { value: JSON.stringify(ns.value) }, severity: 'critical' };
      } else families.add(p.family);
    }
    if (invalid || families.size !== 1) return;
    const family = [...families][0]!;
    yield {
      messageId: 'singleFamily', path: w.nameserversPath,
      data: {
        family, missing: otherFamily(family), servers: listText(w.nameservers.map((n) => n.value)),
        only: w.dnsPolicy?.value === 'None' ? ' and, with dnsPolicy None, the only resolvers' : '',
      },
    };
  },
});

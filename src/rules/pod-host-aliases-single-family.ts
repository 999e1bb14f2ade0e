import { defineRule, type RuleReport } from './types.ts';
import { listText, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';
import { parseIP } from '../emulate/ip.ts';
import { otherFamily, type Family } from '../model/types.ts';

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'pod-host-aliases-single-family',
    needsValue: true,
    title: 'hostAliases that give a name only one family',
    category: 'workloads',
    severity: 'low',
    scope: WORKLOAD_KINDS,
    rationale:
      'The kubelet writes hostAliases into the pod\'s /etc/hosts, which glibc and musl read before DNS. A name aliased only to an IPv4 address never resolves to IPv6 inside the pod ' +
      '(and one aliased only to IPv6 never resolves to IPv4), whatever DNS would have answered, so the pod reaches it over one family only. ' +
      'An ip that is not a valid IP address makes the apiserver reject the pod.',
    docs: {
      noFixedExample: 'The other family\'s address of the host is the site\'s own, which only its operators know.',
      notes: 'Families are counted per hostname across all entries. Loopback aliases (127.0.0.1, ::1) are not reported: every pod has both loopback addresses. The apiserver validates each ip as an IP address (ValidateHostAliases in k8s:pkg/apis/core/validation/validation.go).',
    },
    fix: { summary: 'Add an entry with the other family\'s address for the same hostnames, or drop the alias and let DNS answer with both families.' },
    messages: {
      singleFamily: 'hostAliases maps {hostnames} only to {family} address {ip}, and /etc/hosts wins over DNS, so these names never resolve to {missing} in this pod',
      invalid: 'hostAliases ip {ip} is not a valid IP address, so the apiserver rejects the pod',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/tasks/network/customize-hosts-file-for-pods.md', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kubelet_pods.go'],
  },
  *targets({ model }) {
    for (const w of model.workloads) if (w.hostAliases.length > 0) yield workloadTarget(w);
  },
  *check({ w }): Generator<RuleReport> {
    const families = new Map<string, Set<Family>>();
    const parsed = w.hostAliases.map((h) => (h.ip !== undefined ? parseIP(h.ip) : undefined));
    w.hostAliases.forEach((h, i) => {
      const p = parsed[i];
      if (!p) return;
      for (const n of h.hostnames) {
        const s = families.get(n) ?? new Set<Family>();
        s.add(p.family);
        families.set(n, s);
      }
    });
    for (const [i, h] of w.hostAliases.entries()) {
      const p = parsed[i];
      if (!p) {
        yield { messageId: 'invalid', path: [...h.path, 'ip'], data: { ip: JSON.stringify(h.ip ?? '') }, severity: 'critical' };
        continue;
      }
      if (p.range === 'loopback') continue;
      const missing = otherFamily(p.family);
      const names = h.hostnames.filter((n) => !families.get(n)?.has(missing));
      if (names.length === 0) continue;
      yield { messageId: 'singleFamily', path: [...h.path, 'ip'], data: { hostnames: listText(names), family: p.family, ip: h.ip!, missing } };
    }
  },
});

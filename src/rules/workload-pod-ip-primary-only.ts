import { defineRule, type RuleReport } from './types.ts';
import { containerLabel, containerText, listText, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS, type Container } from '../model/workloads.ts';

/** $(NAME_SERVICE_HOST): a service-link variable expanded by the kubelet. */
const SERVICE_HOST = /\$\(([A-Z][A-Z0-9_]*)_SERVICE_HOST\)/;

const PLURAL: Readonly<Record<string, string>> = { 'status.podIP': 'status.podIPs', 'status.hostIP': 'status.hostIPs' };

/** Command and args elements that expand $(NAME). */
function usesOf(c: Container, name: string): string[] {
  const ref = `$(${name})`;
  return [...c.command, ...c.args].filter((f) => f.value.includes(ref)).map((f) => (f.value.length > 50 ? `${f.value.slice(0, 50)}…` : f.value));
}

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'workload-pod-ip-primary-only',
    title: 'Env vars that carry only the primary-family address',
    category: 'workloads',
    severity: 'low',
    scope: WORKLOAD_KINDS,
    rationale:
      'The downward API field status.podIP is the pod\'s primary IP only (status.podIPs[0]); status.hostIP likewise is the node\'s primary address. ' +
      'A program that binds, advertises or registers that value (a gossip or cluster address, a listen address, a Service registry entry) is reachable in one family only, ' +
      'even when the pod is dual-stack. status.podIPs and status.hostIPs hold the addresses of both families, comma-separated. ' +
      'The service-link variables {SVC}_SERVICE_HOST (enableServiceLinks, on by default) likewise hold only the Service\'s primary cluster IP.',
    docs: {
      noFixedExample: 'Whether the program accepts a list of addresses is known only to its authors.',
      notes: 'Downward API support for status.podIPs is not verified on every Kubernetes version, so the fix says so (verify); status.hostIPs comes from KEP-2681 (Kubernetes 1.28+). A container that also receives status.podIPs (or status.hostIPs) is taken to handle both families and passes. When command or args expand the variable with $(NAME), the message quotes them. References to the service-link variables $(X_SERVICE_HOST) in command, args or env values are reported too.',
    },
    fix: { summary: 'Feed the program status.podIPs (or status.hostIPs), which lists both families comma-separated, and let it bind or advertise every address; where it takes a single address, prefer a wildcard listener and DNS names.', byMessage: { serviceHost: 'Use its DNS name {service}, which resolves to both families.', primaryOnly: 'Use {plural} (both families, comma-separated; verify that your Kubernetes version serves it through the downward API).' } },
    messages: {
      serviceHost: '{where} uses $({variable}), only the primary-family cluster IP of Service {service}{bracket}',
      primaryOnly: 'env {name} of {container} gets {field}, the primary-family address only, so what it binds or advertises has one family{uses}',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/envvars/envvars.go', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2681-pod-host-ip', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/workloads/pods/downward-api.md'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (w.containers.some((c) => c.env.some((e) => e.fieldRef && e.fieldRef.value.startsWith('status.'))) ||
        [...containerText(w)].some((f) => f.text.includes('_SERVICE_HOST)'))) yield workloadTarget(w);
    }
  },
  *check({ w }): Generator<RuleReport> {
    for (const f of containerText(w)) {
      const m = SERVICE_HOST.exec(f.text);
      if (!m) continue;
      const service = m[1]!.toLowerCase().replace(/_/g, '-');
      const bracket = f.text[m.index + m[0].length] === ':' && f.text[m.index - 1] !== '['
        ? ', and the ":port" after it is not bracketed, so an IPv6 primary address breaks it'
        : '';
      yield { messageId: 'serviceHost', path: f.path, data: { where: f.where, variable: `${m[1]}_SERVICE_HOST`, service, bracket } };
    }
    for (const c of w.containers) {
      const fields = new Set(c.env.flatMap((e) => (e.fieldRef ? [e.fieldRef.value] : [])));
      for (const e of c.env) {
        const field = e.fieldRef?.value;
        if (field === undefined || !(field in PLURAL)) continue;
        const plural = PLURAL[field]!;
        if (fields.has(plural)) continue;
        const uses = usesOf(c, e.name);
        yield {
          messageId: 'primaryOnly', path: e.fieldRef!.path,
          data: { name: e.name, container: containerLabel(c), field, plural, uses: uses.length > 0 ? ` (used in ${listText(uses, 2)})` : '' },
        };
      }
    }
  },
});

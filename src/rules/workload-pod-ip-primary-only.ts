import { defineRule, type RuleReport } from './types.ts';
import { containerLabel, listText, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS, type Container } from '../model/workloads.ts';

const PLURAL: Readonly<Record<string, string>> = { 'status.podIP': 'status.podIPs', 'status.hostIP': 'status.hostIPs' };

/** Command and args elements that expand $(NAME). */
function usesOf(c: Container, name: string): string[] {
  const ref = `$(${name})`;
  return [...c.command, ...c.args].filter((f) => f.value.includes(ref)).map((f) => (f.value.length > 50 ? `${f.value.slice(0, 50)}…` : f.value));
}

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'workload-pod-ip-primary-only',
    title: 'Env vars fed only the primary pod IP',
    category: 'workloads',
    severity: 'low',
    scope: WORKLOAD_KINDS,
    rationale:
      'The downward API field status.podIP is the pod\'s primary IP only (status.podIPs[0]); status.hostIP likewise is the node\'s primary address. ' +
      'A program that binds, advertises or registers that value (a gossip or cluster address, a listen address, a Service registry entry) is reachable in one family only, ' +
      'even when the pod is dual-stack. status.podIPs and status.hostIPs hold the addresses of both families, comma-separated.',
    docs: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: member
spec:
  selector: {matchLabels: {app: member}}
  template:
    metadata: {labels: {app: member}}
    spec:
      containers:
      - name: member
        image: example/member:1
        env:
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: member
spec:
  selector: {matchLabels: {app: member}}
  template:
    metadata: {labels: {app: member}}
    spec:
      containers:
      - name: member
        image: example/member:1
        env:
        - name: POD_IPS
          valueFrom:
            fieldRef:
              fieldPath: status.podIPs`,
      notes: 'SEMANTICS.md c marks the downward API support for status.podIPs as verify, so the message says so; status.hostIPs comes from KEP-2681 (Kubernetes 1.28+). A container that also receives status.podIPs (or status.hostIPs) is taken to handle both families and passes. When command or args expand the variable with $(NAME), the message quotes them.',
    },
    fix: { summary: 'Feed the program status.podIPs (or status.hostIPs), which lists both families comma-separated, and let it bind or advertise every address; where it takes a single address, prefer a wildcard listener and DNS names.' },
    messages: {
      primaryOnly: 'env {name} of {container} gets {field}, the primary-family address only, so whatever it binds or advertises is reachable in one family{uses}; use {plural} (both families, comma-separated; verify that your Kubernetes version serves it through the downward API)',
    },
    references: ['SEMANTICS.md c (Pod status.podIPs)', 'kep:2681-pod-host-ip', 'web:concepts/services-networking/dual-stack.md', 'k8s:pkg/apis/core/validation/validation.go'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (w.containers.some((c) => c.env.some((e) => e.fieldRef && e.fieldRef.value.startsWith('status.')))) yield workloadTarget(w);
    }
  },
  *check({ w }): Generator<RuleReport> {
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

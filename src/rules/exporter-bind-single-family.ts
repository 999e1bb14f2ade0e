import { defineRule, type RuleReport, type Target } from './types.ts';
import {
  containerLabel, lineInText, usedConfigMaps, usedKeys, usersText, workloadTarget, type ConfigMapTarget, type WorkloadTarget,
} from './helpers-workloads.ts';
import type { Workload } from '../model/workloads.ts';

type T = (WorkloadTarget & { readonly cmt?: undefined }) | (Target & { readonly w?: undefined; readonly cmt: ConfigMapTarget });

const IP_FIELDS = new Set(['status.podIP', 'status.hostIP']);
/** A listen/bind flag whose value is one downward-API IP: --secure-listen-address=[$(IP)]:9100, --web.listen-address=$(POD_IP):9100, --host=$(POD_IP). */
const BIND_FLAG = /^--?([\w.-]*(listen|bind)[\w.-]*|host|address)=\[?\$\(([A-Za-z_][A-Za-z0-9_]*)\)\]?(:\d+)?$/;
const MONITORING = /(hubble|grafana|prometheus|alertmanager|exporter|metrics|monitor|observab|kibana|jaeger|dashboard|dpv2)/i;

function* ipBinds(w: Workload): Generator<{ path: readonly (string | number)[]; text: string; v: string; field: string; c: string }> {
  for (const c of w.containers) {
    const vars = new Map(c.env.filter((e) => e.fieldRef && IP_FIELDS.has(e.fieldRef.value)).map((e) => [e.name, e.fieldRef!.value]));
    if (vars.size === 0) continue;
    for (const f of [...c.command, ...c.args]) {
      const m = BIND_FLAG.exec(f.value.trim());
      if (m && vars.has(m[3]!)) yield { path: f.path, text: f.value, v: m[3]!, field: vars.get(m[3]!)!, c: containerLabel(c) };
    }
  }
}

/** nginx `listen <port>;` lines (IPv4 only in nginx) in a text that has no `listen [::]...`. */
function nginxIPv4Listens(text: string): { index: number; line: string }[] {
  if (!/(^|\n)\s*server\s*\{/.test(text) || /(^|\n)\s*listen\s+\[::\]/.test(text)) return [];
  const out: { index: number; line: string }[] = [];
  const re = /(^|\n)([ \t]*listen\s+(\d+)(\s[^;\n]*)?;)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ index: m.index + m[1]!.length, line: m[2]!.trim() });
  return out;
}

export default defineRule<T>({
  meta: {
    id: 'exporter-bind-single-family',
    title: 'Metrics and monitoring servers that listen on one address family',
    category: 'observability',
    severity: 'medium',
    scope: ['Deployment', 'DaemonSet', 'StatefulSet', 'Pod', 'ConfigMap'],
    foldsInto: [{ rule: 'workload-ipv4-wildcard-bind', samePath: true }],
    rationale:
      'A server bound to $(POD_IP) or $(HOST_IP) from the downward API listens on the primary address only (status.podIP is the primary family), as kube-prometheus\'s node-exporter does with ' +
      '--secure-listen-address=[$(IP)]:9100. On a dual-stack cluster, EndpointSlice discovery and IPv6 clients reach the pod on its other address and are refused, so one target per pod fails. ' +
      'nginx "listen 8081;" listens on IPv4 only (it needs "listen [::]:8081;" too), which is how GKE\'s published Hubble UI manifests ship.',
    docs: {
      noFixedExample: 'The bind address sits inside a flag or a configuration text, which a JSON Patch cannot edit in place.',
      notes: 'Container flags named *listen*, *bind*, --host or --address whose whole value is one downward-API IP (status.podIP, status.hostIP) with an optional port: medium when a Service of the input that selects the pod is dual-stack on the target cluster, else low. nginx configurations in ConfigMaps that monitoring pods read (names or namespaces with hubble, grafana, prometheus, exporter, metrics, monitoring, ...): every port-only listen line when no listen [::] line exists; low for Hubble UI. 0.0.0.0 binds are workload-ipv4-wildcard-bind\'s and IPv4 literals workload-ipv4-literal\'s. Sources: kube-prometheus manifests/nodeExporter-daemonset.yaml, kubernetes-engine-samples networking/dpv2-observability/hubble-ui-*.yaml',
    },
    fix: { summary: 'Bind the wildcard (":9100" or "[::]:9100", which takes both families on Linux) and restrict access with NetworkPolicy or kube-rbac-proxy instead of the bind address; in nginx add "listen [::]:PORT;" next to "listen PORT;".', byMessage: { nginx: 'Add "listen [::]:{port};" next to "{listen}".' } },
    messages: {
      ipBind: '{container} listens on $({v}) ({text}), {field}: the primary address only, so the other family is refused',
      nginx: 'ConfigMap key {key} has nginx "{listen}" (line {line}) and no "listen [::]" line, so {users} serves IPv4 only',
    },
    references: ['https://github.com/prometheus-operator/kube-prometheus/blob/main/manifests/nodeExporter-daemonset.yaml', 'https://github.com/GoogleCloudPlatform/kubernetes-engine-samples/blob/main/networking/dpv2-observability/hubble-ui-std.yaml', 'https://pkg.go.dev/net#Listen', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/workloads/pods/downward-api.md'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (!w.containers.some((c) => c.env.some((e) => e.fieldRef && IP_FIELDS.has(e.fieldRef.value)))) continue;
      const dual = w.selectedBy.some((s) => s.families.length === 2);
      yield workloadTarget(w, dual ? 'medium' : 'low');
    }
    for (const cmt of usedConfigMaps(model)) {
      const ctx = [cmt.cm.ref.name, cmt.cm.ref.namespace ?? '', ...cmt.users];
      if (!ctx.some((s) => MONITORING.test(s))) continue;
      if (!usedKeys(cmt).some((k) => cmt.cm.data[k]!.includes('server') && /(^|\n)\s*server\s*\{/.test(cmt.cm.data[k]!))) continue;
      const hubble = ctx.some((s) => /hubble/i.test(s));
      yield { ref: cmt.ref, ...(cmt.source ? { source: cmt.source } : {}), ...(cmt.annotations ? { annotations: cmt.annotations } : {}), ...(hubble ? { severity: 'low' as const } : {}), cmt };
    }
  },
  *check(t): Generator<RuleReport> {
    if (t.w) {
      for (const b of ipBinds(t.w)) yield { messageId: 'ipBind', path: b.path, data: { container: b.c, v: b.v, text: b.text, field: b.field } };
      return;
    }
    const cmt = t.cmt!;
    for (const key of usedKeys(cmt)) {
      const text = cmt.cm.data[key]!;
      for (const l of nginxIPv4Listens(text)) {
        const line = lineInText(text, l.index);
        yield {
          messageId: 'nginx', path: ['data', key], textLine: line,
          data: { key, listen: l.line, line, users: usersText(cmt.users), port: /listen\s+(\d+)/.exec(l.line)![1]! },
        };
      }
    }
  },
});

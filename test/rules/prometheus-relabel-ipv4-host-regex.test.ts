import rule from '../../src/rules/prometheus-relabel-ipv4-host-regex.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { addr, promJob } from '../helpers/prometheus.ts';

const IPV4_HOST = '([^:]+)(?::\\d+)?;(\\d+)';
const V6 = '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})';
const V4 = '(\\d+);((([0-9]+?)(\\.|$)){4})';
const POD_PORT = '__meta_kubernetes_pod_annotation_prometheus_io_port';
const prom = 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  additionalScrapeConfigs: {name: extra, key: jobs.yaml}\n';
const secret = `apiVersion: v1
kind: Secret
metadata:
  name: extra
  namespace: monitoring
stringData:
  jobs.yaml: |
    - job_name: pods
      kubernetes_sd_configs:
      - role: pod
      relabel_configs:
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        regex: ([^:]+)(?::\\d+)?;(\\d+)
        replacement: $1:$2
        target_label: __address__
`;

ruleTester(rule, {
  valid: [
    { name: 'lazy regex on endpoints (bracketed IPv6 keeps its host)', yaml: promJob('endpoints', addr('__address__, __meta_kubernetes_service_annotation_prometheus_io_port', '(.+?)(?::\\d+)?;(\\d+)', '$1:$2')) },
    { name: 'two-rule IPv4/IPv6 pattern', yaml: promJob('pod', `${addr(`${POD_PORT}, __meta_kubernetes_pod_ip`, V6, '[$2]:$1')}\n${addr(`${POD_PORT}, __meta_kubernetes_pod_ip`, V4, '$2:$1')}`) },
    { name: 'no __address__ rewrite', yaml: promJob('pod', '- source_labels: [__meta_kubernetes_namespace]\n  target_label: namespace') },
    { name: 'static job without discovery', yaml: promJob('pod', '- action: labelmap\n  regex: __meta_kubernetes_pod_label_(.+)') },
    { name: 'corpus: istio addons prometheus (two-rule pattern, lazy endpoints rewrite)', yaml: fixture('corpus/istio/samples/addons/prometheus.yaml') },
  ],
  invalid: [
    { name: 'the classic [^:]+ regex on pods is a no-op for IPv6', yaml: promJob('pod', addr(`__address__, ${POD_PORT}`, IPV4_HOST, '$1:$2')),
      findings: [{ messageId: 'noop', line: 12, severity: 'low', includes: '[2001:db8::5]:8080' }] },
    { name: 'endpointslice role: IPv6 targets exist on a dual-stack cluster (medium)', yaml: promJob('endpointslice', addr('__address__, __meta_kubernetes_service_annotation_prometheus_io_port', IPV4_HOST, '$1:$2')),
      findings: [{ messageId: 'noop', line: 12, severity: 'medium' }] },
    { name: 'IPv6-primary cluster: high', yaml: promJob('pod', addr(`__address__, ${POD_PORT}`, IPV4_HOST, '$1:$2')), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'noop', line: 12, severity: 'high' }] },
    { name: 'a regex that cuts the bracketed host', yaml: promJob('endpoints', addr('__address__, __meta_kubernetes_service_annotation_prometheus_io_port', '([^:\\]]+).*;(\\d+)', '$1:$2')),
      findings: [{ messageId: 'mangled', line: 12, includes: 'into [2001:9102' }] },
    { name: 'additionalScrapeConfigs Secret not in the input: info, not evaluated', yaml: prom,
      findings: [{ messageId: 'additionalNotEvaluated', line: 7, severity: 'info', includes: 'monitoring/extra' }] },
    { name: 'additionalScrapeConfigs read from the Secret in the input', yaml: `${prom}---\n${secret}`,
      findings: [{ messageId: 'noop', line: 20, resource: 'Secret/monitoring/extra', severity: 'low' }] },
    { name: 'ServiceMonitor relabeling (camelCase)', yaml: `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  endpoints:
  - port: metrics
    relabelings:
    - sourceLabels: [__address__, __meta_kubernetes_service_annotation_prometheus_io_port]
      regex: ([^:]+)(?::\\d+)?;(\\d+)
      replacement: $1:$2
      targetLabel: __address__
`, findings: [{ messageId: 'noop', line: 10, resource: 'ServiceMonitor/default/web' }] },
  ],
});

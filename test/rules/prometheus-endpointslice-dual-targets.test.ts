import rule from '../../src/rules/prometheus-endpointslice-dual-targets.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { promJob } from '../helpers/prometheus.ts';

const kp = `${fixture('corpus/kube-prometheus/manifests/prometheus-prometheus.yaml')}---\n${fixture('corpus/kube-prometheus/manifests/nodeExporter-serviceMonitor.yaml')}`;
const nodeExporterSvc = (policy: string): string => `---
apiVersion: v1
kind: Service
metadata:
  name: node-exporter
  namespace: monitoring
  labels:
    app.kubernetes.io/component: exporter
    app.kubernetes.io/name: node-exporter
    app.kubernetes.io/part-of: kube-prometheus
spec:
  clusterIP: None
${policy}  selector: {app.kubernetes.io/name: node-exporter}
  ports: [{name: https, port: 9100}]
`;
const dualSvc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: web}\n';

ruleTester(rule, {
  valid: [
    { name: 'corpus: kube-prometheus (EndpointSlice) with its single-stack node-exporter Service', yaml: `${kp}${nodeExporterSvc('')}` },
    { name: 'endpoints role', yaml: `${promJob('endpoints', '- action: keep\n  source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scrape]\n  regex: "true"')}---\n${dualSvc}` },
    { name: 'address type kept', yaml: `${promJob('endpointslice', '- action: keep\n  source_labels: [__meta_kubernetes_endpointslice_address_type]\n  regex: IPv4')}---\n${dualSvc}` },
  ],
  invalid: [
    { name: 'corpus: kube-prometheus with node-exporter made dual-stack', yaml: `${kp}${nodeExporterSvc('  ipFamilyPolicy: PreferDualStack\n')}`,
      findings: [{ messageId: 'dual', line: 65, resource: 'ServiceMonitor/monitoring/node-exporter', includes: 'Service/monitoring/node-exporter' }] },
    { name: 'prometheus.yml endpointslice job', yaml: `${promJob('endpointslice', '- action: keep\n  source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scrape]\n  regex: "true"')}---\n${dualSvc}`,
      findings: [{ messageId: 'dual', line: 8, includes: 'job "pods"' }] },
  ],
});

import rule from '../../src/rules/prometheus-unbracketed-ipv6-join.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { addr, promJob } from '../helpers/prometheus.ts';

const V6 = '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})';
const V4 = '(\\d+);((([0-9]+?)(\\.|$)){4})';
const POD_PORT = '__meta_kubernetes_pod_annotation_prometheus_io_port';

const deploy = (arg: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: alertmanager
spec:
  selector: {matchLabels: {app: am}}
  template:
    metadata: {labels: {app: am}}
    spec:
      containers:
      - name: am
        image: quay.io/prometheus/alertmanager
        args:
        - ${arg}
        env:
        - name: POD_IP
          valueFrom: {fieldRef: {fieldPath: status.podIP}}
`;

ruleTester(rule, {
  valid: [
    { name: 'two-rule pattern brackets IPv6', yaml: promJob('pod', `${addr(`${POD_PORT}, __meta_kubernetes_pod_ip`, V6, '[$2]:$1')}\n${addr(`${POD_PORT}, __meta_kubernetes_pod_ip`, V4, '$2:$1')}`) },
    { name: 'bracketed argument', yaml: deploy('--cluster.advertise-address=[$(POD_IP)]:9094') },
    { name: 'an env var that is not an IP', yaml: deploy('--web.listen-address=$(PORT_X):9093') },
    { name: 'corpus: istio addons prometheus', yaml: fixture('corpus/istio/samples/addons/prometheus.yaml') },
  ],
  invalid: [
    { name: 'pod IP joined with $1:$2', yaml: promJob('pod', addr(`__meta_kubernetes_pod_ip, ${POD_PORT}`, '(.+);(.+)', '$1:$2')),
      findings: [{ messageId: 'relabel', line: 12, severity: 'low', includes: '2001:db8::5:9102' }] },
    { name: 'IPv6-primary: high', yaml: promJob('pod', addr('__meta_kubernetes_pod_ip', '(.*)', '$1:9102')), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'relabel', line: 12, severity: 'high' }] },
    { name: 'argument $(POD_IP):port (prometheus-community/helm-charts #241)', yaml: deploy('--cluster.advertise-address=$(POD_IP):6783'),
      findings: [{ messageId: 'arg', line: 14, includes: '$(POD_IP)' }] },
    { name: 'corpus: istio secure-metrics jobs join the pod IP unbracketed', yaml: fixture('corpus/istio/samples/addons/extras/prometheus-secure-metrics.yaml'),
      findings: [
        { messageId: 'relabel', line: 39, includes: 'istio-secure-merged-metrics' },
        { messageId: 'relabel', line: 64, includes: 'istio-secure-envoy-metrics' },
      ] },
  ],
});

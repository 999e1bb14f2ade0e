import rule from '../../src/rules/hubble-world-identity-split.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const alert = (expr: string): string => `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: egress
spec:
  groups:
  - name: egress
    rules:
    - alert: ExternalDrops
      expr: '${expr}'
`;
const ciliumOff = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cilium-config\n  namespace: kube-system\ndata:\n  enable-ipv6: "false"\n';
const exportCfg = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  enable-ipv6: "true"
  hubble-export-allowlist: '{"destination_label":["reserved:world"]}'
`;

ruleTester(rule, {
  valid: [
    { name: 'matches the split identities too', yaml: alert('sum(rate(hubble_drop_total{destination_identity=~"reserved:world(-ipv4|-ipv6)?"}[5m])) > 10') },
    { name: 'Cilium with IPv6 off', yaml: `${alert('hubble_drop_total{destination_identity="reserved:world"}')}${ciliumOff}` },
    { name: 'corpus: GKE ClusterPodMonitoring derives remote_class from reserved:([^/]*)', yaml: fixture('corpus/gke-samples/networking/dpv2-observability/cluster-pod-monitoring.yaml') },
  ],
  invalid: [
    { name: 'PrometheusRule on reserved:world', yaml: alert('hubble_drop_total{destination_identity="reserved:world"} > 0'),
      findings: [{ messageId: 'world', line: 10, severity: 'low', includes: 'verify' }] },
    { name: 'remote_class="world"', yaml: alert('sum(pod_flow_egress_flows_count{remote_class="world"}) > 0'), findings: [{ messageId: 'world', line: 10 }] },
    { name: 'Hubble export filter', yaml: exportCfg, findings: [{ messageId: 'world', line: 8, includes: 'destination_label' }] },
    { name: 'metric relabel keeping remote_class world', yaml: `apiVersion: monitoring.googleapis.com/v1
kind: ClusterPodMonitoring
metadata:
  name: flows
spec:
  selector: {matchLabels: {k8s-app: cilium}}
  endpoints:
  - port: flowmetrics
    metricRelabeling:
    - sourceLabels: [remote_class]
      regex: world
      action: keep
`, findings: [{ messageId: 'world', line: 10 }] },
  ],
});

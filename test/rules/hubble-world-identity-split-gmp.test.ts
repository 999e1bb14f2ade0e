// Managed Service for Prometheus Rules and ClusterRules (monitoring.googleapis.com) are read like
// PrometheusRule (issue 15): the same spec.groups, so the same expressions are searched.
import rule from '../../src/rules/hubble-world-identity-split.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const gmp = (kind: string, expr: string): string => `apiVersion: monitoring.googleapis.com/v1
kind: ${kind}
metadata:
  name: egress
  namespace: monitoring
spec:
  groups:
  - name: egress
    interval: 30s
    rules:
    - alert: ExternalDrops
      expr: '${expr}'
`;

ruleTester(rule, {
  valid: [
    { name: 'GMP Rules counting both world identities (fixed)', yaml: gmp('Rules', 'sum(pod_flow_egress_flows_count{remote_class=~"world|world-ipv4|world-ipv6"}) > 0') },
  ],
  invalid: [
    { name: 'GMP Rules on remote_class="world"', yaml: gmp('Rules', 'sum(pod_flow_egress_flows_count{remote_class="world"}) > 0'),
      findings: [{ messageId: 'world', line: 12, includes: 'Rules (Managed Service for Prometheus) expression' }] },
    { name: 'GMP ClusterRules on reserved:world', yaml: gmp('ClusterRules', 'hubble_drop_total{destination_identity="reserved:world"} > 0'),
      findings: [{ messageId: 'world', line: 12, includes: 'ClusterRules' }] },
  ],
});

import rule from '../../src/rules/prometheus-static-target-ipv4-literal.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const sc = (targets: string): string => `apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata:
  name: hosts
spec:
  staticConfigs:
  - targets: ${targets}
`;
const probe = `apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata:
  name: web
spec:
  prober: {url: blackbox-exporter:19115}
  targets:
    staticConfig:
      static:
      - https://example.com
      - http://198.51.100.7:8080/health
`;

ruleTester(rule, {
  valid: [
    { name: 'DNS names', yaml: sc('["db.example.internal:9100"]') },
    { name: 'IPv6 literal', yaml: sc('["[2001:db8::7]:9100"]') },
    { name: 'loopback', yaml: sc('["127.0.0.1:9090"]') },
    { name: 'corpus: istio addons prometheus (localhost:9090)', yaml: fixture('corpus/istio/samples/addons/prometheus.yaml') },
  ],
  invalid: [
    { name: 'ScrapeConfig IPv4 target', yaml: sc('\n    - 10.20.0.5:9100\n    - db.example.internal:9100'), findings: [{ messageId: 'literal', line: 8, includes: '10.20.0.5:9100' }] },
    { name: 'Probe URL with an IPv4 host', yaml: probe, findings: [{ messageId: 'literal', line: 11 }] },
    { name: 'prometheus.yml static_configs', yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: prom
data:
  prometheus.yml: |
    scrape_configs:
    - job_name: legacy
      static_configs:
      - targets:
        - 192.0.2.10:9100
`, findings: [{ messageId: 'literal', line: 11, includes: 'job "legacy"' }] },
  ],
});

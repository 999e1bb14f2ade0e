import rule from '../../src/rules/prometheus-relabel-lazy-regex-bare-ipv6.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { addr, promJob } from '../helpers/prometheus.ts';

const LAZY = '(.+?)(?::\\d+)?;(\\d+)';
const V6 = '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})';
const V4 = '(\\d+);((([0-9]+?)(\\.|$)){4})';
const POD_PORT = '__meta_kubernetes_pod_annotation_prometheus_io_port';

ruleTester(rule, {
  valid: [
    { name: 'lazy regex on endpoints: addresses always carry a port', yaml: promJob('endpoints', addr('__address__, __meta_kubernetes_service_annotation_prometheus_io_port', LAZY, '$1:$2')) },
    { name: 'two-rule pattern on pods', yaml: promJob('pod', `${addr(`${POD_PORT}, __meta_kubernetes_pod_ip`, V6, '[$2]:$1')}\n${addr(`${POD_PORT}, __meta_kubernetes_pod_ip`, V4, '$2:$1')}`) },
    { name: 'corpus: istio addons prometheus', yaml: fixture('corpus/istio/samples/addons/prometheus.yaml') },
  ],
  invalid: [
    { name: 'lazy regex on pods mangles the bare IPv6 pod IP', yaml: promJob('pod', addr(`__address__, ${POD_PORT}`, LAZY, '$1:$2')),
      findings: [{ messageId: 'lazyBare', line: 12, severity: 'low', includes: '2001:db8::5;9102) into 2001:db8::9102' }] },
    { name: 'IPv6-primary: medium', yaml: promJob('pod', addr(`__address__, ${POD_PORT}`, LAZY, '$1:$2')), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'lazyBare', line: 12, severity: 'medium' }] },
  ],
});

import rule from '../../src/rules/hubble-export-filter-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const cfg = (allow: string, ipv6 = 'true'): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  enable-ipv4: "true"
  enable-ipv6: "${ipv6}"
  hubble-export-allowlist: '${allow}'
`;

ruleTester(rule, {
  valid: [
    { name: 'both families', yaml: cfg('{"destination_ip":["10.0.0.0/8"]},{"destination_ip":["fd00:10::/56"]}') },
    { name: 'a filter without IP constraint', yaml: cfg('{"destination_ip":["10.0.0.0/8"]},{"source_pod":["kube-system/"]}') },
    { name: 'IPv6 off in Cilium: not dual-stack', yaml: cfg('{"ip_version":["IPv4"]}', 'false') },
  ],
  invalid: [
    { name: 'IPv4 CIDRs only', yaml: cfg('{"destination_ip":["10.0.0.0/8"]}'), findings: [{ messageId: 'ipv4Only', line: 9, severity: 'low', includes: 'destination_ip' }] },
    { name: 'ip_version IPv4', yaml: cfg('{"ip_version":["IPv4"]}'), findings: [{ messageId: 'ipv4Only', line: 9, includes: 'ip_version' }] },
    { name: 'not JSON: info', yaml: cfg('source_ip=10.0.0.1'), findings: [{ messageId: 'unparsed', line: 9, severity: 'info' }] },
  ],
});

import rule from '../../src/rules/gateway-address-invalid.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const gw = (addresses: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: gke-l7-global-external-managed
  addresses:
${addresses.split('\n').map((l) => `  ${l}`).join('\n')}
  listeners:
  - {name: http, protocol: HTTP, port: 80}
`;

ruleTester(rule, {
  valid: [
    { name: 'one address per family', yaml: gw('- {type: IPAddress, value: 192.0.2.10}\n- {type: IPAddress, value: "2001:db8::10"}') },
    { name: 'two NamedAddress entries (GKE dual-stack)', yaml: gw('- {type: NamedAddress, value: web-v4}\n- {type: NamedAddress, value: web-v6}') },
    { name: 'empty value asks for an assigned address', yaml: gw('- {type: IPAddress}') },
    { name: 'corpus: gateway-api gateway-addresses example (non-canonical IPv6 text is accepted)', yaml: fixture('corpus/gateway-api/examples/standard/gateway-addresses.yaml') },
  ],
  invalid: [
    { name: 'CIDR', yaml: gw('- {type: IPAddress, value: 2001:db8::/64}'), findings: [{ messageId: 'cidr', line: 8, severity: 'critical' }] },
    { name: 'brackets', yaml: gw('- type: IPAddress\n  value: "[2001:db8::10]"'), findings: [{ messageId: 'brackets', line: 9 }] },
    { name: 'zone', yaml: gw('- value: "fe80::1%eth0"'), findings: [{ messageId: 'zone', line: 8 }] },
    { name: 'IPv4 leading zeros', yaml: gw('- value: 192.0.2.010'), findings: [{ messageId: 'invalid', line: 8 }] },
    { name: 'duplicate IPAddress (type defaulted on one)', yaml: gw('- {type: IPAddress, value: 192.0.2.10}\n- {value: 192.0.2.10}'), findings: [{ messageId: 'duplicate', line: 9 }] },
    { name: 'more than 16', yaml: gw(Array.from({ length: 17 }, (_, i) => `- {value: 192.0.2.${i + 1}}`).join('\n')), findings: [{ messageId: 'tooMany', line: 7 }] },
    { name: 'corpus: gateway-api conformance template placeholders are not addresses', yaml: fixture('corpus/gateway-api/conformance/tests/gateway-static-addresses.yaml'),
      findings: [{ messageId: 'invalid', line: 20, includes: 'PLACEHOLDER_UNUSABLE_ADDRS' }, { messageId: 'invalid', line: 23 }] },
  ],
});

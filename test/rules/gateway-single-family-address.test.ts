import rule from '../../src/rules/gateway-single-family-address.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// spec at line 5; addresses at line 7.
const gw = (addresses: string, opts: { name?: string; cls?: string } = {}): string =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${opts.name ?? 'web'}\nspec:\n  gatewayClassName: ${opts.cls ?? 'example'}\n${addresses}  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: gateway-api gateway-addresses.yaml (both families and a Hostname)', yaml: fixture('corpus/gateway-api/examples/standard/gateway-addresses.yaml') },
    { name: 'corpus: istio bookinfo Gateway without addresses (non-GKE class)', yaml: fixture('corpus/istio/samples/bookinfo/gateway-api/bookinfo-gateway.yaml') },
    { name: 'one address per family', yaml: gw('  addresses:\n  - {type: IPAddress, value: 192.0.2.10}\n  - {type: IPAddress, value: "2001:db8::10"}\n') },
    { name: 'two NamedAddress entries (GKE dual-stack pattern)', yaml: gw('  addresses:\n  - {type: NamedAddress, value: web-v4}\n  - {type: NamedAddress, value: web-v6}\n', { cls: 'gke-l7-global-external-managed' }) },
    { name: 'status shows both families bound', yaml: `${gw('')}status:\n  addresses:\n  - {value: 34.120.0.10}\n  - {value: "2600:1901::10"}\n` },
    {
      name: 'twin Gateways of the same class, one per family',
      yaml: `${gw('  addresses:\n  - {value: 192.0.2.10}\n')}---\n${gw('  addresses:\n  - {value: "2001:db8::10"}\n', { name: 'web-v6' })}`,
    },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'ipSingleFamily', line: 7 }] },
    { name: 'IPv4 IPAddress only', yaml: gw('  addresses:\n  - type: IPAddress\n    value: 192.0.2.10\n'), findings: [{ messageId: 'ipSingleFamily', line: 7, severity: 'medium', includes: 'no IPv6 frontend' }] },
    { name: 'IPv6 only, type defaulted', yaml: gw('  addresses:\n  - value: "2001:db8::10"\n'), findings: [{ messageId: 'ipSingleFamily', line: 7, includes: 'IPv4-only clients' }] },
    { name: 'a single NamedAddress and no sibling', yaml: gw('  addresses:\n  - type: NamedAddress\n    value: web-ip\n', { cls: 'gke-l7-global-external-managed' }), findings: [{ messageId: 'namedSingle', line: 8, severity: 'low', includes: 'verify' }] },
    {
      name: 'no spec.addresses, status shows one IPv4 address bound',
      yaml: `${gw('')}status:\n  addresses:\n  - {type: IPAddress, value: 34.120.0.10}\n`,
      findings: [{ messageId: 'statusSingleFamily', line: 10, severity: 'medium' }],
    },
    {
      name: 'corpus: gke-samples rayserve Gateway on gke-l7-global-external-managed without addresses',
      yaml: fixture('corpus/gke-samples/ai-ml/gke-ray/rayserve/ingress/gateway.yaml'),
      findings: [{ messageId: 'gkeNoAddress', line: 20, severity: 'low' }],
    },
  ],
});

import rule from '../../src/rules/envoy-gateway-authz-ipv4-only.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// envoyproxy/gateway's e2e test of client-IP authorization (fixtures/SOURCES.md) holds both
// patterns: authorization-client-ip-1 allows by default and denies 192.168.1.0/24 (line 52);
// authorization-client-ip-2 denies by default and allows 10.0.1.0/24 and 10.0.2.0/24 (line 81).
const E2E = fixture('vendors/envoy-gateway/test/e2e/testdata/authorization-client-ip.yaml');

const policy = (authz: string): string =>
  `apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    name: web\n  authorization:\n${authz}`;
const rule4 = (action: string, cidrs: string[], extra = ''): string =>
  `    - action: ${action}\n      principal:\n        clientCIDRs: [${cidrs.join(', ')}]\n${extra}`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'default Deny, one Allow rule lists an IPv6 range', yaml: policy(`    defaultAction: Deny\n    rules:\n${rule4('Allow', ['10.0.0.0/8'])}${rule4('Allow', ['"fd00::/8"'])}`) },
    {
      name: 'default Deny, an Allow rule on a JWT claim only can admit IPv6 clients',
      yaml: policy(`    defaultAction: Deny\n    rules:\n${rule4('Allow', ['10.0.0.0/8'])}    - action: Allow\n      principal:\n        jwt:\n          provider: example\n          claims:\n          - name: role\n            values: [admin]\n`),
    },
    { name: 'default Deny and no Allow rule: everyone is denied, whatever the family', yaml: policy(`    defaultAction: Deny\n    rules:\n${rule4('Deny', ['10.0.0.0/8'])}`) },
    { name: 'default Allow, the Deny rules cover both families', yaml: policy(`    defaultAction: Allow\n    rules:\n${rule4('Deny', ['192.0.2.0/24', '"2001:db8::/32"'])}`) },
    { name: 'default Allow, only a header Deny rule', yaml: policy('    defaultAction: Allow\n    rules:\n    - action: Deny\n      principal:\n        headers:\n        - name: x-user\n          values: [bot]\n') },
    { name: 'no authorization (only CORS)', yaml: 'apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\nmetadata:\n  name: cors\nspec:\n  cors:\n    allowOrigins: ["*"]\n' },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'allowlist', line: 18, includes: 'every IPv6 client of HTTPRoute/admin is denied' }] },
    {
      name: 'envoyproxy/gateway e2e: a default-Allow deny list and a default-Deny allow list, both IPv4 only',
      yaml: E2E,
      findings: [
        { messageId: 'denylist', line: 52, resource: 'SecurityPolicy/gateway-conformance-infra/authorization-client-ip-1', includes: '192.168.1.0/24' },
        { messageId: 'allowlist', line: 81, severity: 'high', resource: 'SecurityPolicy/gateway-conformance-infra/authorization-client-ip-2', includes: '10.0.1.0/24, 10.0.2.0/24' },
      ],
    },
    {
      name: 'defaultAction unset is Deny',
      yaml: policy(`    rules:\n${rule4('Allow', ['0.0.0.0/0'])}`), findings: [{ messageId: 'allowlist', line: 15, includes: 'defaultAction unset, which is Deny' }],
    },
    {
      name: 'an IPv4 Allow rule that also requires a JWT claim still admits IPv4 clients only',
      yaml: policy(`    defaultAction: Deny\n    rules:\n${rule4('Allow', ['203.0.113.0/24'], '        jwt:\n          provider: example\n          scopes: [read]\n')}`),
      findings: [{ messageId: 'allowlist', line: 16 }],
    },
  ],
});

import rule from '../../src/rules/envoy-gateway-ratelimit-ipv4-only.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// envoyproxy/gateway e2e data (fixtures/SOURCES.md): a global limit keyed on 0.0.0.0/0 only, and
// a local limit for all clients plus one per IPv4 address.
const GLOBAL = fixture('vendors/envoy-gateway/test/e2e/testdata/ratelimit-cidr-match.yaml');
const LOCAL = fixture('vendors/envoy-gateway/test/e2e/testdata/local-ratelimit-distinct-cidr.yaml');

const btp = (scope: string, rules: string): string =>
  `apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: rl\nspec:\n  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    name: web\n  rateLimit:\n    ${scope}:\n      rules:\n${rules}`;
const cidrRule = (value: string, extra = ''): string =>
  `      - clientSelectors:\n        - sourceCIDR:\n            value: "${value}"\n${extra}        limit:\n          requests: 10\n          unit: Second\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'a limit for every IPv6 client too', yaml: btp('local', `${cidrRule('0.0.0.0/0')}${cidrRule('::/0')}`) },
    { name: 'a narrower IPv4 range is a deliberate selection', yaml: btp('global', cidrRule('198.51.100.0/24')) },
    { name: 'inverted 0.0.0.0/0 (matches IPv6 clients)', yaml: btp('global', cidrRule('0.0.0.0/0', '            invert: true\n')) },
    { name: 'a header selector only', yaml: btp('global', '      - clientSelectors:\n        - headers:\n          - name: x-user-id\n            type: Distinct\n        limit:\n          requests: 5\n          unit: Second\n') },
    { name: 'an IPv6 rule in the global list covers the global 0.0.0.0/0 rule', yaml: btp('global', `${cidrRule('0.0.0.0/0')}${cidrRule('2001:db8::/32')}`) },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'unlimited', line: 17, severity: 'high' }] },
    {
      name: 'envoyproxy/gateway e2e: global limit keyed on 0.0.0.0/0 only',
      yaml: GLOBAL, findings: [{ messageId: 'unlimited', line: 17, resource: 'BackendTrafficPolicy/gateway-conformance-infra/ratelimit-all-ips', includes: 'global rule 0' }],
    },
    {
      name: 'envoyproxy/gateway e2e: per-IPv4-address local limit beside a limit for all',
      yaml: LOCAL, findings: [{ messageId: 'different', line: 20, severity: 'medium', includes: 'limited only by local rule 0' }],
    },
    {
      name: 'an IPv6 rule in the local list does not cover a global 0.0.0.0/0 rule',
      yaml: btp('global', cidrRule('0.0.0.0/0')) + `    local:\n      rules:\n${cidrRule('::/0')}`,
      findings: [{ messageId: 'unlimited', line: 15 }],
    },
  ],
});

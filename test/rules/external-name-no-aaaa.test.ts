// The rule over answers given as data (what load/resolve.ts returns); the lookups themselves
// against a real DNS server are tested in test/load/resolve.test.ts.
import rule from '../../src/rules/external-name-no-aaaa.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';
import type { ResolvedName } from '../../src/model/dns.ts';

const resolved = new Map<string, ResolvedName>([
  ['both.example.com', { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] }],
  ['v4only.example.com', { A: ['192.0.2.2', '192.0.2.3'], AAAA: [] }],
  ['v6only.example.com', { A: [], AAAA: ['2001:db8::3'] }],
  ['nx.example.com', { A: [], AAAA: [], error: 'NXDOMAIN' }],
  ['slow.example.com', { A: [], AAAA: [], error: 'timeout' }],
  ['empty.example.com', { A: [], AAAA: [] }],
]);
const build = { resolved };

const ingress = (host: string): string => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n  - host: ${host}\n`;
const route = (hosts: string[]): string => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  hostnames:\n${hosts.map((h) => `  - ${h}`).join('\n')}\n`;
const GKE_FQDN = `apiVersion: networking.gke.io/v1alpha3
kind: FQDNNetworkPolicy
metadata:
  name: fqdnnetworkpolicy-valid
spec:
  podSelector: {}
  egress:
    - to:
      - fqdns:
        - both.example.com
        - v4only.example.com
`;
const CILIUM_FQDN = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: to-fqdn
spec:
  endpointSelector: {}
  egress:
  - toFQDNs:
    - matchName: v4only.example.com
    - matchPattern: "*.example.com"
`;

ruleTester(rule, {
  valid: [
    { name: 'ExternalName target with AAAA', yaml: svc('type: ExternalName\nexternalName: both.example.com'), build },
    { name: 'IPv6-only Ingress host', yaml: ingress('v6only.example.com'), build },
    { name: 'wildcards and cluster names are not looked up', yaml: ingress('"*.example.com"') + '---\n' + svc('type: ExternalName\nexternalName: db.prod.svc.cluster.local', { name: 'e' }), build },
    { name: 'a name that was not looked up is not judged', yaml: ingress('other.example.com'), build },
    { name: 'without --resolve answers there is nothing to judge', yaml: svc('type: ExternalName\nexternalName: v4only.example.com') },
  ],
  invalid: [
    { name: 'ExternalName to an IPv4-only name', yaml: svc('type: ExternalName\nexternalName: V4ONLY.example.com.', { name: 'payments', namespace: 'shop' }), build,
      findings: [{ messageId: 'noAAAA', line: 8, severity: 'medium', resource: 'Service/shop/payments', includes: 'v4only.example.com (ExternalName target) has A records (192.0.2.2, 192.0.2.3) but no AAAA record: pods that use this Service' }] },
    { name: 'Ingress host without AAAA', yaml: ingress('v4only.example.com'), build,
      findings: [{ messageId: 'noAAAA', line: 7, includes: 'Ingress host' }] },
    { name: 'Route hostnames: NXDOMAIN, timeout, no records at all', yaml: route(['nx.example.com', 'slow.example.com', 'empty.example.com', 'both.example.com']), build,
      findings: [
        { messageId: 'failed', line: 7, severity: 'low', includes: '(NXDOMAIN)' },
        { messageId: 'failed', line: 8, severity: 'low', includes: '(timeout)' },
        { messageId: 'noAddress', line: 9, severity: 'low' },
      ] },
    { name: 'external-dns annotation on a LoadBalancer', yaml: svc('type: LoadBalancer\nselector: {app: a}', { meta: 'annotations:\n  external-dns.alpha.kubernetes.io/hostname: both.example.com,v4only.example.com' }), build,
      findings: [{ messageId: 'noAAAA', line: 6, includes: 'external-dns hostname' }] },
    { name: 'GKE FQDNNetworkPolicy (corpus shape) target without AAAA', yaml: GKE_FQDN, build,
      findings: [{ messageId: 'noAAAA', line: 11, includes: 'IPv6 egress to it stays blocked' }] },
    { name: 'Cilium toFQDNs matchName without AAAA', yaml: CILIUM_FQDN, build,
      findings: [{ messageId: 'noAAAA', line: 9, includes: 'FQDN policy target' }] },
  ],
});

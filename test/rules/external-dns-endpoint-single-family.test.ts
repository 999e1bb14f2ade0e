import rule from '../../src/rules/external-dns-endpoint-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// external-dns's own DNSEndpoint examples: three names of one family each, one A record with a
// provider-specific setting, and a CNAME (left alone: its target decides the families).
const MULTI = fixture('corpus/external-dns/docs/snippets/tutorials/aws-localstack/dnsendpoint-multi.yml');
const EXAMPLE = fixture('corpus/external-dns/docs/sources/crd/dnsendpoint-example.yaml');
const ALIAS = fixture('corpus/external-dns/docs/snippets/tutorials/aws-localstack/dnsendpoint-alias.yml');
const ep = (name: string, endpoints: string, ns = 'web'): string =>
  `apiVersion: externaldns.k8s.io/v1alpha1\nkind: DNSEndpoint\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  endpoints:\n${endpoints}`;
const rec = (name: string, type: string, ...targets: string[]): string =>
  `  - dnsName: ${name}\n    recordType: ${type}\n    targets:\n${targets.map((t) => `    - "${t}"\n`).join('')}`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: external-dns CNAME example', yaml: ALIAS },
    {
      name: 'A and AAAA for one name in two DNSEndpoints, case and trailing dot differ',
      yaml: `${ep('v4', rec('Shop.Example.com.', 'A', '203.0.113.10'))}---\n${ep('v6', rec('shop.example.com', 'AAAA', '2001:db8::10'), 'other')}`,
    },
    { name: 'TXT and MX records are not address records', yaml: ep('txt', `${rec('example.com', 'TXT', 'v=spf1 -all')}${rec('example.com', 'MX', '10 mail.example.com')}`) },
    {
      name: 'an AWS alias pair (host-name targets)',
      yaml: ep('alias', `${rec('app.example.com', 'A', 'lb.example.net')}    providerSpecific:\n    - {name: alias, value: "true"}\n${rec('app.example.com', 'AAAA', 'lb.example.net')}    providerSpecific:\n    - {name: alias, value: "true"}\n`),
    },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'aOnly', line: 10, includes: 'shop.example.com has A records only (203.0.113.10)' }] },
    {
      name: 'corpus: external-dns multi example, three names of one family each',
      yaml: MULTI,
      findings: [
        { messageId: 'aOnly', line: 12, severity: 'medium', resource: 'DNSEndpoint/default/simple-example' },
        { messageId: 'aOnly', line: 17, includes: '10.0.1.1, 10.0.1.2, 10.0.1.3' },
        { messageId: 'aaaaOnly', line: 24, severity: 'low' },
      ],
    },
    { name: 'corpus: external-dns CRD example (A with providerSpecific)', yaml: EXAMPLE, findings: [{ messageId: 'aOnly', line: 9, includes: 'foo.bar.com' }] },
    {
      name: 'an IPv6 target in an A record: the endpoint is skipped, the name has no A (no second finding)',
      yaml: ep('mixed', `${rec('api.example.com', 'A', '203.0.113.7', '2001:db8::7')}${rec('api.example.com', 'AAAA', '2001:db8::7')}`),
      findings: [{ messageId: 'wrongFamily', line: 12, includes: 'IPv6 target 2001:db8::7', fix: 'Move 2001:db8::7 to a AAAA record' }],
    },
    {
      name: 'an A record with no targets takes --default-targets and still has no AAAA',
      yaml: ep('defaults', '  - dnsName: www.example.com\n    recordType: A\n'),
      findings: [{ messageId: 'aOnly', line: 9, includes: 'no targets: --default-targets' }],
    },
  ],
});

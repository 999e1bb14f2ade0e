import rule from '../../src/rules/service-externalname-ip-literal.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

ruleTester(rule, {
  valid: [
    { name: 'a DNS name', yaml: svc('type: ExternalName\nexternalName: db.example.com') },
    { name: 'a name that starts with digits', yaml: svc('type: ExternalName\nexternalName: 1e100.net') },
    { name: 'a cluster name', yaml: svc('type: ExternalName\nexternalName: db.other.svc.cluster.local') },
    { name: 'not an ExternalName Service', yaml: svc('clusterIP: 10.96.0.10\nselector: {app: a}') },
  ],
  invalid: [
    { name: 'IPv4 literal', yaml: svc('type: ExternalName\nexternalName: 192.0.2.10', { name: 'legacy-db', namespace: 'shop' }),
      findings: [{ messageId: 'ipv4', line: 8, severity: 'medium', includes: 'legacy-db.shop.svc has externalName 192.0.2.10, an IPv4 address' }] },
    { name: 'IPv4 literal with a trailing dot', yaml: svc('type: ExternalName\nexternalName: "10.1.2.3."'),
      findings: [{ messageId: 'ipv4', line: 7 }] },
    { name: 'IPv6 literal is rejected', yaml: svc('type: ExternalName\nexternalName: "2001:db8::10"'),
      findings: [{ messageId: 'ipv6', line: 7, severity: 'critical', includes: 'apiserver rejects' }] },
  ],
});

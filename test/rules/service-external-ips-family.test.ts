import rule from '../../src/rules/service-external-ips-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

ruleTester(rule, {
  valid: [
    { name: 'one per family on a dual Service', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}\nexternalIPs: [198.51.100.7, "2001:db8::7"]') },
    { name: 'IPv4 on an IPv4 Service', yaml: svc('selector: {app: a}\nexternalIPs: [198.51.100.7]') },
    { name: 'no externalIPs', yaml: svc('selector: {app: a}') },
  ],
  invalid: [
    { name: 'IPv4 only on a dual Service', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}\nexternalIPs:\n- 198.51.100.7'),
      findings: [{ messageId: 'oneFamily', line: 8, severity: 'low', includes: 'IPv6 clients cannot use them' }] },
    { name: 'IPv6 externalIP on an IPv4 Service is never programmed', yaml: svc('selector: {app: a}\nexternalIPs:\n- 198.51.100.7\n- "2001:db8::7"'),
      findings: [{ messageId: 'foreign', line: 9, severity: 'medium', includes: '2001:db8::7 is IPv6' }] },
  ],
});

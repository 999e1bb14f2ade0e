import rule from '../../src/rules/service-hardcoded-cluster-ip.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

ruleTester(rule, {
  valid: [
    { name: 'allocated by the apiserver', yaml: svc('selector: {app: a}') },
    { name: 'headless', yaml: svc('clusterIP: None\nselector: {app: a}') },
  ],
  invalid: [
    { name: 'hard-coded clusterIP', yaml: svc('selector: {app: a}\nclusterIP: 10.96.0.10'),
      findings: [{ messageId: 'hardcoded', line: 7, severity: 'medium', includes: 'IPv4 Service CIDR' }] },
    { name: 'documentation-range clusterIPs, both reported', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}\nclusterIP: 10.96.0.10\nclusterIPs:\n- 10.96.0.10\n- "2001:db8::a"'),
      findings: [
        { messageId: 'hardcoded', line: 9, includes: '10.96.0.10, 2001:db8::a' },
        { messageId: 'documentation', line: 11, severity: 'high' },
      ] },
  ],
});

import rule from '../../src/rules/service-load-balancer-ip-deprecated.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

ruleTester(rule, {
  valid: [
    { name: 'LoadBalancer without loadBalancerIP', yaml: svc('type: LoadBalancer\nselector: {app: a}') },
    { name: 'ClusterIP is out of scope', yaml: svc('selector: {app: a}') },
  ],
  invalid: [
    { name: 'dual-stack LoadBalancer: medium', yaml: svc('type: LoadBalancer\nipFamilyPolicy: PreferDualStack\nloadBalancerIP: 198.51.100.10\nselector: {app: a}'),
      findings: [{ messageId: 'dual', line: 8, severity: 'medium', includes: 'one IPv4 address' }] },
    { name: 'single-stack LoadBalancer: low', yaml: svc('type: LoadBalancer\nloadBalancerIP: 198.51.100.10\nselector: {app: a}'),
      findings: [{ messageId: 'single', line: 7, severity: 'low' }] },
  ],
});

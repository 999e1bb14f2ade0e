import rule from '../../src/rules/service-lb-frontend-family-missing.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

const live = { live: {} };
const lb = (ingress: string, fams = '[IPv4, IPv6]', policy = 'RequireDualStack'): string =>
  `${svc(`type: LoadBalancer\nipFamilyPolicy: ${policy}\nipFamilies: ${fams}\nselector: {app: web}\nports: [{port: 443}]`)}status:\n  loadBalancer:\n    ingress: ${ingress}\n`;

ruleTester(rule, {
  valid: [
    { name: 'frontends of both families', yaml: lb('[{ip: 198.51.100.10}, {ip: "2001:db8::10"}]'), build: live },
    { name: 'pending load balancer', yaml: lb('[]'), build: live },
    { name: 'host name only (AWS)', yaml: lb('[{hostname: a1.elb.amazonaws.com}]'), build: live },
    { name: 'single-stack LoadBalancer is service-single-stack\'s', yaml: lb('[{ip: 198.51.100.10}]', '[IPv4]', 'SingleStack'), build: live },
    { name: 'offline: not judged', yaml: lb('[{ip: 198.51.100.10}]') },
  ],
  invalid: [
    { name: 'dual-stack LB with an IPv4 frontend only', yaml: lb('[{ip: 198.51.100.10}]'), build: live,
      findings: [{ messageId: 'missing', line: 13, severity: 'high', includes: 'no IPv6 frontend' }] },
    { name: 'IPv6-primary LB without an IPv4 frontend', yaml: lb('[{ip: "2001:db8::10"}]', '[IPv6, IPv4]'), build: live, clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'missing', line: 13, includes: 'only in [IPv6]' }] },
  ],
});

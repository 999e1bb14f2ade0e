import rule from '../../src/rules/service-lb-source-ranges-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

const LB = 'type: LoadBalancer\nselector: {app: a}\nports: [{port: 443}]';
ruleTester(rule, {
  valid: [
    { name: 'both families listed', yaml: svc(`${LB}\nipFamilyPolicy: PreferDualStack\nloadBalancerSourceRanges: [203.0.113.0/24, "2001:db8::/48"]`) },
    { name: 'IPv4-only cluster Service in a non-LoadBalancer is out of scope', yaml: svc('selector: {app: a}') },
    { name: 'no ranges at all', yaml: svc(`${LB}\nipFamilyPolicy: PreferDualStack`) },
    { name: 'annotation with both families', yaml: svc(`${LB}\nipFamilyPolicy: PreferDualStack`, { meta: 'annotations:\n  service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8, fd00::/8"' }) },
  ],
  invalid: [
    { name: 'IPv4-only ranges on a dual-stack LoadBalancer', yaml: svc(`${LB}\nipFamilyPolicy: PreferDualStack\nloadBalancerSourceRanges:\n- 203.0.113.0/24\n- 198.51.100.0/24`),
      findings: [{ messageId: 'unfiltered', line: 10, severity: 'high', includes: 'its IPv6 frontend is not filtered' }] },
    { name: 'IPv4-only annotation', yaml: svc(`${LB}\nipFamilyPolicy: RequireDualStack`, { meta: 'annotations:\n  service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8' }),
      findings: [{ messageId: 'unfiltered', line: 6, includes: 'the load-balancer-source-ranges annotation' }] },
    { name: 'IPv6-only ranges on an IPv6-primary dual Service', yaml: svc(`${LB}\nipFamilyPolicy: PreferDualStack\nloadBalancerSourceRanges: ["2001:db8::/32"]`), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'unfiltered', line: 10, includes: 'its IPv4 frontend' }] },
    { name: 'single-stack today: medium, about the dual-stack change', yaml: svc(`${LB}\nloadBalancerSourceRanges: [203.0.113.0/24]`),
      findings: [{ messageId: 'whenDual', line: 9, severity: 'medium', includes: 'once this Service is made dual-stack its IPv6 frontend' }] },
  ],
});

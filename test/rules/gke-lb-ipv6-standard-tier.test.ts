import rule from '../../src/rules/gke-lb-ipv6-standard-tier.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { lb } from '../helpers/gke.ts';

const DUAL = 'ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]';
const STD = { 'cloud.google.com/l4-rbs': 'enabled', 'cloud.google.com/network-tier': 'Standard' };

ruleTester(rule, {
  valid: [
    { name: 'Premium (default)', yaml: lb({ 'cloud.google.com/l4-rbs': 'enabled' }, DUAL) },
    { name: 'Standard tier on a single-stack IPv4 Service', yaml: lb(STD, 'ipFamilyPolicy: SingleStack') },
    { name: 'internal LB (Premium IPv6 rule)', yaml: lb({ ...STD, 'networking.gke.io/load-balancer-type': 'Internal' }, DUAL) },
  ],
  invalid: [
    { name: 'Standard tier, dual-stack external', yaml: lb(STD, DUAL), findings: [{ messageId: 'standard', line: 7, severity: 'high' }] },
    { name: 'lower-case standard, PreferDualStack', yaml: lb({ 'cloud.google.com/network-tier': 'standard' }, 'ipFamilyPolicy: PreferDualStack'), findings: [{ messageId: 'standard', line: 6 }] },
  ],
});

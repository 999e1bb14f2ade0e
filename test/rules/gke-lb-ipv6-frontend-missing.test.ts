import rule from '../../src/rules/gke-lb-ipv6-frontend-missing.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { lb } from '../helpers/gke.ts';

const live = { live: {} };
const DUAL = 'ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]';
const V4 = 'loadBalancer:\n  ingress: [{ip: 203.0.113.10}]';
const NETLB = { meta: 'finalizers: [gke.networking.io/l4-netlb-v2]', status: V4 };

ruleTester(rule, {
  valid: [
    { name: 'IPv6 forwarding rule annotation', yaml: lb({ 'service.kubernetes.io/tcp-forwarding-rule': 'a', 'service.kubernetes.io/tcp-forwarding-rule-ipv6': 'a-ipv6' }, DUAL, NETLB), build: live },
    { name: 'IPv6 frontend in status', yaml: lb({}, DUAL, { ...NETLB, status: 'loadBalancer:\n  ingress: [{ip: 203.0.113.10}, {ip: "2001:db8::10"}]' }), build: live },
    { name: 'not managed by GKE L4', yaml: lb({}, DUAL, { status: V4 }), build: live },
    { name: 'offline: not evaluated', yaml: lb({}, DUAL, NETLB) },
  ],
  invalid: [
    { name: 'RBS NetLB without IPv6 rule: subnet', yaml: lb({ 'service.kubernetes.io/tcp-forwarding-rule': 'a' }, DUAL, NETLB), build: live,
      findings: [{ messageId: 'missing', line: 16, severity: 'high', fix: 'external IPv6 ranges' }] },
    { name: 'legacy finalizer', yaml: lb({}, DUAL, { ...NETLB, meta: 'finalizers: [gke.networking.io/l4-ilb-v1]' }), build: live,
      findings: [{ messageId: 'legacy', line: 5 }] },
    { name: 'Standard tier', yaml: lb({ 'cloud.google.com/network-tier': 'Standard' }, DUAL, NETLB), build: live,
      findings: [{ messageId: 'tier', line: 7 }] },
  ],
});

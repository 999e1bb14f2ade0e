// An explicit IPv6-only Service is a choice, not a forgotten default (issue 15): low, stating
// that IPv4 clients cannot reach it, for ClusterIP and LoadBalancer alike.
import rule from '../../src/rules/service-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const svc = (type: string, families: string, policy = 'SingleStack'): string => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ${type}
  ipFamilyPolicy: ${policy}
  ipFamilies: ${families}
  selector: {app: web}
  ports: [{port: 443}]
`;

ruleTester(rule, {
  valid: [
    { name: 'dual-stack LoadBalancer (fixed)', yaml: svc('LoadBalancer', '[IPv6, IPv4]', 'RequireDualStack') },
  ],
  invalid: [
    { name: 'explicit IPv6-only LoadBalancer: low, no IPv4 clients', yaml: svc('LoadBalancer', '[IPv6]'),
      findings: [{ messageId: 'ipv6Only', line: 8, severity: 'low', includes: 'IPv4 clients of its load balancer cannot reach it' }] },
    { name: 'explicit IPv6-only ClusterIP: low', yaml: svc('ClusterIP', '[IPv6]'), findings: [{ messageId: 'ipv6Only', line: 8, severity: 'low' }] },
    { name: 'explicit IPv4-only LoadBalancer keeps its severity', yaml: svc('LoadBalancer', '[IPv4]'), findings: [{ messageId: 'loadBalancerPinned', line: 7, severity: 'high' }] },
  ],
});

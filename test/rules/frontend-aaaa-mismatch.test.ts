import rule from '../../src/rules/frontend-aaaa-mismatch.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import type { ResolvedName } from '../../src/model/dns.ts';
import { GCE, ingress } from '../helpers/gke.ts';

const gw = (addresses: string, host = 'www.example.com'): string => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: gke-l7-global-external-managed
  addresses:
${addresses}
  listeners:
  - {name: https, protocol: HTTPS, port: 443, hostname: ${host}}
`;
const DUAL = '  - {type: IPAddress, value: 203.0.113.10}\n  - {type: IPAddress, value: "2001:db8::10"}';
const resolved = (m: Record<string, ResolvedName>) => ({ resolved: new Map(Object.entries(m)) });
const rule0 = '  rules:\n  - host: www.example.com\n    http:\n      paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]';
const G = 'kubernetes.io/ingress.global-static-ip-name';
const pair = `${ingress('web', { ...GCE, [G]: 'web-v4' }, { extraSpec: rule0.replace(/^  /gm, ''), status: 'loadBalancer:\n  ingress: [{ip: 203.0.113.10}]' })}---\n${ingress('web-v6', { ...GCE, [G]: 'web-v6' }, { extraSpec: rule0.replace(/^  /gm, ''), status: 'loadBalancer:\n  ingress: [{ip: "2001:db8::10"}]' })}`;

ruleTester(rule, {
  valid: [
    { name: 'AAAA matches the IPv6 address', yaml: gw(DUAL), build: resolved({ 'www.example.com': { A: ['203.0.113.10'], AAAA: ['2001:db8:0::10'] } }) },
    { name: 'IPv4-only frontend without AAAA', yaml: gw('  - {type: IPAddress, value: 203.0.113.10}'), build: resolved({ 'www.example.com': { A: ['203.0.113.10'], AAAA: [] } }) },
    { name: 'without --resolve nothing is judged', yaml: gw(DUAL) },
    { name: 'NXDOMAIN is not judged here', yaml: gw(DUAL), build: resolved({ 'www.example.com': { A: [], AAAA: [], error: 'NXDOMAIN' } }) },
    { name: 'twin Ingress pair with A and AAAA of each', yaml: pair, build: resolved({ 'www.example.com': { A: ['203.0.113.10'], AAAA: ['2001:db8::10'] } }) },
  ],
  invalid: [
    { name: 'IPv6 frontend, no AAAA', yaml: gw(DUAL), build: resolved({ 'www.example.com': { A: ['203.0.113.10'], AAAA: [] } }),
      findings: [{ messageId: 'noAaaa', line: 11, severity: 'medium', includes: '2001:db8::10' }] },
    { name: 'AAAA points elsewhere', yaml: gw(DUAL), build: resolved({ 'www.example.com': { A: ['203.0.113.10'], AAAA: ['2001:db8::99'] } }),
      findings: [{ messageId: 'foreign', line: 11, includes: '2001:db8::99' }] },
    { name: 'twin pair: the IPv6 Ingress address has no AAAA (reported on the IPv6 one)', yaml: pair, build: resolved({ 'www.example.com': { A: ['203.0.113.10'], AAAA: [] } }),
      findings: [{ messageId: 'noAaaa', line: 32, resource: 'Ingress/web/web-v6' }] },
  ],
});

// An FQDNNetworkPolicy on the same pods admits its names' A and AAAA answers only: it must not
// count as "IPv6 allowed anywhere" next to IPv4 egress to 0.0.0.0/0 (issue 15). It still
// completes a narrow IPv4 CIDR (see the agent-sandbox corpus case in the main test file).
import rule from '../../src/rules/netpol-ipblock-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const V4_ANYWHERE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 0.0.0.0/0}
`;
const FQDN = `apiVersion: networking.gke.io/v1alpha1
kind: FQDNNetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
  - matches:
    - name: api.example.com
    ports: [{protocol: TCP, port: 443}]
`;
const V6_ANYWHERE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-v6
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: '::/0'}
`;

ruleTester(rule, {
  valid: [
    { name: 'IPv4 and IPv6 to anywhere, plus an FQDN policy (fixed)', yaml: `${V4_ANYWHERE}---\n${V6_ANYWHERE}---\n${FQDN}` },
  ],
  invalid: [
    { name: 'IPv4 to 0.0.0.0/0 plus IPv6 only to one FQDN', yaml: `${V4_ANYWHERE}---\n${FQDN}`, findings: [{ messageId: 'egress', line: 11, severity: 'high' }] },
  ],
});

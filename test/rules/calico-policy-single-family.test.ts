import rule from '../../src/rules/calico-policy-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

// No Calico policy in the shared corpus: cases follow the Calico docs examples.
// spec at line 5; rules from line 8.
const gnp = (body: string, apiVersion = 'projectcalico.org/v3', kind = 'GlobalNetworkPolicy'): string =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: g\nspec:\n  selector: app == 'web'\n${body.split('\n').map((l) => `  ${l}`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'Allow per family with ipVersion', yaml: gnp("types: [Egress]\negress:\n- action: Allow\n  ipVersion: 4\n  destination: {nets: [0.0.0.0/0]}\n- action: Allow\n  ipVersion: 6\n  destination: {nets: ['::/0']}") },
    { name: 'Allow without destination admits both families', yaml: gnp('types: [Egress]\negress:\n- action: Allow\n  destination: {nets: [10.0.0.0/8]}\n- action: Allow\n  protocol: TCP\n  destination: {ports: [443]}') },
    { name: 'selector peers only', yaml: gnp("types: [Ingress]\ningress:\n- action: Allow\n  source: {selector: role == 'fe'}") },
    { name: 'Deny rules do not admit', yaml: gnp('types: [Egress]\negress:\n- action: Deny\n  destination: {nets: [10.0.0.0/8]}\n- action: Allow') },
    { name: 'Kubernetes NetworkPolicy is not Calico\'s', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8}\n' },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'egress', line: 12 }] },
    {
      name: 'ipVersion 4 rule without nets',
      yaml: gnp("types: [Egress]\negress:\n- action: Allow\n  ipVersion: 4\n- action: Allow\n  destination: {selector: role == 'db'}"),
      findings: [{ messageId: 'egress', line: 10, severity: 'high' }],
    },
    {
      name: 'nets of one family (stored CRD form, namespaced NetworkPolicy, types defaulted to Ingress)',
      yaml: gnp('ingress:\n- action: Allow\n  source:\n    nets: [203.0.113.0/24]', 'crd.projectcalico.org/v1', 'NetworkPolicy'),
      findings: [{ messageId: 'ingress', line: 10, severity: 'medium' }],
    },
    {
      name: 'IPv6-only nets',
      yaml: gnp("types: [Egress]\negress:\n- action: Allow\n  destination:\n    nets: ['2001:db8::/32']"),
      findings: [{ messageId: 'egress', line: 11, includes: 'IPv4' }],
    },
  ],
});

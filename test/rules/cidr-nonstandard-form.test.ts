import rule from '../../src/rules/cidr-nonstandard-form.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture, svc } from '../helpers/yaml.ts';

const pool = (addrs: string): string => `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec:\n  addresses:\n${addrs.split('\n').map((a) => `  - ${a}`).join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'canonical CIDRs and a range', yaml: pool('192.168.10.0/24\n192.168.9.1-192.168.9.5\nfd5e:1c7a:93d2::/124') },
    { name: 'canonical Service fields', yaml: svc('type: LoadBalancer\nselector: {app: a}\nclusterIP: 10.96.0.10\nloadBalancerSourceRanges: [10.0.0.0/8, fd5e::/16]') },
    { name: 'invalid Service values are service-ip-config-rejected\'s', yaml: svc('selector: {app: a}\nexternalIPs: [10.0.0.300]') },
    { name: 'invalid policy CIDRs are the policy rules\' concern', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/33}\n' },
    { name: 'template placeholders are not values', yaml: pool('__LB_RANGE_V4__') },
    { name: 'kind defaults are not written values', yaml: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n' },
  ],
  invalid: [
    { name: 'corpus: MetalLB sample with a zero-padded IPv6 pool', yaml: fixture('corpus/metallb/configsamples/ipaddresspool_simple.yaml'),
      findings: [{ messageId: 'config', line: 10, severity: 'low', includes: 'canonical: fc00:f853:ccd:e799::/124' }] },
    { name: 'corpus: Cilium LB pools written as 2004::0/64', yaml: fixture('corpus/cilium/contrib/containerlab/bgpv2/service/lb-ip.yaml'),
      findings: [{ messageId: 'config', line: 11, includes: 'canonical: 2004::/64' }, { messageId: 'config', line: 26, includes: 'canonical: 2004:1::/64' }] },
    { name: 'host bits, leading zeros, invalid', yaml: pool('192.168.10.1/24\n010.1.0.0/16\n10.0.0.0/33'),
      findings: [
        { messageId: 'config', line: 6, severity: 'low', includes: 'host bits set' },
        { messageId: 'config', line: 7, includes: 'leading zeros' },
        { messageId: 'invalid', line: 8, severity: 'critical' },
      ] },
    { name: 'Node podCIDRs are API fields (medium)', yaml: 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  podCIDRs: [10.244.1.1/24, fd5e:1c7a:93d2:1::/64]\n',
      findings: [{ messageId: 'config', line: 5, severity: 'medium', includes: 'canonical: 10.244.1.0/24' }] },
    // Not folded like the range rules' Node findings: each value is its own edit, no cluster range causes it.
    { name: 'Nodes: one finding per value written in non-standard form, each with its canonical text', yaml: 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  podCIDRs: [10.244.1.1/24]\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\nspec:\n  podCIDRs: [10.244.2.1/24]\n',
      findings: [
        { messageId: 'config', line: 5, resource: 'Node/n1', includes: 'canonical: 10.244.1.0/24' },
        { messageId: 'config', line: 11, resource: 'Node/n2', includes: 'canonical: 10.244.2.0/24' },
      ] },
    { name: 'NetworkPolicy ipBlock with host bits (medium) and a Calico rule net in upper case (low)', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 0.1.1.0/10\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec:\n  egress:\n  - action: Allow\n    destination:\n      nets: [FD5E:1C7A::/32]\n',
      findings: [
        { messageId: 'policy', line: 10, severity: 'medium', includes: 'NetworkPolicy CIDR 0.1.1.0/10 has host bits set' },
        { messageId: 'policy', line: 19, severity: 'low', includes: 'canonical: fd5e:1c7a::/32' },
      ] },
    { name: 'Service fields', yaml: svc('type: LoadBalancer\nselector: {app: a}\nexternalIPs: [::ffff:10.1.2.3]\nclusterIP: 010.96.0.10\nloadBalancerSourceRanges: [10.1.0.0/8, 2001:DB8::/32]'),
      findings: [
        { messageId: 'service', line: 8, severity: 'medium', includes: 'IPv4-mapped' },
        { messageId: 'service', line: 9, severity: 'medium', includes: 'canonical: 10.96.0.10' },
        { messageId: 'service', line: 10, severity: 'medium', includes: 'canonical: 10.0.0.0/8' },
        { messageId: 'service', line: 10, severity: 'low', includes: 'canonical: 2001:db8::/32' },
      ] },
  ],
});

import rule from '../../src/rules/netpol-ipblock-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const NCA = 'corpus/network-config-analyzer/tests/k8s_testcases';
const TWIN_V4 = fixture(`${NCA}/example_policies/withIpBlock2/withIpBlock2-networkpolicy2.yaml`);
const TWIN_V6 = fixture(`${NCA}/example_policies/withIpBlock2/withIpBlock2-networkpolicy2-IPv6.yaml`);
const WEBSITE = fixture('corpus/k8s-website/content/en/examples/service/networking/networkpolicy.yaml');
const AGENT = fixture('corpus/gke-samples/ai-ml/anthropic-agent-sandbox/deploy/base/fqdn-egress.yaml');

const np = (spec: string, name = 'p', ns = 'shop'): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
const deploy = (name: string, labels: string, ns = 'shop'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec:\n      containers: [{name: c, image: nginx}]\n`;

// Lines: spec starts at 7.
const EGRESS_V4_ALL = np(`podSelector: {matchLabels: {app: web}}
policyTypes: [Egress]
egress:
- to:
  - ipBlock:
      cidr: 0.0.0.0/0
      except: [169.254.169.254/32]`);

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'both families in one rule', yaml: np(`podSelector: {}\npolicyTypes: [Egress]\negress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0}\n  - ipBlock: {cidr: '::/0'}`) },
    { name: 'a rule without peers admits everything', yaml: np(`podSelector: {}\npolicyTypes: [Egress]\negress:\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8}\n- ports: [{port: 53, protocol: UDP}]`) },
    { name: 'selector peers only: no external traffic at all', yaml: np(`podSelector: {}\ningress:\n- from:\n  - podSelector: {matchLabels: {app: fe}}`) },
    { name: 'egress rules but policyTypes Ingress only: egress not isolated', yaml: np(`podSelector: {}\npolicyTypes: [Ingress]\ningress:\n- from:\n  - podSelector: {}\negress:\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8}`) },
    { name: 'deny-all (no rules) is deliberate', yaml: np(`podSelector: {}\npolicyTypes: [Ingress, Egress]`) },
    {
      name: 'corpus: network-config-analyzer IPv4/IPv6 twins over the same pods add up to both families',
      yaml: `${TWIN_V4}---\n${TWIN_V6}`,
    },
    {
      name: 'corpus: network-config-analyzer mixed_ipv4_ipv6_policy (0.0.0.0/0 and ::/0 rules)',
      yaml: fixture(`${NCA}/network-policy-checks-bad-path/mixed_ipv4_ipv6_policy.yaml`),
    },
    {
      name: 'corpus: network-config-analyzer ipblock_cannot_be_defined (second rule has no from)',
      yaml: fixture(`${NCA}/network-policy-checks-bad-path/ipblock_cannot_be_defined.yaml`),
    },
    {
      name: 'corpus: gke-samples agent sandbox, metadata-only NetworkPolicy completed by the FQDNNetworkPolicy (A and AAAA) on the same pods',
      yaml: AGENT,
    },
    {
      name: 'a namespace-wide policy (empty podSelector) admitting IPv6 covers a narrower IPv4-only one',
      yaml: `${EGRESS_V4_ALL}---\n${np(`podSelector: {}\npolicyTypes: [Egress]\negress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0}\n  - ipBlock: {cidr: '::/0'}`, 'all')}`,
    },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'egress', line: 11 }] },
    {
      name: 'egress 0.0.0.0/0 except metadata, IPv6 denied',
      yaml: EGRESS_V4_ALL,
      findings: [{ messageId: 'egress', line: 12, severity: 'high', includes: 'all IPv6 egress outside is denied' }],
    },
    {
      name: 'defaulted policyTypes: egress present makes Egress isolated',
      yaml: np(`podSelector: {}\negress:\n- to:\n  - podSelector: {}\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8}`),
      findings: [{ messageId: 'egress', line: 12, severity: 'high' }],
    },
    {
      name: 'IPv6-only ingress allow list denies IPv4 clients',
      yaml: np(`podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: '2001:db8::/32'}`),
      findings: [{ messageId: 'ingress', line: 10, severity: 'medium', includes: 'IPv4 clients' }],
    },
    {
      name: 'the pods it isolates are named from the label index',
      yaml: `${deploy('web', '{app: web}')}---\n${deploy('db', '{app: db}')}---\n${EGRESS_V4_ALL}`,
      findings: [{ messageId: 'egress', line: 36, severity: 'high', includes: 'Deployment/shop/web' }],
    },
    {
      name: 'selects none of the workloads of its namespace: low',
      yaml: `${deploy('db', '{app: db}')}---\n${EGRESS_V4_ALL}`,
      findings: [{ messageId: 'egress', line: 24, severity: 'low', includes: 'none of the workloads in the input' }],
    },
    {
      name: 'corpus: kubernetes website networkpolicy.yaml (ingress and egress IPv4 ipBlocks)',
      yaml: WEBSITE,
      findings: [{ messageId: 'ingress', line: 16, severity: 'medium' }, { messageId: 'egress', line: 31, severity: 'high' }],
    },
    {
      name: 'corpus: network-config-analyzer IPv4 twin alone',
      yaml: TWIN_V4,
      findings: [{ messageId: 'ingress', line: 14, severity: 'medium' }],
    },
    {
      name: 'corpus: network-config-analyzer IPv6 twin alone (IPv4 clients denied)',
      yaml: TWIN_V6,
      findings: [{ messageId: 'ingress', line: 14, includes: 'IPv4 clients' }],
    },
    {
      name: 'corpus: cyclonus allow-by-ip (0.0.0.0/24)',
      yaml: fixture('corpus/network-config-analyzer/tests/fw_rules_tests/policies/cyclonus-allow-by-ip.yaml'),
      findings: [{ messageId: 'ingress', line: 15 }],
    },
    {
      name: 'IPv4-only list on an IPv4 single-stack target cluster: low until the cluster is converted',
      yaml: EGRESS_V4_ALL,
      clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'egress', line: 12, severity: 'low' }],
    },
    {
      name: 'IPv6-only list on an IPv4 single-stack cluster denies all external traffic today',
      yaml: np(`podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: '2001:db8::/32'}`),
      clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'ingress', line: 10, severity: 'medium' }],
    },
    {
      name: 'a twin with a different selector does not close the gap',
      yaml: `${EGRESS_V4_ALL}---\n${np(`podSelector: {matchLabels: {app: other}}\npolicyTypes: [Egress]\negress:\n- to:\n  - ipBlock: {cidr: '::/0'}`, 'v6')}`,
      findings: [{ messageId: 'egress', line: 12, resource: 'NetworkPolicy/shop/p' }, { messageId: 'egress', line: 25, resource: 'NetworkPolicy/shop/v6', includes: 'IPv4' }],
    },
  ],
});

import rule from '../../src/rules/kind-port-mapping-ipv4-only.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// kind's own examples: the site's port-mapping config (listenAddress 127.0.0.1) and the
// encoding test data (a mapping with no listenAddress, no ipFamily: kind's default ipv4).
const SITE = fixture('corpus/kind/site/static/examples/config-with-port-mapping.yaml');
const TESTDATA = fixture('corpus/kind/pkg/internal/apis/config/encoding/testdata/v1alpha4/valid-port-and-mount.yaml');
// external-dns's localstack tutorial: a dual cluster whose three mappings all say 0.0.0.0.
const EXTERNAL_DNS = fixture('corpus/external-dns/docs/snippets/tutorials/aws-localstack/kind.yaml');
const dual = (yaml: string): string => yaml.replace('apiVersion: kind.x-k8s.io/v1alpha4\n', 'apiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n');
const cluster = (mappings: string, family = 'dual'): string =>
  `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: ${family}\nnodes:\n- role: control-plane\n- role: worker\n  extraPortMappings:\n${mappings}`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: kind test data, no ipFamily (kind defaults to ipv4)', yaml: TESTDATA },
    { name: 'corpus: kind site example on a dual cluster, listenAddress 127.0.0.1 (chosen)', yaml: dual(SITE) },
    { name: 'ipv6 cluster: kind defaults the address to ::', yaml: cluster('  - containerPort: 80\n    hostPort: 80\n', 'ipv6') },
    { name: 'ipv4 cluster with 0.0.0.0', yaml: cluster('  - containerPort: 80\n    hostPort: 80\n    listenAddress: 0.0.0.0\n', 'ipv4') },
    { name: 'an IPv6 host address is an explicit choice', yaml: cluster('  - containerPort: 443\n    hostPort: 443\n    listenAddress: "2001:db8::10"\n') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'unset', line: 8, includes: 'hostPort 80 -> containerPort 80' }] },
    {
      name: 'corpus-derived: kind test data on a dual cluster (listenAddress unset)',
      yaml: dual(TESTDATA),
      findings: [{ messageId: 'unset', line: 9, resource: 'Cluster/(unnamed)', severity: 'low' }],
    },
    {
      name: 'corpus: external-dns tutorial kind config, dual with 0.0.0.0 on every mapping',
      yaml: EXTERNAL_DNS,
      findings: [
        { messageId: 'ipv4Wildcard', line: 27, resource: 'Cluster/(unnamed)', includes: 'hostPort 8080 -> containerPort 80' },
        { messageId: 'ipv4Wildcard', line: 31 },
        { messageId: 'ipv4Wildcard', line: 35, includes: 'hostPort 32379' },
      ],
    },
    {
      name: 'corpus-derived: the external-dns tutorial with the IPv6 side of port 80 added',
      yaml: EXTERNAL_DNS.replace('- role: worker', '    - containerPort: 80\n      hostPort: 8086\n      listenAddress: "::"\n- role: worker'),
      findings: [{ messageId: 'ipv4Wildcard', line: 31 }, { messageId: 'ipv4Wildcard', line: 35 }],
    },
    {
      name: 'explicit 0.0.0.0 points at listenAddress; a random host port is named so',
      yaml: cluster('  - containerPort: 80\n    listenAddress: "0.0.0.0"\n  - containerPort: 443\n    hostPort: 443\n    protocol: udp\n'),
      findings: [{ messageId: 'ipv4Wildcard', line: 10, includes: 'hostPort (random)' }, { messageId: 'unset', line: 11 }],
    },
    {
      name: 'an IPv6 mapping of another protocol is no twin',
      yaml: cluster('  - containerPort: 53\n    hostPort: 53\n    protocol: UDP\n  - containerPort: 53\n    hostPort: 5353\n    listenAddress: "::"\n'),
      findings: [{ messageId: 'unset', line: 9 }],
    },
  ],
});

import rule from '../../src/rules/coredns-missing-ip6-arpa.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTester, auditYaml } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { configMap } from '../helpers/corefile.ts';

const SED = fixture('corpus/coredns/kubernetes/coredns.yaml.sed');
const NODE_LOCAL = fixture('corpus/cilium/examples/kubernetes-local-redirect/node-local-dns.yaml');

ruleTester(rule, {
  valid: [
    { name: 'kubeadm stanza lists ip6.arpa', yaml: configMap('.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    fallthrough in-addr.arpa ip6.arpa\n  }\n}\n') },
    { name: 'an IPv6 reverse CIDR instead of ip6.arpa', yaml: configMap('.:53 {\n  kubernetes cluster.local 10.96.0.0/12 fd00:10:96::/112\n}\n') },
    { name: 'no zone arguments: the server block zones, which include ip6.arpa', yaml: configMap('cluster.local in-addr.arpa ip6.arpa {\n  kubernetes\n}\n') },
    { name: 'corpus: coredns.yaml.sed (REVERSE_CIDRS placeholder is not judged)', yaml: SED },
    { name: 'corpus: cilium node-local-dns forwards ip6.arpa too', yaml: NODE_LOCAL },
    { name: 'node-local-dns without any reverse block', yaml: configMap('cluster.local:53 {\n  forward . 10.96.0.10\n}\n.:53 {\n  forward . /etc/resolv.conf\n}\n', { name: 'node-local-dns' }) },
    { name: 'not the cluster DNS', yaml: configMap('.:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n', { namespace: 'test' }) },
  ],
  invalid: [
    { name: 'in-addr.arpa only', yaml: configMap('.:53 {\n  errors\n  kubernetes cluster.local in-addr.arpa {\n    fallthrough in-addr.arpa\n  }\n}\n'),
      findings: [{ messageId: 'kubernetes', line: 10, severity: 'low', includes: 'serves cluster.local in-addr.arpa but not ip6.arpa' }] },
    { name: 'an IPv4 reverse CIDR only', yaml: configMap('.:53 {\n  kubernetes cluster.local 10.96.0.0/12\n}\n'),
      findings: [{ messageId: 'kubernetes', line: 9, includes: '10.in-addr.arpa' }] },
    { name: 'no reverse zones at all', yaml: configMap('.:53 {\n  kubernetes cluster.local\n}\n'),
      findings: [{ messageId: 'kubernetes', line: 9 }] },
    { name: 'node-local-dns (corpus, broken): the ip6.arpa block removed',
      yaml: NODE_LOCAL.replace(/    ip6\.arpa:53 \{[\s\S]*?\n        \}\n/, ''),
      findings: [{ messageId: 'nodeLocal', line: 23, includes: 'Server block in-addr.arpa:53' }] },
  ],
});

test('a Corefile whose kubernetes zones are template placeholders is not evaluated (neither passed nor failed)', async () => {
  const r = await auditYaml(SED, [rule]);
  assert.deepEqual(r.evaluations.map((e) => [e.ruleId, e.passed, e.failed]), [['coredns-missing-ip6-arpa', 0, 0]]);
});

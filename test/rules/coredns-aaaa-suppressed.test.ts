import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../src/rules/coredns-aaaa-suppressed.ts';
import { ruleTester, auditYaml } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { configMap, auditCorefileFile } from '../helpers/corefile.ts';

const KUBEADM = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;
const SED = fixture('corpus/coredns/kubernetes/coredns.yaml.sed');
const NODE_LOCAL = fixture('corpus/cilium/examples/kubernetes-local-redirect/node-local-dns.yaml');

ruleTester(rule, {
  valid: [
    { name: 'kubeadm default Corefile', yaml: configMap(KUBEADM) },
    { name: 'corpus: coredns/deployment coredns.yaml.sed (placeholders)', yaml: SED },
    { name: 'corpus: cilium node-local-dns', yaml: NODE_LOCAL },
    { name: 'corpus: gateway-api conformance CoreDNS (not the cluster DNS: not judged)', yaml: fixture('corpus/gateway-api/conformance/base/manifests.yaml') },
    { name: 'an app CoreDNS outside kube-system is not the cluster DNS', yaml: configMap('.:53 {\n  template IN AAAA .\n}\n', { name: 'coredns', namespace: 'dns-test' }) },
    { name: 'template for AAAA of an external zone only', yaml: configMap('.:53 {\n  template IN AAAA example.com {\n    rcode NOERROR\n  }\n  kubernetes cluster.local\n}\n') },
    { name: 'template in a server block that does not serve the cluster domain', yaml: configMap('example.org:53 {\n  template IN AAAA\n}\n.:53 {\n  kubernetes cluster.local\n}\n') },
    { name: 'template with an answer', yaml: configMap('.:53 {\n  template IN AAAA cluster.local {\n    answer "{{ .Name }} 60 IN AAAA fd00::1"\n  }\n}\n') },
    { name: 'template with a narrow match', yaml: configMap('.:53 {\n  template IN AAAA . {\n    match "^legacy[.]example[.]com[.]$"\n  }\n}\n') },
    { name: 'template for A only', yaml: configMap('.:53 {\n  template IN A . {\n    rcode NXDOMAIN\n  }\n}\n') },
    { name: 'rewrite of names and of A to AAAA', yaml: configMap('.:53 {\n  rewrite name foo.example.com foo.default.svc.cluster.local\n  rewrite type A AAAA\n}\n') },
    { name: 'hosts with fallthrough', yaml: configMap('.:53 {\n  hosts {\n    10.0.0.1 a.example.com\n    fallthrough\n  }\n  kubernetes cluster.local\n}\n') },
    { name: 'hosts with a dual-stack entry and fallthrough for the cluster domain', yaml: configMap('.:53 {\n  hosts /etc/hosts {\n    10.0.0.1 a.example.com\n    fd00::1 a.example.com\n    fallthrough cluster.local in-addr.arpa ip6.arpa\n  }\n}\n') },
    { name: 'acl that blocks other types or allows AAAA', yaml: configMap('.:53 {\n  acl {\n    allow type AAAA\n    block type ANY\n  }\n}\n') },
    { name: 'acl limited to an external zone', yaml: configMap('.:53 {\n  acl example.org {\n    block type AAAA\n  }\n}\n') },
  ],
  invalid: [
    { name: '"disable IPv6" template for the root zone', yaml: configMap('.:53 {\n    errors\n    template IN AAAA . {\n        rcode NOERROR\n    }\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n}\n'),
      findings: [{ messageId: 'template', line: 10, severity: 'high', includes: 'template IN AAAA for . has no answer' }] },
    { name: 'template ANY AAAA without zones takes the server block zones', yaml: configMap('.:53 {\n  template ANY AAAA\n  kubernetes cluster.local\n}\n'),
      findings: [{ messageId: 'template', line: 9, includes: 'empty NOERROR' }] },
    { name: 'template IN ANY for the cluster domain with NXDOMAIN', yaml: configMap('cluster.local:53 {\n  template IN ANY cluster.local {\n    rcode NXDOMAIN\n  }\n}\n'),
      findings: [{ messageId: 'template', line: 9, includes: 'empty NXDOMAIN' }] },
    { name: 'template for a custom cluster domain', yaml: configMap('.:53 {\n  kubernetes k8s.example.net in-addr.arpa ip6.arpa\n  template IN AAAA k8s.example.net\n}\n'),
      findings: [{ messageId: 'template', line: 10, includes: 'for k8s.example.net' }] },
    { name: 'rewrite type AAAA A', yaml: configMap('.:53 {\n  rewrite stop type AAAA A\n  kubernetes cluster.local\n}\n'),
      findings: [{ messageId: 'rewrite', line: 9, includes: 'answered as A questions' }] },
    { name: 'hosts without fallthrough in the root block, with an IPv4-only entry', yaml: configMap('.:53 {\n  hosts {\n    10.0.0.1 registry.example.com\n  }\n  kubernetes cluster.local\n}\n'),
      findings: [{ messageId: 'hostsNoFallthrough', line: 9 }, { messageId: 'hostsIPv4Only', line: 10, severity: 'medium', includes: 'registry.example.com only IPv4 addresses (10.0.0.1)' }] },
    { name: 'hosts whose fallthrough misses the cluster domain', yaml: configMap('.:53 {\n  hosts /etc/coredns/hosts {\n    fallthrough example.com\n  }\n}\n'),
      findings: [{ messageId: 'hostsNoFallthrough', line: 10, includes: 'fallthrough lists only example.com' }] },
    { name: 'hosts whose fallthrough covers neither the cluster domain nor an IPv4-only entry', yaml: configMap('.:53 {\n  hosts {\n    10.0.0.5 registry.corp.example\n    10.0.0.6 a.example.org\n    fallthrough example.org\n  }\n}\n'),
      findings: [{ messageId: 'hostsIPv4Only', line: 10, severity: 'medium', includes: 'registry.corp.example only IPv4 addresses (10.0.0.5) and no fallthrough covers it' }, { messageId: 'hostsNoFallthrough', line: 12 }] },
    { name: 'acl blocking AAAA', yaml: configMap('.:53 {\n  acl {\n    block type AAAA net *\n  }\n  kubernetes cluster.local\n}\n'),
      findings: [{ messageId: 'filter', line: 10, includes: 'acl blocks AAAA questions (block type AAAA net *)' }] },
    { name: 'acl one-line form dropping AAAA', yaml: configMap('.:53 {\n  acl cluster.local {\n    drop type A AAAA\n  }\n}\n'),
      findings: [{ messageId: 'filter', line: 10, includes: 'acl drops' }] },
    { name: 'a template pasted from a snippet is reported at the snippet line', yaml: configMap('(noipv6) {\n  template IN AAAA .\n}\n.:53 {\n  import noipv6\n  kubernetes cluster.local\n}\n'),
      findings: [{ messageId: 'template', line: 9 }] },
    { name: 'node-local-dns (corpus, broken): template in the cluster.local block',
      yaml: NODE_LOCAL.replace('    cluster.local:53 {\n        errors\n', '    cluster.local:53 {\n        errors\n        template IN AAAA\n'),
      findings: [{ messageId: 'template', line: 10, resource: 'ConfigMap/kube-system/node-local-dns', includes: 'for cluster.local' }] },
    { name: 'coredns.yaml.sed (corpus, broken): rewrite added before kubernetes',
      yaml: SED.replace('        ready\n', '        ready\n        rewrite type AAAA A\n'),
      findings: [{ messageId: 'rewrite', line: 14 }] },
  ],
});

test('a Corefile file: findings point at its own lines', async () => {
  const report = await auditCorefileFile('# disable IPv6\n.:53 {\n  template IN AAAA .\n  forward . 8.8.8.8\n}\n', [rule]);
  const f = report.findings;
  assert.equal(f.length, 1);
  assert.equal(f[0]!.location?.line, 3);
  assert.ok(f[0]!.location?.file.endsWith('Corefile'));
  assert.equal(`${f[0]!.resource.kind}/${f[0]!.resource.name}`, 'Corefile/Corefile');
});

test('AKS coredns-custom: a *.override key is the body of the .:53 block, a *.server key a Corefile; lines map into the block scalars', async () => {
  const yaml = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: coredns-custom', '  namespace: kube-system', 'data:',
    '  noipv6.override: |', '    template ANY AAAA {', '      rcode NOERROR', '    }', // template at line 8
    '  example.server: |', '    example.com:53 {', '      template IN AAAA', '    }', // not a cluster zone
    '  other.txt: |', '    template IN AAAA .', '',
  ].join('\n');
  const report = await auditYaml(yaml, [rule]);
  assert.deepEqual(report.findings.map((f) => [f.location?.line, f.messageId]), [[8, 'template']]);
  assert.deepEqual(report.evaluations.map((e) => [e.passed, e.failed]), [[1, 1]]);
});

import rule from '../../src/rules/coredns-dns64-in-dual-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { configMap } from '../helpers/corefile.ts';

const DNS64 = '.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa\n  dns64\n  forward . /etc/resolv.conf\n}\n';

ruleTester(rule, {
  valid: [
    { name: 'IPv6-only cluster: DNS64 is what it is for', yaml: configMap(DNS64), clusterFamilies: ['IPv6'] },
    { name: 'no dns64', yaml: configMap('.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa\n}\n') },
    { name: 'corpus: coredns.yaml.sed', yaml: fixture('corpus/coredns/kubernetes/coredns.yaml.sed') },
    { name: 'corpus: cilium node-local-dns', yaml: fixture('corpus/cilium/examples/kubernetes-local-redirect/node-local-dns.yaml') },
  ],
  invalid: [
    { name: 'dns64 on a dual-stack cluster', yaml: configMap(DNS64),
      findings: [{ messageId: 'dns64', line: 10, severity: 'medium', includes: 'in a cluster with IPv4/IPv6 pods: it synthesizes AAAA records in 64:ff9b::/96' }] },
    { name: 'dns64 with translate_all and a prefix on an IPv4 cluster', yaml: configMap('.:53 {\n  dns64 {\n    prefix 64:ff9b:1::/96\n    translate_all\n  }\n}\n'), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'dns64', line: 9, includes: 'dns64 with translate_all' }] },
    { name: 'dns64 with a prefix argument', yaml: configMap('.:53 {\n  dns64 2001:db8:64::/96\n}\n'), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'dns64', line: 9, includes: 'in 2001:db8:64::/96' }] },
  ],
});

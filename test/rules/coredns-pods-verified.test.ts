import rule from '../../src/rules/coredns-pods-verified.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { configMap } from '../helpers/corefile.ts';

const VERIFIED = '.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    pods verified\n    fallthrough in-addr.arpa ip6.arpa\n  }\n}\n';

ruleTester(rule, {
  valid: [
    { name: 'pods insecure (kubeadm)', yaml: configMap('.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    pods insecure\n  }\n}\n') },
    { name: 'pods disabled by default', yaml: configMap('.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa\n}\n') },
    { name: 'single-stack cluster: no secondary family', yaml: configMap(VERIFIED), clusterFamilies: ['IPv4'] },
    { name: 'corpus: coredns.yaml.sed', yaml: fixture('corpus/coredns/kubernetes/coredns.yaml.sed') },
  ],
  invalid: [
    { name: 'pods verified on a dual-stack cluster', yaml: configMap(VERIFIED),
      findings: [{ messageId: 'verified', line: 10, severity: 'low', includes: 'pod records of the IPv6 address are never served' }] },
    { name: 'pods verified on an IPv6-primary cluster', yaml: configMap(VERIFIED), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'verified', line: 10, includes: 'of the IPv4 address' }] },
  ],
});

import rule from '../../src/rules/pod-dns-config-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { corpus, workload } from '../helpers/workloads.ts';

const four = workload('StatefulSet', `dnsPolicy: None
dnsConfig:
  nameservers:
  - 10.0.0.10
  - "fd00::10"
  - 8.8.8.8
  - "2001:4860:4860::8888"
containers:
- name: a
  image: x
`);

const bad = workload('Job', `dnsConfig:
  nameservers: [10.0.0.10, dns.example.com]
containers:
- name: a
  image: x
`);

const v6 = workload('CronJob', 'dnsConfig:\n  nameservers: ["fd00::10", "fd00::11"]\ncontainers:\n- name: a\n  image: x\n');

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'no dnsConfig', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n').yaml },
    { name: 'dnsConfig with options only', yaml: workload('Deployment', 'dnsConfig:\n  options: [{name: ndots, value: "2"}]\ncontainers:\n- name: a\n  image: x\n').yaml },
    { name: 'one nameserver per family', yaml: workload('DaemonSet', 'dnsConfig:\n  nameservers: [10.0.0.10, "fd00::10"]\ncontainers:\n- name: a\n  image: x\n').yaml },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'singleFamily', line: 8, severity: 'low', includes: 'all IPv4 (192.0.2.1) and, with dnsPolicy None, the only resolvers: an IPv6-only pod' }] },
    { name: 'IPv6 only', yaml: v6.yaml, findings: [{ messageId: 'singleFamily', line: v6.line(2), includes: 'all IPv6 (fd00::10, fd00::11): an IPv4-only pod' }] },
    { name: 'four nameservers are rejected', yaml: four.yaml, findings: [{ messageId: 'tooMany', line: four.line(3), severity: 'critical', includes: 'lists 4 entries' }] },
    { name: 'a name is not an IP', yaml: bad.yaml, findings: [{ messageId: 'invalid', line: bad.line(2), severity: 'critical', includes: '"dns.example.com"' }] },
    {
      name: 'kubernetes docs custom-dns: one IPv4 nameserver (corpus)', yaml: corpus('k8s-website/content/en/examples/service/networking/custom-dns.yaml'),
      findings: [{ messageId: 'singleFamily', line: 12, resource: 'Pod/default/dns-example' }],
    },
  ],
});

import rule from '../../src/rules/pod-host-aliases-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { corpus, workload } from '../helpers/workloads.ts';

const mixed = workload('ReplicaSet', `hostAliases:
- ip: 10.1.2.3
  hostnames: [a.internal, b.internal]
- ip: "fd00::3"
  hostnames: [a.internal]
- ip: "2001:db8::9"
  hostnames: [c.internal]
- ip: 10.1.2.300
  hostnames: [d.internal]
containers:
- name: app
  image: x
`);

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'loopback aliases exist in both families anyway', yaml: workload('Pod', 'hostAliases:\n- ip: 127.0.0.1\n  hostnames: [foo.local]\ncontainers:\n- name: a\n  image: x\n').yaml },
    { name: 'the other family given in a later entry', yaml: workload('CronJob', 'hostAliases:\n- ip: "fd00::1"\n  hostnames: [x]\n- ip: 10.0.0.1\n  hostnames: [x]\ncontainers:\n- name: a\n  image: x\n').yaml },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'singleFamily', line: 7, severity: 'low', includes: 'maps db.internal only to IPv4 address 10.1.2.3' }] },
    {
      name: 'per hostname across entries; IPv6-only too; an invalid ip is critical', yaml: mixed.yaml,
      findings: [
        { messageId: 'singleFamily', line: mixed.line(2), includes: 'maps b.internal only to IPv4' },
        { messageId: 'singleFamily', line: mixed.line(6), includes: 'maps c.internal only to IPv6 address 2001:db8::9' },
        { messageId: 'invalid', line: mixed.line(8), severity: 'critical', includes: '"10.1.2.300"' },
      ],
    },
    {
      name: 'kubernetes docs hostaliases-pod: foo.remote and bar.remote IPv4 only, loopback entry passes (corpus, flow style)',
      yaml: corpus('k8s-website/content/en/examples/service/networking/hostaliases-pod.yaml'),
      findings: [{ messageId: 'singleFamily', line: 17, resource: 'Pod/default/hostaliases-pod', includes: 'foo.remote, bar.remote' }],
    },
  ],
});

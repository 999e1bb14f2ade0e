import rule from '../../src/rules/sysctl-disables-ipv6.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { workload } from '../helpers/workloads.ts';

const init = workload('Deployment', `initContainers:
- name: no-v6
  image: busybox
  securityContext: {privileged: true}
  command:
  - sh
  - -c
  - |
    set -e
    sysctl -w net.ipv6.conf.all.disable_ipv6=1
- name: no-v6-proc
  image: busybox
  command: [sh, -c, "echo 1 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6"]
containers:
- name: app
  image: x
  args: [sysctl, -w, net/ipv6/conf/default/disable_ipv6=1]
`);

const sc = workload('DaemonSet', `securityContext:
  sysctls:
  - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}
  - name: net.ipv6.conf.all.disable_ipv6
    value: "1"
  - {name: net/ipv6/conf/default/disable_ipv6, value: "1"}
containers:
- name: a
  image: x
`);

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'disable_ipv6=0 keeps IPv6', yaml: workload('Pod', 'securityContext:\n  sysctls: [{name: net.ipv6.conf.all.disable_ipv6, value: "0"}]\ncontainers:\n- name: a\n  image: x\n  command: [sh, -c, "sysctl -w net.ipv6.conf.all.disable_ipv6=0"]\n').yaml },
    { name: 'other sysctls (istio proxy-coredump style)', yaml: workload('DaemonSet', 'initContainers:\n- name: setsysctls\n  image: alpine\n  command: [sh, -c, "sysctl -w kernel.core_pattern=/var/lib/istio/data/core.proxy && ulimit -c unlimited"]\ncontainers:\n- name: a\n  image: x\n').yaml },
    { name: 'a commented-out command', yaml: workload('Job', 'containers:\n- name: a\n  image: x\n  command:\n  - sh\n  - -c\n  - |\n    # sysctl -w net.ipv6.conf.all.disable_ipv6=1\n    run\n').yaml },
    { name: 'reading the value is not setting it', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  command: [sh, -c, "cat /proc/sys/net/ipv6/conf/all/disable_ipv6"]\n').yaml },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'securityContext', line: 8, severity: 'high', includes: 'net.ipv6.conf.all.disable_ipv6=1' }] },
    {
      name: 'securityContext sysctls with dots and slashes', yaml: sc.yaml,
      findings: [
        { messageId: 'securityContext', line: sc.line(4) },
        { messageId: 'securityContext', line: sc.line(6), includes: 'net/ipv6/conf/default/disable_ipv6=1' },
      ],
    },
    {
      name: 'sysctl -w in an init script, echo to /proc, and args of a main container', yaml: init.yaml,
      findings: [
        { messageId: 'command', line: init.line(8), includes: 'command of init container no-v6 runs sysctl -w net.ipv6.conf.all.disable_ipv6=1' },
        { messageId: 'command', line: init.line(13), includes: 'echo 1 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6' },
        { messageId: 'command', line: init.line(17), includes: 'args of container app' },
      ],
    },
  ],
});

import rule from '../../src/rules/probe-host-loopback.ts';
import { ruleTester, type InvalidCase } from '../helpers/rule-tester.ts';
import { ALL_KINDS, corpus, workload } from '../helpers/workloads.ts';

const probe = (host: string, handler = 'httpGet'): string => `containers:
- name: app
  image: example/app:1
  readinessProbe:
    ${handler}:
      host: ${host}
      port: 8080
`;

// The same pod spec in every kind that carries a pod template: the finding is at host (line 6 of the pod spec).
const everyKind: InvalidCase[] = ALL_KINDS.map((kind) => {
  const w = workload(kind, probe('127.0.0.1'));
  return { name: `loopback host in a ${kind}`, yaml: w.yaml, findings: [{ messageId: 'loopback', line: w.line(6), resource: `${kind}/default/web` }] };
});

const two = workload('Deployment', `initContainers:
- name: sidecar
  image: example/proxy:1
  restartPolicy: Always
  startupProbe:
    tcpSocket: {host: "::1", port: 15000}
containers:
- name: app
  image: example/app:1
  livenessProbe:
    httpGet:
      host: LOCALHOST
      path: /healthz
      port: 8080
  readinessProbe:
    grpc: {port: 9090}
`);

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'no host: the kubelet dials the pod IP', yaml: workload('Deployment', 'containers:\n- name: app\n  image: x\n  readinessProbe:\n    httpGet: {path: /, port: 80}\n').yaml },
    { name: 'a non-loopback host', yaml: workload('Pod', probe('10.0.0.5')).yaml },
    { name: 'a name that only starts like localhost', yaml: workload('Pod', probe('localhost-proxy.svc')).yaml },
    { name: 'exec probes run inside the container', yaml: workload('Pod', 'containers:\n- name: db\n  image: mysql\n  livenessProbe:\n    exec: {command: [mysqladmin, ping, -h, 127.0.0.1]}\n').yaml },
    { name: 'hostNetwork pod: the node loopback is the pod loopback', yaml: workload('DaemonSet', `hostNetwork: true\n${probe('127.0.0.1')}`).yaml },
    { name: 'microservices-demo frontend: httpGet probes with a Cookie header, no host (corpus)', yaml: corpus('microservices-demo/release/kubernetes-manifests.yaml') },
    { name: 'metallb speaker: hostNetwork DaemonSet probing host 127.0.0.1 (corpus)', yaml: corpus('metallb/config/manifests/metallb-native.yaml') },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'loopback', line: 15, severity: 'medium', includes: 'readinessProbe (httpGet) of container web dials host 127.0.0.1' }] },
    ...everyKind,
    {
      name: 'tcpSocket ::1 on a sidecar init container and httpGet LOCALHOST, grpc ignored', yaml: two.yaml,
      findings: [
        { messageId: 'loopback', line: two.line(6), includes: 'startupProbe (tcpSocket) of init container sidecar dials host ::1' },
        { messageId: 'loopback', line: two.line(12), includes: 'livenessProbe (httpGet) of container app' },
      ],
    },
    { name: 'another 127/8 address', yaml: workload('Pod', probe('127.0.1.1')).yaml, findings: [{ messageId: 'loopback', line: 12 }] },
    { name: 'bracketed ::1', yaml: workload('Pod', probe('"[::1]"', 'tcpSocket')).yaml, findings: [{ messageId: 'loopback', line: 12 }] },
  ],
});

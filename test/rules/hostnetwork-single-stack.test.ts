import rule from '../../src/rules/hostnetwork-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { corpus, join, workload } from '../helpers/workloads.ts';

const service = (name: string, selector: string, extra = '', ns?: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n${extra}  selector: ${selector}\n  ports: [{port: 80}]\n`;

const agent = (podSpecExtra = ''): ReturnType<typeof workload> => workload('DaemonSet', `hostNetwork: true
${podSpecExtra}containers:
- name: agent
  image: example/agent:1
`, { name: 'agent' });

const dual = join(agent().yaml, service('agent', '{app: agent}', '  ipFamilyPolicy: PreferDualStack\n'), service('agent-v4', '{app: agent}'));
const single = join(agent().yaml, service('agent', '{app: agent}'));
const ports = workload('Deployment', `containers:
- name: web
  image: x
  ports:
  - {containerPort: 80, hostPort: 80, hostIP: 0.0.0.0}
  - {containerPort: 443, hostPort: 443, hostIP: "::"}
  - {containerPort: 8080, hostIP: 10.0.0.1}
  - {containerPort: 9090, hostPort: 9090, hostIP: 192.168.1.10}
`);
const NODE_EXPORTER = join(corpus('kube-prometheus/manifests/nodeExporter-daemonset.yaml'), corpus('kube-prometheus/manifests/nodeExporter-service.yaml'));

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'hostNetwork pod that no Service selects', yaml: agent().yaml },
    { name: 'a Service in another namespace does not select it', yaml: join(agent().yaml, service('agent', '{app: agent}', '  ipFamilyPolicy: PreferDualStack\n', 'other')).yaml },
    { name: 'a selector with an extra label does not match', yaml: join(agent().yaml, service('agent', '{app: agent, tier: x}', '  ipFamilyPolicy: PreferDualStack\n')).yaml },
    { name: 'hostPort without hostIP is forwarded in both families', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  ports: [{containerPort: 80, hostPort: 80}]\n').yaml },
    { name: 'hostNetwork false', yaml: join(workload('Deployment', 'hostNetwork: false\ncontainers:\n- name: a\n  image: x\n', { name: 'agent' }).yaml, service('agent', '{app: agent}', '  ipFamilyPolicy: PreferDualStack\n')).yaml },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'selected', line: 10, severity: 'medium' }, { messageId: 'hostIP', line: 17, severity: 'medium' }] },
    { name: 'selected by a dual-stack Service: medium, names only the dual-stack ones', yaml: dual.yaml, findings: [{ messageId: 'selected', line: 10, severity: 'medium', includes: 'by the dual-stack Service/default/agent:' }] },
    { name: 'selected only by a single-stack Service: low', yaml: single.yaml, findings: [{ messageId: 'selectedSingleStack', line: 10, severity: 'low', includes: 'Service/default/agent, single-stack' }] },
    {
      name: 'IPv4 hostIP on host ports; IPv6 hostIP and hostIP without hostPort pass', yaml: ports.yaml,
      findings: [
        { messageId: 'hostIP', line: ports.line(5), includes: 'port 80 of container web binds hostPort on hostIP 0.0.0.0' },
        { messageId: 'hostIP', line: ports.line(8), includes: '192.168.1.10' },
      ],
    },
    {
      name: 'kube-prometheus node-exporter: hostNetwork DaemonSet behind a single-stack Service (corpus)', yaml: NODE_EXPORTER.yaml,
      findings: [{ messageId: 'selectedSingleStack', line: 100, resource: 'DaemonSet/monitoring/node-exporter', includes: 'Service/monitoring/node-exporter' }],
    },
    {
      name: 'standalone etcd: hostNetwork StatefulSet behind its NodePort Service (corpus)', yaml: corpus('cilium/examples/kubernetes/addons/etcd/standalone-etcd.yaml'),
      findings: [{ messageId: 'selectedSingleStack', line: 54, resource: 'StatefulSet/default/etcd-cilium' }],
    },
    {
      name: 'connectivity check echo-b-host behind a headless Service (corpus)', yaml: corpus('cilium/examples/kubernetes/connectivity-check/connectivity-check.yaml'),
      findings: [{ messageId: 'selectedSingleStack', line: 16, resource: 'Deployment/default/echo-b-host', includes: 'echo-b-host-headless' }],
    },
  ],
});

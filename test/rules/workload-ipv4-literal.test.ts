import rule from '../../src/rules/workload-ipv4-literal.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { corpus, join, workload } from '../helpers/workloads.ts';

const many = workload('Deployment', `initContainers:
- name: wait
  image: busybox
  command: [sh, -c, "until nc -z 10.96.0.10 53; do sleep 1; done"]
containers:
- name: app
  image: example/app:1
  args: ["--upstream=http://10.0.0.7:8080/api", "--peers=10.0.0.8,10.0.0.9,10.0.0.10,10.0.0.11"]
  env:
  - {name: VERSION, value: "1.2.3.4.5"}
  - {name: APP_VERSION, value: "10.2.0.1"}
  - {name: DNS, value: "8.8.8.8"}
  readinessProbe:
    tcpSocket: {host: 10.0.0.7, port: 8080}
`);

const cm = join(`apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data:
  app.ini: |
    [db]
    host = 192.168.10.5
    allow = 10.0.0.0/8
  trusted: "10.0.0.0/8,192.168.1.5"
`, workload('Job', `volumes:
- {name: c, configMap: {name: app}}
containers:
- name: app
  image: x
`).yaml);

// kubernetes-sigs/external-dns RFC2136 tutorial: named.conf (listen-on-v6 { any; }) and two zone files in one ConfigMap.
const BIND9 = corpus('external-dns/docs/snippets/tutorials/rfc2136/bind9.yaml');

ruleTester(rule, {
  valid: [
    { name: 'bind9 zone files (ns1 IN A 10.0.0.1) are data the server answers with, not peers (corpus: external-dns rfc2136 tutorial)', yaml: BIND9 },
    {
      name: 'a zone file without $TTL, found by its SOA record',
      yaml: join('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: zone}\ndata:\n  db.example: |\n    example.com. 3600 IN SOA ns1.example.com. admin.example.com. 1 3600 600 86400 60\n    ns1 IN A 192.0.2.53\n', workload('Pod', 'volumes:\n- {name: z, configMap: {name: zone}}\ncontainers:\n- name: dns\n  image: x\n').yaml).yaml,
    },
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'loopback, wildcard and netmask are not peers', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  args: [--db=127.0.0.1:3306, --bind=0.0.0.0, --mask=255.255.255.0]\n').yaml },
    { name: 'a CIDR allow list', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  env: [{name: TRUSTED, value: "10.0.0.0/8,172.16.0.0/12,192.168.1.5"}]\n').yaml },
    { name: 'a value that gives both families', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  args: ["--node-ip=10.0.0.2,fd00::2"]\n').yaml },
    { name: 'version strings and times', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  env: [{name: V, value: "v1.2.3.4-rc1"}, {name: T, value: "10:30:00"}]\n').yaml },
    { name: 'microservices-demo frontend: peers named by Service name and port (corpus)', yaml: corpus('microservices-demo/release/kubernetes-manifests.yaml') },
    { name: 'kube-state-metrics: loopback hosts and upstreams (corpus)', yaml: corpus('kube-prometheus/manifests/kubeStateMetrics-deployment.yaml') },
    { name: 'cilium egress-ip: interface addresses given as CIDRs (corpus)', yaml: corpus('cilium/examples/kubernetes-egress-gateway/egress-ip-deployment.yaml') },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'literal', line: 15, severity: 'low', includes: 'env QUEUE_URL of container worker hard-codes the IPv4 address 10.96.12.34' }] },
    {
      name: 'init command, args, env and a probe host; one finding per value', yaml: many.yaml,
      findings: [
        { messageId: 'literal', line: many.line(4), includes: 'command of init container wait hard-codes the IPv4 address 10.96.0.10' },
        { messageId: 'literal', line: many.line(8), includes: 'args of container app hard-codes the IPv4 address 10.0.0.7,' },
        { messageId: 'literal', line: many.line(8), includes: '10.0.0.8, 10.0.0.9, 10.0.0.10 and 1 more' },
        { messageId: 'literal', line: many.line(12), includes: 'env DNS' },
        { messageId: 'probeHost', line: many.line(14), includes: 'readinessProbe of container app dials the IPv4 address 10.0.0.7' },
      ],
    },
    {
      name: 'the same bind9 ConfigMap with named.conf forwarding to an IPv4 address: the config key is reported, the zone files are not',
      yaml: BIND9.replace('      recursion no;\n', '      forwarders { 10.0.0.53; };\n'),
      findings: [{ messageId: 'configMap', line: 7, resource: 'ConfigMap/bind9/bind-config', includes: 'key named.conf hard-codes the IPv4 address 10.0.0.53' }],
    },
    {
      name: 'ConfigMap data: each line judged on its own, CIDR lists skipped', yaml: cm.yaml,
      findings: [{ messageId: 'configMap', line: 5, resource: 'ConfigMap/default/app', includes: '192.168.10.5 (line 2), pinning Job/default/web' }],
    },
    {
      name: 'node-local-dns -localip 169.254.20.10 (corpus)', yaml: corpus('cilium-cli/.github/node-local-dns/node-local-dns.yaml'),
      findings: [{ messageId: 'literal', line: 95, resource: 'DaemonSet/kube-system/node-local-dns', includes: '169.254.20.10' }],
    },
    {
      name: 'connectivity check probes curl 1.1.1.1 (corpus)', yaml: corpus('cilium/examples/kubernetes/connectivity-check/connectivity-check.yaml'),
      findings: [
        { messageId: 'literal', line: 104, includes: 'readinessProbe exec of container pod-to-external-1111-container' },
        { messageId: 'literal', line: 116, includes: 'livenessProbe exec' },
      ],
    },
  ],
});

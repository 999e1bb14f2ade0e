import rule from '../../src/rules/workload-pod-ip-primary-only.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { corpus, workload } from '../helpers/workloads.ts';

const both = workload('Job', `containers:
- name: a
  image: x
  env:
  - name: POD_IP
    valueFrom: {fieldRef: {fieldPath: status.podIP}}
  - name: POD_IPS
    valueFrom: {fieldRef: {fieldPath: status.podIPs}}
`);

const uses = workload('ReplicationController', `initContainers:
- name: register
  image: x
  command: [register, "--addr=$(MY_IP):7000"]
  env:
  - name: MY_IP
    valueFrom:
      fieldRef:
        apiVersion: v1
        fieldPath: status.podIP
containers:
- name: app
  image: x
  env:
  - name: NODE
    valueFrom: {fieldRef: {fieldPath: status.hostIP}}
  - name: NAME
    valueFrom: {fieldRef: {fieldPath: metadata.name}}
`);

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'podIP next to podIPs in the same container', yaml: both.yaml },
    { name: 'a variable that merely ends like a service link', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  args: ["--x=$(MY_SERVICE_HOSTNAME)"]\n').yaml },
    { name: 'other downward API fields', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  env: [{name: N, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]\n').yaml },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'primaryOnly', line: 17, severity: 'low', fix: 'Use status.podIPs' }] },
    {
      name: 'podIP used in an init command, hostIP in a container', yaml: uses.yaml,
      findings: [
        { messageId: 'primaryOnly', line: uses.line(10), includes: 'env MY_IP of init container register gets status.podIP, the primary-family address only, so what it binds or advertises has one family (used in --addr=$(MY_IP):7000)' },
        { messageId: 'primaryOnly', line: uses.line(16), includes: 'env NODE of container app gets status.hostIP' },
      ],
    },
    {
      name: 'kube-prometheus node-exporter: kube-rbac-proxy listens on [$(IP)]:9100 (corpus)', yaml: corpus('kube-prometheus/manifests/nodeExporter-daemonset.yaml'),
      findings: [{ messageId: 'primaryOnly', line: 75, includes: 'env IP of container kube-rbac-proxy gets status.podIP, the primary-family address only, so what it binds or advertises has one family (used in --secure-listen-address=[$(IP)]:9100)' }],
    },
    {
      name: 'metallb speaker: memberlist bind address and host IP (corpus)', yaml: corpus('metallb/config/manifests/metallb-native.yaml'),
      findings: [
        { messageId: 'primaryOnly', line: 39, includes: 'env METALLB_HOST of container speaker gets status.hostIP' },
        { messageId: 'primaryOnly', line: 43, includes: 'METALLB_ML_BIND_ADDR' },
      ],
    },
    {
      name: 'hubble-cli HUBBLE_SERVER from service-link variables, unbracketed before :port (corpus)', yaml: corpus('cilium/examples/hubble/hubble-cli.yaml'),
      findings: [{ messageId: 'serviceHost', line: 24, includes: 'env HUBBLE_SERVER of container hubble-cli uses $(HUBBLE_RELAY_SERVICE_HOST), only the primary-family cluster IP of Service hubble-relay, and the ":port" after it is not bracketed' }],
    },
    {
      name: 'a bracketed service-link variable in args', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  args: ["--api=https://[$(KUBERNETES_SERVICE_HOST)]:443"]\n').yaml,
      findings: [{ messageId: 'serviceHost', line: 10, includes: 'uses $(KUBERNETES_SERVICE_HOST), only the primary-family cluster IP of Service kubernetes', fix: 'Use its DNS name kubernetes' }],
    },
    {
      name: 'whereami POD_IP (corpus)', yaml: corpus('gke-samples/quickstarts/whereami/k8s/deployment.yaml'),
      findings: [{ messageId: 'primaryOnly', line: 94, resource: 'Deployment/default/whereami' }],
    },
    {
      name: 'standalone etcd advertises $(HOSTNAME_IP) (corpus)', yaml: corpus('cilium/examples/kubernetes/addons/etcd/standalone-etcd.yaml'),
      findings: [{ messageId: 'primaryOnly', line: 72, includes: 'used in --name=cilium-etcd-$(HOSTNAME_IP)' }],
    },
  ],
});

import rule from '../../src/rules/exporter-bind-single-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const ds = (arg: string, field = 'status.podIP'): string => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: exporter
  labels: {app: exporter}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec:
      containers:
      - name: proxy
        image: quay.io/brancz/kube-rbac-proxy:v0.19.0
        args:
        - ${arg}
        env:
        - name: IP
          valueFrom: {fieldRef: {fieldPath: ${field}}}
`;
const dualSvc = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: exporter\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: exporter}\n  ports: [{port: 9100}]\n';
const nginx = (conf: string, name = 'grafana'): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-nginx
data:
  nginx.conf: |
    server {
${conf.split('\n').map((l) => `      ${l}`).join('\n')}
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
      - name: web
        image: nginx
        volumeMounts: [{name: conf, mountPath: /etc/nginx/conf.d}]
      volumes:
      - name: conf
        configMap: {name: ${name}-nginx}
`;

ruleTester(rule, {
  valid: [
    { name: 'wildcard listen', yaml: ds('--secure-listen-address=:9100') },
    { name: 'advertise address is not a bind', yaml: ds('--cluster.advertise-address=[$(IP)]:9094') },
    { name: 'nginx with both listens', yaml: nginx('listen 8080;\nlisten [::]:8080;') },
    { name: 'nginx of a non-monitoring app is out of scope', yaml: nginx('listen 8080;', 'shop') },
  ],
  invalid: [
    { name: 'corpus: kube-prometheus node-exporter binds [$(IP)]:9100 (its Service is single-stack: low)',
      yaml: `${fixture('corpus/kube-prometheus/manifests/nodeExporter-daemonset.yaml')}---\n${fixture('corpus/kube-prometheus/manifests/nodeExporter-service.yaml')}`,
      findings: [{ messageId: 'ipBind', line: 68, severity: 'low', includes: 'status.podIP' }] },
    { name: 'behind a dual-stack Service: medium', yaml: `${ds('--web.listen-address=$(IP):9100')}${dualSvc}`, findings: [{ messageId: 'ipBind', line: 15, severity: 'medium' }] },
    { name: 'host IP', yaml: ds('--host=$(IP)', 'status.hostIP'), findings: [{ messageId: 'ipBind', line: 15, includes: 'status.hostIP' }] },
    { name: 'corpus: GKE Hubble UI nginx listens on IPv4 only (low)', yaml: fixture('corpus/gke-samples/networking/dpv2-observability/hubble-ui-std.yaml'),
      findings: [{ messageId: 'nginx', line: 9, severity: 'low', fix: 'listen [::]:8081;' }] },
    { name: 'grafana nginx', yaml: nginx('listen 3000;'), findings: [{ messageId: 'nginx', line: 8, severity: 'medium' }] },
  ],
});

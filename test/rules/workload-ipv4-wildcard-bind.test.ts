import rule from '../../src/rules/workload-ipv4-wildcard-bind.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { corpus, join, workload } from '../helpers/workloads.ts';

const WHEREAMI_CM = corpus('gke-samples/quickstarts/whereami/k8s/configmap.yaml');
const WHEREAMI = join(WHEREAMI_CM, corpus('gke-samples/quickstarts/whereami/k8s/deployment.yaml'));

const args = workload('StatefulSet', `containers:
- name: api
  image: example/api:1
  command: [python, -m, api]
  args: ["--bind", "0.0.0.0", "--metrics=0.0.0.0:9090"]
  env:
  - {name: ALLOW, value: 0.0.0.0/0}
  - {name: LISTEN, value: "0.0.0.0:8080"}
`);

const cronjob = workload('CronJob', `initContainers:
- name: prep
  image: example/prep:1
  args:
  - serve --host 0.0.0.0
containers:
- name: job
  image: example/job:1
`);

const cmEnv = join(`apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  LISTEN: "0.0.0.0"
  OTHER: "10.0.0.1"
  server.conf: |
    # listen on everything
    bind_address = "0.0.0.0"
`, workload('Deployment', `containers:
- name: app
  image: example/app:1
  env:
  - name: LISTEN
    valueFrom: {configMapKeyRef: {name: cfg, key: LISTEN}}
`).yaml, workload('Job', `volumes:
- name: c
  configMap: {name: cfg, items: [{key: server.conf, path: server.conf}]}
containers:
- name: app
  image: example/app:1
`, { name: 'second' }).yaml);

const goImages = workload('DaemonSet', `containers:
- name: exporter
  image: quay.io/prometheus/node-exporter:v1.8.0
  args: [--web.listen-address=0.0.0.0:9100]
- name: proxy
  image: registry.k8s.io/kube-proxy:v1.31.0
  command: [kube-proxy, --bind-address=0.0.0.0]
`);

const nginx = (conf: string): string => join(`apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data:
  default.conf: |
${conf.split('\n').map((l) => `    ${l}`).join('\n')}
`, workload('Deployment', `volumes:
- name: c
  configMap: {name: web}
containers:
- name: nginx
  image: nginx:1.27
`).yaml).yaml;

const haproxy = (conf: string): string => join(`apiVersion: v1
kind: ConfigMap
metadata: {name: lb}
data:
  haproxy.cfg: |
${conf.split('\n').map((l) => `    ${l}`).join('\n')}
`, workload('Deployment', `volumes:
- name: c
  configMap: {name: lb}
containers:
- name: haproxy
  image: haproxy:2.8
`).yaml).yaml;

ruleTester(rule, {
  valid: [
    { name: 'docs good example', yaml: rule.meta.docs.good },
    { name: 'no bind address', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  args: [--port=80]\n').yaml },
    { name: '0.0.0.0/0 is a CIDR, not a bind', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  env: [{name: ALLOWED, value: "0.0.0.0/0"}]\n').yaml },
    { name: 'the same container also listens on [::]', yaml: workload('Pod', 'containers:\n- name: a\n  image: x\n  args: [--listen=0.0.0.0:80, "--listen=[::]:80"]\n').yaml },
    { name: 'istio ratelimit HOST "::" (corpus)', yaml: corpus('istio/samples/ratelimit/rate-limit-service.yaml') },
    { name: 'a ConfigMap no pod uses is not judged', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  HOST: 0.0.0.0\n' },
    { name: 'a key the pod does not read', yaml: join('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  A: 0.0.0.0\n  B: "::"\n', workload('Pod', 'containers:\n- name: a\n  image: x\n  env: [{name: B, valueFrom: {configMapKeyRef: {name: c, key: B}}}]\n').yaml).yaml },
    { name: 'a ConfigMap of another namespace', yaml: join('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\ndata:\n  A: 0.0.0.0\n', workload('Pod', 'containers:\n- name: a\n  image: x\n  envFrom: [{configMapRef: {name: c}}]\n').yaml).yaml },
    { name: 'nginx with listen [::]', yaml: nginx('server {\n    listen 80;\n    listen [::]:80;\n}') },
    { name: 'HAProxy with an IPv6 bind', yaml: haproxy('frontend redis\n  bind :::6379 v4v6\n  default_backend r') },
    { name: 'HAProxy bind on a specific address', yaml: haproxy('listen health\n  bind 10.0.0.1:8888') },
    { name: 'a commented 0.0.0.0 in a ConfigMap file', yaml: nginx('# 0.0.0.0 is the default\nserver {\n    listen [::]:80 ipv6only=off;\n}') },
  ],
  invalid: [
    { name: 'docs bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'bind', line: 15, severity: 'medium', includes: 'env HOST of container api' }] },
    {
      name: 'args and env of a StatefulSet, one finding per value, CIDR ignored', yaml: args.yaml,
      findings: [
        { messageId: 'bind', line: args.line(5), includes: 'args of container api binds the IPv4 wildcard (0.0.0.0)' },
        { messageId: 'bind', line: args.line(5), includes: '(--metrics=0.0.0.0:9090)' },
        { messageId: 'bind', line: args.line(8), includes: 'env LISTEN' },
      ],
    },
    { name: 'init container of a CronJob', yaml: cronjob.yaml, findings: [{ messageId: 'bind', line: cronjob.line(5), includes: 'args of init container prep' }] },
    {
      name: 'ConfigMap keys read through configMapKeyRef and through a volume item, reported once at the key', yaml: cmEnv.yaml,
      findings: [
        { messageId: 'configMap', line: 5, resource: 'ConfigMap/default/cfg', includes: 'so LISTEN in Deployment/default/web refuse' },
        { messageId: 'configMap', line: 7, resource: 'ConfigMap/default/cfg', includes: 'bind_address = "0.0.0.0", line 2' },
      ],
    },
    {
      name: 'Go images are low and say verify', yaml: goImages.yaml,
      findings: [
        { messageId: 'bindGo', line: goImages.line(4), severity: 'low', includes: 'verify' },
        { messageId: 'bindGo', line: goImages.line(7), severity: 'low' },
      ],
    },
    { name: 'nginx listen with a port only', yaml: nginx('server {\n    listen       80;\n    # listen [::]:80;\n}'), findings: [{ messageId: 'nginxListen', line: 5, includes: 'listen 80; (line 2)' }] },
    {
      name: 'HAProxy bind with a port only (as in argo-cd redis-ha)', yaml: haproxy('global\n  maxconn 100\nlisten health_check_http_url\n  bind :8888\n  mode http\nfrontend ft_redis_master\n  bind *:6379'),
      findings: [{ messageId: 'haproxyBind', line: 5, includes: 'HAProxy bind :8888 (line 4) binds IPv4 only' }],
    },
    {
      name: 'whereami: HOST 0.0.0.0 in the ConfigMap, read through configMapKeyRef (corpus)', yaml: WHEREAMI.yaml,
      findings: [{ messageId: 'configMap', line: 31, severity: 'medium', resource: 'ConfigMap/default/whereami', includes: 'so HOST in Deployment/default/whereami refuse' }],
    },
    {
      name: 'hubble-ui nginx.conf listens on 8081 with the IPv6 listen commented out (corpus)', yaml: corpus('gke-samples/networking/dpv2-observability/hubble-ui-std.yaml'),
      findings: [{ messageId: 'nginxListen', line: 7, resource: 'ConfigMap/kube-system/hubble-ui-nginx' }],
    },
    {
      name: 'node-local-dns Corefile bind 0.0.0.0, Go image (corpus)', yaml: corpus('cilium-cli/.github/node-local-dns/node-local-dns.yaml'),
      findings: [{ messageId: 'configMapGo', line: 7, severity: 'low', includes: 'bind 0.0.0.0, line 9' }],
    },
    {
      name: 'vLLM --host=0.0.0.0 (corpus)', yaml: corpus('k8s-examples/AI/vllm-deployment/vllm-deployment.yaml'),
      findings: [{ messageId: 'bind', line: 37, severity: 'medium', includes: '--host=0.0.0.0' }],
    },
    {
      name: 'istio ext-authz httpbin command 0.0.0.0:8080 (corpus)', yaml: corpus('istio/samples/extauthz/local-ext-authz.yaml'),
      findings: [{ messageId: 'bind', line: 27, includes: 'command of container httpbin' }],
    },
    {
      // issue 18: Contour's xDS server is a Go "tcp" listener, dual-stack on 0.0.0.0: low and "verify", not medium.
      name: 'Contour --xds-address=0.0.0.0, Go image (corpus: projectcontour/contour examples)', yaml: corpus('contour/examples/contour/03-contour.yaml'),
      findings: [{ messageId: 'bindGo', line: 41, severity: 'low', includes: 'is Go (verify)' }],
    },
    {
      name: 'standalone etcd listen URLs, Go image (corpus)', yaml: corpus('cilium/examples/kubernetes/addons/etcd/standalone-etcd.yaml'),
      findings: [{ messageId: 'bindGo', line: 80, severity: 'low' }, { messageId: 'bindGo', line: 81, severity: 'low' }],
    },
  ],
});

// The text scanners behind the workload rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasIPv6Wildcard, ipv4Literals, ipv4Wildcards, isGoImage, lineInText, peerIPv4Literals, pointer, snippet } from '../../src/rules/helpers-workloads.ts';

test('IPv4 literals: standalone dotted quads, CIDRs marked, versions and longer numbers ignored', () => {
  const hits = (t: string) => ipv4Literals(t).map((h) => `${h.ip}${h.cidr ? '/' : ''}`);
  assert.deepEqual(hits('http://10.0.0.1:8080/x and 10.1.0.0/16'), ['10.0.0.1', '10.1.0.0/']);
  assert.deepEqual(hits('v1.2.3.4 1.2.3.4.5 11.2.3.4a 256.1.1.1 x1.2.3.4'), []);
  assert.deepEqual(hits('[10.0.0.1]:53,"192.168.0.1"'), ['10.0.0.1', '192.168.0.1']);
  assert.deepEqual(peerIPv4Literals('127.0.0.1 0.0.0.0 255.255.255.0 255.255.255.255 169.254.169.254 8.8.8.8').map((h) => h.ip), ['169.254.169.254', '8.8.8.8']);
});

test('the IPv4 wildcard: 0.0.0.0 as an address, not 0.0.0.0/0', () => {
  assert.equal(ipv4Wildcards('--bind=0.0.0.0:80').length, 1);
  assert.equal(ipv4Wildcards('allow 0.0.0.0/0').length, 0);
  assert.equal(ipv4Wildcards('10.0.0.0').length, 0);
});

test('the IPv6 wildcard in its spellings', () => {
  for (const t of ['::', '"::"', 'listen [::]:80;', 'bind :::6379 v4v6', 'host: ::', 'addr ::0']) assert.ok(hasIPv6Wildcard(t), t);
  for (const t of ['fd00::1', '::1', '0.0.0.0', 'a::b', 'std::string']) assert.ok(!hasIPv6Wildcard(t), t);
});

test('Go images by name, with nginx and Envoy images under Go registries excluded', () => {
  for (const i of ['registry.k8s.io/kube-proxy:v1.31.0', 'quay.io/prometheus/node-exporter:v1.8.0', 'quay.io/coreos/etcd:v3.3.25', 'ghcr.io/spiffe/spire-server:1.5.4',
    // issue 18: Go servers of real projects that bind 0.0.0.0 (Go's "tcp" listeners accept both families there)
    'ghcr.io/projectcontour/contour:v1.20.1', 'docker.io/projectcontour/contour:v1.3.0', 'buoyantio/slow_cooker:1.3.0', 'salrashid123/grpc_health_proxy:1.0.0',
    'ghcr.io/fluxcd/source-controller:v1.4.1', 'gcr.io/knative-releases/knative.dev/serving/cmd/controller@sha256:abc', 'envoyproxy/gateway:v1.2.0']) assert.ok(isGoImage(i), i);
  for (const i of ['registry.k8s.io/ingress-nginx/controller:v1.11.0', 'quay.io/cilium/cilium-envoy:v1.29', 'docker.io/istio/proxyv2:1.24', 'envoyproxy/envoy:v1.31.0', 'nginx:1.27', 'vllm/vllm-openai:latest', undefined]) assert.ok(!isGoImage(i), String(i));
});

test('snippets, lines and pointers for messages and fixes', () => {
  assert.equal(snippet('a\n   listen     80;  \nb', 9), 'listen 80;');
  const long = `${'x'.repeat(100)} --host=0.0.0.0 ${'y'.repeat(100)}`;
  const s = snippet(long, long.indexOf('0.0.0.0'), 40);
  assert.ok(s.includes('0.0.0.0') && s.startsWith('…') && s.endsWith('…'), s);
  assert.equal(lineInText('a\nb\nc', 4), 3);
  assert.equal(pointer(['data', 'a/b~c', 0]), '/data/a~1b~0c/0');
});

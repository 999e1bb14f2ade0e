import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectDnsNames, lookupName } from '../../src/model/dns.ts';
import { modelIntake, type IntakeOptions } from '../../src/model/build.ts';
import type { InputDocument } from '../../src/model/types.ts';

const doc = (object: Record<string, unknown>): InputDocument => ({ object });

/** What --resolve looks up: the model intake's names, with its namespace filters. */
function namesToResolve(docs: readonly InputDocument[], filter: IntakeOptions = {}): string[] {
  const intake = modelIntake(filter);
  for (const d of docs) intake.add(d);
  return intake.namesToResolve();
}

test('lookupName: public names only', () => {
  assert.equal(lookupName('API.Example.COM.'), 'api.example.com');
  for (const n of ['*.example.com', '192.0.2.1', '2001:db8::1', 'localhost', 'db.prod.svc', 'db.prod.svc.cluster.local', 'printer.local', 'metadata.google.internal', 'CLUSTER_DOMAIN', '', 'a..b', '1.2.3', 'bad_label-.example.com']) {
    assert.equal(lookupName(n), undefined, n);
  }
});

test('collectDnsNames: every origin with its JSON path; namesToResolve dedups and honours namespace filters', () => {
  const docs = [
    doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'e', namespace: 'a' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } }),
    doc({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'b' }, spec: { rules: [{ host: 'www.example.com' }, { http: {} }] } }),
    doc({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'a' }, spec: { listeners: [{ hostname: '*.example.com' }, { hostname: 'gw.example.com' }] } }),
    doc({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'r', namespace: 'a' }, spec: { hostnames: ['grpc.example.com'] } }),
    doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'a', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'lb.example.com, db.example.com' } }, spec: { type: 'LoadBalancer' } }),
    doc({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'c' }, specs: [{ egress: [{ toFQDNs: [{ matchName: 'api.github.com' }, { matchPattern: '*.github.com' }] }] }] }),
    doc({ apiVersion: 'networking.gke.io/v1alpha1', kind: 'FQDNNetworkPolicy', metadata: { name: 'f', namespace: 'b' }, spec: { egress: [{ matches: [{ name: 'storage.googleapis.com' }] }] } }),
  ];
  const refs = collectDnsNames(docs);
  assert.deepEqual(refs.map((r) => [r.name, r.origin, r.path.join('.')]), [
    ['db.example.com', 'externalName', 'spec.externalName'],
    ['www.example.com', 'ingressHost', 'spec.rules.0.host'],
    ['gw.example.com', 'gatewayHostname', 'spec.listeners.1.hostname'],
    ['grpc.example.com', 'routeHostname', 'spec.hostnames.0'],
    ['lb.example.com', 'externalDnsAnnotation', 'metadata.annotations.external-dns.alpha.kubernetes.io/hostname'],
    ['db.example.com', 'externalDnsAnnotation', 'metadata.annotations.external-dns.alpha.kubernetes.io/hostname'],
    ['api.github.com', 'fqdnPolicy', 'specs.0.egress.0.toFQDNs.0.matchName'],
    ['storage.googleapis.com', 'fqdnPolicy', 'spec.egress.0.matches.0.name'],
  ]);
  assert.deepEqual(namesToResolve(docs), ['db.example.com', 'www.example.com', 'gw.example.com', 'grpc.example.com', 'lb.example.com', 'api.github.com', 'storage.googleapis.com']);
  assert.deepEqual(namesToResolve(docs, { excludeNamespaces: ['a'] }), ['www.example.com', 'api.github.com', 'storage.googleapis.com']);
  assert.deepEqual(namesToResolve(docs, { namespaces: ['a'] }), ['db.example.com', 'gw.example.com', 'grpc.example.com', 'lb.example.com', 'api.github.com']);
});

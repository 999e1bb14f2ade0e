// Duplicate objects across files (issue 18 item 3): reported once as a problem naming every copy,
// and never merged: links (Ingress -> Service, twins, Service -> pods) only between objects that
// can be in one cluster. Regressions from GKE networking recipes, kind and GKE samples (fixtures/corpus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { buildModel } from '../../src/model/build.ts';
import { buildCoexistence, coexist, contentHash } from '../../src/model/coexist.ts';
import fc from '../helpers/fc.ts';
import type { Report } from '../../src/engine/types.ts';

const fx = (p: string): string => new URL(`../../fixtures/corpus/${p}`, import.meta.url).pathname;
const RECIPES = 'gke-networking-recipes/ingress/single-cluster';
const NGINX = fx(`${RECIPES}/ingress-nginx/ingress-nginx.yaml`);
const EXTERNAL = fx(`${RECIPES}/ingress-external-basic/external-ingress-basic.yaml`);
const INTERNAL = fx(`${RECIPES}/ingress-internal-basic/internal-ingress-basic.yaml`);
const HTTPS = fx(`${RECIPES}/ingress-https/secure-ingress.yaml`);
const IAP = fx(`${RECIPES}/ingress-iap/iap-ingress.yaml`);
const ARMOR = fx(`${RECIPES}/ingress-cloudarmor/cloudarmor-ingress.yaml`);
const KIND = fx('kind/site/static/examples/ingress/usage.yaml');
const GKE_STATIC = fx('gke-samples/networking/load-balancing/basic-ingress-static.yaml');

async function audit(paths: readonly string[], opts: { platform?: 'gke' | 'generic' } = {}): Promise<Report> {
  const loaded = await loadPaths(paths);
  return analyze(loaded.documents, loaded.problems, loaded.locator.locate, { mode: 'files', sources: paths, live: false }, {
    tool: { name: 'dualstack-audit', version: 'test' }, families: ['IPv4', 'IPv6'], familiesFrom: 'flag',
    ...(opts.platform ? { platform: { name: opts.platform, from: 'flag' } } : {}),
  });
}

/** How the loader names a file in findings and problems (relative to the working directory). */
const shown = (p: string): string => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));
const at = (f: { location?: { file: string } }, path: string): boolean => f.location?.file === shown(path);

test('Service default/foo behind the nginx Ingress is no backend of the GCE Ingresses of other recipes (gke-networking-recipes)', async () => {
  const r = await audit([NGINX, EXTERNAL, INTERNAL, HTTPS]);
  const nginxFoo = r.findings.filter((f) => f.ruleId === 'service-single-stack' && at(f, NGINX));
  assert.equal(nginxFoo.length, 1);
  assert.equal(nginxFoo[0]!.messageId, 'defaulted', nginxFoo[0]!.message);
  // The external and internal recipes define the same Service and Deployment foo: they can be applied together.
  const extFoo = r.findings.find((f) => f.ruleId === 'service-single-stack' && at(f, EXTERNAL));
  assert.match(extFoo!.message, /Ingress\/default\/foo-external \(gce\), Ingress\/default\/foo-internal \(gce-internal\) serve/);
  assert.doesNotMatch(extFoo!.message, /secure-ingress/);
  // secure-ingress's own Service foo differs from the others: only its own Ingress consumes it.
  const httpsFoo = r.findings.find((f) => f.ruleId === 'service-single-stack' && at(f, HTTPS) && f.resource.name === 'foo');
  assert.match(httpsFoo!.message, /; Ingress\/default\/secure-ingress \(gce\) serve/);
});

test('a duplicated object is one problem naming every copy as file:line; the gate does not fail on it', async () => {
  const r = await audit([NGINX, EXTERNAL]);
  const dup = r.problems.filter((p) => p.message.startsWith('Service default/foo '));
  assert.equal(dup.length, 1);
  assert.equal(dup[0]!.file, shown(NGINX));
  assert.equal(dup[0]!.line, 34);
  assert.ok(dup[0]!.message.includes(`(${shown(NGINX)}:34, ${shown(EXTERNAL)}:34)`), dup[0]!.message);
  assert.match(dup[0]!.message, /defined twice with different content .*audited as alternatives/);
  assert.equal(dup[0]!.fatal, false);
  // The Ingress foo-external and the Deployment foo also exist in both files.
  assert.deepEqual(r.problems.map((p) => p.message.split(' is defined')[0]).sort(), ['Deployment default/foo', 'Ingress default/foo-external', 'Service default/foo']);
});

test('identical copies are one object declared twice: said so, and their files still coexist', async () => {
  const r = await audit([EXTERNAL, INTERNAL]);
  const msgs = r.problems.map((p) => p.message);
  assert.equal(msgs.length, 2, msgs.join('\n'));
  for (const m of msgs) assert.match(m, /defined twice with the same content/);
  const loaded = await loadPaths([EXTERNAL, INTERNAL, NGINX]);
  const c = buildCoexistence(loaded.documents);
  const src = (p: string) => loaded.documents.find((d) => d.source?.file === shown(p))!.source;
  assert.equal(coexist(c, src(EXTERNAL), src(INTERNAL)), true);
  assert.equal(coexist(c, src(EXTERNAL), src(NGINX)), false);
  assert.equal(coexist(c, src(NGINX), src(NGINX)), true);
});

test('twice in one file: reported too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-dup-'));
  try {
    const f = join(dir, 'twice.yaml');
    writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "2"}\n');
    const r = await audit([f]);
    assert.deepEqual(r.problems.map((p) => [p.line, p.message]), [[1, `ConfigMap default/a is defined twice with different content (${shown(f)}:1, ${shown(f)}:6): the copies are audited as alternatives, each linked only to objects that can be applied with it`]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GKE Ingresses that share the Service whereami but differ in IAP, Cloud Armor and address are no IPv4/IPv6 pair', async () => {
  const r = await audit([IAP, ARMOR]);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'gke-ingress-pair-drift'), []);
  // Before, iap-test (static address) was cloudarmor-test's "twin" and hid its ephemeral-IPv4 finding.
  const armor = r.findings.find((f) => f.ruleId === 'gke-ingress-ipv4-only-frontend' && f.resource.name === 'cloudarmor-test');
  assert.equal(armor?.messageId, 'ephemeral');
});

const ing = (name: string, ip: string, path: string, cert?: string): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  annotations:
    kubernetes.io/ingress.class: gce
    kubernetes.io/ingress.global-static-ip-name: ${ip}
${cert ? `    networking.gke.io/managed-certificates: ${cert}\n` : ''}spec:
  rules:
  - http:
      paths:
      - {path: ${path}, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

test('in one file: a shared backend makes a pair only with the same rules and certificates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-pair-'));
  try {
    const f = join(dir, 'ing.yaml');
    const write = (a: string, b: string): string => (writeFileSync(f, `${a}---\n${b}`), f);
    const twins = await audit([write(ing('shop', 'shop-v4', '/'), ing('shop-ipv6', 'shop-v6', '/'))]);
    assert.deepEqual(twins.findings.filter((x) => x.ruleId === 'gke-ingress-ipv4-only-frontend'), [], 'a pair: each serves one family');
    const sites = await audit([write(ing('shop', 'shop-ip', '/', 'shop-cert'), ing('admin', 'admin-ip', '/admin', 'admin-cert'))]);
    assert.deepEqual(sites.findings.filter((x) => x.ruleId === 'gke-ingress-ipv4-only-frontend').map((x) => [x.resource.name, x.messageId]), [['shop', 'single'], ['admin', 'single']]);
    assert.deepEqual(sites.findings.filter((x) => x.ruleId === 'gke-ingress-pair-drift'), []);
    const certOnly = await audit([write(ing('shop', 'shop-ip', '/', 'a'), ing('shop2', 'shop2-ip', '/', 'b'))]);
    assert.equal(certOnly.findings.filter((x) => x.ruleId === 'gke-ingress-ipv4-only-frontend').length, 2, 'other certificates: another site');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a class-less Ingress is GKE\'s only with evidence for it, not because another file of the input is GKE (kind + GKE sample)', async () => {
  const loaded = await loadPaths([KIND, GKE_STATIC]);
  const generic = buildModel(loaded.documents);
  assert.equal(generic.platform.name, 'gke', 'the GKE sample still makes the platform inferred gke');
  assert.deepEqual(generic.gke.ingresses.map((i) => [i.ref.name, i.classFrom]), [['basic-ingress', 'default']], 'the GKE sample\'s own Ingress (static-IP annotation) stays');
  const given = buildModel(loaded.documents, { platform: { name: 'gke', from: 'flag' } });
  assert.deepEqual(given.gke.ingresses.map((i) => i.ref.name).sort(), ['basic-ingress', 'example-ingress'], '--platform gke: every class-less Ingress is gce');
});

test('a backend Service with GKE annotations that can be applied with the Ingress is evidence for the default class', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-cls-'));
  try {
    const a = join(dir, 'svc.yaml');
    const b = join(dir, 'ing.yaml');
    writeFileSync(a, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {cloud.google.com/neg: \'{"ingress": true}\'}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n');
    writeFileSync(b, 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n');
    const loaded = await loadPaths([a, b]);
    assert.deepEqual(buildModel(loaded.documents).gke.ingresses.map((i) => i.ref.name), ['web']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two files with different copies of a Deployment: each copy is a workload, selected only by the Service it can be applied with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-wl-'));
  try {
    const dep = (image: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: ${image}}]}\n`;
    const svc = (port: number): string => `apiVersion: v1\nkind: Service\nmetadata: {name: web-${port}}\nspec: {selector: {app: web}, ports: [{port: ${port}}]}\n`;
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, `${dep('web:1')}---\n${svc(80)}`);
    writeFileSync(b, `${dep('web:2')}---\n${svc(8080)}`);
    const loaded = await loadPaths([a, b]);
    const m = buildModel(loaded.documents);
    assert.deepEqual(m.workloads.map((w) => [w.source?.file, w.containers[0]!.image, w.selectedBy.map((s) => s.ref.name)]),
      [[shown(a), 'web:1', ['web-80']], [shown(b), 'web:2', ['web-8080']]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a LoadBalancer is judged as GKE\'s only with evidence for its cluster, not because another file of the input is GKE', async () => {
  const LB = fx('k8s-website/content/en/examples/service/networking/dual-stack-prefer-ipv6-lb-svc.yaml');
  const legacy = (r: Report) => r.findings.filter((f) => f.ruleId === 'gke-lb-legacy-ipv4-only').map((f) => f.resource.name);
  const mixed = await audit([LB, GKE_STATIC]);
  assert.equal(mixed.target.platform?.name, 'gke', 'the report still says the input shows GKE');
  assert.deepEqual(legacy(mixed), [], 'the Kubernetes docs\' LoadBalancer is not GKE\'s because a GKE sample is beside it');
  assert.deepEqual(legacy(await audit([LB, GKE_STATIC], { platform: 'gke' })), ['my-service']);
  const dir = mkdtempSync(join(tmpdir(), 'dsa-node-'));
  try {
    const node = join(dir, 'node.yaml');
    writeFileSync(node, 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {cloud.google.com/gke-nodepool: default-pool}\n');
    assert.deepEqual(legacy(await audit([LB, node])), ['my-service'], 'GKE Nodes: the cluster is GKE, for every object');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a NetworkPolicy selects only pods of files that can be applied with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-np-'));
  try {
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}\n';
    const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n`;
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {v: "${v}"}\n`;
    const files = { a: `${np}---\n${cm('1')}`, b: `${pod('web-b')}---\n${cm('2')}`, c: pod('web-c') };
    const paths = Object.entries(files).map(([n, t]) => (writeFileSync(join(dir, `${n}.yaml`), t), join(dir, `${n}.yaml`)));
    const m = buildModel((await loadPaths(paths)).documents);
    const p = m.policies.networkPolicies[0]!;
    assert.deepEqual([p.selectedCount, p.firstSelected?.name], [1, 'web-c'], 'b.yaml defines ConfigMap settings differently: an alternative to a.yaml');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// contentHash stands for the content of a copy that was let go: equal for equal JSON content
// whatever the key order (1 and 1.0, -0 and 0 alike), and different for different content.
test('contentHash: equal content gives one hash whatever the key order; different content another', () => {
  const shuffle = (v: unknown, seed: number): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => shuffle(x, seed + i));
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    const order = keys.map((k, i) => [k, (Math.imul(seed + i, 0x9e3779b1) >>> 0) % 1000] as const).sort((a, b) => a[1] - b[1]).map(([k]) => k);
    return Object.fromEntries(order.map((k) => [k, shuffle((v as Record<string, unknown>)[k], seed * 7 + k.length)]));
  };
  const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
  const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  fc.assert(fc.property(json, fc.nat(), (v, seed) => {
    assert.equal(contentHash(shuffle(v, seed)), contentHash(v));
  }), { numRuns: 500 });
  fc.assert(fc.property(json, json, (v, w) => {
    if (canonical(v) === canonical(w)) assert.equal(contentHash(v), contentHash(w));
    else assert.notEqual(contentHash(v), contentHash(w), `${canonical(v)} vs ${canonical(w)}`);
  }), { numRuns: 2000 });
  assert.equal(contentHash({ a: 1, b: [0] }), contentHash({ b: [-0], a: 1.0 }));
  const distinct = [1, '1', 1.5, '1.5', 2 ** 31, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, true, 'true', null, 'null', [], {}, [1], { 1: 1 }, ['a', 'b'], ['b', 'a'], 'a'.repeat(5000), `${'a'.repeat(4999)}b`];
  assert.equal(new Set(distinct.map((v) => contentHash({ v }))).size, distinct.length);
});

// The page-streaming read (issue 14 item 8, issue 21 item 2): each page's items are converted as
// the page arrives and the page is dropped. Not timed: on a small generated cluster
// (test/live/generated.ts) the read in many small pages must give exactly what the read of each
// list in one answer gives (the same documents in the same order, the same report), and what the
// server holds, item for item.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateCluster, type GeneratedCluster } from './generated.ts';
import { startServer, writeKubeconfig, makePki, hasOpenssl, removeDir, API_RESOURCES, type Pki, type TestServer } from './server.ts';
import { cli, tempDir } from './helpers.ts';
import { loadCluster, stripNoise } from '../../src/load/cluster.ts';
import { analyze } from '../../src/engine/analyze.ts';
import type { Report } from '../../src/engine/types.ts';

const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
// 23 Services in 5 namespaces (5 per namespace), 69 Pods on 7 Nodes: several pages of 7 for every kind.
const OPTS = { services: 23, podsPerService: 3, servicesPerNamespace: 5, podsPerNode: 10, singleStackEvery: 4 };
let cluster: GeneratedCluster;
let pki: Pki;
let paged: TestServer;
let whole: TestServer;
let dir: string;
let kcPaged: string;
let kcWhole: string;

before(async () => {
  if (skip) return;
  cluster = generateCluster(OPTS);
  pki = makePki();
  const resources = API_RESOURCES.filter((d) => d.kind !== 'AdminNetworkPolicy');
  paged = await startServer(cluster.objects, { pki, lazy: cluster.lazy, resources });
  paged.maxPage = 7;
  whole = await startServer(cluster.objects, { pki, lazy: cluster.lazy, resources });
  whole.maxPage = Number.MAX_SAFE_INTEGER;
  dir = tempDir();
  kcPaged = writeKubeconfig(dir, [{ name: 'paged', server: paged.url, caPem: pki.caPem, token: paged.token }], 'paged');
  kcWhole = writeKubeconfig(dir, [{ name: 'whole', server: whole.url, caPem: pki.caPem, token: whole.token }], 'whole');
});
after(async () => {
  if (skip) return;
  await paged.close();
  await whole.close();
  removeDir(dir);
  removeDir(pki.dir);
});

const listRequests = (srv: TestServer, resource: string): string[] => srv.requests.filter((l) => new RegExp(`^GET /apis?/(?:[^/]+/)?v1/${resource}\\?`).test(l));

test('the generated cluster is deterministic and served in limit/continue pages', { skip }, () => {
  const again = generateCluster(OPTS);
  for (const l of cluster.lazy) {
    const other = again.lazy.find((x) => x.def.kind === l.def.kind)!;
    assert.equal(other.count, l.count);
    for (const i of [0, Math.floor(l.count / 2), l.count - 1]) assert.deepEqual(other.item(i), l.item(i), `${l.def.kind} ${i}`);
  }
  assert.deepEqual(cluster.counts, { Node: 7, Pod: 69, Service: 23, EndpointSlice: 46, Deployment: 23, ReplicaSet: 23 });
  // Realistic shapes: Pods owned by their ReplicaSet, dual-stack podIPs inside their Node's ranges.
  const pod = cluster.lazy.find((l) => l.def.kind === 'Pod')!.item(12) as { metadata: { ownerReferences: { kind: string; name: string }[]; labels: Record<string, string> }; spec: { nodeName: string }; status: { podIPs: { ip: string }[] } };
  const rs = cluster.lazy.find((l) => l.def.kind === 'ReplicaSet')!.item(4) as { metadata: { name: string } };
  assert.equal(pod.metadata.ownerReferences[0]!.kind, 'ReplicaSet');
  assert.equal(pod.metadata.ownerReferences[0]!.name, rs.metadata.name);
  const node = cluster.lazy.find((l) => l.def.kind === 'Node')!.item(1) as { metadata: { name: string }; spec: { podCIDRs: string[] } };
  assert.equal(pod.spec.nodeName, node.metadata.name);
  assert.deepEqual(pod.status.podIPs.map((p) => p.ip), [node.spec.podCIDRs[0]!.replace('.0/24', '.4'), node.spec.podCIDRs[1]!.replace('::/64', '::4')]);
});

test('the read in pages of 7 gives the same documents, in the same order, as one answer per list, and what the server holds', { skip }, async () => {
  paged.requests.splice(0);
  const env = { HOME: dir };
  const a = await loadCluster({ kubeconfig: kcPaged, env, backoffMs: 1 });
  // The reference: each list in one answer, its objects not shared.
  const b = await loadCluster({ kubeconfig: kcWhole, env, backoffMs: 1, shareObjects: false });
  assert.deepEqual(a.notEvaluated, []);
  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.read, b.read);
  assert.equal(a.documents.length, b.documents.length);
  assert.deepEqual(a.documents, b.documents);
  // Several pages per kind, each later one asked with the previous page's continue token.
  const pods = listRequests(paged, 'pods');
  assert.equal(pods.length, Math.ceil(69 / 7), pods.join('\n'));
  assert.ok(pods.slice(1).every((l) => l.includes('continue=')));
  assert.equal(listRequests(paged, 'endpointslices').length, Math.ceil(46 / 7));
  assert.equal(listRequests(whole, 'pods').length, 1);
  // Item for item what the server generated (kind and apiVersion restored, noise stripped).
  const podKind = cluster.lazy.find((l) => l.def.kind === 'Pod')!;
  const expected = Array.from({ length: podKind.count }, (_, i) => podKind.item(i));
  const gotPods = a.documents.filter((d) => d.object.kind === 'Pod').map((d) => d.object);
  assert.deepEqual(gotPods, expected.map((o) => stripNoise(o)));
  assert.ok(gotPods.every((p) => !('managedFields' in (p.metadata as object))));
  // The Pods of one ReplicaSet share their containers and owner references (one frozen object);
  // each Pod stays an object of its own.
  // (Not the containers whole: each Pod mounts its own kube-api-access-xxxxx volume, as in a real cluster.)
  const envOf = (i: number): unknown => ((gotPods[i]!.spec as { containers: { env: unknown }[] }).containers[0]!.env);
  const owners = (i: number): unknown => (gotPods[i]!.metadata as { ownerReferences: unknown }).ownerReferences;
  assert.equal(envOf(0), envOf(1));
  assert.equal(owners(0), owners(2));
  assert.notEqual(owners(0), owners(3));
  assert.ok(Object.isFrozen(owners(0)));
  assert.equal((gotPods[0]!.spec as { tolerations: unknown }).tolerations, (gotPods[68]!.spec as { tolerations: unknown }).tolerations);
  assert.notEqual(gotPods[0], gotPods[1]);
  assert.ok(!Object.isFrozen(gotPods[0]));
  assert.notEqual(b.documents.find((d) => d.object.kind === 'Pod')!.object.spec, undefined);
  assert.ok(!Object.isFrozen(b.documents.find((d) => d.object.kind === 'Pod')!.object.spec));
  // The model and the rules see no difference: the same report from the shared paged read as from the plain one.
  const report = (docs: typeof a.documents): Report => analyze(docs, [], undefined, { mode: 'cluster', sources: ['x'], live: true },
    { tool: { name: 'dualstack-audit', version: '0' }, stats: { files: 0, skipped: 0 } });
  const ra = report(a.documents);
  assert.ok(ra.findings.length > 0);
  assert.deepEqual(ra, report(b.documents));
});

test('a namespace-restricted read in pages equals the one-answer read', { skip }, async () => {
  const env = { HOME: dir };
  const namespaces = ['team-001', 'team-004'];
  const a = await loadCluster({ kubeconfig: kcPaged, env, namespaces });
  const b = await loadCluster({ kubeconfig: kcWhole, env, namespaces });
  assert.deepEqual(a.documents, b.documents);
  const pods = a.documents.filter((d) => d.object.kind === 'Pod');
  // 5 Services per namespace, 3 Pods each; team-004 holds the last 3 Services (23 in all).
  assert.equal(pods.length, 5 * 3 + 3 * 3);
  assert.ok(pods.every((d) => namespaces.includes((d.object.metadata as { namespace: string }).namespace)));
});

test('the live audit of the paged read reports exactly what the one-answer read reports', { skip }, async () => {
  const strip = (r: Report): unknown => ({ ...r, target: { ...r.target, sources: [], context: '' }, stats: { ...r.stats, durationMs: 0 } });
  const runs: Report[] = [];
  for (const kc of [kcPaged, kcWhole]) {
    const r = await cli(['-f', 'json', '--fail-on', 'never', '--kubeconfig', kc], { HOME: dir });
    assert.equal(r.code, 0, r.stderr);
    runs.push(JSON.parse(r.stdout) as Report);
  }
  assert.ok(runs[0]!.findings.length > 0, 'the generated cluster has findings (single-stack Services)');
  assert.ok(runs[0]!.findings.some((f) => f.ruleId === 'service-single-stack'));
  assert.deepEqual(strip(runs[0]!), strip(runs[1]!));
});

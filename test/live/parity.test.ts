// Live vs file parity (issue 14): the test API server holding the demo shop's manifests as the
// apiserver would store them (uids, allocated cluster IPs, each Deployment's ReplicaSet and Pods
// carrying ownerReferences, the StatefulSet's Pods) gives the same findings, by rule, kind,
// namespace and name, as the file audit of those manifests, for every rule that runs on both;
// no finding repeats per replica; and a `kubectl get -o yaml` dump of the stored Services gives no
// service-hardcoded-cluster-ip on the addresses the apiserver allocated.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { startServer, writeKubeconfig, hasOpenssl, removeDir, API_RESOURCES, type TestServer } from './server.ts';
import { cli, tempDir } from './helpers.ts';
import { loadPaths } from '../../src/load/files.ts';
import type { Finding, Report } from '../../src/engine/types.ts';
import { RULES } from '../../src/rules/index.ts';

const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
const DEMO = 'fixtures/demo';
const FAMILIES = ['--cluster-families', 'ipv4,ipv6'];
const REPLICAS = 3;

type Obj = Record<string, unknown>;
let srv: TestServer;
let dir: string;
let kubeconfig: string;
let fileReport: Report;
let stored: Obj[];
/** Services the apiserver would reject: never stored, so left out of the comparison. */
let rejected: Set<string>;

const root = new URL('../../', import.meta.url).pathname;
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;
const served = new Set(API_RESOURCES.map((r) => r.kind));

/** The manifests as the apiserver stores them, with the controllers' objects (ReplicaSets, Pods). */
function store(manifests: readonly Obj[], report: Report): Obj[] {
  let n = 0;
  const marks = (o: Obj, extra: Obj = {}): Obj => {
    n++;
    const m = (o.metadata ?? {}) as Obj;
    return { ...m, ...extra, uid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, resourceVersion: String(1000 + n), creationTimestamp: '2025-01-01T00:00:00Z' };
  };
  const out: Obj[] = [];
  let ip = 10;
  for (const o of manifests) {
    const meta = (o.metadata ?? {}) as Obj;
    const ns = (meta.namespace as string | undefined) ?? (o.kind === 'Namespace' ? undefined : 'default');
    if (o.kind === 'Service') {
      const s = report.services.find((x) => x.name === meta.name && (x.namespace ?? 'default') === ns)!;
      if (s.rejected || !s.effective) continue;
      const spec = clone((o.spec ?? {}) as Obj);
      const fams = s.effective.ipFamilies;
      if (spec.type !== 'ExternalName') {
        // The apiserver allocates one address per family unless the manifest set them (or None).
        const ips = spec.clusterIP === 'None' ? ['None'] : typeof spec.clusterIP === 'string'
          ? [spec.clusterIP, ...fams.slice(1).map(() => `fd00:10:96::${(ip++).toString(16)}`)]
          : fams.map((f) => (f === 'IPv4' ? `10.96.100.${ip++}` : `fd00:10:96::${(ip++).toString(16)}`));
        Object.assign(spec, { clusterIP: ips[0], clusterIPs: ips, ipFamilyPolicy: s.effective.ipFamilyPolicy, ipFamilies: fams });
      }
      out.push({ ...o, metadata: marks(o, { namespace: ns }), spec, status: { loadBalancer: {} } });
      continue;
    }
    const own = { ...o, metadata: marks(o, ns ? { namespace: ns } : {}) };
    out.push(own);
    const template = ((o.spec as Obj | undefined)?.template ?? undefined) as Obj | undefined;
    if (!template || (o.kind !== 'Deployment' && o.kind !== 'StatefulSet')) continue;
    const ownerRef = (x: Obj): Obj[] => [{ apiVersion: x.apiVersion, kind: x.kind, name: (x.metadata as Obj).name, uid: (x.metadata as Obj).uid, controller: true, blockOwnerDeletion: true }];
    let podOwner: Obj = own;
    const hash = `7f${out.length}c9d${out.length}b`;
    const labels = { ...((template.metadata as Obj | undefined)?.labels as Obj | undefined), ...(o.kind === 'Deployment' ? { 'pod-template-hash': hash } : {}) };
    if (o.kind === 'Deployment') {
      const rs: Obj = {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {}, spec: { replicas: REPLICAS, template: { ...clone(template), metadata: { labels } } }, status: { replicas: REPLICAS },
      };
      rs.metadata = marks(rs, { name: `${String(meta.name)}-${hash}`, namespace: ns, labels, ownerReferences: ownerRef(own) });
      out.push(rs);
      podOwner = rs;
    }
    for (let i = 0; i < REPLICAS; i++) {
      const name = o.kind === 'Deployment' ? `${String((podOwner.metadata as Obj).name)}-x${i}` : `${String(meta.name)}-${i}`;
      const pod: Obj = {
        apiVersion: 'v1', kind: 'Pod', metadata: {},
        spec: { ...clone(template.spec as Obj), nodeName: 'dual-stack-worker' },
        status: { phase: 'Running', podIP: `10.244.1.${out.length}`, podIPs: [{ ip: `10.244.1.${out.length}` }, { ip: `fd00:10:244:1::${out.length.toString(16)}` }] },
      };
      pod.metadata = marks(pod, { name, namespace: ns, labels, ownerReferences: ownerRef(podOwner) });
      out.push(pod);
    }
  }
  return out;
}

before(async () => {
  if (skip) return;
  const files = await cli(['-f', 'json', '--fail-on', 'never', ...FAMILIES, join(root, DEMO)], {});
  assert.equal(files.code, 0, files.stderr);
  fileReport = JSON.parse(files.stdout) as Report;
  const loaded = await loadPaths([join(root, DEMO)]);
  const manifests = loaded.documents.map((d) => d.object as Obj).filter((o) => served.has(String(o.kind)));
  stored = store(manifests, fileReport);
  rejected = new Set(fileReport.services.filter((s) => s.rejected).map((s) => `Service/${s.namespace ?? 'default'}/${s.name}`));
  srv = await startServer(stored);
  dir = tempDir();
  kubeconfig = writeKubeconfig(dir, [{ name: 'demo', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
});
after(async () => {
  if (skip) return;
  await srv.close();
  removeDir(dir);
  removeDir(srv.pki.dir);
});

const ref = (f: Finding): string => `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`;
const keyOf = (f: Finding): string => `${f.ruleId} ${ref(f)}`;

test('live = files: the same findings (rule, kind, namespace, name) for every rule that runs on both; none per replica', { skip }, async () => {
  const r = await cli(['-f', 'json', '--fail-on', 'never', ...FAMILIES], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 0, r.stderr);
  const live = JSON.parse(r.stdout) as Report;
  assert.equal(live.target.notEvaluated, undefined, 'every kind was read');
  // The live read got the controllers' objects: Deployments, ReplicaSets, StatefulSets and Pods.
  for (const plural of ['deployments', 'replicasets', 'statefulsets', 'pods']) {
    assert.ok(srv.requests.some((q) => q.includes(`/${plural}?`)), `${plural} read`);
  }
  // The JSON lists the rules that ran: live-only ones ran live only, manifest-only ones on the files only.
  const both = live.rules.filter((m) => fileReport.rules.some((x) => x.id === m.id)).map((m) => m.id);
  assert.ok(!both.includes('service-hardcoded-cluster-ip') && !both.includes('pod-single-stack'));
  assert.ok(both.length > 40, `${both.length} rules run on both`);
  const pick = (rep: Report): string[] => rep.findings
    .filter((f) => both.includes(f.ruleId) && !rejected.has(ref(f)))
    .map(keyOf).sort();
  const fromFiles = pick(fileReport);
  assert.ok(fromFiles.length >= 5, `the demo has findings on both sides: ${fromFiles.join('; ')}`);
  assert.ok(fromFiles.some((k) => k.includes(' Deployment/')), 'pod-template findings are among them');
  assert.deepEqual(pick(live), fromFiles);
  // Per-replica repeats: none. No finding names a Pod or a ReplicaSet the input's controllers own,
  // and no (rule, resource, path) appears twice.
  const ownedNames = new Set(stored.filter((o) => (o.kind === 'Pod' || o.kind === 'ReplicaSet')).map((o) => `${String(o.kind)}/${String((o.metadata as Obj).namespace)}/${String((o.metadata as Obj).name)}`));
  assert.deepEqual(live.findings.filter((f) => ownedNames.has(ref(f))).map(keyOf), []);
  const seen = new Set<string>();
  for (const f of live.findings) {
    const k = `${keyOf(f)} ${JSON.stringify(f.path)}`;
    assert.ok(!seen.has(k), `repeated: ${k}`);
    seen.add(k);
  }
  // A pod-template finding says how many running Pods it affects; the file audit's does not.
  const onDeploy = live.findings.filter((f) => f.resource.kind === 'Deployment');
  assert.ok(onDeploy.length > 0 && onDeploy.every((f) => f.pods === REPLICAS && f.message.endsWith(`(${REPLICAS} running Pods)`)), onDeploy.map((f) => f.message).join('\n'));
  assert.ok(fileReport.findings.every((f) => f.pods === undefined));
});

test('a kubectl get -o yaml dump of the stored objects: no service-hardcoded-cluster-ip on allocated IPs; read as stored, as a snapshot is', { skip }, async () => {
  const d = tempDir('dsa-parity-');
  try {
    const file = join(d, 'dump.yaml');
    writeFileSync(file, jsyaml.dump({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: stored }, { noRefs: true, lineWidth: -1 }));
    const r = await cli(['-f', 'json', '--fail-on', 'never', ...FAMILIES, file], {});
    assert.equal(r.code, 0, r.stderr);
    const dump = JSON.parse(r.stdout) as Report;
    // The manifests have one (payments' 10.96.200.15); stored, every clusterIP is the apiserver's.
    assert.ok(fileReport.findings.some((f) => f.ruleId === 'service-hardcoded-cluster-ip'));
    assert.deepEqual(dump.findings.filter((f) => f.ruleId === 'service-hardcoded-cluster-ip').map(keyOf), []);
    assert.equal(dump.stored?.count, stored.length);
    assert.equal(dump.stored?.all, true);
    const liveOnly = RULES.filter((m) => m.meta.liveOnly).map((m) => m.meta.id);
    assert.deepEqual(liveOnly.filter((id) => !dump.rules.some((m) => m.id === id)), [], 'live-only rules run on the dump');
    // The dump's pod-template findings are the live ones: once per controller, with the Pod count.
    const live = await cli(['-f', 'json', '--fail-on', 'never', ...FAMILIES], { KUBECONFIG: kubeconfig });
    const lr = JSON.parse(live.stdout) as Report;
    assert.deepEqual(dump.findings.map(keyOf).sort(), lr.findings.map(keyOf).sort());
  } finally {
    removeDir(d);
  }
});

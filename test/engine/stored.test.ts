// Stored objects anywhere (issue 14 item 4): an object carrying the apiserver's marks is judged as
// stored state whether it comes from a live read, a snapshot, a `kubectl get -o yaml` dump or a
// file that mixes such a dump with manifests; every report format says which objects those were.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { render, FORMATS } from '../../src/report/render.ts';
import { isStoredObject } from '../../src/model/resources.ts';
import { tempDir, removeTempDir } from '../helpers/temp.ts';

const TOOL = { name: 'dualstack-audit', version: 'test' };

// As `kubectl get svc -A -o yaml` prints them (trimmed): the apiserver allocated every clusterIP.
const DUMP = `apiVersion: v1
kind: List
metadata: {resourceVersion: ""}
items:
- apiVersion: v1
  kind: Service
  metadata: {name: kubernetes, namespace: default, uid: 6b1c0f0e-1, resourceVersion: "192", creationTimestamp: "2024-05-01T10:00:00Z", labels: {component: apiserver, provider: kubernetes}}
  spec:
    clusterIP: 10.96.0.1
    clusterIPs: [10.96.0.1]
    ipFamilies: [IPv4]
    ipFamilyPolicy: SingleStack
    ports: [{name: https, port: 443, protocol: TCP, targetPort: 6443}]
    type: ClusterIP
  status: {loadBalancer: {}}
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop, uid: 6b1c0f0e-2, resourceVersion: "4711", creationTimestamp: "2024-05-02T10:00:00Z"}
  spec:
    clusterIP: 10.96.12.7
    clusterIPs: [10.96.12.7, fd00:10:96::c07]
    ipFamilies: [IPv4, IPv6]
    ipFamilyPolicy: RequireDualStack
    ports: [{port: 80, protocol: TCP, targetPort: 8080}]
    selector: {app: web}
    type: ClusterIP
  status: {loadBalancer: {}}
- apiVersion: v1
  kind: Service
  metadata: {name: legacy, namespace: shop, uid: 6b1c0f0e-3, resourceVersion: "815", creationTimestamp: "2023-01-02T10:00:00Z"}
  spec:
    clusterIP: 10.96.40.2
    clusterIPs: [10.96.40.2]
    ipFamilies: [IPv4]
    ipFamilyPolicy: PreferDualStack
    ports: [{port: 80, protocol: TCP}]
    selector: {app: legacy}
    type: ClusterIP
  status: {loadBalancer: {}}
`;

// Hand-written manifests in the same input: their clusterIP is a choice, and a PreferDualStack one is not stale.
const MANIFESTS = `---
apiVersion: v1
kind: Service
metadata: {name: dns-pinned, namespace: shop}
spec:
  clusterIP: 10.96.0.53
  ports: [{port: 53, protocol: UDP}]
  selector: {app: dns}
---
apiVersion: v1
kind: Service
metadata: {name: fresh, namespace: shop, creationTimestamp: null}
spec:
  ipFamilyPolicy: PreferDualStack
  ports: [{port: 80}]
  selector: {app: fresh}
status: {loadBalancer: {}}
`;

async function auditText(text: string): Promise<ReturnType<typeof analyze>> {
  const dir = tempDir('dsa-stored-');
  try {
    const file = join(dir, 'dump.yaml');
    writeFileSync(file, text);
    const loaded = await loadPaths([file]);
    return analyze(loaded.documents, loaded.problems, loaded.locator.locate, { mode: 'files', sources: ['dump.yaml'], live: false }, { tool: TOOL, stats: loaded.stats });
  } finally {
    removeTempDir(dir);
  }
}

const on = (r: ReturnType<typeof analyze>, rule: string): string[] =>
  r.findings.filter((f) => f.ruleId === rule).map((f) => `${f.resource.namespace}/${f.resource.name}`);

test('the marks: uid with resourceVersion or creationTimestamp; `kubectl create --dry-run -o yaml` output is a manifest', () => {
  assert.equal(isStoredObject({ metadata: { uid: 'u', resourceVersion: '1' } }), true);
  assert.equal(isStoredObject({ metadata: { uid: 'u', creationTimestamp: '2024-01-01T00:00:00Z' } }), true);
  assert.equal(isStoredObject({ metadata: { name: 'x', creationTimestamp: null }, status: {} }), false);
  assert.equal(isStoredObject({ metadata: { uid: 'u' } }), false);
  assert.equal(isStoredObject({ metadata: { uid: '', resourceVersion: '1' } }), false);
});

test('a kubectl get -o yaml dump: no service-hardcoded-cluster-ip on allocated clusterIPs (default/kubernetes included); live-only rules judge it', async () => {
  const r = await auditText(DUMP);
  assert.deepEqual(on(r, 'service-hardcoded-cluster-ip'), []);
  assert.ok(!r.rules.some((m) => m.id === 'service-hardcoded-cluster-ip'), 'only stored objects: judged as a snapshot is, without the manifest-only rules');
  // Families are inferred from what the apiserver allocated, as for a snapshot: the stale PreferDualStack Service is found.
  assert.deepEqual(r.target.clusterFamilies, ['IPv4', 'IPv6']);
  assert.deepEqual(on(r, 'service-prefer-dual-stack-stale'), ['shop/legacy']);
  assert.deepEqual(r.stored, { count: 3, all: true, objects: ['Service/default/kubernetes', 'Service/shop/web', 'Service/shop/legacy'] });
});

test('a dump mixed with manifests: each object is judged as what it is', async () => {
  const r = await auditText(DUMP + MANIFESTS);
  assert.deepEqual(on(r, 'service-hardcoded-cluster-ip'), ['shop/dns-pinned']);
  assert.deepEqual(on(r, 'service-prefer-dual-stack-stale'), ['shop/legacy'], 'a PreferDualStack manifest is not stale state');
  assert.equal(r.stored?.count, 3);
  assert.equal(r.stored?.all, false);
  // The evaluations count only the objects each rule judges: 1 manifest for the hard-coded IP rule.
  assert.equal(r.evaluations.find((e) => e.ruleId === 'service-hardcoded-cluster-ip')?.failed, 1);
  assert.equal(r.evaluations.find((e) => e.ruleId === 'service-hardcoded-cluster-ip')?.passed, 1, 'fresh: no clusterIP, passes');
  // Every format says which objects were read as stored.
  for (const format of FORMATS.filter((f) => f !== 'json')) {
    const out = render(r, format);
    assert.match(out, /3 objects read as stored state/, format);
    assert.match(out, /Service\/default\/kubernetes/, format);
  }
  const json = JSON.parse(render(r, 'json')) as { stored: { count: number; objects: string[] } };
  assert.equal(json.stored.count, 3);
  assert.deepEqual(json.stored.objects, ['Service/default/kubernetes', 'Service/shop/web', 'Service/shop/legacy']);
});

test('manifests only: nothing is stored, the report says nothing about it, live-only rules do not run', async () => {
  const r = await auditText(MANIFESTS);
  assert.equal(r.stored, undefined);
  assert.ok(!r.rules.some((m) => m.liveOnly));
  for (const format of FORMATS) assert.doesNotMatch(render(r, format), /stored state/, format);
});

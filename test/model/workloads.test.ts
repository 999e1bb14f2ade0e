// Pod templates in the model: where each kind keeps its pod spec, which objects count, how
// ConfigMap references resolve, and that the label index selects exactly what a full scan does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from '../helpers/fc.ts';
import { buildModel } from '../../src/model/build.ts';
import { buildWorkloads, selectServices, POD_SPEC_PATHS } from '../../src/model/workloads.ts';
import { formatRef, type InputDocument } from '../../src/model/types.ts';
import type { Service } from '../../src/model/services.ts';
import { ALL_KINDS, workload } from '../helpers/workloads.ts';
import { auditYaml } from '../helpers/rule-tester.ts';
import probeHostLoopback from '../../src/rules/probe-host-loopback.ts';
import jsyaml from 'js-yaml';

const docs = (...objects: Record<string, unknown>[]): InputDocument[] =>
  objects.map((object, doc) => ({ object, source: { file: 'a.yaml', doc } }));
const fromYaml = (yaml: string, file = 'a.yaml'): InputDocument[] =>
  jsyaml.loadAll(yaml).filter((o) => o).map((object, doc) => ({ object: object as Record<string, unknown>, source: { file, doc } }));

test('every pod-template kind: the pod spec path, init containers first, exact JSON paths', () => {
  for (const kind of ALL_KINDS) {
    const w = workload(kind, 'initContainers:\n- name: i\n  image: x\ncontainers:\n- name: c\n  image: y\n  args: [a, b]\n  env: [{name: E, value: v}]\n');
    const m = buildModel(fromYaml(w.yaml));
    assert.equal(m.workloads.length, 1, kind);
    const wl = m.workloads[0]!;
    assert.deepEqual(wl.podSpecPath, POD_SPEC_PATHS[kind]);
    assert.deepEqual(wl.podLabels, { app: 'web' });
    assert.deepEqual(wl.containers.map((c) => [c.name, c.init]), [['i', true], ['c', false]]);
    assert.deepEqual(wl.containers[1]!.args[1]!.path, [...POD_SPEC_PATHS[kind]!, 'containers', 0, 'args', 1]);
    assert.deepEqual(wl.containers[1]!.env[0]!.path, [...POD_SPEC_PATHS[kind]!, 'containers', 0, 'env', 0]);
  }
  assert.deepEqual(POD_SPEC_PATHS.CronJob, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
});

test('only the built-in groups carry pod templates; a CRD named Job does not', () => {
  const m = buildModel(docs(
    { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'v' }, spec: { template: { spec: { containers: [] } } } },
    { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'old' }, spec: { template: { spec: { containers: [{ name: 'a' }] } } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nospec' } },
  ));
  assert.deepEqual(m.workloads.map((w) => w.ref.name), ['old']);
});

test('objects owned by a controller that is also in the input are left out (live snapshots)', () => {
  const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, controller: true }];
  const spec = { containers: [{ name: 'a' }] };
  const m = buildModel(docs(
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec } } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', ownerReferences: owner('Deployment', 'web') }, spec: { template: { spec } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-x', ownerReferences: owner('ReplicaSet', 'web-1') }, spec },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', ownerReferences: owner('ReplicaSet', 'gone') }, spec },
  ));
  // The orphan's ReplicaSet is not in the input: its Pods are judged once, as that ReplicaSet.
  assert.deepEqual(m.workloads.map((w) => `${w.ref.kind}/${w.ref.name}`), ['Deployment/web', 'ReplicaSet/gone']);
});

// Stored objects as `kubectl get deploy,rs,pod -o yaml` prints them.
const ownedBy = (kind: string, name: string, uid?: string) => [{ apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, name, controller: true, ...(uid ? { uid } : {}) }];
const SPEC = { containers: [{ name: 'a', image: 'nginx' }] };
const storedPod = (name: string, o: { owner?: Record<string, unknown>[]; phase?: string; labels?: Record<string, string>; ns?: string } = {}): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: o.ns ?? 'shop', uid: `uid-${name}`, resourceVersion: '1', labels: { app: 'web', ...o.labels }, ...(o.owner ? { ownerReferences: o.owner } : {}) },
  spec: SPEC, status: { phase: o.phase ?? 'Running', podIP: '10.0.0.1' },
});
const deploy = (name: string, uid = `uid-${name}`): Record<string, unknown> => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop', uid }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: SPEC } }, status: { replicas: 3 },
});

test('owners: Pod -> ReplicaSet -> Deployment is judged once, on the Deployment, with its running Pods counted', () => {
  const m = buildModel(docs(
    storedPod('web-5d8f-a', { owner: ownedBy('ReplicaSet', 'web-5d8f') }),
    deploy('web'),
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'shop', ownerReferences: ownedBy('Deployment', 'web') }, spec: { template: { spec: SPEC } } },
    storedPod('web-5d8f-b', { owner: ownedBy('ReplicaSet', 'web-5d8f') }),
    storedPod('web-5d8f-c', { owner: ownedBy('ReplicaSet', 'web-5d8f'), phase: 'Pending' }),
    storedPod('web-5d8f-d', { owner: ownedBy('ReplicaSet', 'web-5d8f'), phase: 'Failed' }),
  ));
  assert.deepEqual(m.workloads.map((w) => [`${w.ref.kind}/${w.ref.name}`, w.pods]), [['Deployment/web', 3]]);
  // The Deployment's own object is judged (its paths), not the first Pod's.
  assert.deepEqual(m.workloads[0]!.podSpecPath, ['spec', 'template', 'spec']);
  assert.equal(m.workloads[0]!.source?.doc, 1);
});

test('owners: Pods whose ReplicaSet is absent go to the Deployment its name and pod-template-hash give; a CronJob\'s Job the same', () => {
  const m = buildModel(docs(
    deploy('web'),
    storedPod('web-5d8f-a', { owner: ownedBy('ReplicaSet', 'web-5d8f'), labels: { 'pod-template-hash': '5d8f' } }),
    storedPod('web-5d8f-b', { owner: ownedBy('ReplicaSet', 'web-5d8f'), labels: { 'pod-template-hash': '5d8f' } }),
    // Another Deployment's ReplicaSet that merely starts with "web-": no hash label match.
    storedPod('web-api-77-a', { owner: ownedBy('ReplicaSet', 'web-api-77'), labels: { 'pod-template-hash': '77' } }),
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: { spec: SPEC } } } } },
    storedPod('backup-29400000-x', { owner: ownedBy('Job', 'backup-29400000') }),
  ));
  assert.deepEqual(m.workloads.map((w) => [`${w.ref.kind}/${w.ref.name}`, w.pods]), [['Deployment/web', 2], ['ReplicaSet/web-api-77', 1], ['CronJob/backup', 1]]);
});

test('owners: Pods of an owner not in the input are judged once per owner reference, not per replica', () => {
  const m = buildModel(docs(
    storedPod('a-1', { owner: ownedBy('ReplicaSet', 'a-77') }),
    storedPod('a-2', { owner: ownedBy('ReplicaSet', 'a-77') }),
    storedPod('a-3', { owner: ownedBy('ReplicaSet', 'a-77') }),
    storedPod('db-0', { owner: ownedBy('StatefulSet', 'db') }),
    storedPod('db-1', { owner: ownedBy('StatefulSet', 'db') }),
    // The same owner name in another namespace is another owner.
    storedPod('db-0', { owner: ownedBy('StatefulSet', 'db'), ns: 'other' }),
    // Mirror Pods are owned by their Node: each is its own template.
    storedPod('kube-proxy-n1', { owner: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', controller: true }] }),
    storedPod('kube-proxy-n2', { owner: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', controller: true }] }),
    // Not a controller reference: the Pod is bare.
    storedPod('loose', { owner: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a-77' }] }),
  ));
  assert.deepEqual(m.workloads.map((w) => [formatRef(w.ref), w.pods]), [
    ['ReplicaSet/shop/a-77', 3], ['StatefulSet/shop/db', 2], ['StatefulSet/other/db', 1],
    ['Pod/shop/kube-proxy-n1', 1], ['Pod/shop/kube-proxy-n2', 1], ['Pod/shop/loose', 1],
  ]);
  // The absent owner's reference keeps the owner's apiVersion; the facts are the first Pod's.
  assert.equal(m.workloads[0]!.ref.apiVersion, 'apps/v1');
  assert.deepEqual(m.workloads[0]!.podSpecPath, ['spec']);
});

test('owners: a controller reference whose uid is not the object of that name is not followed; manifests count no Pods', () => {
  const m = buildModel(docs(
    deploy('web', 'uid-new'),
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'shop', ownerReferences: ownedBy('Deployment', 'web', 'uid-old') }, spec: { template: { spec: SPEC } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hand', namespace: 'shop' }, spec: SPEC },
  ));
  assert.deepEqual(m.workloads.map((w) => [formatRef(w.ref), w.pods]), [['Deployment/shop/web', 0], ['ReplicaSet/shop/web-1', 0], ['Pod/shop/hand', 0]]);
});

test('ConfigMap uses: volumes (items), projected, envFrom, configMapKeyRef; namespace-scoped; own file first', () => {
  const cm = (name: string, ns: string, file: string): InputDocument => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: file } }, source: { file, doc: 0 } });
  const pod: InputDocument = {
    source: { file: 'b.yaml', doc: 1 },
    object: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'app' },
      spec: {
        volumes: [
          { name: 'v', configMap: { name: 'one', items: [{ key: 'k', path: 'k' }] } },
          { name: 'p', projected: { sources: [{ configMap: { name: 'two' } }, { secret: { name: 's' } }] } },
        ],
        containers: [{
          name: 'c',
          envFrom: [{ configMapRef: { name: 'missing' } }, { secretRef: { name: 's' } }],
          env: [{ name: 'E', valueFrom: { configMapKeyRef: { name: 'one', key: 'k' } } }],
        }],
      },
    },
  };
  const m = buildModel([cm('one', 'app', 'b.yaml'), cm('one', 'app', 'c.yaml'), cm('two', 'other', 'b.yaml'), pod]);
  const uses = m.workloads[0]!.configMaps;
  assert.deepEqual(uses.map((u) => [u.from, u.name, u.keys ?? 'all', u.resolved, u.configMap?.data.k ?? null]), [
    ['volume', 'one', ['k'], true, 'b.yaml'],
    ['projected', 'two', 'all', false, null],
    ['envFrom', 'missing', 'all', false, null],
    ['configMapKeyRef', 'one', ['k'], true, 'b.yaml'],
  ]);
  assert.deepEqual(uses[3]!.path, ['spec', 'containers', 0, 'env', 0, 'valueFrom', 'configMapKeyRef', 'name']);
  assert.equal(m.configMaps.get('app/one')?.data.k, 'c.yaml', 'the model index keeps the last one, as kubectl apply would');
});

// Services reduced to what selection reads.
const svc = (ns: string, name: string, selector: Record<string, string>): Service =>
  ({ ref: { apiVersion: 'v1', kind: 'Service', namespace: ns, name }, selector, type: 'ClusterIP', effective: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] }, effectiveWhenDual: null } as unknown as Service);

test('the label index selects exactly what a scan of every Service against every pod does', () => {
  const label = fc.record({ app: fc.constantFrom('a', 'b', 'c'), tier: fc.constantFrom('x', 'y') }, { requiredKeys: [] });
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.constantFrom('n1', 'n2'), label), { maxLength: 12 }),
    fc.array(fc.tuple(fc.constantFrom('n1', 'n2'), label), { maxLength: 12 }),
    (pods, services) => {
      const ws = buildWorkloads(pods.map(([ns, labels], i) => ({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: ns, labels }, spec: { containers: [] } } })), []).workloads;
      const ss = services.map(([ns, sel], i) => svc(ns, `s${i}`, sel));
      const got = selectServices(ws, ss);
      ws.forEach((w, i) => {
        const expected = ss.filter((s) => s.ref.namespace === w.ref.namespace && Object.keys(s.selector).length > 0 &&
          Object.entries(s.selector).every(([k, v]) => w.podLabels[k] === v)).map((s) => s.ref.name).sort();
        assert.deepEqual((got.get(i) ?? []).map((s) => s.ref.name).sort(), expected);
      });
    },
  ), { numRuns: 300 });
});

test('selection cost grows with the input, not with pods times Services', () => {
  // 4000 pods and 4000 Services with distinct labels: a pairwise scan would make 16 million
  // comparisons; the index looks at one candidate per Service.
  const n = 4000;
  const ws = buildWorkloads(Array.from({ length: n }, (_, i) => ({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, labels: { app: `a${i}`, team: 't' } }, spec: { containers: [] } } })), []).workloads;
  const ss = Array.from({ length: n }, (_, i) => svc('default', `s${i}`, { team: 't', app: `a${i}` }));
  let reads = 0;
  const counted = ws.map((w) => ({ ...w, podLabels: new Proxy(w.podLabels, { get: (t, k) => { reads++; return (t as Record<string | symbol, string>)[k]; } }) }));
  const got = selectServices(counted, ss);
  assert.equal(got.size, n);
  assert.ok(reads <= 4 * n, `label reads ${reads} should stay linear in ${n}`);
});

test('the engine points a finding inside a CronJob at the exact line', async () => {
  const w = workload('CronJob', 'containers:\n- name: a\n  image: x\n  livenessProbe:\n    httpGet: {host: localhost, port: 80}\n');
  const report = await auditYaml(w.yaml, [probeHostLoopback]);
  assert.deepEqual(report.findings.map((f) => [f.location?.line, f.path.join('.')]), [
    [w.line(5), 'spec.jobTemplate.spec.template.spec.containers.0.livenessProbe.httpGet.host'],
  ]);
});

test('malformed pod specs never crash the model or the workload rules', async () => {
  const { run } = await import('../../src/engine/run.ts');
  const rules = await Promise.all(['probe-host-loopback', 'workload-ipv4-wildcard-bind', 'workload-ipv4-literal', 'pod-host-aliases-single-family',
    'pod-dns-config-single-family', 'sysctl-disables-ipv6', 'hostnetwork-single-stack', 'workload-pod-ip-primary-only']
    .map(async (id) => (await import(`../../src/rules/${id}.ts`)).default));
  const field = fc.oneof(fc.anything(), fc.array(fc.dictionary(fc.constantFrom('name', 'ip', 'value', 'hostnames', 'args', 'env', 'ports', 'hostIP', 'hostPort', 'readinessProbe', 'httpGet', 'host', 'configMap', 'items', 'key', 'valueFrom', 'fieldRef', 'fieldPath'), fc.anything())));
  fc.assert(fc.property(
    fc.dictionary(fc.constantFrom('containers', 'initContainers', 'hostAliases', 'dnsConfig', 'securityContext', 'volumes', 'hostNetwork', 'dnsPolicy'), field),
    fc.anything(),
    (spec, cmData) => {
      const m = buildModel(docs(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: cmData },
        { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { jobTemplate: { spec: { template: { spec } } } } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'x' } } },
      ));
      run(m, rules, { live: false, resolve: true, tool: { name: 't', version: '0' }, target: { mode: 'files', sources: [], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' } });
    },
  ), { numRuns: 300 });
});

test('owners: a finding on a collapsed template says how many running Pods it affects; the fingerprint does not change with the count', async () => {
  const probe = { containers: [{ name: 'a', image: 'nginx', livenessProbe: { httpGet: { host: '127.0.0.1', port: 80 } } }] };
  const pods = (n: number): string => Array.from({ length: n }, (_, i) => jsyaml.dump({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `web-5d8f-${i}`, namespace: 'shop', uid: `u${i}`, labels: { app: 'web', 'pod-template-hash': '5d8f' }, ownerReferences: ownedBy('ReplicaSet', 'web-5d8f') },
    spec: probe, status: { phase: 'Running' },
  })).join('---\n');
  const three = await auditYaml(pods(3), [probeHostLoopback]);
  assert.equal(three.findings.length, 1);
  assert.equal(three.findings[0]!.resource.kind, 'ReplicaSet');
  assert.equal(three.findings[0]!.pods, 3);
  assert.match(three.findings[0]!.message, /\(3 running Pods\)$/);
  // The location is the first Pod's probe host.
  assert.equal(three.findings[0]!.location?.line, 21);
  const one = await auditYaml(pods(1), [probeHostLoopback]);
  assert.match(one.findings[0]!.message, /\(1 running Pod\)$/);
  assert.equal(one.findings[0]!.fingerprint, three.findings[0]!.fingerprint);
});

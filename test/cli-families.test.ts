// The false alarm of issue 14 item 5, end to end through the CLI: a snapshot of a freshly
// converted dual-stack cluster (dual-stack Node podCIDRs, Pod IPs and kube-proxy clusterCIDR, no
// Service with an IPv6 address yet) audited with the first RequireDualStack Service written for it.
// The cluster's Service families are undetermined, so nothing claims a rejection at critical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { main, type CliIO } from '../src/cli/index.ts';
import type { Report } from '../src/engine/types.ts';
import { tempDir } from './helpers/temp.ts';

const root = new URL('..', import.meta.url).pathname;
const SNAPSHOT = join(root, 'fixtures/families/fresh-conversion-snapshot.yaml');
const NEW_SERVICE = join(root, 'fixtures/families/new-dual-service.yaml');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false };
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

test('fresh conversion snapshot + a new RequireDualStack Service: undetermined families, no critical, one medium "verify" on the evidence', async () => {
  const r = await cli([SNAPSHOT, NEW_SERVICE, '-f', 'json']);
  const rep = JSON.parse(r.out) as Report;
  assert.equal(rep.target.familiesFrom, 'undetermined');
  assert.deepEqual(rep.target.clusterFamilies, ['IPv4', 'IPv6']);
  assert.deepEqual(rep.target.familiesCandidates, [['IPv4', 'IPv6'], ['IPv4']]);
  const ev = rep.target.familiesEvidence ?? [];
  for (const s of ['Service/default/kubernetes clusterIPs [10.96.0.1]', 'Node podCIDRs (pod network, not Service families): 2 node(s) [IPv4, IPv6]',
    'Pod IPs (pod network, not Service families): 2 pod(s) [IPv4, IPv6]', 'clusterCIDR 10.244.0.0/16,fd00:10:244::/56', 'no Service holds an IPv6 address, but the pod network is dual-stack', '--cluster-families']) {
    assert.ok(ev.some((e) => e.includes(s)), `${s} not in ${JSON.stringify(ev)}`);
  }
  assert.deepEqual(rep.findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId), []);
  // One finding for the root cause, on the evidence the answer hinges on (default/kubernetes here);
  // the Service it makes uncertain is not evaluated, so it neither passes nor fails.
  const verify = rep.findings.filter((f) => f.ruleId === 'service-ip-config-rejected');
  assert.deepEqual(verify.map((f) => [f.resource.namespace, f.resource.name, f.severity, f.messageId]), [['default', 'kubernetes', 'medium', 'verify']]);
  assert.match(verify[0]!.location?.file ?? '', /fresh-conversion-snapshot\.yaml$/);
  assert.match(verify[0]!.message, /undetermined \(no Service holds an IPv6 address, but the pod network is dual-stack.*\), and 1 Service depends on them: if they are \[IPv4\], the apiserver rejects 1 Service with spec\.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services \(Service\/shop\/web-dual\)$/);
  assert.match(verify[0]!.fix?.summary ?? '', /--service-cluster-ip-range.*--cluster-families.*clusterFamilies in the config file/);
  assert.deepEqual(rep.evaluations.filter((e) => e.ruleId === 'service-ip-config-rejected').map((e) => [e.failed, e.notEvaluated]), [[1, 1]]);
  assert.match(rep.score.coverage?.text ?? '', /1 not made \(the cluster's Service families are undetermined\)/);
  // The default gate (high) does not fail on it.
  assert.equal(r.code, 0, r.err);

  // The text report says undetermined, the candidates and the evidence.
  const text = await cli([SNAPSHOT, NEW_SERVICE, '--fail-on', 'never']);
  assert.match(text.out, /Cluster Service families \[IPv4, IPv6\] \(undetermined: \[IPv4, IPv6\] or \[IPv4\]; .*2 node\(s\) \[IPv4, IPv6\].*set --cluster-families/);
  const md = await cli([SNAPSHOT, NEW_SERVICE, '-f', 'markdown', '--fail-on', 'never']);
  assert.match(md.out, /Target cluster families: IPv4, IPv6 \(undetermined: the evidence allows IPv4, IPv6 or IPv4; set --cluster-families\)/);
  assert.match(md.out, /^- Node podCIDRs .*: 2 node.*IPv4, IPv6/m);
});

test('fresh conversion snapshot: --cluster-families decides, and the rejection it implies is critical again', async () => {
  const v4 = JSON.parse((await cli([SNAPSHOT, NEW_SERVICE, '-f', 'json', '--cluster-families', 'ipv4', '--fail-on', 'never'])).out) as Report;
  assert.equal(v4.target.familiesFrom, 'flag');
  assert.equal(v4.target.familiesCandidates, undefined);
  assert.deepEqual(v4.findings.filter((f) => f.ruleId === 'service-ip-config-rejected').map((f) => [f.resource.name, f.severity, f.messageId]), [['web-dual', 'critical', 'rejected']]);
  const dual = JSON.parse((await cli([SNAPSHOT, NEW_SERVICE, '-f', 'json', '--cluster-families', 'ipv4,ipv6', '--fail-on', 'never'])).out) as Report;
  assert.deepEqual(dual.findings.filter((f) => f.ruleId === 'service-ip-config-rejected'), []);
});

test('plan against the fresh conversion snapshot: undetermined families are a usage error naming the candidates and --cluster-families', async () => {
  const r = await cli(['plan', NEW_SERVICE, '--against', SNAPSHOT]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot tell the cluster's Service families .*: the evidence allows IPv4,IPv6 or IPv4 \(.*2 node\(s\) \[IPv4, IPv6\].*\); check the kube-apiserver --service-cluster-ip-range flag and pass --cluster-families/);
  const ok = await cli(['plan', NEW_SERVICE, '--against', SNAPSHOT, '--cluster-families', 'ipv4,ipv6']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /web-dual/);
});

// Two configuration records of one cluster that disagree (a kind config that is IPv6-only, the
// kube-system/kubeadm-config ConfigMap that is dual-stack) and four Services that pin IPv4: one
// root cause, so one finding (it was one per Service), and the four are not evaluated.
function conflictingInput(): string {
  const dir = tempDir('dsa-undetermined-');
  writeFileSync(join(dir, 'kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: ipv6\n  serviceSubnet: fd00:10:96::/112\n');
  writeFileSync(join(dir, 'kubeadm-config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: |\n' +
    '    apiVersion: kubeadm.k8s.io/v1beta3\n    kind: ClusterConfiguration\n    networking:\n      serviceSubnet: 10.96.0.0/16,fd00:10:96::/112\n');
  for (const n of ['a', 'b', 'c', 'd']) {
    writeFileSync(join(dir, `svc-${n}.yaml`), `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${n}, namespace: shop}\nspec:\n  ipFamilies: [IPv4]\n  selector: {app: ${n}}\n  ports: [{port: 80}]\n`);
  }
  return dir;
}

test('conflicting configuration records and four Services pinning IPv4: one finding on the evidence, the Services not evaluated', async () => {
  const dir = conflictingInput();
  const rep = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never'])).out) as Report;
  assert.equal(rep.target.familiesFrom, 'undetermined');
  assert.deepEqual(rep.target.familiesCandidates, [['IPv6', 'IPv4'], ['IPv6'], ['IPv4', 'IPv6']]);
  const mine = rep.findings.filter((f) => f.ruleId === 'service-ip-config-rejected');
  assert.deepEqual(mine.map((f) => [f.resource.kind, f.location?.file, f.location?.line, f.severity, f.messageId]), [['Cluster', join(dir, 'kind.yaml'), 5, 'medium', 'verify']]);
  const m = mine[0]!.message;
  assert.ok(m.includes(`kind Cluster ${join(dir, 'kind.yaml')}:5 networking.serviceSubnet [fd00:10:96::/112] gives [IPv6] but kubeadm-config ConfigMap ${join(dir, 'kubeadm-config.yaml')}:5`), m);
  assert.ok(m.endsWith('and 4 Services depend on them: if they are [IPv6], the apiserver rejects 4 Services with spec.ipFamilies[0]: Invalid value: "IPv4": not configured on this cluster (Service/shop/svc-a, Service/shop/svc-b, Service/shop/svc-c, and 1 more)'), m);
  assert.deepEqual(rep.evaluations.filter((e) => e.ruleId === 'service-ip-config-rejected').map((e) => [e.passed, e.failed, e.notEvaluated]), [[0, 1, 4]]);
  assert.equal(rep.score.categories.services.notEvaluated, 4);
  assert.match(rep.score.coverage?.text ?? '', /; 4 not made \(the cluster's Service families are undetermined\)$/);

  // The gate at medium sees the one finding; the default gate (high) is not changed by it.
  const medium = await cli([dir, '--rule', 'service-ip-config-rejected', '--fail-on', 'medium', '-q']);
  assert.equal(medium.code, 1);
  assert.match(medium.out, /Gate failed: 1 finding at or above medium/);
  assert.equal((await cli([dir, '--rule', 'service-ip-config-rejected', '-q'])).code, 0);

  // JUnit: each Service is a skipped testcase that says why.
  const xml = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse((await cli([dir, '-f', 'junit', '--rule', 'service-ip-config-rejected', '--fail-on', 'never'])).out) as
    { testsuites: { testsuite: { '@_name': string; '@_skipped': string; '@_failures': string; testcase: { '@_name': string; skipped?: { '@_message': string } }[] }[] } };
  const services = xml.testsuites.testsuite.find((t) => t['@_name'] === 'services')!;
  assert.equal(services['@_skipped'], '4');
  assert.equal(services['@_failures'], '1');
  assert.deepEqual(services.testcase.filter((c) => c.skipped).map((c) => [c['@_name'], c.skipped!['@_message']]),
    ['a', 'b', 'c', 'd'].map((n) => [`Service/shop/svc-${n}`, "not evaluated: the cluster's Service families are undetermined"]));

  // Settled: each Service judged, the rejection critical on an IPv6 cluster, nothing on a dual-stack one.
  const v6 = JSON.parse((await cli([dir, '-f', 'json', '--cluster-families', 'ipv6', '--fail-on', 'never'])).out) as Report;
  assert.deepEqual(v6.findings.filter((f) => f.ruleId === 'service-ip-config-rejected').map((f) => [f.resource.name, f.severity, f.messageId]),
    ['a', 'b', 'c', 'd'].map((n) => [`svc-${n}`, 'critical', 'rejected']));
  assert.equal(v6.score.coverage, undefined);
  const dual = JSON.parse((await cli([dir, '-f', 'json', '--cluster-families', 'ipv6,ipv4', '--fail-on', 'never'])).out) as Report;
  assert.deepEqual(dual.findings.filter((f) => f.ruleId === 'service-ip-config-rejected'), []);
  assert.deepEqual(dual.evaluations.filter((e) => e.ruleId === 'service-ip-config-rejected').map((e) => [e.passed, e.failed, e.notEvaluated]), [[4, 0, 0]]);
});

test('the undetermined-families finding keeps its fingerprint as Services come and go: a baseline still suppresses it', async () => {
  const dir = conflictingInput();
  const baseline = join(tempDir('dsa-undetermined-baseline-'), 'baseline.json');
  const before = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never', '--write-baseline', baseline])).out) as Report;
  const fp = before.findings.find((f) => f.ruleId === 'service-ip-config-rejected')!.fingerprint;
  writeFileSync(join(dir, 'svc-e.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: svc-e, namespace: shop}\nspec:\n  ipFamilies: [IPv4]\n  ports: [{port: 80}]\n');
  const after = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never', '--baseline', baseline])).out) as Report;
  const f = after.findings.find((x) => x.ruleId === 'service-ip-config-rejected')!;
  assert.match(f.message, /and 5 Services depend on them/);
  assert.equal(f.fingerprint, fp);
  assert.equal(f.suppressed?.by, 'baseline');
});

test('without evidence of its own (no default/kubernetes) the finding sits on the first Service, and keeps its fingerprint when an earlier one comes', async () => {
  const dir = tempDir('dsa-undetermined-nosite-');
  const snapshot = readFileSync(SNAPSHOT, 'utf8');
  const without = snapshot.replace(/- apiVersion: v1\n  kind: Service\n  metadata: \{name: kubernetes, namespace: default[^\n]*\n(?: {4}[^\n]*\n)*/, '');
  assert.notEqual(without, snapshot, 'the default/kubernetes item is removed');
  writeFileSync(join(dir, 'snapshot.yaml'), without);
  writeFileSync(join(dir, 'web-dual.yaml'), readFileSync(NEW_SERVICE, 'utf8'));
  const one = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never'])).out) as Report;
  assert.equal(one.target.familiesFrom, 'undetermined');
  const first = one.findings.filter((f) => f.ruleId === 'service-ip-config-rejected');
  assert.deepEqual(first.map((f) => `${f.resource.kind}/${f.resource.name}`), ['Service/web-dual']);
  // A Service read before it (file order) takes its place; the finding is the same one.
  writeFileSync(join(dir, 'a-api-dual.yaml'), readFileSync(NEW_SERVICE, 'utf8').replace('name: web-dual', 'name: api-dual'));
  const two = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never'])).out) as Report;
  const second = two.findings.filter((f) => f.ruleId === 'service-ip-config-rejected');
  assert.deepEqual(second.map((f) => `${f.resource.kind}/${f.resource.name}`), ['Service/api-dual']);
  assert.match(second[0]!.message, /2 Services depend on them/);
  assert.equal(second[0]!.fingerprint, first[0]!.fingerprint);
});

test('an ignore annotation on a Service the undetermined families leave unjudged is not reported unused', async () => {
  const dir = conflictingInput();
  writeFileSync(join(dir, 'svc-a.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-a\n  namespace: shop\n  annotations: {dualstack-audit.io/ignore: service-ip-config-rejected}\nspec:\n  ipFamilies: [IPv4]\n  ports: [{port: 80}]\n');
  const rep = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never'])).out) as Report;
  assert.equal(rep.target.familiesFrom, 'undetermined');
  assert.deepEqual((rep.unusedSuppressions ?? []).filter((u) => u.ruleId === 'service-ip-config-rejected'), []);
  // Judged (families given), the Service is accepted, and the annotation is unused again.
  const dual = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never', '--cluster-families', 'ipv4,ipv6'])).out) as Report;
  assert.deepEqual((dual.unusedSuppressions ?? []).map((u) => u.ruleId), ['service-ip-config-rejected']);
});

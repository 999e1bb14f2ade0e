// The false alarm of issue 14 item 5, end to end through the CLI: a snapshot of a freshly
// converted dual-stack cluster (dual-stack Node podCIDRs, Pod IPs and kube-proxy clusterCIDR, no
// Service with an IPv6 address yet) audited with the first RequireDualStack Service written for it.
// The cluster's Service families are undetermined, so nothing claims a rejection at critical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';
import type { Report } from '../src/engine/types.ts';

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

test('fresh conversion snapshot + a new RequireDualStack Service: undetermined families, no critical, a medium "verify"', async () => {
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
  const verify = rep.findings.filter((f) => f.ruleId === 'service-ip-config-rejected');
  assert.deepEqual(verify.map((f) => [f.resource.name, f.severity, f.messageId]), [['web-dual', 'medium', 'verify']]);
  assert.match(verify[0]!.message, /undetermined .*if they are \[IPv4\], the apiserver rejects Service "web-dual": spec\.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services/);
  assert.match(verify[0]!.fix?.summary ?? '', /--service-cluster-ip-range.*--cluster-families/);
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

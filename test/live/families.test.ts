// Family inference live: the test API server holds the freshly converted cluster of
// fixtures/families/fresh-conversion-snapshot.yaml (dual-stack Node podCIDRs, Pod IPs and
// kube-proxy clusterCIDR; no Service with an IPv6 address; no ServiceCIDR API). The live audit says
// the families are undetermined and lists the evidence; its snapshot, audited offline with the
// first RequireDualStack Service, gives no critical finding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { startServer, writeKubeconfig, hasOpenssl, removeDir, type TestServer } from './server.ts';
import { cli, tempDir } from './helpers.ts';
import type { Report } from '../../src/engine/types.ts';

const root = new URL('../../', import.meta.url).pathname;
const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
type Obj = Record<string, unknown>;
let srv: TestServer;
let dir: string;
let kubeconfig: string;

before(async () => {
  if (skip) return;
  const items = (jsyaml.load(readFileSync(join(root, 'fixtures/families/fresh-conversion-snapshot.yaml'), 'utf8')) as { items: Obj[] }).items;
  srv = await startServer(items.filter((o) => o.kind !== 'AuditSnapshot'));
  dir = tempDir();
  kubeconfig = writeKubeconfig(dir, [{ name: 'prod-eu', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
});
after(async () => {
  if (skip) return;
  await srv.close();
  removeDir(dir);
  removeDir(srv.pki.dir);
});

test('live, freshly converted cluster: families undetermined with the evidence; its snapshot plus a RequireDualStack Service gives no critical', { skip }, async () => {
  const live = await cli(['-f', 'json', '--fail-on', 'never'], { KUBECONFIG: kubeconfig });
  assert.equal(live.code, 0, live.stderr);
  const rep = JSON.parse(live.stdout) as Report;
  assert.equal(rep.target.familiesFrom, 'undetermined', JSON.stringify(rep.target));
  assert.deepEqual(rep.target.familiesCandidates, [['IPv4', 'IPv6'], ['IPv4']]);
  for (const s of ['Service/default/kubernetes clusterIPs [10.96.0.1]', '2 node(s) [IPv4, IPv6]', '2 pod(s) [IPv4, IPv6]', 'clusterCIDR 10.244.0.0/16,fd00:10:244::/56']) {
    assert.ok(rep.target.familiesEvidence?.some((e) => e.includes(s)), `${s} not in ${JSON.stringify(rep.target.familiesEvidence)}`);
  }
  assert.deepEqual(rep.findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId), []);
  assert.equal(srv.writes(), 0);

  const file = join(dir, 'snap.yaml');
  const s = await cli(['snapshot', '-o', file], { KUBECONFIG: kubeconfig });
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stderr, /Service families undetermined \(IPv4,IPv6 or IPv4: the audit needs --cluster-families to decide\)/);
  const offline = await cli(['-f', 'json', file, join(root, 'fixtures/families/new-dual-service.yaml')], {});
  const off = JSON.parse(offline.stdout) as Report;
  assert.equal(off.target.familiesFrom, 'undetermined');
  assert.deepEqual(off.findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId), []);
  // One finding for the undetermined families, on default/kubernetes; web-dual itself is not evaluated.
  assert.deepEqual(off.findings.filter((f) => f.ruleId === 'service-ip-config-rejected').map((f) => [f.resource.name, f.severity, f.messageId]), [['kubernetes', 'medium', 'verify']]);
  assert.match(off.findings.find((f) => f.ruleId === 'service-ip-config-rejected')!.message, /1 Service depends on them: .*\(Service\/shop\/web-dual\)$/);
  assert.equal(off.evaluations.find((e) => e.ruleId === 'service-ip-config-rejected')?.notEvaluated, 1);
  assert.equal(offline.code, 0, offline.stderr);
});

// The GKE platform layer rules' documented examples through the real loader (bad fires, good
// does not), and --platform: a LoadBalancer alone in its file, as GKE's dual-stack guide writes
// it, is judged as GKE only when the platform says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditYaml } from '../helpers/rule-tester.ts';
import legacy from '../../src/rules/gke-lb-legacy-ipv4-only.ts';
import clusterNotDual from '../../src/rules/gke-cluster-not-dual-stack.ts';
import subnetV4 from '../../src/rules/gke-cluster-subnet-ipv4-only.ts';
import ula from '../../src/rules/gke-subnet-ula-not-enabled.ts';
import exposure from '../../src/rules/gke-subnet-external-ipv6-exposure.ts';
import dpv2 from '../../src/rules/gke-dataplane-v2-missing.ts';
import obs from '../../src/rules/gke-dpv2-observability-off.ts';
import lbSubnet from '../../src/rules/gke-lb-subnet-ipv6-mismatch.ts';
import addrs from '../../src/rules/gke-static-address-single-family.ts';

for (const rule of [clusterNotDual, subnetV4, ula, exposure, dpv2, obs, lbSubnet, addrs]) {
  test(`${rule.meta.id}: the documented bad example fires, the good one does not`, async () => {
    const opts = { build: { platform: { name: 'gke', from: 'flag' } } } as const;
    const bad = await auditYaml(rule.meta.docs.bad, [rule], opts);
    assert.ok(bad.findings.some((f) => f.ruleId === rule.meta.id), `bad: ${JSON.stringify(bad.findings.map((f) => f.message))}`);
    const good = await auditYaml(rule.meta.docs.good, [rule], opts);
    assert.deepEqual(good.findings.filter((f) => f.ruleId === rule.meta.id && f.severity !== 'info').map((f) => f.message), []);
  });
}

// GKE's dual-stack Service example: no GKE annotation, one resource per file.
const GUIDE_LB = `apiVersion: v1
kind: Service
metadata:
  name: dual-stack-lb
spec:
  type: LoadBalancer
  ipFamilyPolicy: RequireDualStack
  ipFamilies: [IPv4, IPv6]
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

test('--platform gke: the guide\'s dual-stack LoadBalancer alone in its file gets its GKE finding', async () => {
  const plain = await auditYaml(GUIDE_LB, [legacy]);
  assert.equal(plain.findings.length, 0, 'no GKE evidence, generic platform: not judged as GKE');
  const gke = await auditYaml(GUIDE_LB, [legacy], { build: { platform: { name: 'gke', from: 'flag' } } });
  assert.equal(gke.findings.length, 1);
  assert.equal(gke.findings[0]!.ruleId, 'gke-lb-legacy-ipv4-only');
  assert.equal(gke.findings[0]!.location?.line, 6);
});

test('gke-lb-legacy-ipv4-only: an internal LB passes when the input\'s cluster enables GKE subsetting, in each form', async () => {
  const { auditGcp, FORMS } = await import('../helpers/gcp.ts');
  const { lb } = await import('../helpers/gke.ts');
  const svc = lb({ 'networking.gke.io/load-balancer-type': 'Internal' }, 'ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]', { name: 'api' });
  for (const form of FORMS) {
    const on = await auditGcp(form, [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', subsetting: true }], svc, [legacy]);
    assert.deepEqual(on.report.findings.map((f) => f.messageId), [], form);
    const off = await auditGcp(form, [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH' }], svc, [legacy]);
    assert.deepEqual(off.report.findings.map((f) => f.messageId), ['internalNoSubsetting'], form);
  }
});

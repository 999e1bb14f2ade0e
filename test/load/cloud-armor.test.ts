// --cloud-armor: a gcloud export is read as a policy, its positions point into the export file,
// and the Cloud Armor rules judge it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudArmor } from '../../src/load/cloud-armor.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import allowlist from '../../src/rules/cloud-armor-ipv4-only-allowlist.ts';
import denylist from '../../src/rules/cloud-armor-ipv4-only-denylist.ts';

const fixture = new URL('../../fixtures/cloud-armor/corp-policy.yaml', import.meta.url).pathname;

function audit(files: string[]) {
  const armor = loadCloudArmor(files);
  const model = buildModel(armor.documents, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
  const report = run(model, [allowlist, denylist], {
    locate: armor.locator.locate, live: false, resolve: false, tool: { name: 'dualstack-audit', version: 'test' },
    target: { mode: 'files', sources: files, clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' }, problems: armor.problems,
  });
  return { armor, model, report };
}

test('a gcloud export becomes one policy with its rules, preview and default', () => {
  const { armor, model } = audit([fixture]);
  assert.deepEqual(armor.problems, []);
  assert.equal(model.gke.armorPolicies.length, 1);
  const p = model.gke.armorPolicies[0]!;
  assert.equal(p.policyName, 'corp-allowlist');
  assert.equal(p.from, 'export');
  assert.equal(p.defaultAllows, false);
  assert.deepEqual(p.rules.map((r) => [r.priority, r.action, r.preview]), [[1000, 'allow', false], [1100, 'allow', true], [2147483647, 'deny(403)', false]]);
});

test('the IPv4-only allow list is reported at the srcIpRanges line of the export; the preview IPv6 rule does not count', () => {
  const { report } = audit([fixture]);
  assert.deepEqual(report.findings.map((f) => [f.ruleId, f.location?.line, f.severity]), [['cloud-armor-ipv4-only-allowlist', 18, 'high']]);
  assert.match(report.findings[0]!.message, /203\.0\.113\.0\/24, 198\.51\.100\.16\/28/);
});

test('JSON export, deny list with CEL inIpRange, and files that are not policies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-armor-'));
  try {
    const json = join(dir, 'deny.json');
    writeFileSync(json, JSON.stringify({
      kind: 'compute#securityPolicy', name: 'block', rules: [
        { action: 'deny(404)', priority: 10, match: { expr: { expression: "inIpRange(origin.ip, '198.51.100.0/24') || inIpRange(origin.ip, '192.0.2.0/24')" } } },
        { action: 'allow', priority: 2147483647, match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
      ],
    }, null, 2));
    const { report } = audit([json]);
    assert.deepEqual(report.findings.map((f) => [f.ruleId, f.location?.line]), [['cloud-armor-ipv4-only-denylist', 10]]);
    const other = join(dir, 'deploy.yaml');
    writeFileSync(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const bad = loadCloudArmor([other, join(dir, 'missing.yaml')]);
    assert.equal(bad.documents.length, 0);
    assert.equal(bad.problems.filter((p) => p.fatal).length, 2);
    assert.match(bad.problems.map((p) => p.message).join('\n'), /no Cloud Armor security policy/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

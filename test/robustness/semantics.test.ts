// Semantics and messages of odd values (issue 20): fields of the wrong JSON type are rejected as
// the apiserver rejects them (it cannot decode the object), with the value shown as written, never
// "[object Object]"; a Node address ::ffff:a.b.c.d is an IPv4-mapped address, not a broken "/32" CIDR.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, type CliIO } from '../../src/cli/index.ts';
import type { Report } from '../../src/engine/types.ts';
import { resolveServiceFamilies } from '../../src/emulate/service-families.ts';

async function audit(yaml: string): Promise<Report> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, readStdin: async () => Buffer.from(yaml), env: {}, stdoutIsTTY: false };
  const code = await main(['node', 'dualstack-audit', '-f', 'json', '--fail-on', 'never', '-'], io);
  assert.equal(code, 0, err);
  return JSON.parse(out) as Report;
}

const svc = (name: string, spec: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector: {app: x}\n${spec}  ports: [{port: 80}]\n---\n`;

test('ipFamilies of the wrong JSON type are rejected as the apiserver rejects them', async () => {
  const r = await audit(
    svc('string', '  ipFamilyPolicy: PreferDualStack\n  ipFamilies: "IPv4"\n') +
    svc('object', '  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [{a: b}]\n') +
    svc('policy', '  ipFamilyPolicy: [PreferDualStack]\n') +
    svc('ips', '  clusterIPs: 10.0.0.1\n'),
  );
  const msg = (name: string): string => {
    const f = r.findings.find((x) => x.resource.name === name && x.ruleId === 'service-ip-config-rejected');
    assert.ok(f, `${name} not rejected: ${JSON.stringify(r.findings.filter((x) => x.resource.name === name).map((x) => x.message))}`);
    return f.message;
  };
  assert.match(msg('string'), /spec\.ipFamilies: Invalid value: "IPv4": json: cannot unmarshal string into Go struct field ServiceSpec\.spec\.ipFamilies of type \[\]v1\.IPFamily/);
  assert.match(msg('object'), /spec\.ipFamilies\[0\]: Invalid value: \{"a":"b"\}: json: cannot unmarshal object into Go struct field ServiceSpec\.spec\.ipFamilies of type v1\.IPFamily/);
  assert.match(msg('policy'), /cannot unmarshal array into Go struct field ServiceSpec\.spec\.ipFamilyPolicy of type v1\.IPFamilyPolicy/);
  assert.match(msg('ips'), /cannot unmarshal string into Go struct field ServiceSpec\.spec\.clusterIPs of type \[\]string/);
  for (const f of r.findings) assert.doesNotMatch(f.message, /\[object Object\]|is not iterable|undefined/, f.message);
});

test('well-typed fields are unaffected', () => {
  const ok = resolveServiceFamilies({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] }, ['IPv4', 'IPv6']);
  assert.deepEqual(ok, { ok: true, ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] });
  // null is what an empty YAML value decodes to: Go leaves the field unset.
  assert.equal(resolveServiceFamilies({ ipFamilies: null, clusterIP: null }, ['IPv4']).ok, true);
});

test('a Node address ::ffff:a.b.c.d is an IPv4-mapped address, not a broken /32 CIDR', async () => {
  const r = await audit('apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nspec:\n  podCIDRs: [10.0.0.0/24]\nstatus:\n  addresses:\n  - type: InternalIP\n    address: "::ffff:1.2.3.4"\n');
  const msgs = r.findings.filter((f) => f.resource.name === 'n1').map((f) => f.message);
  assert.ok(msgs.some((m) => /IPv4-mapped IPv6 address/.test(m) && /canonical: 1\.2\.3\.4$/.test(m) && !m.includes('/128')), JSON.stringify(msgs));
  for (const m of msgs) assert.doesNotMatch(m, /\/32 is not a valid CIDR/);
});

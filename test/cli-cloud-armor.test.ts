// --cloud-armor FILE through the CLI: the export is audited with the manifests, findings point
// into the export file, and an unreadable or non-policy file is a usage error (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';

const root = new URL('..', import.meta.url).pathname;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; }, stderr: (s) => { err += s; },
    readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: root,
  } as CliIO;
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

test('--cloud-armor: the export is audited and its finding points into the export', async () => {
  const r = await cli([join(root, 'fixtures/corpus/gke-samples/networking/load-balancing/basic-ingress-static.yaml'), '--cloud-armor', join(root, 'fixtures/cloud-armor/corp-policy.yaml'), '-f', 'json', '--rule', 'cloud-armor-ipv4-only-allowlist']);
  const rep = JSON.parse(r.out) as { findings: { ruleId: string; location?: { file: string; line: number } }[] };
  assert.equal(r.code, 1, r.err);
  assert.equal(rep.findings.length, 1);
  assert.equal(rep.findings[0]!.ruleId, 'cloud-armor-ipv4-only-allowlist');
  assert.match(rep.findings[0]!.location!.file, /corp-policy\.yaml$/);
  assert.equal(rep.findings[0]!.location!.line, 18);
});

test('--cloud-armor with a file that holds no policy: exit 2', async () => {
  const r = await cli([join(root, 'fixtures/corpus/gke-samples/networking/load-balancing/basic-ingress-static.yaml'), '--cloud-armor', join(root, 'fixtures/corpus/gke-samples/networking/load-balancing/fanout-ingress.yaml')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no Cloud Armor security policy/);
});

// The data-plane vendor rules (Envoy Gateway, Contour, Istio) end to end through the CLI on the
// real files in fixtures/vendors: every finding with its file and line, and `fix --suggestions`
// giving patches that git apply accepts and after which the same rules report nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';
import { tempDir, removeTempDir } from './helpers/temp.ts';

const root = new URL('..', import.meta.url).pathname;
const RULES = ['envoy-gateway-ipv4-listeners', 'envoy-gateway-authz-ipv4-only', 'envoy-gateway-ratelimit-ipv4-only', 'contour-envoy-listener-ipv4', 'istio-dual-stack-disabled'];
const ruleArgs = RULES.flatMap((r) => ['--rule', r]);

async function cli(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => { out += s; }, stderr: (s: string) => { err += s; },
    readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd,
  } as unknown as CliIO;
  const prev = process.cwd();
  process.chdir(cwd); // the audit reads paths relative to the working directory, as a real run does
  try {
    return { code: await main(['node', 'dualstack-audit', ...args], io), out, err };
  } finally {
    process.chdir(prev);
  }
}

interface JsonFinding { ruleId: string; severity: string; location?: { file: string; line: number } }

test('vendor rules on fixtures/vendors: each finding with its file and line', async () => {
  const r = await cli(root, ['fixtures/vendors', '--cluster-families', 'ipv4,ipv6', '-f', 'json', ...ruleArgs]);
  assert.equal(r.code, 1, r.err);
  const rep = JSON.parse(r.out) as { findings: JsonFinding[] };
  const got = rep.findings.map((f) => `${f.ruleId} ${f.location!.file.replace(/^.*fixtures\/vendors\//, '')}:${f.location!.line} ${f.severity}`).sort();
  assert.deepEqual(got, [
    'contour-envoy-listener-ipv4 contour/site/content/docs/main/deploy-options/contourdeployments.yaml:18 medium',
    'contour-envoy-listener-ipv4 contour/site/content/docs/main/deploy-options/contourdeployments.yaml:7 medium',
    'envoy-gateway-authz-ipv4-only envoy-gateway/test/e2e/testdata/authorization-client-ip.yaml:52 high',
    'envoy-gateway-authz-ipv4-only envoy-gateway/test/e2e/testdata/authorization-client-ip.yaml:81 high',
    'envoy-gateway-ipv4-listeners envoy-gateway/examples/kubernetes/quickstart.yaml:6 medium',
    'envoy-gateway-ipv4-listeners envoy-gateway/test/e2e/testdata/envoyproxy-daemonset.yaml:27 medium',
    'envoy-gateway-ratelimit-ipv4-only envoy-gateway/test/e2e/testdata/local-ratelimit-distinct-cidr.yaml:20 medium',
    'envoy-gateway-ratelimit-ipv4-only envoy-gateway/test/e2e/testdata/ratelimit-cidr-match.yaml:17 high',
    'istio-dual-stack-disabled istio/operator/cmd/mesh/testdata/manifest-generate/output/pilot_default.golden.yaml:57 medium',
  ]);
});

test('vendor rules on an IPv4-only target: the listener rules are quiet, the client-range rules are not', async () => {
  const r = await cli(root, ['fixtures/vendors', '--cluster-families', 'ipv4', '-f', 'json', ...ruleArgs]);
  const rep = JSON.parse(r.out) as { findings: JsonFinding[] };
  // Client addresses can reach an IPv4-only Gateway through X-Forwarded-For from a dual-stack front.
  assert.deepEqual([...new Set(rep.findings.map((f) => f.ruleId))].sort(), ['envoy-gateway-authz-ipv4-only', 'envoy-gateway-ratelimit-ipv4-only']);
});

test('fix --suggestions on the vendor files: a diff git apply accepts, and nothing left to patch', async () => {
  const d = tempDir('dsa-vendors-');
  try {
    cpSync(join(root, 'fixtures/vendors'), join(d, 'vendors'), { recursive: true });
    const dry = await cli(d, ['fix', '--dry-run', '--suggestions', 'vendors', '--cluster-families', 'ipv4,ipv6', ...ruleArgs]);
    assert.ok(dry.out.length > 0, dry.err);
    assert.match(dry.out, /\n\+ {2}ipFamily: DualStack\n/);
    assert.match(dry.out, /\n\+ {16}value: ::\/0\n/);
    assert.match(dry.out, /\n\+ {8}- name: ISTIO_DUAL_STACK\n\+ {10}value: "true"\n/);
    writeFileSync(join(d, 'fix.diff'), dry.out);
    const check = spawnSync('git', ['apply', '--check', 'fix.diff'], { cwd: d, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    await cli(d, ['fix', '--suggestions', 'vendors', '--cluster-families', 'ipv4,ipv6', ...ruleArgs]);
    const after = await cli(d, ['vendors', '--cluster-families', 'ipv4,ipv6', '-f', 'json', ...ruleArgs]);
    const left = (JSON.parse(after.out) as { findings: (JsonFinding & { fix?: { patch?: unknown } })[] }).findings;
    // What remains needs a person: IPv6 client ranges, an EnvoyProxy to create, listener fields to add.
    assert.deepEqual(left.filter((f) => f.fix?.patch !== undefined).map((f) => f.ruleId), []);
    assert.deepEqual([...new Set(left.map((f) => f.ruleId))].sort(), ['contour-envoy-listener-ipv4', 'envoy-gateway-authz-ipv4-only', 'envoy-gateway-ipv4-listeners']);
  } finally {
    removeTempDir(d);
  }
});

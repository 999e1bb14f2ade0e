// The CLI's --resolve and --dns-server, and Corefile files, end to end through main().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';
import { DNSMASQ_SKIP, startDnsmasq, silentDns, type RunningDns } from './helpers/dnsmasq.ts';

interface Run { code: number; out: string; err: string }

async function cli(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    readStdin: async () => new Uint8Array(),
    env: {},
    stdoutIsTTY: false,
  };
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

let dir = '';
let server: RunningDns | undefined;
let silent: RunningDns | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dsa-cli-resolve-'));
  writeFileSync(join(dir, 'app.yaml'), [
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: legacy', '  namespace: shop', 'spec:', '  type: ExternalName', '  externalName: v4only.test', // 8
    '---', 'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', '  namespace: web', 'spec:', '  rules:', '  - host: both.test', // 17
    '',
  ].join('\n'));
  silent = await silentDns();
  if (!DNSMASQ_SKIP) server = await startDnsmasq();
});

after(() => {
  server?.stop();
  silent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('--resolve --dns-server: lookups against dnsmasq, findings and the dns section', { skip: DNSMASQ_SKIP }, async () => {
  const r = await cli([dir, '--resolve', '--dns-server', `127.0.0.1:${server!.port}`, '-f', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out);
  const mine = rep.findings.filter((f: { ruleId: string }) => f.ruleId === 'external-name-no-aaaa');
  assert.deepEqual(mine.map((f: { location: { line: number }; messageId: string }) => [f.location.line, f.messageId]), [[8, 'noAAAA']]);
  assert.deepEqual(rep.dns.external, { names: 2, withAAAA: 1, withoutAAAA: ['v4only.test'], failed: [] });
  const t = await cli([dir, '--resolve', '--dns-server', `127.0.0.1:${server!.port}`, '--fail-on', 'never', '--color', 'never']);
  assert.match(t.out, /External names \(--resolve\): 1 of 2 have an AAAA record/);
});

test('--resolve with --namespace looks up only the names of the namespaces audited', { skip: DNSMASQ_SKIP }, async () => {
  const r = await cli([dir, '--resolve', '--dns-server', `127.0.0.1:${server!.port}`, '-f', 'json', '--fail-on', 'never', '-n', 'web']);
  assert.deepEqual(JSON.parse(r.out).dns.external, { names: 1, withAAAA: 1, withoutAAAA: [], failed: [] });
});

test('--resolve against a server that never answers: the audit finishes, names are reported as not resolved', async () => {
  const t0 = Date.now();
  const r = await cli([dir, '--resolve', '--dns-server', `127.0.0.1:${silent!.port}`, '-f', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out);
  assert.deepEqual(rep.dns.external.failed, ['v4only.test (timeout)', 'both.test (timeout)']);
  assert.ok(Date.now() - t0 < 30_000);
});

test('without --resolve: no lookups, no external-name-no-aaaa, no external section', async () => {
  const r = await cli([dir, '-f', 'json', '--fail-on', 'never']);
  const rep = JSON.parse(r.out);
  assert.equal(rep.dns.external, undefined);
  assert.ok(!rep.rules.some((m: { id: string }) => m.id === 'external-name-no-aaaa'));
});

test('--dns-server errors are usage errors (exit 2)', async () => {
  const a = await cli([dir, '--dns-server', '127.0.0.1']);
  assert.equal(a.code, 2);
  assert.match(a.err, /--dns-server applies only with --resolve/);
  const b = await cli([dir, '--resolve', '--dns-server', 'dns.google']);
  assert.equal(b.code, 2);
  assert.match(b.err, /HOST must be an IPv4 or IPv6 address/);
  const c = await cli(['--resolve']);
  assert.equal(c.code, 2);
  assert.match(c.err, /--resolve applies to file audits/);
});

test('a Corefile file given on the command line is audited at its own lines', async () => {
  const d = mkdtempSync(join(tmpdir(), 'dsa-cli-corefile-'));
  try {
    const f = join(d, 'Corefile');
    writeFileSync(f, '.:53 {\n  errors\n  template ANY AAAA {\n    rcode NOERROR\n  }\n  kubernetes cluster.local in-addr.arpa\n  forward . /etc/resolv.conf\n}\n');
    const r = await cli([f, '-f', 'json', '--fail-on', 'never']);
    const rep = JSON.parse(r.out);
    const got = rep.findings.map((x: { ruleId: string; location: { line: number } }) => [x.ruleId, x.location.line]).sort();
    assert.deepEqual(got, [['coredns-aaaa-suppressed', 3], ['coredns-missing-ip6-arpa', 6]]);
    assert.ok(rep.findings.every((x: { location: { file: string } }) => x.location.file.endsWith('Corefile')));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

// frontend-aaaa-mismatch end to end: the CLI's --resolve asks a real DNS server (dnsmasq) and the
// rule compares the answers with the Gateway's addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';
import { DNSMASQ_SKIP, startDnsmasq } from './helpers/dnsmasq.ts';

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: gke-l7-global-external-managed
  addresses:
  - {type: IPAddress, value: 192.0.2.10}
  - {type: IPAddress, value: "2001:db8::10"}
  listeners:
  - {name: a, protocol: HTTP, port: 80, hostname: www.test}
  - {name: b, protocol: HTTP, port: 80, hostname: v4only.test}
  - {name: c, protocol: HTTP, port: 80, hostname: wrong.test}
`;

test('--resolve: missing and foreign AAAA records of an IPv6 Gateway', { skip: DNSMASQ_SKIP }, async () => {
  const dns = await startDnsmasq([
    '--local=/test/',
    '--host-record=both.test,192.0.2.1,2001:db8::1', // the helper's readiness probe
    '--host-record=www.test,192.0.2.10,2001:db8::10',
    '--host-record=v4only.test,192.0.2.10',
    '--host-record=wrong.test,192.0.2.10,2001:db8::99',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'dsa-aaaa-'));
  try {
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, GATEWAY);
    let out = '';
    const io = { stdout: (s: string) => { out += s; }, stderr: () => {}, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: dir } as unknown as CliIO;
    const code = await main(['node', 'dualstack-audit', file, '--resolve', '--dns-server', `127.0.0.1:${dns.port}`, '--rule', 'frontend-aaaa-mismatch', '-f', 'json', '--fail-on', 'never'], io);
    assert.equal(code, 0);
    const rep = JSON.parse(out) as { findings: { messageId: string; location?: { line: number }; message: string }[] };
    assert.deepEqual(rep.findings.map((f) => [f.messageId, f.location?.line]), [['noAaaa', 12], ['foreign', 13]]);
    assert.match(rep.findings[1]!.message, /2001:db8::99/);
  } finally {
    dns.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

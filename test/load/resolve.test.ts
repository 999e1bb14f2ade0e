// --resolve against real DNS servers on loopback: dnsmasq (Debian package, installed by .ci/run)
// serving names with only A, only AAAA, both, a CNAME and NXDOMAIN; a UDP socket that never
// answers for timeouts. dnsmasq is started here on a free high port and stopped at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promises as dnsp } from 'node:dns';
import dns from 'node:dns';
import { resolveNames, parseDnsServer } from '../../src/load/resolve.ts';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel, modelIntake } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import { RULES } from '../../src/rules/index.ts';
import rule from '../../src/rules/external-name-no-aaaa.ts';
import { formatText } from '../../src/report/text.ts';
import { DNSMASQ_SKIP as SKIP, startDnsmasq, silentDns, type RunningDns } from '../helpers/dnsmasq.ts';

let server: RunningDns | undefined;
let silent: RunningDns | undefined;
let port = 0;
let silentPort = 0;

before(async () => {
  silent = await silentDns();
  silentPort = silent.port;
  if (!SKIP) {
    server = await startDnsmasq();
    port = server.port;
  }
});

after(() => {
  server?.stop();
  silent?.stop();
});

test('parseDnsServer: HOST[:PORT] to the form c-ares takes; names and bad ports refused', () => {
  assert.equal(parseDnsServer('127.0.0.1'), '127.0.0.1');
  assert.equal(parseDnsServer('127.0.0.1:5353'), '127.0.0.1:5353');
  assert.equal(parseDnsServer('[::1]:53'), '[::1]:53');
  assert.equal(parseDnsServer('::1'), '::1');
  assert.equal(parseDnsServer('[2001:DB8::1]'), '2001:db8::1');
  assert.throws(() => parseDnsServer('dns.google'), /must be an IPv4 or IPv6 address/);
  assert.throws(() => parseDnsServer('127.0.0.1:0'), /PORT must be 1-65535/);
  assert.throws(() => parseDnsServer('127.0.0.1:99999'), /PORT must be 1-65535/);
  assert.throws(() => parseDnsServer('[::1'), /missing "]"/);
});

test('dnsmasq: only A, only AAAA, both, a CNAME, NXDOMAIN, REFUSED', { skip: SKIP }, async () => {
  const got = await resolveNames(['both.test', 'V4ONLY.test.', 'v6only.test', 'alias.test', 'nx.test', 'outside.example', 'both.test'], { server: `127.0.0.1:${port}`, timeoutMs: 1000, tries: 1 });
  assert.deepEqual([...got.keys()], ['both.test', 'v4only.test', 'v6only.test', 'alias.test', 'nx.test', 'outside.example'], 'one lookup per distinct name, input order');
  assert.deepEqual(got.get('both.test'), { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] });
  assert.deepEqual(got.get('v4only.test'), { A: ['192.0.2.2'], AAAA: [] });
  assert.deepEqual(got.get('v6only.test'), { A: [], AAAA: ['2001:db8::3'] });
  assert.deepEqual(got.get('alias.test'), { A: ['192.0.2.2'], AAAA: [] });
  assert.deepEqual(got.get('nx.test'), { A: [], AAAA: [], error: 'NXDOMAIN' });
  assert.deepEqual(got.get('outside.example'), { A: [], AAAA: [], error: 'REFUSED' }, 'dnsmasq has no upstream');
});

test('a server that never answers: every name times out, bounded, without hanging', async () => {
  const names = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'];
  const t0 = Date.now();
  const got = await resolveNames(names, { server: `127.0.0.1:${silentPort}`, timeoutMs: 150, tries: 1, concurrency: 2 });
  const ms = Date.now() - t0;
  for (const n of names) assert.deepEqual(got.get(n), { A: [], AAAA: [], error: 'timeout' }, n);
  // 3 rounds of 2 workers, each bounded by the guard (150 * 2 + 500 ms); far less in practice.
  assert.ok(ms < 3 * (150 * 2 + 500) + 500, `took ${ms} ms`);
});

test('a server that answers A but never AAAA: the result says timeout for AAAA, not "no AAAA"', async () => {
  // A minimal DNS responder: answers A questions with 192.0.2.9, drops every other question.
  const sock = createSocket('udp4');
  sock.on('message', (q, rinfo) => {
    let i = 12;
    while (i < q.length && q[i] !== 0) i += q[i]! + 1;
    const qtype = q.readUInt16BE(i + 1);
    if (qtype !== 1) return;
    const question = q.subarray(12, i + 5);
    const header = Buffer.from([q[0]!, q[1]!, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9]);
    sock.send(Buffer.concat([header, question, answer]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  try {
    const got = await resolveNames(['half.example.com'], { server: `127.0.0.1:${sock.address().port}`, timeoutMs: 150, tries: 1 });
    assert.deepEqual(got.get('half.example.com'), { A: ['192.0.2.9'], AAAA: [], error: 'AAAA: timeout' });
  } finally {
    sock.close();
  }
});

test('end to end: manifests -> names -> dnsmasq -> model -> external-name-no-aaaa findings at their lines', { skip: SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-resolve-'));
  try {
    const yaml = [
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: legacy', 'spec:', '  type: ExternalName', '  externalName: alias.test', // 7
      '---', 'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', 'spec:', '  rules:', '  - host: both.test', '  - host: v4only.test', // 16
      '---', 'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', '  name: r', 'spec:', '  hostnames:', '  - v6only.test', '  - nx.test', // 25
      '',
    ].join('\n');
    writeFileSync(join(dir, 'app.yaml'), yaml);
    const loaded = await loadPaths([dir]);
    const intake = modelIntake();
    for (const d of loaded.documents) intake.add(d);
    const names = intake.namesToResolve();
    assert.deepEqual(names, ['alias.test', 'both.test', 'v4only.test', 'v6only.test', 'nx.test']);
    const resolved = await resolveNames(names, { server: `127.0.0.1:${port}`, timeoutMs: 1000, tries: 1 });
    const model = buildModel(loaded.documents, { resolved });
    const report = run(model, RULES, {
      locate: loaded.locator.locate, resolve: true, only: [rule.meta.id],
      tool: { name: 'dualstack-audit', version: 'test' },
      target: { mode: 'files', sources: [dir], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'default' },
    });
    assert.deepEqual(report.findings.map((f) => [f.location?.line, f.messageId, f.severity]), [
      [7, 'noAAAA', 'medium'], [16, 'noAAAA', 'medium'], [25, 'failed', 'low'],
    ]);
    assert.deepEqual(report.evaluations.find((e) => e.ruleId === rule.meta.id), { ruleId: rule.meta.id, category: 'dns', passed: 2, failed: 3, notEvaluated: 0 });
    // The dns section of the report (JSON) and the text report show the lookups.
    assert.deepEqual(report.dns.external, { names: 5, withAAAA: 2, withoutAAAA: ['alias.test', 'v4only.test'], failed: ['nx.test (NXDOMAIN)'] });
    const text = formatText(report);
    assert.match(text, /External names \(--resolve\): 2 of 5 have an AAAA record\n {2}no AAAA: alias\.test, v4only\.test\n {2}not resolved: nx\.test \(NXDOMAIN\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without --resolve nothing touches the network: no Resolver query, no lookup', async () => {
  const calls: string[] = [];
  const proto = dnsp.Resolver.prototype as unknown as Record<string, unknown>;
  const cbProto = dns.Resolver.prototype as unknown as Record<string, unknown>;
  const saved: [Record<string, unknown>, string, unknown][] = [];
  const spy = (o: Record<string, unknown>, k: string, label: string): void => {
    saved.push([o, k, o[k]]);
    o[k] = () => { calls.push(label); throw new Error('network used'); };
  };
  for (const k of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname']) {
    spy(proto, k, `promises.Resolver.${k}`);
    spy(cbProto, k, `Resolver.${k}`);
  }
  spy(dns as unknown as Record<string, unknown>, 'lookup', 'lookup');
  spy(dnsp as unknown as Record<string, unknown>, 'lookup', 'promises.lookup');
  const dir = mkdtempSync(join(tmpdir(), 'dsa-noresolve-'));
  try {
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: e}\nspec: {type: ExternalName, externalName: v4only.test}\n');
    const loaded = await loadPaths([dir]);
    const model = buildModel(loaded.documents);
    const report = run(model, RULES, {
      locate: loaded.locator.locate,
      tool: { name: 'dualstack-audit', version: 'test' },
      target: { mode: 'files', sources: [dir], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'default' },
    });
    assert.ok(!report.rules.some((r) => r.id === rule.meta.id), 'the rule needs --resolve');
    assert.equal(model.resolved, undefined);
    assert.equal(report.dns.external, undefined);
  } finally {
    for (const [o, k, v] of saved) o[k] = v;
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(calls, []);
});

// Fleet: several contexts audited concurrently, a report per cluster and a summary.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, writeKubeconfig, makePki, hasOpenssl, removeDir, type TestServer } from './server.ts';
import { cli, clusterState, corpusState, tempDir } from './helpers.ts';
import type { Report } from '../../src/engine/types.ts';
import type { FleetEntry } from '../../src/cli/live.ts';

const skip = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';
let servers: TestServer[] = [];
let dir: string;
let kubeconfig: string;

interface FleetJson {
  schemaVersion: number;
  fleet: Report[];
  summary: { clusters: number; audited: number; failed: number; blockers: number; lowestScore: number | null; entries: FleetEntry[] };
}

before(async () => {
  if (skip) return;
  const pki = makePki();
  servers = await Promise.all([startServer(clusterState(), { pki }), startServer(corpusState(), { pki }), startServer(clusterState(), { pki })]);
  // The third cluster does not let the auditor list Pods.
  servers[2]!.injections.push({ match: /^GET \/api\/v1\/pods/, status: 403 });
  for (const s of servers) s.latencyMs = 15;
  dir = tempDir();
  kubeconfig = writeKubeconfig(dir, [
    { name: 'prod-eu', server: servers[0]!.url, caPem: pki.caPem, token: servers[0]!.token },
    { name: 'staging', server: servers[1]!.url, caPem: pki.caPem, token: servers[1]!.token },
    { name: 'prod-us', server: servers[2]!.url, caPem: pki.caPem, token: servers[2]!.token },
  ]);
});
after(async () => {
  if (skip) return;
  await Promise.all(servers.map((s) => s.close()));
  removeDir(dir);
  removeDir(servers[0]!.pki.dir);
});

test('--all-contexts: three clusters audited concurrently, a report each and a summary (JSON)', { skip }, async () => {
  const r = await cli(['--all-contexts', '-f', 'json'], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 1, r.stderr); // blockers in prod-eu and prod-us
  const j = JSON.parse(r.stdout) as FleetJson;
  assert.equal(j.schemaVersion, 1);
  assert.deepEqual(j.fleet.map((f) => f.target.context), ['prod-eu', 'staging', 'prod-us']);
  assert.ok(j.fleet.every((f) => f.target.mode === 'cluster'));
  assert.deepEqual(j.summary.entries.map((e) => [e.context, e.grade === j.fleet.find((f) => f.target.context === e.context)!.score.grade]), [['prod-eu', true], ['staging', true], ['prod-us', true]]);
  const by = Object.fromEntries(j.summary.entries.map((e) => [e.context, e]));
  assert.equal(by['prod-eu']!.blockers, j.fleet[0]!.findings.filter((f) => f.severity === 'high' || f.severity === 'critical').length);
  assert.ok(by['prod-eu']!.blockers >= 3);
  assert.ok(by['staging']!.blockers < by['prod-eu']!.blockers);
  assert.equal(by['prod-us']!.notEvaluated, 1);
  assert.equal(by['prod-eu']!.gate, 'failed');
  assert.equal(j.summary.clusters, 3);
  assert.equal(j.summary.audited, 3);
  assert.equal(j.summary.blockers, by['prod-eu']!.blockers + by['staging']!.blockers + by['prod-us']!.blockers);
  assert.equal(j.summary.lowestScore, Math.min(...j.fleet.map((f) => f.score.overall!)));
  // Concurrent: every server got its first request before any server got its last one.
  const firsts = servers.map((s) => s.times[0]!);
  const lasts = servers.map((s) => s.times[s.times.length - 1]!);
  assert.ok(Math.max(...firsts) < Math.min(...lasts), `first requests ${firsts.join(',')} / last ${lasts.join(',')}`);
  for (const s of servers) assert.equal(s.writes(), 0);
});

test('--context repeated selects a subset; text output ends with the summary table', { skip }, async () => {
  const r = await cli(['--context', 'staging', '--context', 'prod-eu', '--color', 'never', '--fail-on', 'never'], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /======== context staging ========/);
  assert.match(r.stdout, /======== context prod-eu ========/);
  assert.match(r.stdout, /Fleet summary: 2 of 2 clusters audited/);
  const table = r.stdout.slice(r.stdout.indexOf('Fleet summary'));
  for (const h of ['context', 'score', 'grade', 'blockers', 'not evaluated']) assert.ok(table.includes(h), h);
  assert.match(table, /staging/);
  assert.match(table, /prod-eu/);
});

test('a fleet with an unreachable cluster reports the others and exits 2', { skip }, async () => {
  const kc = writeKubeconfig(dir, [
    { name: 'prod-eu', server: servers[0]!.url, caPem: servers[0]!.pki.caPem, token: servers[0]!.token },
    { name: 'gone', server: 'https://127.0.0.1:1', caPem: servers[0]!.pki.caPem, token: 'x' },
    { name: 'staging', server: servers[1]!.url, caPem: servers[1]!.pki.caPem, token: servers[1]!.token },
  ], 'with-gone');
  const r = await cli(['--all-contexts', '-f', 'json', '--fail-on', 'never'], { KUBECONFIG: kc });
  assert.equal(r.code, 2);
  const j = JSON.parse(r.stdout) as FleetJson;
  assert.deepEqual(j.fleet.map((f) => f.target.context), ['prod-eu', 'staging']);
  assert.equal(j.summary.failed, 1);
  assert.match(j.summary.entries.find((e) => e.context === 'gone')!.error!, /cannot reach the API server https:\/\/127\.0\.0\.1:1 \(context "gone"\): connection refused/);
  assert.match(r.stderr, /^dualstack-audit: gone: cannot reach/);
});

test('--all-contexts with --context is a usage error', { skip }, async () => {
  const r = await cli(['--all-contexts', '--context', 'x'], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot be combined/);
});

test('a fleet larger than the concurrency limit audits every context, in kubeconfig order', { skip }, async () => {
  const many = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, server: servers[1]!.url, caPem: servers[1]!.pki.caPem, token: servers[1]!.token }));
  const kc = writeKubeconfig(dir, many, 'many');
  const r = await cli(['--all-contexts', '-f', 'json', '--fail-on', 'never'], { KUBECONFIG: kc });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as FleetJson;
  assert.deepEqual(j.fleet.map((f) => f.target.context), many.map((c) => c.name));
  assert.equal(new Set(j.summary.entries.map((e) => e.score)).size, 1, 'the same cluster scores the same');
});

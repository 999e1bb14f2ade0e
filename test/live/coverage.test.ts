// Coverage that cannot lie (issue 14 item 7): every way a kind can fail to be read, injected by
// the test API server, leaves that kind "not evaluated" in the report and fails the gate unless
// partial coverage is accepted (--allow-partial, allowPartial: true).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir } from './server.ts';
import { cli, liveSetup, tempDir } from './helpers.ts';
import { MAX_LIST_RESTARTS } from '../../src/load/cluster.ts';
import type { Report } from '../../src/engine/types.ts';

const fx = liveSetup();
const { skip, env, reset } = fx;

const json = async (args: readonly string[]): Promise<{ code: number; report: Report; stderr: string }> => {
  const r = await cli(['-f', 'json', ...args], env());
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
};
const notRead = (r: Report): string[] => (r.target.notEvaluated ?? []).map((n) => `${n.kind} ${n.reason}`);

test('the readable cluster has no critical finding and full coverage: --fail-on critical passes', { skip }, async () => {
  reset();
  const { code, report } = await json(['--fail-on', 'critical']);
  assert.equal(code, 0);
  assert.equal(report.target.notEvaluated, undefined);
  assert.equal(report.score.coverage, undefined);
});

test('Services forbidden: not evaluated, the score states its coverage, the gate fails unless partial coverage is accepted', { skip }, async () => {
  reset();
  fx.srv.injections.push({ match: /^GET \/api\/v1\/services/, status: 403 });
  const t = await cli(['--fail-on', 'critical', '--color', 'never'], env());
  assert.equal(t.code, 1, t.stdout + t.stderr);
  assert.match(t.stdout, /Gate failed: partial coverage: 1 kind could not be read \(Service \(forbidden\)\), \d+ rule evaluations not made; --allow-partial accepts that/);
  assert.match(t.stdout, /Score [\d.]+, grade \w \((\d+) of (\d+) evaluations\)/);
  assert.match(t.stdout, /Score partial coverage: over \d+ of \d+ evaluations; \d+ not made/);

  const { report } = await json(['--fail-on', 'critical']);
  assert.deepEqual(notRead(report), ['Service forbidden']);
  const missed = report.evaluations.reduce((n, e) => n + e.notEvaluated, 0);
  assert.ok(missed > 0);
  assert.equal(report.score.coverage?.notEvaluated, missed);

  // Accepted explicitly: the flag, or the config file key.
  assert.equal((await cli(['--fail-on', 'critical', '--allow-partial'], env())).code, 0);
  const cwd = tempDir('dsa-cwd-');
  writeFileSync(join(cwd, '.dualstack-audit.yaml'), 'failOn: critical\nallowPartial: true\n');
  assert.equal((await cli([], env(), cwd)).code, 0);
  writeFileSync(join(cwd, '.dualstack-audit.yaml'), 'allowPartial: yes please\n');
  const bad = await cli([], env(), cwd);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /allowPartial.*expected true or false/);
  removeDir(cwd);

  // --min-score no longer passes what it could not read.
  const m = await cli(['--fail-on', 'never', '--min-score', '0'], env());
  assert.equal(m.code, 0, 'fail-on never: the partial coverage is reported, not enforced');
  assert.match(m.stdout, /Gate failed \(not enforced.*partial coverage/);
  assert.equal((await cli(['--fail-on', 'info', '--min-score', '0', '--allow-partial', '--rule', 'node-single-stack'], env())).code, 1, 'a finding still fails');
});

test('every format names the kinds not evaluated and the partial coverage', { skip }, async () => {
  reset();
  fx.srv.injections.push({ match: /^GET \/api\/v1\/services/, status: 403 });
  const expect: Record<string, RegExp[]> = {
    markdown: [/Not evaluated \(1\)/, /Score partial coverage/, /partial coverage: 1 kind could not be read/],
    html: [/Not evaluated \(1\)/, /Score partial coverage/, /partial coverage: 1 kind could not be read/],
    sarif: [/Not evaluated: Service \(v1\): forbidden/, /"coverage": \{/],
    junit: [/not evaluated: Service \(v1\): forbidden/],
    json: [/"notEvaluated": \[/, /"coverage": \{/],
  };
  for (const [format, res] of Object.entries(expect)) {
    const r = await cli(['-f', format, '--fail-on', 'critical'], env());
    assert.equal(r.code, 1, `${format}: ${r.stderr}`);
    for (const re of res) assert.match(r.stdout, re, format);
  }
});

test('every kind forbidden: the gate cannot pass, whatever --min-score says', { skip }, async () => {
  reset();
  fx.srv.injections.push({ match: /^GET \/apis?\/.*\?limit=/, status: 403 }, { match: /^GET \/api\/v1\/namespaces\/kube-system\/configmaps\//, status: 403 });
  const r = await cli(['--min-score', '90', '--color', 'never'], env());
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stdout + r.stderr, /could not be read|nothing to audit/);
});

const SERVICE_BODIES: Record<string, { body: string; why: RegExp }> = {
  'an HTML error page from a proxy': { body: '<html><body><h1>502 Bad Gateway</h1></body></html>', why: /HTML or XML page/ },
  'truncated JSON': { body: '{"kind":"ServiceList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"a"', why: /not valid JSON/ },
  'a Status object': { body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'etcdserver: request timed out', code: 500 }), why: /a Status object, not a list \(etcdserver: request timed out\)/ },
  'items: "x"': { body: JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: {}, items: 'x' }), why: /items field is a string/ },
  'a malformed continue token': { body: JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: { continue: 42 }, items: [] }), why: /continue token is a number/ },
};

for (const [what, { body, why }] of Object.entries(SERVICE_BODIES)) {
  test(`a 200 answer that is ${what} is not an empty list: Services not evaluated, gate fails`, { skip }, async () => {
    reset();
    fx.srv.injections.push({ match: /^GET \/api\/v1\/services\?/, body });
    const { code, report } = await json(['--fail-on', 'critical']);
    assert.equal(code, 1);
    assert.deepEqual(notRead(report), ['Service invalid-response']);
    assert.match(report.target.notEvaluated![0]!.message, /^HTTP 200 but /);
    assert.match(report.target.notEvaluated![0]!.message, why);
    assert.ok(!report.services.length, 'nothing of a half-read list is kept');
  });
}

test('a repeated continue token is a paging loop: given up after one repeat, not paged forever', { skip }, async () => {
  reset();
  const page = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { continue: 'c2FtZQ==' }, items: [] });
  fx.srv.injections.push({ match: /^GET \/api\/v1\/pods\?/, body: page });
  const { code, report } = await json(['--fail-on', 'critical']);
  assert.equal(code, 1);
  assert.deepEqual(notRead(report), ['Pod paging']);
  assert.match(report.target.notEvaluated![0]!.message, /continue token it had already sent/);
  assert.equal(fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/pods?')).length, 2);
});

test('410 on every continue: the list is restarted a bounded number of times, then not evaluated', { skip }, async () => {
  reset();
  fx.srv.injections.push({ match: /^GET \/api\/v1\/pods\?.*continue=/, status: 410 });
  const { code, report } = await json(['--fail-on', 'critical']);
  assert.equal(code, 1);
  assert.deepEqual(notRead(report), ['Pod paging']);
  assert.match(report.target.notEvaluated![0]!.message, /410 Gone/);
  // Each pass: the first page, then the continue that answers 410.
  assert.equal(fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/pods?')).length, 2 * (MAX_LIST_RESTARTS + 1));
});

test('a kind past its total deadline is not evaluated (every page slower than the whole deadline)', { skip }, async () => {
  reset();
  fx.srv.injections.push({ match: /^GET \/api\/v1\/pods\?/, delayMs: 80 });
  const { code, report } = await json(['--fail-on', 'critical', '--kind-deadline', '40ms']);
  assert.equal(code, 1);
  assert.deepEqual(notRead(report), ['Pod deadline']);
  assert.match(report.target.notEvaluated![0]!.message, /per-kind deadline \(40 ms\)/);
  assert.equal(fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/pods?')).length, 1, 'no page is asked for after the deadline');
  const bad = await cli(['--kind-deadline', 'soon'], env());
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--kind-deadline takes a duration/);
});

test('--request-timeout bounds the whole request: a body trickling faster than the timeout still times out', { skip }, async () => {
  reset();
  // 120 bytes, one every 10 ms: never idle for 200 ms, but 1.2 s in all.
  const body = JSON.stringify({ kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: {}, items: [] }).padEnd(120, ' ');
  fx.srv.injections.push({ match: /^GET \/apis\/discovery\.k8s\.io\/v1\/endpointslices\?/, body, trickleMs: 10 });
  const { code, report } = await json(['--fail-on', 'critical', '--request-timeout', '200ms']);
  assert.equal(code, 1);
  assert.deepEqual(notRead(report), ['EndpointSlice error']);
  assert.match(report.target.notEvaluated![0]!.message, /request timeout \(200 ms\)/);
  assert.equal(fx.srv.requests.filter((l) => l.includes('endpointslices?')).length, 5, '1 try + 4 retries');
});

test('insecure-skip-tls-verify: refused with CA data (as kubectl), honoured with a warning without', { skip }, async () => {
  reset();
  const kc = (ca: boolean): string => {
    const p = join(fx.dir, ca ? 'insecure-ca' : 'insecure');
    writeFileSync(p, [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters:', '- name: c', '  cluster:', `    server: ${fx.srv.url}`, '    insecure-skip-tls-verify: true',
      ...(ca ? [`    certificate-authority-data: ${Buffer.from(fx.srv.pki.caPem).toString('base64')}`] : []),
      'users:', '- name: u', '  user:', `    token: ${fx.srv.token}`,
      'contexts:', '- name: c', '  context:', '    cluster: c', '    user: u', '',
    ].join('\n'));
    return p;
  };
  const refused = await cli(['--kubeconfig', kc(true)], {});
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /both insecure-skip-tls-verify and certificate-authority-data; kubectl refuses that combination/);
  assert.equal(fx.srv.requests.length, 0, 'nothing is sent');

  const r = await cli(['-f', 'json', '--fail-on', 'never', '--kubeconfig', kc(false)], {});
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(report.problems.some((p) => !p.fatal && /insecure-skip-tls-verify is set, so the API server's certificate was not verified/.test(p.message)), JSON.stringify(report.problems));
  assert.ok(report.findings.length > 0);
});

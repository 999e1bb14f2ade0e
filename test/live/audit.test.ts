// Live audits against the test API server (test/live/server.ts) holding the captured cilium
// dual-stack kind cluster plus planted single-stack nodes, pods and an empty IPv6 EndpointSlice.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, writeKubeconfig, makePki, removeDir, API_RESOURCES } from './server.ts';
import { cli, clusterState, corpusState, liveSetup, tempDir } from './helpers.ts';
import type { Report, Finding } from '../../src/engine/types.ts';

const fx = liveSetup();
const { skip, env, reset: resetServer } = fx;
const key = (f: Finding): string => `${f.ruleId} ${f.severity} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}: ${f.message}`;

test('a live audit finds the planted single-stack node, pods, empty IPv6 slice, LB frontend and stale Service; zero writes', { skip }, async () => {
  resetServer();
  const r = await cli(['-f', 'json', '--fail-on', 'never'], env());
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.target.mode, 'cluster');
  assert.equal(report.target.context, 'kind-dual-stack');
  assert.deepEqual(report.target.sources, [fx.srv.url]);
  assert.deepEqual(report.target.clusterFamilies, ['IPv4', 'IPv6']);
  assert.equal(report.target.familiesFrom, 'inferred');
  assert.ok(report.target.familiesEvidence?.[0]?.includes('ServiceCIDR'), JSON.stringify(report.target.familiesEvidence));
  assert.ok(report.target.familiesEvidence?.some((e) => e.includes('Node podCIDRs (pod network, not Service families): 3 node(s) [IPv4, IPv6], 1 node(s) [IPv4]')));
  assert.equal(report.target.notEvaluated, undefined);

  const live = report.findings.filter((f) => ['node-single-stack', 'pod-single-stack', 'service-endpoints-family-empty', 'service-lb-frontend-family-missing', 'service-prefer-dual-stack-stale'].includes(f.ruleId));
  assert.deepEqual(live.map(key).sort(), [
    'node-single-stack high Node//dual-stack-worker3: Node has pod CIDRs only in [IPv4] (10.244.3.0/24), so pods scheduled on it get no IPv6 address',
    'node-single-stack medium Node//dual-stack-worker3: Node has InternalIP addresses only in [IPv4] (172.18.0.6), so its hostNetwork pods get no IPv6 address and IPv6 node traffic has no source',
    'pod-single-stack low Pod/monitoring/node-exporter-7xk2p: hostNetwork Pod has only [IPv4] address(es) 172.18.0.6: it takes the addresses of node dual-stack-worker3, which has no IPv6 InternalIP',
    'pod-single-stack medium Pod/shop/legacy-api-5f7c9d-k2x7q: Pod on node dual-stack-worker3 has only [IPv4] address(es) 10.244.3.12 on a dual-stack network, so it is missing from every IPv6 EndpointSlice',
    'service-endpoints-family-empty high Service/shop/legacy-api: Dual-stack Service has 1 ready IPv4 endpoint(s) but none in IPv6, so its IPv6 cluster IP and DNS record lead nowhere',
    'service-lb-frontend-family-missing high Service/shop/web: Dual-stack LoadBalancer Service has frontend addresses only in [IPv4] (172.18.255.200): no IPv6 frontend, so IPv6 clients cannot reach it',
    'service-prefer-dual-stack-stale medium Service/shop/stale-prefer: PreferDualStack Service has only [IPv4]: the apiserver never upgrades an existing Service, so it has no IPv6 cluster IP or AAAA record'
  ]);
  // Stored Services always have allocated cluster IPs: not "hard-coded" (a manifest-only rule).
  assert.ok(!report.findings.some((f) => f.ruleId === 'service-hardcoded-cluster-ip'));
  assert.ok(!report.rules.some((m) => m.id === 'service-hardcoded-cluster-ip'));
  // Live findings carry the resource, not a file position.
  assert.ok(report.findings.every((f) => f.location === undefined));
  // The captured echo-dualstack Service (both families, ready endpoints in both) is clean.
  assert.ok(!report.findings.some((f) => f.resource.name === 'echo-dualstack' && f.ruleId.startsWith('service-endpoints')));

  assert.equal(fx.srv.writes(), 0, 'a live audit never writes');
  assert.ok(fx.srv.requests.every((l) => l.startsWith('GET ')));
  assert.ok(!fx.srv.requests.some((l) => /secrets/.test(l)), 'Secrets are never read');
  // ConfigMaps are listed, after the pod templates, and only the recognised ones kept.
  const lastList = Math.max(...fx.srv.requests.map((l, i) => (/configmaps\?/.test(l) ? -1 : /\/(pods|deployments|daemonsets)\?/.test(l) ? i : -1)));
  assert.ok(fx.srv.requests.findIndex((l) => /^GET \/api\/v1\/configmaps\?limit=/.test(l)) > lastList, 'ConfigMaps are read after the pod templates');
  // Pagination: 24 pods at 7 per page is 4 pages, the later ones with a continue token.
  const podPages = fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/pods?'));
  assert.equal(podPages.length, 4, podPages.join('\n'));
  assert.ok(podPages.slice(1).every((l) => l.includes('continue=')));
  assert.equal(report.stats.resources, clusterState().filter((o) => o.kind !== 'Secret' && (o.metadata as { name: string }).name !== 'unrelated-app-config').length);
  // The CRD advertised by discovery whose list answers 404 is skipped quietly.
  assert.ok(fx.srv.requests.some((l) => l.includes('adminnetworkpolicies')));
  assert.deepEqual(report.problems, []);
  // Groups the cluster does not serve are not asked for at all.
  assert.ok(!fx.srv.requests.some((l) => /cilium\.io|projectcalico|networking\.gke\.io/.test(l)));
});

test('managedFields, last-applied-configuration and Node images are stripped', { skip }, async () => {
  resetServer();
  const out = join(fx.dir, 'strip.yaml');
  const r = await cli(['snapshot', '-o', out], env());
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  assert.ok(!text.includes('managedFields'));
  assert.ok(!text.includes('last-applied-configuration'));
  assert.ok(!text.includes('sizeBytes'));
  assert.ok(text.includes('legacy-api-5f7c9d-k2x7q'));
  assert.ok(!text.includes('bootstrap-token'));
  assert.equal(fx.srv.writes(), 0);
});

test('403 on Pods and EndpointSlices: those kinds are not evaluated, named with the RBAC rule, and counted in the score', { skip }, async () => {
  resetServer();
  fx.srv.injections.push({ match: /^GET \/api\/v1\/pods/, status: 403 }, { match: /^GET \/apis\/discovery\.k8s\.io\/v1\/endpointslices/, status: 403 });
  const r = await cli(['-f', 'json', '--fail-on', 'never'], env());
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const ne = report.target.notEvaluated ?? [];
  assert.deepEqual(ne.map((n) => `${n.kind} ${n.reason}`), ['EndpointSlice forbidden', 'Pod forbidden']);
  assert.equal(ne.find((n) => n.kind === 'Pod')!.rbac, '{apiGroups: [""], resources: ["pods"], verbs: ["list"]}');
  assert.equal(ne.find((n) => n.kind === 'EndpointSlice')!.rbac, '{apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list"]}');
  assert.ok(!report.findings.some((f) => f.ruleId === 'pod-single-stack' || f.ruleId === 'service-endpoints-family-empty'), 'no judgement without the data');
  assert.ok(report.findings.some((f) => f.ruleId === 'node-single-stack'), 'the rest is still audited');
  assert.ok(report.score.categories.cluster.notEvaluated >= 1);
  assert.ok(report.score.categories.services.notEvaluated >= 1);
  assert.equal(report.evaluations.find((e) => e.ruleId === 'pod-single-stack')!.notEvaluated, 1);

  const t = await cli(['--fail-on', 'never', '--color', 'never'], env());
  assert.match(t.stdout, /Not evaluated \(2\)/);
  assert.match(t.stdout, /grant: \{apiGroups: \[""\], resources: \["pods"\], verbs: \["list"\]\}/);
  assert.equal(fx.srv.writes(), 0);
});

test('429 and 500 are retried with backoff, with added latency: same findings', { skip }, async () => {
  resetServer();
  const clean = JSON.parse((await cli(['-f', 'json', '--fail-on', 'never'], env())).stdout) as Report;
  resetServer();
  fx.srv.latencyMs = 20;
  fx.srv.injections.push(
    { match: /^GET \/api\/v1\/services/, status: 429, times: 2, retryAfter: 0 },
    { match: /^GET \/api\/v1\/nodes/, status: 500, times: 1 },
    { match: /^GET \/api\/v1\/pods\?.*continue=/, status: 503, times: 1 },
  );
  const r = await cli(['-f', 'json', '--fail-on', 'never'], env());
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.deepEqual(report.findings.map(key), clean.findings.map(key));
  assert.equal(report.target.notEvaluated, undefined);
  assert.equal(fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/services?')).length, 3);
  assert.equal(fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/nodes?')).length, 2);
});

test('a kind that keeps timing out is not evaluated (honest coverage), the rest is audited', { skip }, async () => {
  resetServer();
  // A timeout well above what an unloaded answer takes (a loaded machine must not time out the other kinds).
  fx.srv.injections.push({ match: /^GET \/apis\/discovery\.k8s\.io\/v1\/endpointslices/, delayMs: 4000 });
  const r = await cli(['-f', 'json', '--fail-on', 'never', '--request-timeout', '1s'], env());
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const ne = report.target.notEvaluated ?? [];
  assert.deepEqual(ne.map((n) => `${n.kind} ${n.reason}`), ['EndpointSlice error']);
  assert.match(ne[0]!.message, /request timeout \(1000 ms\)/);
  assert.ok(!report.findings.some((f) => f.ruleId === 'service-endpoints-family-empty'));
  assert.ok(report.findings.some((f) => f.ruleId === 'pod-single-stack'));
  // 1 try + 4 retries.
  assert.equal(fx.srv.requests.filter((l) => l.includes('endpointslices?')).length, 5);
});

test('-n reads only the given namespaces (and still the cluster-scoped kinds)', { skip }, async () => {
  resetServer();
  const r = await cli(['-f', 'json', '--fail-on', 'never', '-n', 'shop'], env());
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(fx.srv.requests.some((l) => l.startsWith('GET /api/v1/namespaces/shop/pods?')));
  assert.ok(!fx.srv.requests.some((l) => l.startsWith('GET /api/v1/pods?')));
  assert.ok(fx.srv.requests.some((l) => l.startsWith('GET /api/v1/nodes?')));
  assert.ok(report.findings.some((f) => f.resource.name === 'legacy-api-5f7c9d-k2x7q'));
  assert.ok(!report.findings.some((f) => f.resource.namespace === 'monitoring'));
});

test('snapshot round trip: an offline audit of the snapshot gives the live findings (with and without a 403)', { skip }, async () => {
  for (const forbid of [false, true]) {
    resetServer();
    if (forbid) fx.srv.injections.push({ match: /^GET \/api\/v1\/pods/, status: 403 });
    const liveRun = await cli(['-f', 'json', '--fail-on', 'never'], env());
    const liveReport = JSON.parse(liveRun.stdout) as Report;
    const file = join(fx.dir, `snap-${forbid}.yaml`);
    const s = await cli(['snapshot', '-o', file], env());
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, forbid ? /not readable: Pod/ : /objects from context "kind-dual-stack"/);
    const writesBefore = fx.srv.writes();
    fx.srv.requests.splice(0);
    const offline = await cli(['-f', 'json', '--fail-on', 'never', file], {});
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(fx.srv.requests.length, 0, 'the offline audit does not talk to the cluster');
    const offReport = JSON.parse(offline.stdout) as Report;
    const sorted = (r: Report): string[] => r.findings.map(key).sort();
    assert.deepEqual(sorted(offReport), sorted(liveReport));
    assert.ok(liveReport.findings.length > 5);
    assert.deepEqual(offReport.score, liveReport.score);
    assert.deepEqual(offReport.target.clusterFamilies, liveReport.target.clusterFamilies);
    assert.deepEqual(offReport.target.notEvaluated, liveReport.target.notEvaluated);
    assert.equal(offReport.target.context, 'kind-dual-stack');
    // Offline findings point into the snapshot file.
    assert.ok(offReport.findings.every((f) => f.location?.file.endsWith(`snap-${forbid}.yaml`)));
    assert.equal(fx.srv.writes(), writesBefore);
  }
});

test('the CLI exits 1 on blockers by default, and the text report names the context', { skip }, async () => {
  resetServer();
  const r = await cli(['--color', 'never'], env());
  assert.equal(r.code, 1);
  assert.match(r.stdout, /context kind-dual-stack \(https:\/\/127\.0\.0\.1:\d+\)/);
  assert.match(r.stdout, /\(cluster\)/);
  assert.match(r.stdout, /inferred from ServiceCIDR kubernetes .*spec\.cidrs.*Service\/default\/kubernetes clusterIPs \[10\.96\.0\.1\]/);
});

test('--context selects a context; an unknown one is a usage error', { skip }, async () => {
  resetServer();
  const kc = writeKubeconfig(fx.dir, [
    { name: 'other', server: 'https://127.0.0.1:1', caPem: fx.srv.pki.caPem, token: 'x' },
    { name: 'kind-dual-stack', server: fx.srv.url, caPem: fx.srv.pki.caPem, token: fx.srv.token },
  ], 'two');
  const r = await cli(['-f', 'json', '--fail-on', 'never', '--context', 'kind-dual-stack', '--kubeconfig', kc], {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as Report).target.context, 'kind-dual-stack');
  const bad = await cli(['--context', 'nope', '--kubeconfig', kc], {});
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'dualstack-audit: context "nope" not found in the kubeconfig (have: other, kind-dual-stack)\n');
});

test('KUBECONFIG lists merge as kubectl does: the first file setting current-context wins', { skip }, async () => {
  resetServer();
  const a = writeKubeconfig(fx.dir, [{ name: 'kind-dual-stack', server: fx.srv.url, caPem: fx.srv.pki.caPem, token: fx.srv.token }], 'a');
  const b = writeKubeconfig(fx.dir, [{ name: 'elsewhere', server: 'https://127.0.0.1:1', caPem: fx.srv.pki.caPem, token: 'x' }], 'b');
  const r = await cli(['-f', 'json', '--fail-on', 'never'], { KUBECONFIG: [join(fx.dir, 'missing'), a, b].join(':') });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as Report).target.context, 'kind-dual-stack');
  // ~/.kube/config when KUBECONFIG is unset.
  const home = tempDir('dsa-home-');
  writeFileSync(join(home, 'x'), '');
  const { mkdirSync, copyFileSync } = await import('node:fs');
  mkdirSync(join(home, '.kube'));
  copyFileSync(a, join(home, '.kube', 'config'));
  const h = await cli(['-f', 'json', '--fail-on', 'never'], { HOME: home });
  assert.equal(h.code, 0, h.stderr);
  removeDir(home);
});

test('unreachable server, rejected token, TLS mismatch, no kubeconfig: one clear line, exit 2, no stack trace', { skip }, async () => {
  resetServer();
  const cases: { name: string; kc: () => string; re: RegExp }[] = [
    { name: 'unreachable', kc: () => writeKubeconfig(fx.dir, [{ name: 'gone', server: 'https://127.0.0.1:1', caPem: fx.srv.pki.caPem, token: fx.srv.token }], 'gone'),
      re: /^dualstack-audit: cannot reach the API server https:\/\/127\.0\.0\.1:1 \(context "gone"\): connection refused\n$/ },
    { name: 'rejected token', kc: () => writeKubeconfig(fx.dir, [{ name: 'bad-token', server: fx.srv.url, caPem: fx.srv.pki.caPem, token: 'wrong' }], 'badtoken'),
      re: /^dualstack-audit: the API server https:\/\/127\.0\.0\.1:\d+ rejected the credentials of context "bad-token" \(401 Unauthorized: Unauthorized\); refresh the token or client certificate in the kubeconfig\n$/ },
    { name: 'TLS mismatch', kc: () => writeKubeconfig(fx.dir, [{ name: 'other-ca', server: fx.srv.url, caPem: makePki('another-ca').caPem, token: fx.srv.token }], 'otherca'),
      re: /^dualstack-audit: TLS verification of https:\/\/127\.0\.0\.1:\d+ \(context "other-ca"\) failed: .*certificate.*\n$/ },
  ];
  for (const c of cases) {
    const r = await cli([], { KUBECONFIG: c.kc() });
    assert.equal(r.code, 2, `${c.name}: ${r.stderr}`);
    assert.match(r.stderr, c.re, c.name);
    assert.equal(r.stdout, '');
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  }
  const execKc = join(fx.dir, 'exec-missing');
  writeFileSync(execKc, ['apiVersion: v1', 'kind: Config', 'current-context: gke', 'clusters:', '- name: c', '  cluster:', `    server: ${fx.srv.url}`,
    'users:', '- name: u', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1beta1', '      command: gke-gcloud-auth-plugin-not-installed',
    '      interactiveMode: Never', 'contexts:', '- name: gke', '  context: {cluster: c, user: u}', ''].join('\n'));
  const ex = await cli([], { KUBECONFIG: execKc });
  assert.equal(ex.code, 2);
  assert.equal(ex.stderr, 'dualstack-audit: context "gke": cannot get credentials: spawn gke-gcloud-auth-plugin-not-installed ENOENT\n');
  const brokenKc = join(fx.dir, 'broken');
  writeFileSync(brokenKc, 'clusters: [oops');
  const broken = await cli([], { KUBECONFIG: brokenKc });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^dualstack-audit: cannot load kubeconfig .*broken: .*\n$/);
  const none = await cli([], { KUBECONFIG: undefined, HOME: tempDir('dsa-empty-home-') });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^dualstack-audit: no kubeconfig found .*\n$/);
  assert.equal(fx.srv.writes(), 0);
});

test('live flags with paths are a usage error', { skip }, async () => {
  const r = await cli(['--context', 'x', 'some.yaml'], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /apply to live audits/);
});

test('the corpus cluster alone has none of the planted problems', { skip }, async () => {
  const clean = await startServer(corpusState(), { pki: fx.srv.pki });
  try {
    const kc = writeKubeconfig(fx.dir, [{ name: 'clean', server: clean.url, caPem: clean.pki.caPem, token: clean.token }], 'clean');
    const r = await cli(['-f', 'json', '--fail-on', 'never'], { KUBECONFIG: kc });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(report.findings.filter((f) => ['node-single-stack', 'service-endpoints-family-empty'].includes(f.ruleId)).map(key), []);
    // No ServiceCIDR: families from what the apiserver allocated (echo-dualstack has both).
    assert.deepEqual(report.target.clusterFamilies, ['IPv4', 'IPv6']);
    assert.ok(report.target.familiesEvidence?.some((e) => e.includes('Service/default/kubernetes')));
    assert.equal(clean.writes(), 0);
  } finally {
    await clean.close();
  }
});

test('exec credential plugins work (client-node runs the plugin, the token reaches the server)', { skip }, async () => {
  resetServer();
  const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: fx.srv.token } });
  const kc = join(fx.dir, 'exec-config');
  writeFileSync(kc, [
    'apiVersion: v1', 'kind: Config', 'current-context: exec',
    'clusters:', '- name: c', '  cluster:', `    server: ${fx.srv.url}`, `    certificate-authority-data: ${Buffer.from(fx.srv.pki.caPem).toString('base64')}`,
    'users:', '- name: u', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1beta1', `      command: ${JSON.stringify(process.execPath)}`,
    `      args: ["-e", ${JSON.stringify(`process.stdout.write(${JSON.stringify(cred)})`)}]`, '      interactiveMode: Never',
    'contexts:', '- name: exec', '  context: {cluster: c, user: u}', '',
  ].join('\n'));
  const r = await cli(['-f', 'json', '--fail-on', 'never', '--kubeconfig', kc], {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as Report).target.context, 'exec');
});

test('a progress line is drawn on stderr only when it is a terminal', { skip }, async () => {
  resetServer();
  const { main } = await import('../../src/cli/index.ts');
  let err = '';
  const code = await main(['node', 'dualstack-audit', '-f', 'json', '--fail-on', 'never'], {
    stdout: () => {}, stderr: (s) => { err += s; }, readStdin: async () => new Uint8Array(),
    env: { KUBECONFIG: fx.kubeconfig, DUALSTACK_AUDIT_BACKOFF_MS: '5' }, stdoutIsTTY: false, stderrIsTTY: true, cwd: fx.dir,
  } as Parameters<typeof main>[1]);
  assert.equal(code, 0, err);
  assert.match(err, /\r\x1b\[Kkind-dual-stack: /);
  assert.ok(err.endsWith('\r\x1b[K'), 'the line is cleared at the end');
  const quiet = await cli(['-f', 'json', '--fail-on', 'never'], env());
  assert.equal(quiet.stderr, '');
});

test('a single cluster can be reported in the other formats (SARIF)', { skip }, async () => {
  resetServer();
  const r = await cli(['-f', 'sarif', '--fail-on', 'never'], env());
  assert.equal(r.code, 0, r.stderr);
  const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'node-single-stack'));
  const fleet = await cli(['--all-contexts', '-f', 'sarif'], env());
  assert.equal(fleet.code, 2);
  assert.match(fleet.stderr, /not available for a fleet/);
});

test('OIDC auth-provider: a valid id-token is sent as the bearer token (client-node)', { skip }, async () => {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://issuer.example', sub: 'auditor', aud: 'k8s', exp: Math.floor(Date.now() / 1000) + 3600 })}.c2ln`;
  const oidc = await startServer(corpusState(), { pki: fx.srv.pki, token: jwt });
  try {
    const kc = join(fx.dir, 'oidc-config');
    writeFileSync(kc, [
      'apiVersion: v1', 'kind: Config', 'current-context: oidc',
      'clusters:', '- name: c', '  cluster:', `    server: ${oidc.url}`, `    certificate-authority-data: ${Buffer.from(fx.srv.pki.caPem).toString('base64')}`,
      'users:', '- name: u', '  user:', '    auth-provider:', '      name: oidc', '      config:',
      '        idp-issuer-url: https://issuer.example', '        client-id: k8s', `        id-token: ${jwt}`, '        refresh-token: unused',
      'contexts:', '- name: oidc', '  context: {cluster: c, user: u}', '',
    ].join('\n'));
    const r = await cli(['-f', 'json', '--fail-on', 'never', '--kubeconfig', kc], {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Report).target.context, 'oidc');
    assert.ok(oidc.requests.length > 5);
  } finally {
    await oidc.close();
  }
});

test('an expired continue token (410) restarts the list; snapshot -o - writes to stdout', { skip }, async () => {
  resetServer();
  fx.srv.injections.push({ match: /^GET \/api\/v1\/pods\?.*continue=/, status: 410, times: 1 });
  const r = await cli(['snapshot', '-o', '-'], env());
  assert.equal(r.code, 0, r.stderr);
  const pages = fx.srv.requests.filter((l) => l.startsWith('GET /api/v1/pods?'));
  assert.equal(pages.length, 4 + 2, pages.join('\n')); // the first page, the 410, then all 4 pages again
  const items = (r.stdout.match(/^    kind: Pod$/gm) ?? []).length;
  assert.equal(items, 24, 'every pod once, none twice');
  assert.match(r.stdout, /^# dualstack-audit snapshot of context "kind-dual-stack"/);
});

test('a 1.31 cluster serving ServiceCIDR only as v1beta1: discovery picks that version', { skip }, async () => {
  const resources = API_RESOURCES.map((d) => (d.resource === 'servicecidrs' ? { ...d, version: 'v1beta1' } : d));
  const state = clusterState().map((o) => (o.kind === 'ServiceCIDR' ? { ...o, apiVersion: 'networking.k8s.io/v1beta1' } : o));
  const old = await startServer(state, { pki: fx.srv.pki, resources });
  try {
    const kc = writeKubeconfig(fx.dir, [{ name: 'old', server: old.url, caPem: old.pki.caPem, token: old.token }], 'old');
    const r = await cli(['-f', 'json', '--fail-on', 'never'], { KUBECONFIG: kc });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(old.requests.some((l) => l.startsWith('GET /apis/networking.k8s.io/v1beta1/servicecidrs?')));
    assert.ok(!old.requests.some((l) => l.startsWith('GET /apis/networking.k8s.io/v1/servicecidrs')));
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.target.familiesEvidence?.[0]?.includes('ServiceCIDR'), JSON.stringify(report.target.familiesEvidence));
  } finally {
    await old.close();
  }
});

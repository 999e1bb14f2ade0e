// One root cause, one finding (engine/fold.ts), through the real loader, model and engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import { run, type RunOptions } from '../../src/engine/run.ts';
import { createBaseline, fingerprint } from '../../src/engine/baseline.ts';
import { foldRootCauses } from '../../src/engine/fold.ts';
import { RULES } from '../../src/rules/index.ts';
import { planFixes } from '../../src/fix/plan.ts';
import { formatText, plainStyle, plainTable } from '../../src/report/text.ts';
import { formatMarkdown } from '../../src/report/markdown.ts';
import { formatSarif } from '../../src/report/sarif.ts';
import type { Finding, Report } from '../../src/engine/types.ts';
import type { Rule, RuleMeta } from '../../src/rules/types.ts';

async function audit(yaml: string, extra: Partial<RunOptions> = {}, ruleIds?: readonly string[], rules: readonly Rule[] = RULES): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-fold-'));
  try {
    const file = join(dir, 'svc.yaml');
    writeFileSync(file, yaml);
    const loaded = await loadPaths([file]);
    const model = buildModel(loaded.documents, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
    return run(model, rules, {
      locate: loaded.locator.locate,
      ...(ruleIds ? { only: ruleIds } : {}),
      tool: { name: 'dualstack-audit', version: 'test' },
      target: { mode: 'files', sources: [file], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
      problems: loaded.problems,
      ...extra,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports: [{port: 8080}]
`;

test('a single-stack Service gets one finding: dns-aaaa-coverage is folded into service-single-stack', async () => {
  const r = await audit(SERVICE);
  const onApi = r.findings.filter((f) => f.resource.name === 'api');
  assert.deepEqual(onApi.map((f) => f.ruleId), ['service-single-stack']);
  const related = onApi[0]!.related ?? [];
  assert.deepEqual(related.map((x) => x.ruleId), ['dns-aaaa-coverage']);
  assert.match(related[0]!.message, /AAAA/);
  assert.ok(related[0]!.fingerprint, 'the folded finding keeps its fingerprint');
  // Its evaluation still fails, in its own phase and at its own severity.
  const dns = r.evaluations.find((e) => e.ruleId === 'dns-aaaa-coverage')!;
  assert.equal(dns.failed, 1);
  assert.equal(dns.passed, 0);
  assert.equal(r.score.categories.dns.failed, 1);
  assert.equal(r.score.categories.dns.score, 0);
});

test('folding changes no score: the same input with the root-cause rule run alone and together', async () => {
  const both = await audit(SERVICE, {}, ['service-single-stack', 'dns-aaaa-coverage']);
  const dnsOnly = await audit(SERVICE, {}, ['dns-aaaa-coverage']);
  const svcOnly = await audit(SERVICE, {}, ['service-single-stack']);
  assert.equal(both.findings.length, 1);
  assert.equal(dnsOnly.findings.length, 1, 'without its root cause the consequence is reported');
  assert.equal(both.score.categories.dns.score, dnsOnly.score.categories.dns.score);
  assert.equal(both.score.categories.services.score, svcOnly.score.categories.services.score);
});

test('a suppressed root cause does not hide an unsuppressed consequence', async () => {
  const yaml = SERVICE.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    dualstack-audit.io/ignore: service-single-stack\n');
  const r = await audit(yaml);
  const active = r.findings.filter((f) => !f.suppressed && f.resource.name === 'api');
  assert.deepEqual(active.map((f) => f.ruleId), ['dns-aaaa-coverage']);
  assert.equal(active[0]!.related, undefined);
});

test('a baseline records folded findings, so both stay suppressed on the next run', async () => {
  const first = await audit(SERVICE);
  const baseline = createBaseline(first);
  assert.ok(baseline.findings.some((e) => e.ruleId === 'dns-aaaa-coverage'), 'the folded finding is in the baseline');
  const second = await audit(SERVICE, { baseline });
  assert.equal(second.findings.filter((f) => !f.suppressed).length, 0);
});

test('a LoadBalancer: the folded finding raises nothing it should not, and the root keeps the worst severity', async () => {
  const r = await audit(SERVICE.replace('spec:\n', 'spec:\n  type: LoadBalancer\n'));
  const f = r.findings.find((x) => x.ruleId === 'service-single-stack')!;
  assert.equal(f.severity, 'high');
  assert.deepEqual((f.related ?? []).map((x) => x.ruleId), ['dns-aaaa-coverage']);
});

// foldRootCauses alone: samePath, chains and cycles.
const meta = (id: string, foldsInto?: RuleMeta['foldsInto']): RuleMeta =>
  ({ id, title: id, category: 'dns', severity: 'medium', scope: [], rationale: '', docs: { bad: '', good: '' }, fix: { summary: '' }, messages: {}, references: [], ...(foldsInto ? { foldsInto } : {}) });
const finding = (ruleId: string, path: string[], severity: Finding['severity'] = 'medium'): Finding =>
  ({ ruleId, severity, category: 'dns', messageId: 'm', message: `${ruleId} says`, resource: { apiVersion: 'v1', kind: 'Service', name: 'x' }, path });

test('foldRootCauses: samePath folds only on the same field; chains end at the last root; cycles are cut', () => {
  const metas = new Map<string, RuleMeta>([
    ['a', meta('a', [{ rule: 'b', samePath: true }])],
    ['b', meta('b', [{ rule: 'c' }])],
    ['c', meta('c')],
    ['x', meta('x', [{ rule: 'y' }])],
    ['y', meta('y', [{ rule: 'x' }])],
  ]);
  const of = (id: string): RuleMeta | undefined => metas.get(id);
  // a on another path than b: not folded into b.
  let r = foldRootCauses([finding('a', ['p']), finding('b', ['q'])], ['o', 'o'], of);
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['a', 'b']);
  // Another owner: not folded.
  r = foldRootCauses([finding('b', ['q']), finding('c', ['q'])], ['o1', 'o2'], of);
  assert.equal(r.findings.length, 2);
  // a -> b -> c: both end in c, which takes the worst severity.
  r = foldRootCauses([finding('a', ['p'], 'high'), finding('b', ['p']), finding('c', ['z'], 'low')], ['o', 'o', 'o'], of);
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['c']);
  assert.equal(r.findings[0]!.severity, 'high');
  assert.deepEqual(r.findings[0]!.related!.map((x) => x.ruleId).sort(), ['a', 'b']);
  assert.deepEqual(r.into, [0, 0, 0]);
  // The same chain whatever the order of the findings (b folded into c before a is looked at).
  r = foldRootCauses([finding('b', ['p']), finding('a', ['p'], 'high'), finding('c', ['z'], 'low')], ['o', 'o', 'o'], of);
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['c']);
  assert.equal(r.findings[0]!.severity, 'high');
  // x <-> y: one of them stays.
  r = foldRootCauses([finding('x', ['p']), finding('y', ['p'])], ['o', 'o'], of);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]!.related!.length, 1);
});

// Across resources (RuleReport.cause, foldsInto onCause): the Envoy Service Envoy Gateway writes
// for Gateway default/eg, as `kubectl get -o yaml` shows it (labels of envoyproxy/gateway
// internal/infrastructure/kubernetes/proxy/testdata/services/ipv4-singlestack.yaml), follows the
// GatewayClass that names no EnvoyProxy: one finding, on the GatewayClass.
const stored = (n: number): string => `uid: 6d3c1c2e-0000-4000-8000-00000000000${n}, resourceVersion: "100${n}"`;
const EG_CLASS = (annotations = ''): string => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg, ${stored(1)}${annotations}}
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
`;
const EG_REST = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg, namespace: default, ${stored(2)}}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: envoy-default-eg-e41e7b31
  namespace: envoy-gateway-system
  ${stored(3).replace(', ', '\n  ')}
  labels:
    app.kubernetes.io/component: proxy
    app.kubernetes.io/managed-by: envoy-gateway
    app.kubernetes.io/name: envoy
    gateway.envoyproxy.io/owning-gateway-name: eg
    gateway.envoyproxy.io/owning-gateway-namespace: default
spec:
  type: LoadBalancer
  clusterIP: 10.96.200.10
  clusterIPs: [10.96.200.10]
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  selector: {app.kubernetes.io/name: envoy}
  ports: [{name: http-80, port: 80, targetPort: 10080}]
`;
const EG_CLUSTER = `${EG_CLASS()}---\n${EG_REST}`;
const ENVOY_SVC = 'envoy-default-eg-e41e7b31';
const EG_RULES = ['envoy-gateway-ipv4-listeners', 'service-single-stack', 'dns-aaaa-coverage'];

test('Envoy Gateway: the Envoy Service\'s findings fold into the GatewayClass finding that states their cause', async () => {
  const r = await audit(EG_CLUSTER, { live: true }, EG_RULES);
  assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`), ['envoy-gateway-ipv4-listeners GatewayClass/eg']);
  const root = r.findings[0]!;
  assert.equal(root.severity, 'high', 'the root takes the LoadBalancer\'s severity, so the gate sees it');
  assert.match(root.fix!.summary, /EnvoyProxy with spec.ipFamily: DualStack in spec.parametersRef of GatewayClass eg/);
  const related = root.related ?? [];
  assert.deepEqual(related.map((x) => `${x.ruleId} ${x.resource?.kind}/${x.resource?.namespace}/${x.resource?.name}`).sort(), [
    `dns-aaaa-coverage Service/envoy-gateway-system/${ENVOY_SVC}`,
    `service-single-stack Service/envoy-gateway-system/${ENVOY_SVC}`,
  ]);
  const svcFinding = related.find((x) => x.ruleId === 'service-single-stack')!;
  assert.match(svcFinding.message, /written by Envoy Gateway for Gateway default\/eg and gets SingleStack \[IPv4\] from GatewayClass eg, which names no EnvoyProxy/);
  // Every evaluation still fails, so the score is that of the rules run apart.
  for (const id of EG_RULES) assert.equal(r.evaluations.find((e) => e.ruleId === id)!.failed, 1, id);
  const apart = await Promise.all(EG_RULES.map((id) => audit(EG_CLUSTER, { live: true }, [id])));
  for (const c of ['services', 'dns'] as const) {
    const sum = (k: 'weightPassed' | 'weightTotal'): number => apart.reduce((a, x) => a + x.score.categories[c][k], 0);
    assert.deepEqual([r.score.categories[c].weightPassed, r.score.categories[c].weightTotal], [sum('weightPassed'), sum('weightTotal')], c);
  }
  // `fix` has nothing to write into the controller's Service.
  const plan = planFixes(r, { suggestions: true, needsValue: new Set() });
  assert.equal([...plan.files.values()].flat().length, 0);
  // Reports name the folded findings' resource.
  const text = formatText(r, { verbose: true });
  assert.match(text, new RegExp(`also service-single-stack on Service/envoy-gateway-system/${ENVOY_SVC}: `));
  assert.match(formatText(r), new RegExp(`also explains: (dns-aaaa-coverage|service-single-stack) on Service/envoy-gateway-system/${ENVOY_SVC}, `));
  assert.match(formatMarkdown(r), new RegExp(`Also \`service-single-stack\` on \`Service/envoy-gateway-system/${ENVOY_SVC}\``));
  const sarif = JSON.parse(formatSarif(r)) as { runs: { results: { properties: { related: { resource?: string }[] } }[] }[] };
  assert.ok(sarif.runs[0]!.results[0]!.properties.related.every((x) => x.resource === `Service/envoy-gateway-system/${ENVOY_SVC}`));
});

test('Envoy Gateway: without the root-cause rule the Envoy Service\'s finding stands, names the EnvoyProxy level and carries no patch', async () => {
  const r = await audit(EG_CLUSTER, { live: true }, ['service-single-stack']);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0]!;
  assert.equal(f.resource.name, ENVOY_SVC);
  assert.equal(f.messageId, 'envoyGateway');
  assert.equal(f.fix?.patch, undefined, 'no patch to a Service Envoy Gateway overwrites');
  assert.match(f.fix!.summary, /not in the Service/);
  const plan = planFixes(r, { suggestions: true, needsValue: new Set() });
  assert.deepEqual(plan.left.map((l) => l.why), ['no safe fix']);
});

test('Envoy Gateway: a suppressed GatewayClass finding does not hide the Envoy Service\'s', async () => {
  const yaml = `${EG_CLASS(', annotations: {dualstack-audit.io/ignore: envoy-gateway-ipv4-listeners}')}---\n${EG_REST}`;
  const r = await audit(yaml, { live: true }, EG_RULES);
  const active = r.findings.filter((f) => !f.suppressed);
  assert.deepEqual(active.map((f) => f.ruleId), ['service-single-stack']);
  assert.deepEqual((active[0]!.related ?? []).map((x) => [x.ruleId, x.resource]), [['dns-aaaa-coverage', undefined]], 'its own consequence stays under it, on its own resource');
});

test('Envoy Gateway: the Envoy Service folds into the finding on the EnvoyProxy the Gateway names', async () => {
  const yaml = EG_CLUSTER.replace('  gatewayClassName: eg\n', '  gatewayClassName: eg\n  infrastructure:\n    parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: own}\n') +
    `---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyProxy\nmetadata: {name: own, namespace: default, ${stored(4)}}\nspec:\n  ipFamily: IPv4\n`;
  const r = await audit(yaml, { live: true }, EG_RULES);
  assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`), ['envoy-gateway-ipv4-listeners EnvoyProxy/own']);
  assert.deepEqual((r.findings[0]!.related ?? []).map((x) => x.ruleId).sort(), ['dns-aaaa-coverage', 'service-single-stack']);
  assert.match(r.findings[0]!.message, /ipFamily: IPv4/);
});

test('Envoy Gateway: a baseline records the folded Envoy Service findings under their own resource', async () => {
  const first = await audit(EG_CLUSTER, { live: true }, EG_RULES);
  const baseline = createBaseline(first);
  const entry = baseline.findings.find((e) => e.ruleId === 'service-single-stack')!;
  assert.equal(entry.resource, `Service/envoy-gateway-system/${ENVOY_SVC}`);
  const second = await audit(EG_CLUSTER, { live: true, baseline }, EG_RULES);
  assert.equal(second.findings.filter((f) => !f.suppressed).length, 0);
});

test('foldRootCauses: onCause folds into the named resource\'s finding, never into its own resource\'s', () => {
  const metas = new Map<string, RuleMeta>([['svc', meta('svc', [{ rule: 'root', onCause: true }])], ['root', meta('root')]]);
  const of = (id: string): RuleMeta | undefined => metas.get(id);
  const onSvc = { ...finding('svc', ['spec']), resource: { apiVersion: 'v1', kind: 'Service', name: 'envoy' } };
  const onProxy = { ...finding('root', ['spec']), resource: { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyProxy', name: 'p' } };
  // The cause is the EnvoyProxy: folded, and the related finding names the Service.
  let r = foldRootCauses([onSvc, onProxy], ['svc', 'proxy'], of, ['proxy', undefined]);
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['root']);
  assert.deepEqual(r.findings[0]!.related!.map((x) => x.resource?.kind), ['Service']);
  // No cause named, or another one: not folded, even with a root-cause finding on the same resource.
  r = foldRootCauses([onSvc, { ...onProxy, resource: onSvc.resource }], ['svc', 'svc'], of);
  assert.equal(r.findings.length, 2);
  r = foldRootCauses([onSvc, onProxy], ['svc', 'proxy'], of, ['other', undefined]);
  assert.equal(r.findings.length, 2);
});

test('foldRootCauses: a same-cause key folds Node findings only, of one rule, into the first finding not on a Node', () => {
  const metas = new Map<string, RuleMeta>([['u', meta('u')], ['v', meta('v')]]);
  const of = (id: string): RuleMeta | undefined => metas.get(id);
  const on = (ruleId: string, kind: string, name: string): Finding => ({ ...finding(ruleId, ['p']), resource: { apiVersion: 'v1', kind, name } });
  const fs = [on('u', 'Node', 'n1'), on('u', 'Node', 'n2'), on('u', 'Cluster', 'k1'), on('u', 'Cluster', 'k2'), on('v', 'Node', 'n3'), on('u', 'Node', 'n4')];
  const owners = ['n1', 'n2', 'k1', 'k2', 'n3', 'n4'];
  const r = foldRootCauses(fs, owners, of, undefined, ['x', 'x', 'x', 'x', 'x', 'y']);
  // n1 and n2 into k1 (the first not on a Node, though later); k2 stays; v is another rule; y another cause.
  assert.deepEqual(r.findings.map((f) => f.resource.name), ['k1', 'k2', 'n3', 'n4']);
  assert.equal(r.findings[0]!.message, 'u says (and on 2 Nodes)');
  assert.deepEqual(r.into, [0, 0, 0, 1, 2, 3]);
  assert.deepEqual(r.findings[0]!.related!.map((x) => x.resource?.name), ['n1', 'n2']);
  // Only Nodes: into the first, which counts the others.
  const two = foldRootCauses([fs[0]!, fs[1]!], ['n1', 'n2'], of, undefined, ['x', 'x']);
  assert.deepEqual(two.findings.map((f) => f.message), ['u says (and on 1 more Node)']);
  // Without keys nothing folds across resources.
  assert.equal(foldRootCauses(fs, owners, of).findings.length, 6);
});

// The same cause on many Nodes (RuleReport.sameCause): kind's fd00:10:244::/56 carved into each Node's podCIDRs.
const NODES = ['a', 'b', 'c'].map((n, i) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDRs: [10.244.${i}.0/24, 'fd00:10:244:${i}::/64']\n`).join('---\n');
const ULA = 'ula-low-entropy-global-id';
const ulaRule = RULES.find((r) => r.meta.id === ULA)!;
/** The rule as it was before it named causes: one finding per Node. */
const ulaUnfolded: Rule = { meta: ulaRule.meta, targets: (ctx) => ulaRule.targets(ctx), check: (t, ctx) => [...ulaRule.check(t, ctx)].map(({ sameCause: _, ...rep }) => rep) };

test('the same cause on three Nodes: one finding with the count; every Node\'s evaluation still fails', async () => {
  const r = await audit(NODES, {}, [ULA]);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0]!;
  assert.equal(f.resource.name, 'a');
  assert.match(f.message, /fd00:10:244:0::\/64: non-random ULA Global ID .* \(and on 2 more Nodes\)$/);
  assert.deepEqual((f.related ?? []).map((x) => [x.ruleId, x.resource?.name]), [[ULA, 'b'], [ULA, 'c']]);
  assert.equal(r.evaluations.find((e) => e.ruleId === ULA)!.failed, 3);
  assert.deepEqual(r.results!.filter((x) => x.ruleId === ULA).map((x) => [x.resource.name, x.failed, x.findings]), [['a', true, [0]], ['b', true, [0]], ['c', true, [0]]]);
  // The count is not part of the fingerprint: a fourth Node keeps a baseline's entry.
  assert.equal(f.fingerprint, fingerprint({ ruleId: ULA, resource: f.resource, path: f.path, message: f.message.replace(/ \(and on 2 more Nodes\)$/, '') }));
});

test('folding the same cause on Nodes changes no score', async () => {
  const yaml = `${NODES}---\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: x}\nspec:\n  cidrs: [fd5e:1c7a:93d2::/112]\n`;
  const folded = await audit(yaml, {}, [ULA]);
  const unfolded = await audit(yaml, {}, [ULA], [ulaUnfolded]);
  assert.equal(unfolded.findings.length, 3);
  assert.equal(folded.findings.length, 1);
  assert.deepEqual(folded.score, unfolded.score);
  assert.deepEqual(folded.evaluations, unfolded.evaluations);
});

test('the same cause on Nodes: the cluster-level range is the root; a suppressed Node stays apart', async () => {
  const kind = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:10:244::/56\n  serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2::/112\n';
  const yaml = `${NODES.replace('metadata: {name: a}', 'metadata: {name: a, annotations: {dualstack-audit.io/ignore: ula-low-entropy-global-id}}')}---\n${kind}`;
  const r = await audit(yaml, {}, [ULA]);
  const active = r.findings.filter((f) => !f.suppressed);
  assert.deepEqual(active.map((f) => f.resource.kind), ['Cluster']);
  assert.match(active[0]!.message, /kind Cluster networking\.podSubnet fd00:10:244::\/56: .* \(and on 2 Nodes\)$/);
  assert.deepEqual((active[0]!.related ?? []).map((x) => x.resource?.name), ['b', 'c']);
  const suppressed = r.findings.filter((f) => f.suppressed);
  assert.deepEqual(suppressed.map((f) => [f.resource.name, f.related]), [['a', undefined]]);
});

test('a baseline records the folded Node findings under their own Node, so all stay suppressed', async () => {
  const first = await audit(NODES, {}, [ULA]);
  const baseline = createBaseline(first);
  assert.deepEqual(baseline.findings.map((e) => e.resource).sort(), ['Node/a', 'Node/b', 'Node/c']);
  const second = await audit(NODES, { baseline }, [ULA]);
  assert.equal(second.findings.filter((f) => !f.suppressed).length, 0);
  assert.equal(second.unusedSuppressions, undefined);
});

test('reports of the same cause on Nodes: text names no rule as explaining itself, --verbose and SARIF name each Node', async () => {
  const r = await audit(NODES, {}, [ULA]);
  const text = formatText(r, { style: plainStyle, table: plainTable, verbose: false });
  assert.match(text, /\(and on 2 more Nodes\)/);
  assert.doesNotMatch(text, /also explains/);
  const verbose = formatText(r, { style: plainStyle, table: plainTable, verbose: true });
  assert.match(verbose, /also ula-low-entropy-global-id on Node\/b: Node b spec\.podCIDRs\[1\] fd00:10:244:1::\/64/);
  const sarif = JSON.parse(formatSarif(r));
  assert.deepEqual(sarif.runs[0].results[0].properties.related.map((x: { resource: string }) => x.resource), ['Node/b', 'Node/c']);
});

// Suppression and baselines in the engine: precedence, globs, counts, unused reports, and
// what a suppression does to the evaluations and the score.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySuppressions, exemptionMatches, parseIgnoreList, type SuppressItem } from '../../src/engine/suppress.ts';
import { createBaseline, fingerprint, parseBaseline, BaselineError } from '../../src/engine/baseline.ts';
import { formatRef } from '../../src/model/types.ts';
import type { Finding } from '../../src/engine/types.ts';
import { fixtureReport } from '../helpers/report-fixture.ts';

const f = (name: string, ruleId = 'service-single-stack', extra: Partial<Finding> = {}): Finding => ({
  ruleId, severity: 'high', category: 'services', messageId: 'm', message: `msg ${name}`,
  resource: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name }, path: ['spec'], ...extra,
});
const item = (x: Finding, annotations?: Record<string, string>): SuppressItem =>
  (annotations ? { finding: x, owner: formatRef(x.resource), annotations } : { finding: x, owner: formatRef(x.resource) });
const ran = new Set(['service-single-stack', 'dns-aaaa-coverage']);

test('precedence: annotation, then config exemption, then baseline', () => {
  const a = f('a');
  const baseline = createBaseline({ tool: { name: 't', version: '1' }, findings: [a] } as never);
  const r = applySuppressions([
    item(a, { 'dualstack-audit.io/ignore': 'service-single-stack', 'dualstack-audit.io/ignore-reason': 'why' }),
  ], { exemptions: [{ rule: '*', reason: 'cfg' }], baseline, ranRules: ran, knownRules: ran });
  assert.deepEqual(r.findings[0]!.suppressed, { by: 'annotation', reason: 'why' });
  const r2 = applySuppressions([item(a)], { exemptions: [{ rule: '*', reason: 'cfg' }], baseline, ranRules: ran, knownRules: ran });
  assert.deepEqual(r2.findings[0]!.suppressed, { by: 'config', reason: 'cfg' });
  // The exemption took it: the baseline entry is now unused.
  assert.deepEqual(r2.unused.map((u) => u.by), ['baseline']);
  const r3 = applySuppressions([item(a)], { baseline, ranRules: ran, knownRules: ran });
  assert.equal(r3.findings[0]!.suppressed?.by, 'baseline');
  assert.deepEqual(r3.unused, []);
});

test('exemptions match exactly or by glob; annotations take lists and *', () => {
  const x = f('legacy-billing');
  assert.ok(exemptionMatches({ rule: 'service-single-stack', kind: 'Service', namespace: 'shop', name: 'legacy-*', reason: 'r' }, x));
  assert.ok(exemptionMatches({ rule: '*', name: '*billing', reason: 'r' }, x));
  assert.ok(!exemptionMatches({ rule: 'service-single-stack', name: 'legacy', reason: 'r' }, x));
  assert.ok(!exemptionMatches({ rule: 'dns-aaaa-coverage', reason: 'r' }, x));
  assert.ok(!exemptionMatches({ rule: '*', kind: 'Ingress', reason: 'r' }, x));
  assert.ok(!exemptionMatches({ rule: '*', namespace: 'sh.p', reason: 'r' }, x), 'regex characters are literal');
  assert.deepEqual(parseIgnoreList(' a, b  c,,'), ['a', 'b', 'c']);
  const r = applySuppressions([item(x, { 'dualstack-audit.io/ignore': '*' }), item(f('other'), { 'dualstack-audit.io/ignore': 'dns-aaaa-coverage' })],
    { ranRules: ran, knownRules: ran });
  assert.deepEqual(r.findings.map((y) => y.suppressed?.by), ['annotation', undefined]);
});

test('a baseline entry is matched as many times as it was recorded', () => {
  // The same Service in two overlays: same fingerprint twice.
  const a1 = f('web', 'service-single-stack', { location: { file: 'prod/web.yaml', line: 3, column: 1 } });
  const a2 = f('web', 'service-single-stack', { location: { file: 'staging/web.yaml', line: 9, column: 1 } });
  assert.equal(fingerprint(a1), fingerprint(a2), 'lines and files are not part of the fingerprint');
  assert.notEqual(fingerprint(a1), fingerprint({ ...a1, path: ['spec', 'type'] }));
  assert.notEqual(fingerprint(a1), fingerprint({ ...a1, message: 'other' }));
  const one = createBaseline({ tool: { name: 't', version: '1' }, findings: [a1] } as never);
  assert.equal(one.findings[0]!.count, 1);
  const r = applySuppressions([item(a1), item(a2)], { baseline: one, ranRules: ran, knownRules: ran });
  assert.deepEqual(r.findings.map((y) => y.suppressed?.by), ['baseline', undefined]);
  const two = createBaseline({ tool: { name: 't', version: '1' }, findings: [a1, a2] } as never);
  assert.equal(two.findings.length, 1);
  assert.equal(two.findings[0]!.count, 2);
  assert.deepEqual(parseBaseline(JSON.parse(JSON.stringify(two))), two);
  assert.throws(() => parseBaseline({ version: 1, findings: [{ fingerprint: 'x' }] }), (e: Error) => e instanceof BaselineError && e.message === 'findings[0].ruleId: expected a string');
});

test('suppressions of rules that did not run are neither applied nor reported unused', () => {
  const r = applySuppressions([], {
    exemptions: [{ rule: 'service-hardcoded-cluster-ip', reason: 'r' }],
    baseline: { version: 1, tool: 't', findings: [{ fingerprint: 'f', ruleId: 'service-hardcoded-cluster-ip', resource: 'Service/a', message: 'm', count: 1 }] },
    resources: [{ ref: { apiVersion: 'v1', kind: 'Service', name: 'a', namespace: 'd' }, labels: {}, annotations: { 'dualstack-audit.io/ignore': 'service-hardcoded-cluster-ip,service-single-stack' } }],
    ranRules: new Set(['service-single-stack']), knownRules: new Set(['service-single-stack', 'service-hardcoded-cluster-ip']),
  });
  assert.deepEqual(r.unused.map((u) => `${u.by}:${u.ruleId}`), ['annotation:service-single-stack']);
});

test('run(): evaluations point at their findings, and a suppressed evaluation weighs without passing', async () => {
  const report = await fixtureReport();
  for (const e of report.results!) {
    for (const i of e.findings) {
      const x = report.findings[i]!;
      // Its own finding, or the root cause its finding was folded into (engine/fold.ts).
      assert.ok(x.ruleId === e.ruleId || (x.related ?? []).some((r) => r.ruleId === e.ruleId), `${e.ruleId} -> ${x.ruleId}`);
      assert.equal(formatRef(x.resource), formatRef(e.resource));
    }
    assert.equal(e.failed, e.findings.some((i) => !report.findings[i]!.suppressed));
  }
  const sup = report.results!.filter((e) => e.suppressed);
  assert.deepEqual(sup.map((e) => `${e.ruleId} ${formatRef(e.resource)}`), ['service-single-stack Service/shop/legacy-billing']);
  const rule = report.evaluations.find((e) => e.ruleId === 'service-single-stack')!;
  assert.equal(rule.suppressed, 1);
  const services = report.score.categories.services;
  const counted = report.results!.filter((e) => e.category === 'services' && !e.suppressed);
  assert.equal(services.passed + services.failed, counted.length);
  assert.ok(services.weightTotal > services.weightPassed, 'the suppressed evaluation weighs');

  // Exempting every finding leaves the gate, not the score (issue 19): the same score, no cap.
  const all = await fixtureReport({ exemptions: [{ rule: '*', reason: 'test' }] });
  assert.equal(all.score.overall, report.score.overall);
  assert.ok(all.findings.every((x) => x.suppressed));
  assert.equal(all.score.cappedBy, undefined, 'a suppressed critical does not cap the grade');
});

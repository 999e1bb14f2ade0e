// A rule may say that one of its evaluations cannot be made (Target.notEvaluated, e.g. a Service
// judged against undetermined cluster families): the engine counts it as not evaluated, out of the
// score and never passed, does not ask check(), and keeps a record that says why (JUnit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import type { Rule, RuleMeta } from '../../src/rules/types.ts';
import type { InputDocument } from '../../src/model/types.ts';

const svc = (name: string): InputDocument => ({
  object: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: { app: name }, ports: [{ port: 80 }] } },
  source: { file: `${name}.yaml`, doc: 0 },
} as unknown as InputDocument);

const META = {
  id: 'test-rule', title: 't', category: 'services', severity: 'critical', scope: ['Service'], rationale: 'r',
  docs: { bad: '', good: '' }, fix: { summary: 'f' }, messages: { bad: 'bad {name}' }, references: [],
} as unknown as RuleMeta;

test('a target marked notEvaluated is counted apart, never checked, out of the score', () => {
  const checked: string[] = [];
  const rule: Rule = {
    meta: META,
    *targets({ model }) {
      for (const s of model.services) yield { ref: s.ref, ...(s.source ? { source: s.source } : {}), ...(s.ref.name === 'b' || s.ref.name === 'c' ? { notEvaluated: 'cannot tell' } : {}) };
    },
    *check(t) {
      checked.push(t.ref.name);
      if (t.ref.name === 'a') yield { messageId: 'bad', path: [], data: { name: 'a' } };
    },
  };
  const model = buildModel([svc('a'), svc('b'), svc('c'), svc('d')], { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
  const opts = { tool: { name: 't', version: '0' }, target: { mode: 'files' as const, sources: [], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' as const } };
  const r = run(model, [rule], opts);
  assert.deepEqual(checked, ['a', 'd']);
  assert.deepEqual(r.evaluations, [{ ruleId: 'test-rule', category: 'services', passed: 1, failed: 1, notEvaluated: 2 }]);
  const c = r.score.categories.services;
  assert.deepEqual([c.passed, c.failed, c.notEvaluated, c.weightPassed, c.weightTotal, c.score], [1, 1, 2, 10, 20, 50]);
  assert.equal(r.score.coverage?.text, 'partial coverage: over 2 of 4 evaluations; 2 not made (cannot tell)');
  assert.deepEqual(r.results!.map((e) => [e.resource.name, e.failed, e.notEvaluated]), [['a', true, undefined], ['b', false, 'cannot tell'], ['c', false, 'cannot tell'], ['d', false, undefined]]);
  // Without the records: the same counts and score.
  const lean = run(model, [rule], { ...opts, results: false });
  assert.deepEqual([lean.evaluations, lean.score], [r.evaluations, r.score]);
});

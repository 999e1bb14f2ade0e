// engine/analyze(): the one pipeline every audit goes through. Stored objects (live, or a
// snapshot) run the live-only rules and not the manifest-only ones; the report target carries
// what could not be read; --write-baseline's callback sees the first run and its baseline
// applies to the report returned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPaths } from '../../src/load/files.ts';
import { analyze, type AnalyzeTarget } from '../../src/engine/analyze.ts';
import { createBaseline } from '../../src/engine/baseline.ts';
import type { Report } from '../../src/engine/types.ts';
import type { InputDocument } from '../../src/model/types.ts';

const TOOL = { name: 'dualstack-audit', version: 'test' };
const FILE = 'fixtures/live/planted.yaml';

test('stored objects run the live-only rules; manifests run the manifest-only ones', async () => {
  const loaded = await loadPaths([FILE]);
  // The same objects without the apiserver's marks (uid, resourceVersion, creationTimestamp) are manifests.
  const unmarked: InputDocument[] = loaded.documents.map((d) => {
    const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = (d.object.metadata ?? {}) as Record<string, unknown>;
    return { ...d, object: { ...d.object, metadata: meta } };
  });
  const as = (live: boolean, docs = unmarked): Report => analyze(docs, loaded.problems, loaded.locator.locate,
    { mode: 'files', sources: [FILE], live }, { tool: TOOL, stats: loaded.stats });
  const ran = (r: Report): Set<string> => new Set(r.rules.map((m) => m.id));
  const manifests = as(false);
  const stored = as(true);
  // With its marks, a file's stored objects are judged as stored state without being told (issue 14 item 4).
  const marked = as(false, loaded.documents);
  assert.ok(ran(marked).has('node-single-stack') && marked.findings.some((f) => f.ruleId === 'node-single-stack'), 'stored objects in a file run the live-only rules');
  assert.ok(marked.stored && marked.stored.count > 0 && !marked.stored.all, 'the report says which objects were read as stored');
  assert.ok(ran(stored).has('node-single-stack') && !ran(manifests).has('node-single-stack'), 'node-single-stack is live-only');
  assert.ok(ran(manifests).has('service-hardcoded-cluster-ip') && !ran(stored).has('service-hardcoded-cluster-ip'), 'service-hardcoded-cluster-ip is manifest-only');
  assert.ok(stored.findings.some((f) => f.ruleId === 'node-single-stack'), 'the planted single-stack node is found');
  // Positions come from the loader's locate: every finding of a file audit has a line in the file.
  assert.ok(stored.findings.length > 0 && stored.findings.every((f) => f.location?.file === FILE && f.location.line > 0));
  assert.deepEqual(stored.stats, { ...loaded.stats, durationMs: 0 });
});

test('what could not be read is in the target and out of the score, for a snapshot as for a cluster', async () => {
  const loaded = await loadPaths([FILE]);
  const notEvaluated = [{ kind: 'Pod', apiVersion: 'v1', reason: 'forbidden' as const, message: 'pods is forbidden' }];
  const docs = loaded.documents.filter((d) => d.object.kind !== 'Pod');
  const targets: AnalyzeTarget[] = [
    { mode: 'files', sources: ['snap.yaml'], context: 'kind-dual', live: true, notEvaluated },
    { mode: 'cluster', sources: ['https://127.0.0.1:6443'], context: 'kind-dual', live: true, notEvaluated },
  ];
  const [snap, cluster] = targets.map((t) => analyze(docs, [], undefined, t, { tool: TOOL }));
  for (const r of [snap!, cluster!]) {
    assert.deepEqual(r.target.notEvaluated, notEvaluated);
    assert.equal(r.target.context, 'kind-dual');
    const podRules = r.rules.filter((m) => m.scope.includes('Pod')).map((m) => m.id);
    assert.ok(podRules.length > 0);
    assert.deepEqual(r.evaluations.filter((e) => e.notEvaluated > 0).map((e) => e.ruleId), podRules);
  }
  // Same objects, same options: the same judgement whatever the source is called.
  assert.deepEqual(snap!.findings, cluster!.findings);
  assert.deepEqual(snap!.score, cluster!.score);
  assert.equal(snap!.target.mode, 'files');
  assert.equal(cluster!.target.mode, 'cluster');
});

test('rebaseline: called once with the first report; its baseline suppresses every finding of the report returned', async () => {
  const loaded = await loadPaths([FILE]);
  const seen: Report[] = [];
  const report = analyze(loaded.documents, loaded.problems, loaded.locator.locate, { mode: 'files', sources: [FILE], live: true }, {
    tool: TOOL,
    rebaseline: (first) => {
      seen.push(first);
      return createBaseline(first);
    },
  });
  assert.equal(seen.length, 1);
  assert.ok(seen[0]!.findings.length > 0 && seen[0]!.findings.every((f) => !f.suppressed));
  assert.equal(report.findings.length, seen[0]!.findings.length);
  assert.ok(report.findings.every((f) => f.suppressed?.by === 'baseline'));
});

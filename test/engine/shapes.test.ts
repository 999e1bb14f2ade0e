// Objects the audit keeps by the thousand (Resources, policies, findings, Service summaries) must
// share V8 hidden classes. An object built as `{ ...x, more }` (or opening with a conditional
// spread) may get a class of its own, ~350 bytes: at 100,000 documents that was ~16 MB of the
// model's heap for Resources alone and ~11 MB of the report's (docs/performance.md). V8-specific:
// %HaveSameMap is a V8 intrinsic, enabled here at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { loadPaths } from '../../src/load/files.ts';
import { modelIntake } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import { RULES } from '../../src/rules/index.ts';

setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** How many distinct hidden classes the objects of each key list have (objects with the same keys in the same order). */
function classesPerShape(objects: readonly object[]): number {
  const reps = new Map<string, object[]>();
  let worst = 0;
  for (const o of objects) {
    const key = Object.keys(o).join(',');
    const list = reps.get(key) ?? [];
    if (!list.some((r) => sameMap(r, o))) list.push(o);
    reps.set(key, list);
    worst = Math.max(worst, list.length);
  }
  return worst;
}

test('Resources, policies, findings and Service summaries of one shape share one hidden class', async () => {
  const dir = fileURLToPath(new URL('../../fixtures/corpus', import.meta.url));
  const intake = modelIntake({});
  const loaded = await loadPaths([dir], { onDocument: (d) => intake.add(d) });
  const model = intake.finish({ locate: loaded.locator.locate });
  const report = run(model, RULES, { locate: loaded.locator.locate, tool: { name: 't', version: '0' }, target: { mode: 'files', sources: [dir], clusterFamilies: ['ipv4', 'ipv6'], familiesFrom: 'default', platform: { name: 'generic', from: 'default' } } as never });
  const plain = model.resources.filter((r) => r.ref.kind !== 'Service');
  const policies = [...model.policies.networkPolicies, ...model.policies.cilium];
  // Enough objects of each kind that a class per object would show.
  assert.ok(plain.length > 20 && report.findings.length > 20 && report.services.length > 5 && policies.length > 1, 'the corpus fixtures have objects of each kind');
  for (const [what, list] of [['Resources', plain], ['policies', policies], ['findings', report.findings], ['Service summaries', report.services]] as const) {
    assert.equal(classesPerShape(list), 1, `${what} of one shape have more than one hidden class`);
  }
});

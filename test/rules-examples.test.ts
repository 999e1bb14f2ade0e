// Every rule proves its docs: src/rules/<id>/bad.yaml, good.yaml and fixed.yaml go through the
// real loader, model builder and engine. bad.yaml is reported by the rule, good.yaml is not;
// when bad's findings carry a JSON Patch, applying it to bad.yaml gives fixed.yaml (compared as
// parsed objects) and fixed.yaml is not reported; a rule whose bad example has no patch says why
// in meta.docs.noFixedExample instead, and has no fixed.yaml. Live-only rules judge the examples
// as stored objects (a live audit or its snapshot); --resolve rules with meta.docs.resolved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { RULES } from '../src/rules/index.ts';
import { examplePath } from '../scripts/gen-rule-index.ts';
import { loadPaths } from '../src/load/files.ts';
import { buildModel } from '../src/model/build.ts';
import { run } from '../src/engine/run.ts';
import type { Finding, Report } from '../src/engine/types.ts';
import type { JsonPatchOp, Rule } from '../src/rules/types.ts';
import type { InputDocument } from '../src/model/types.ts';

const root = new URL('..', import.meta.url).pathname;

async function audit(rule: Rule, file: string): Promise<{ report: Report; documents: InputDocument[] }> {
  const loaded = await loadPaths([file]);
  const resolved = rule.meta.docs.resolved;
  const model = buildModel(loaded.documents, {
    clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' },
    // What a live audit or a snapshot of one builds: stored objects and the live facts.
    ...(rule.meta.liveOnly ? { live: {} } : {}),
    ...(resolved ? { resolved: new Map(Object.entries(resolved)) } : {}),
  });
  const report = run(model, [rule], {
    locate: loaded.locator.locate,
    only: [rule.meta.id],
    live: rule.meta.liveOnly ?? false,
    resolve: true,
    tool: { name: 'dualstack-audit', version: 'test' },
    target: { mode: 'files', sources: [file], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
    problems: loaded.problems,
  });
  assert.deepEqual(report.problems.filter((p) => p.fatal), [], `${file} loads`);
  return { report, documents: loaded.documents };
}

const mine = (r: Report, id: string): Finding[] => r.findings.filter((f) => f.ruleId === id);
const show = (fs: readonly Finding[]): string => fs.map((f) => `  ${f.location?.line}: ${f.message}`).join('\n');

/** RFC 6901 pointer segments. */
const segments = (path: string): string[] => path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** RFC 6902 add/remove/replace on a plain JSON value (a deep copy is patched). */
export function applyPatch(doc: unknown, ops: readonly JsonPatchOp[]): unknown {
  const out = structuredClone(doc);
  for (const op of ops) {
    const segs = segments(op.path);
    const last = segs.pop();
    assert.ok(last !== undefined, `patch path ${op.path} names a member`);
    let parent: unknown = out;
    for (const s of segs) {
      parent = (parent as Record<string, unknown>)?.[s];
      assert.ok(parent !== null && typeof parent === 'object', `patch path ${op.path}: ${s} exists`);
    }
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      assert.ok(Number.isInteger(i) && i >= 0 && i <= parent.length, `patch path ${op.path}: index in range`);
      if (op.op === 'add') parent.splice(i, 0, op.value);
      else {
        assert.ok(i < parent.length, `patch path ${op.path}: element exists`);
        if (op.op === 'remove') parent.splice(i, 1);
        else parent[i] = op.value;
      }
    } else {
      const o = parent as Record<string, unknown>;
      if (op.op !== 'add') assert.ok(last in o, `patch ${op.op} ${op.path}: member exists`);
      if (op.op === 'remove') delete o[last];
      else o[last] = op.value;
    }
  }
  return out;
}

/** The document a finding is about (a document without a namespace is in the default one). */
const isResourceOf = (o: Readonly<Record<string, unknown>>, f: Finding): boolean => {
  const md = (o.metadata ?? {}) as Record<string, unknown>;
  return o.kind === f.resource.kind && md.name === f.resource.name && (md.namespace === undefined || md.namespace === f.resource.namespace);
};
const refText = (f: Finding): string => `${f.resource.kind}/${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;

for (const rule of RULES) {
  const id = rule.meta.id;
  const file = (n: 'bad' | 'good' | 'fixed'): string => `${root}${examplePath(id, n)}`;
  test(`rule ${id}: examples prove themselves`, async () => {
    assert.ok(existsSync(file('bad')) && existsSync(file('good')), `${examplePath(id, 'bad')} and good.yaml exist`);
    const bad = await audit(rule, file('bad'));
    const found = mine(bad.report, id);
    assert.ok(found.length > 0, `bad.yaml is reported by ${id}`);
    const good = await audit(rule, file('good'));
    assert.equal(show(mine(good.report, id)), '', 'good.yaml is not reported');

    const patched = found.filter((f) => f.fix?.patch && f.fix.patch.length > 0);
    if (patched.length === 0) {
      assert.ok(!existsSync(file('fixed')), 'no patch, so no fixed.yaml: the rule emits no fix for bad.yaml');
      assert.match(rule.meta.docs.noFixedExample ?? '', /\.$/, 'meta.docs.noFixedExample says (in a sentence) why bad.yaml has no machine fix');
      return;
    }
    assert.equal(rule.meta.docs.noFixedExample, undefined, 'the rule has a fix; no noFixedExample');
    assert.equal(patched.length, found.length, `every finding on bad.yaml carries a patch:\n${show(found)}`);
    assert.ok(existsSync(file('fixed')), `${examplePath(id, 'fixed')} exists (bad.yaml with the patch applied)`);
    const objects: unknown[] = bad.documents.map((d) => d.object);
    for (const f of patched) {
      const i = bad.documents.findIndex((d) => isResourceOf(d.object, f));
      assert.ok(i >= 0, `the finding's resource ${refText(f)} is a document of bad.yaml`);
      objects[i] = applyPatch(objects[i], f.fix!.patch!);
    }
    const fixed = await audit(rule, file('fixed'));
    assert.deepEqual(fixed.documents.map((d) => d.object), objects, 'fixed.yaml is bad.yaml with the patch applied');
    assert.equal(show(mine(fixed.report, id)), '', 'fixed.yaml is not reported');
  });
}

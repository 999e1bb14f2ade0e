// The kind registry (src/model/kinds.ts) against the rules and the model: a rule that runs live
// names no kind the registry does not account for, live-only rules only kinds the live read
// gets; the mode line each rule doc shows is derived from it; and the ConfigMaps a live read
// drops (not recognised, model/recognised.ts) change no finding of any rule example or fixture.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/rules/index.ts';
import { KINDS, LIVE_KINDS, liveStatus, ruleMode } from '../../src/model/kinds.ts';
import { isClusterScoped } from '../../src/model/resources.ts';
import { configMapReferences, recognisedConfigMap } from '../../src/model/recognised.ts';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import { ruleDoc } from '../../src/docs.ts';
import type { InputDocument } from '../../src/model/types.ts';

const root = new URL('../../', import.meta.url).pathname;

test('every kind a rule that runs live names is in the registry; live-only rules name only kinds the live read gets', () => {
  const unknown: string[] = [];
  const unread: string[] = [];
  for (const r of RULES) {
    if (r.meta.manifestOnly || r.meta.needsResolve) continue; // never run on a live read
    for (const k of r.meta.scope) {
      const st = liveStatus(k);
      if (!st) unknown.push(`${r.meta.id}: ${k}`);
      else if (r.meta.liveOnly && !st.live) unread.push(`${r.meta.id}: ${k} (${st.why})`);
    }
  }
  assert.deepEqual(unknown, [], 'add these kinds to src/model/kinds.ts (read: list, or read: never with why)');
  assert.deepEqual(unread, []);
});

test('the mode line of each rule doc is derived from the registry', () => {
  for (const r of RULES) {
    const mode = ruleMode(r.meta);
    assert.ok(ruleDoc(r.meta).includes(`| ${mode} |`), r.meta.id);
    const notLive = r.meta.scope.filter((k) => !liveStatus(k)?.live);
    if (!r.meta.liveOnly && !r.meta.manifestOnly && !r.meta.needsResolve) {
      if (notLive.length === 0) assert.equal(mode, 'files and live', r.meta.id);
      else if (notLive.length < r.meta.scope.length) assert.equal(mode, `files and live (live: not ${notLive.join(', ')})`, r.meta.id);
      else assert.equal(mode, 'files only', r.meta.id);
    }
  }
  // Secrets are never read live: the Prometheus rules that read additionalScrapeConfigs say so.
  assert.match(ruleMode(RULES.find((r) => r.meta.id === 'prometheus-relabel-ipv4-host-regex')!.meta), /live: not Secret/);
  assert.equal(ruleMode({ scope: ['Corefile'] }), 'files only');
});

test('registry: one entry per group and kind and per group and plural, builders that exist, scope the model agrees with', () => {
  const byKind = new Set<string>();
  const byPlural = new Set<string>();
  for (const k of KINDS) {
    const key = `${k.group}/${k.kind}`;
    assert.ok(!byKind.has(key), `duplicate ${key}`);
    byKind.add(key);
    for (const b of k.builders) assert.ok(existsSync(join(root, 'src/model', `${b}.ts`)), `${k.kind}: builder ${b} is src/model/${b}.ts`);
    if (k.read === 'never') continue;
    const pk = `${k.group}/${k.plural}`;
    assert.ok(!byPlural.has(pk), `duplicate ${pk}`);
    byPlural.add(pk);
    assert.ok(k.versions.length > 0 && /^[a-z0-9]+$/.test(k.plural), k.kind);
    // A cluster-scoped kind read live gets no default namespace in the model.
    if (!k.namespaced) assert.ok(isClusterScoped(k.kind), `${k.kind} is cluster-scoped for the model too`);
    else if (KINDS.every((o) => o.kind !== k.kind || o.read === 'never' || o.namespaced)) assert.ok(!isClusterScoped(k.kind), `${k.kind} is namespaced for the model too`);
  }
  assert.equal(KINDS.find((k) => k.kind === 'Secret')?.read, 'never');
  // Recognised kinds come last: they are decided once the pod templates are read.
  const firstRecognised = LIVE_KINDS.findIndex((k) => k.read === 'recognised');
  assert.ok(firstRecognised > 0 && LIVE_KINDS.slice(firstRecognised).every((k) => k.read === 'recognised'));
});

/** The YAML files of the rule examples and the fixtures. */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const findingsOf = (docs: readonly InputDocument[], live: boolean): string[] => {
  const model = buildModel(docs, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' }, ...(live ? { live: {} } : {}) });
  const report = run(model, RULES, {
    only: [], live, resolve: false, tool: { name: 't', version: '0' },
    target: { mode: 'files', sources: [], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
  });
  return report.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name} ${f.message}`).sort();
};

test('dropping the ConfigMaps the model does not recognise changes no finding (rule examples and fixtures)', async () => {
  const files = [...yamlFiles(join(root, 'src/rules')), ...yamlFiles(join(root, 'fixtures'))];
  let dropped = 0;
  let kept = 0;
  for (const f of files) {
    const { documents } = await loadPaths([f]);
    if (!documents.some((d) => d.object.kind === 'ConfigMap')) continue;
    const referenced = configMapReferences(documents);
    const only = documents.filter((d) => d.object.kind !== 'ConfigMap' || recognisedConfigMap(d, referenced));
    const n = documents.length - only.length;
    dropped += n;
    kept += documents.filter((d) => d.object.kind === 'ConfigMap').length - n;
    if (n === 0) continue;
    for (const live of [false, true]) assert.deepEqual(findingsOf(only, live), findingsOf(documents, live), `${f.slice(root.length)} (${live ? 'live' : 'files'})`);
  }
  // The check compared something: both kinds of ConfigMap occur.
  assert.ok(dropped > 0 && kept > 0, `dropped ${dropped}, kept ${kept}`);
});

// deploy/rbac.yaml is generated from the kind registry (scripts/gen-rbac.ts) and grants exactly
// what the live loader reads: list on each kind, no Secrets, no get, watch or write verb.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { READS } from '../../src/load/cluster.ts';
import { KINDS } from '../../src/model/kinds.ts';
import { kindsDoc, rbacYaml } from '../../src/rbac.ts';
import { RULES } from '../../src/rules/index.ts';

const root = new URL('../../', import.meta.url).pathname;

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }

test('deploy/rbac.yaml and docs/live-kinds.md are the generator output (run npm run gen after changing src/model/kinds.ts or a rule)', () => {
  assert.equal(readFileSync(`${root}deploy/rbac.yaml`, 'utf8'), rbacYaml());
  assert.equal(readFileSync(`${root}docs/live-kinds.md`, 'utf8'), kindsDoc(RULES.map((r) => r.meta)));
});

test('deploy/rbac.yaml ClusterRole grants list on exactly the kinds READS lists', () => {
  const docs = jsyaml.loadAll(readFileSync(`${root}deploy/rbac.yaml`, 'utf8')) as { kind: string; rules?: Rule[] }[];
  const role = docs.find((d) => d.kind === 'ClusterRole')!;
  const granted = new Set<string>();
  for (const r of role.rules!) {
    assert.deepEqual(r.verbs, ['list'], 'list only: no get, watch or write verb');
    assert.equal(r.resourceNames, undefined);
    for (const g of r.apiGroups) for (const res of r.resources) granted.add(`${g}/${res}`);
  }
  const needed = new Set(READS.map((s) => `${s.group}/${s.plural}`));
  assert.deepEqual([...granted].sort(), [...needed].sort());
  assert.ok(![...granted].some((g) => g.endsWith('/secrets')), 'never Secrets');
  assert.ok(!READS.some((s) => s.plural === 'secrets'));
  assert.equal(KINDS.find((k) => k.kind === 'Secret')?.read, 'never');
  // The ConfigMap promise is in the file, for whoever applies it.
  const text = readFileSync(`${root}deploy/rbac.yaml`, 'utf8');
  assert.match(text, /every other ConfigMap is dropped as its page arrives, never stored/);
  assert.match(text, /--configmaps kube-system/);
});

// buildModel's final pass: the model is frozen all the way down, and equal small arrays (JSON
// paths, mostly) are one shared object, which is what keeps the model small on large inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsyaml from 'js-yaml';
import { buildModel } from '../../src/model/build.ts';
import type { InputDocument } from '../../src/model/types.ts';

const fromYaml = (yaml: string): InputDocument[] =>
  jsyaml.loadAll(yaml).filter((o) => o).map((object, doc) => ({ object: object as Record<string, unknown>, source: { file: 'a.yaml', doc } }));

const deployment = (name: string, env: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: c
        image: x
        env: [{name: A, value: "1"}, {name: B, value: "${env}"}]
`;

function assertDeepFrozen(v: unknown, where: string, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  assert.ok(Object.isFrozen(v), `${where} is not frozen`);
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  for (const [k, c] of entries) assertDeepFrozen(c, `${where}.${String(k)}`, seen);
}

test('the model is frozen all the way down', () => {
  const m = buildModel(fromYaml(`${deployment('a', '0.0.0.0')}---\n${deployment('b', '::')}`));
  assertDeepFrozen(m, 'model');
  assert.throws(() => { (m.workloads[0]!.containers[0]!.env[0]!.path as (string | number)[]).push('x'); }, TypeError);
});

test('equal JSON paths of different objects are one shared array, with the right contents', () => {
  const m = buildModel(fromYaml(`${deployment('a', '0.0.0.0')}---\n${deployment('b', '::')}`));
  const [a, b] = m.workloads;
  const pa = a!.containers[0]!.env[1]!.path;
  const pb = b!.containers[0]!.env[1]!.path;
  assert.deepEqual(pa, ['spec', 'template', 'spec', 'containers', 0, 'env', 1]);
  assert.equal(pa, pb, 'equal paths should be shared');
  // Different paths stay different, and strings that differ only in how they would join are not confused.
  assert.notEqual(a!.containers[0]!.env[0]!.path, pa);
  assert.deepEqual(a!.containers[0]!.env[0]!.path, ['spec', 'template', 'spec', 'containers', 0, 'env', 0]);
  assert.equal(a!.containers[0]!.env[1]!.value, '0.0.0.0');
  assert.equal(b!.containers[0]!.env[1]!.value, '::');
});

test('equal label sets and empty arrays are shared; records that differ stay apart', () => {
  const m = buildModel(fromYaml(`apiVersion: v1
kind: ConfigMap
metadata: {name: a, labels: {app: web, tier: "1"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, labels: {app: web, tier: "1"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, labels: {ap: pweb, tier: "1"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: d, labels: {tier: "1", app: web}}
`));
  const [a, b, c, d] = m.resources;
  assert.equal(a!.labels, b!.labels, 'equal label sets should be one object');
  assert.deepEqual(a!.labels, { app: 'web', tier: '1' });
  // Keys and values that would read the same if joined are not confused.
  assert.notEqual(c!.labels, a!.labels);
  assert.deepEqual(c!.labels, { ap: 'pweb', tier: '1' });
  // Another key order is another object (Object.keys order is observable), with its own order.
  assert.notEqual(d!.labels, a!.labels);
  assert.deepEqual(Object.keys(d!.labels), ['tier', 'app']);
  assert.equal(a!.annotations, c!.annotations, 'empty records are shared too');
  assert.ok(Object.isFrozen(a!.labels));
  const w = buildModel(fromYaml(`${deployment('a', '0.0.0.0')}---\n${deployment('b', '::')}`)).workloads;
  assert.equal(w[0]!.hostAliases, w[1]!.hostAliases, 'empty arrays are shared');
  assert.deepEqual(w[0]!.hostAliases, []);
});

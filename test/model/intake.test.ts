// The streaming model build (issue 21 item 1): the intake takes each document as the loader reads
// it and keeps only its facts (or the document, when a builder that links across documents still
// reads it). It must build exactly the model the array build made: every fixture directory and
// every rule example goes through both and the models are compared field by field, Maps and Sets
// included. keepDocuments is the array build (every builder over every document).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadPaths } from '../../src/load/files.ts';
import { modelIntake, type BuildOptions, type Model } from '../../src/model/build.ts';
import { canonical } from '../../src/model/resources.ts';
import { contentHash } from '../../src/model/coexist.ts';
import type { InputDocument } from '../../src/model/types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The model as comparable text: Maps and Sets (and the model's frozen wrappers) as entry lists, in their order. */
function dump(m: Model): string {
  const seen = new Set<unknown>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[repeat]';
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) out = v.map(walk);
    else if (typeof (v as { entries?: unknown }).entries === 'function' && typeof (v as { has?: unknown }).has === 'function') {
      out = { entries: [...(v as Map<unknown, unknown>).entries()].map(walk) };
    } else out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    seen.delete(v);
    return out;
  };
  return JSON.stringify(walk(m), null, 1);
}

async function docsOf(paths: readonly string[]): Promise<{ docs: InputDocument[]; streamed: InputDocument[] }> {
  const loaded = await loadPaths(paths);
  // The same files handed over one at a time, as the CLI does.
  const streamed: InputDocument[] = [];
  await loadPaths(paths, { onDocument: (d) => streamed.push(d) });
  return { docs: loaded.documents, streamed };
}

function both(docs: readonly InputDocument[], opts: BuildOptions): { stream: string; array: string } {
  const a = modelIntake({ ...opts, keepDocuments: true });
  const s = modelIntake(opts);
  for (const d of docs) {
    a.add(d);
    s.add(d);
  }
  return { stream: dump(s.finish(opts)), array: dump(a.finish(opts)) };
}

const INPUTS: readonly string[][] = [
  ...readdirSync(join(root, 'fixtures'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => [join(root, 'fixtures', e.name)]),
  ...['bad', 'good', 'fixed'].map((which) => readdirSync(join(root, 'src/rules'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => readdirSync(join(root, 'src/rules', e.name)).filter((f) => f.startsWith(`${which}.`)).map((f) => join(root, 'src/rules', e.name, f)))),
];

const VARIANTS: readonly { readonly name: string; readonly opts: BuildOptions }[] = [
  { name: 'inferred families', opts: {} },
  { name: 'given families and platform', opts: { clusterFamilies: { families: ['IPv6', 'IPv4'], from: 'flag' }, platform: { name: 'gke', from: 'flag' } } },
  { name: 'a live read', opts: { live: { notRead: ['Node'] } } },
  { name: 'namespace filters', opts: { namespaces: ['default', 'kube-system', 'ingress-nginx', 'shop'], excludeNamespaces: ['kube-system'] } },
];

test('the streaming build makes the model the array build makes, on every fixture directory and every rule example', async () => {
  let compared = 0;
  for (const paths of INPUTS) {
    const { docs, streamed } = await docsOf(paths);
    assert.equal(streamed.length, docs.length, `${paths[0]}: the sink gets every document`);
    if (docs.length === 0) continue;
    for (const v of VARIANTS) {
      const { stream, array } = both(streamed, v.opts);
      assert.ok(stream === array, `${paths.length === 1 ? paths[0] : `${paths.length} rule examples (${paths[0]}, ...)`} with ${v.name}: the streaming model differs from the array build`);
      compared++;
    }
  }
  assert.ok(compared >= 4 * 10, `compared ${compared} inputs`);
});

test('the intake refuses documents after finish, and a second finish', () => {
  const i = modelIntake();
  i.add({ object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } } });
  assert.equal(i.count, 1);
  const m = i.finish();
  assert.equal(m.services.length, 1);
  assert.throws(() => i.add({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } }), /after finish/);
  assert.throws(() => i.finish(), /twice/);
});

test('finish() lets go of the documents the intake kept: the CLI holds the intake while the rules run and the report is written', async () => {
  // global.gc without starting node with --expose-gc.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const intake = modelIntake({});
  const refs: WeakRef<object>[] = [];
  // Made and handed over in a frame of their own, so that no local of this test still holds them.
  (() => {
    const docs: InputDocument[] = [
      { source: { file: 'a.yaml', doc: 0 }, object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } },
      { source: { file: 'a.yaml', doc: 1 }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { listen: '0.0.0.0:80' } } },
      { source: { file: 'a.yaml', doc: 2 }, object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDRs: ['10.0.0.0/24'] } } },
    ];
    for (const d of docs) intake.add(d);
    for (const d of docs) refs.push(new WeakRef(d), new WeakRef(d.object));
  })();
  let model: Model | undefined = intake.finish({});
  assert.equal(model.services.length, 1);
  model = undefined;
  // A WeakRef keeps its target until the current job ends.
  await new Promise((r) => setImmediate(r));
  gc();
  assert.deepEqual(refs.map((r) => r.deref() === undefined), refs.map(() => true), 'the intake still holds documents after finish()');
  assert.equal(intake.count, 3);
});

test('contentHash: equal exactly when the canonical texts are equal, over the rule examples; key order does not count, types do', async () => {
  const { docs } = await docsOf(INPUTS[INPUTS.length - 3]!);
  assert.ok(docs.length > 50);
  const byHash = new Map<number, string>();
  for (const d of docs) {
    const h = contentHash(d.object);
    const c = canonical(d.object);
    const had = byHash.get(h);
    if (had !== undefined) assert.equal(had, c, 'two different contents share a hash');
    else byHash.set(h, c);
  }
  const texts = new Set(docs.map((d) => canonical(d.object)));
  assert.equal(byHash.size, texts.size, 'equal contents share one hash');
  // Reordered keys at every level: the same hash.
  const reorder = (v: unknown): unknown => (Array.isArray(v) ? v.map(reorder)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v);
  for (const d of docs.slice(0, 40)) assert.equal(contentHash(reorder(d.object)), contentHash(d.object));
  assert.notEqual(contentHash({ a: 1 }), contentHash({ a: '1' }));
  assert.notEqual(contentHash({ a: [1, 2] }), contentHash({ a: [2, 1] }));
  assert.notEqual(contentHash({ a: { b: 1 } }), contentHash({ a: { c: 1 } }));
  assert.notEqual(contentHash({ a: null }), contentHash({ a: 'null' }));
  assert.equal(contentHash({ a: 1.0 }), contentHash({ a: 1 }));
});

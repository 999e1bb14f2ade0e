// Structural sharing of the objects a live read returns (src/load/share.ts): the result is deeply
// equal to the input, equal parts are one frozen object, objects given are never one, and the
// input is not changed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSharer } from '../../src/load/share.ts';

const pod = (name: string, node: string): Record<string, unknown> => ({
  metadata: { name, namespace: 'shop', labels: { app: 'web', 'pod-template-hash': '5f7c9d' } },
  spec: { nodeName: node, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }], tolerations: [] },
  status: { podIPs: [{ ip: `10.0.0.${name.length}` }] },
});

test('equal parts become one frozen object; the objects given stay their own and unchanged', () => {
  const { share, size } = createSharer();
  const a = pod('web-1', 'n1');
  const b = pod('web-22', 'n2');
  const before = JSON.stringify(b);
  const sa = share(structuredClone(a));
  const sb = share(b);
  assert.deepEqual(sa, a);
  assert.deepEqual(sb, JSON.parse(before));
  assert.equal(JSON.stringify(b), before, 'the input is not changed');
  assert.notEqual(sa, sb);
  assert.ok(!Object.isFrozen(sa) && !Object.isFrozen(sb));
  const spec = (o: Record<string, unknown>): Record<string, unknown> => o.spec as Record<string, unknown>;
  const meta = (o: Record<string, unknown>): Record<string, unknown> => o.metadata as Record<string, unknown>;
  assert.equal(spec(sa).containers, spec(sb).containers);
  assert.ok(Object.isFrozen(spec(sa).containers));
  assert.equal(meta(sa).labels, meta(sb).labels);
  assert.notEqual(spec(sa), spec(sb), 'nodeName differs');
  assert.notEqual(sa.status, sb.status);
  assert.ok(size() > 0);
  // The same keys in another order are not the same object (the order is kept as read).
  const c = share({ spec: { tolerations: [], containers: (spec(a).containers as unknown[]).map((x) => ({ ...(x as object) })), nodeName: 'n1' } });
  assert.notEqual(c.spec, spec(sa));
  assert.equal((c.spec as Record<string, unknown>).containers, spec(sa).containers);
  // Equal arrays and objects of different types are kept apart: [] is not {}.
  const d = share({ x: [], y: {}, z: [null], w: { 0: null } });
  assert.deepEqual(d, { x: [], y: {}, z: [null], w: { 0: null } });
  // What JSON.parse can give and a plain copy would lose: -0, and an own key __proto__.
  const e = share(JSON.parse('{"a":{"n":0},"b":{"n":-0},"c":{"__proto__":{"x":1}},"d":{"labels":{"__proto__":"y"}}}') as Record<string, unknown>);
  assert.ok(Object.is((e.b as { n: number }).n, -0));
  assert.ok(Object.is((e.a as { n: number }).n, 0));
  assert.deepEqual(Object.keys(e.c as object), ['__proto__']);
  assert.equal(Object.getPrototypeOf(e.c), Object.prototype);
  assert.equal(JSON.stringify(e.d), '{"labels":{"__proto__":"y"}}');
});

test('any JSON value comes back deeply equal, however often its parts repeat; a full table starts afresh', () => {
  for (const limit of [4, 1_000_000]) {
    const { share } = createSharer(limit);
    fc.assert(fc.property(fc.array(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 4 }))), (docs) => {
      const copies = docs.map((d) => structuredClone(d));
      const shared = [...docs, ...docs].map((d) => share(structuredClone(d)));
      assert.deepEqual(shared, [...copies, ...copies]);
    }), { numRuns: 150 });
  }
});

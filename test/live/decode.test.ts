// The live read decodes each response chunk as it arrives (load/cluster.ts get(): a StringDecoder,
// not one Buffer of the whole page). A character of two, three or four UTF-8 bytes split between
// two chunks must come out whole: the test API server sends this list one byte per write, so every
// character of more than one byte arrives in pieces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSetup } from './helpers.ts';
import { loadCluster } from '../../src/load/cluster.ts';

const fx = liveSetup(() => []);
const { skip, reset } = fx;

// 2-byte (é, ü), 3-byte (€, 日本) and 4-byte (😀, 𝄞) characters, in a label value and an annotation.
const TEXT = 'café-über €5 日本 😀𝄞';

test('characters split between response chunks are decoded whole', { skip }, async () => {
  reset();
  const svc = {
    metadata: { name: 'unicode', namespace: 'default', labels: { app: 'shop' }, annotations: { 'example.com/note': TEXT } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80 }] },
  };
  const body = JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [svc] });
  assert.ok(Buffer.byteLength(body) > body.length, 'the body has multi-byte characters');
  fx.srv.injections.push({ match: /^GET \/api\/v1\/services\?/, body, trickleMs: 1, times: 1 });
  const res = await loadCluster({ kubeconfig: fx.kubeconfig, env: {}, backoffMs: 1 });
  assert.deepEqual(res.notEvaluated, []);
  const got = res.documents.filter((d) => d.object.kind === 'Service');
  assert.equal(got.length, 1);
  const meta = got[0]!.object.metadata as { annotations: Record<string, string> };
  assert.equal(meta.annotations['example.com/note'], TEXT);
  assert.ok(!JSON.stringify(res.documents).includes('\uFFFD'), 'no replacement character anywhere');
});

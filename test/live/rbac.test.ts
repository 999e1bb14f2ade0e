// deploy/rbac.yaml grants exactly what the live loader reads: list on each kind, get on the
// kube-system ConfigMaps by name; no Secrets, no write verb, nothing more.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { READS, CLUSTER_CONFIGMAPS } from '../../src/load/cluster.ts';

const root = new URL('../../', import.meta.url).pathname;

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }

test('deploy/rbac.yaml ClusterRole matches READS exactly', () => {
  const docs = jsyaml.loadAll(readFileSync(`${root}deploy/rbac.yaml`, 'utf8')) as { kind: string; rules?: Rule[] }[];
  const role = docs.find((d) => d.kind === 'ClusterRole')!;
  const granted = new Set<string>();
  for (const r of role.rules!) {
    for (const v of r.verbs) assert.ok(['get', 'list'].includes(v), `no write verb: ${v}`);
    for (const g of r.apiGroups) {
      for (const res of r.resources) {
        assert.notEqual(res, 'secrets');
        if (r.resourceNames) {
          assert.deepEqual(r.verbs, ['get']);
          for (const n of r.resourceNames) granted.add(`${g}/${res}/get/${n}`);
        } else {
          assert.ok(r.verbs.includes('list'));
          granted.add(`${g}/${res}/list`);
        }
      }
    }
  }
  const needed = new Set<string>();
  for (const s of READS) {
    if (s.only) for (const n of s.only.names) needed.add(`${s.group}/${s.resource}/get/${n}`);
    else needed.add(`${s.group}/${s.resource}/list`);
  }
  assert.deepEqual([...granted].sort(), [...needed].sort());
  assert.deepEqual([...CLUSTER_CONFIGMAPS].sort(), ['calico-config', 'cilium-config', 'coredns', 'kube-proxy', 'kubeadm-config']);
  assert.ok(!READS.some((s) => s.resource === 'secrets'));
});

// Every rule whose kinds the live read gets finds its bad example live as it does in the file:
// each example's objects are served by a test API server (the built-in APIs and the CRDs of the
// kind registry the example uses, so discovery shows them), audited live, and the rule's findings (kind, namespace, name) compared
// with a file audit of the same example. Examples holding a kind only files have (a Corefile, a
// Secret, a kubeadm file) are left out, as are the rules that never run on a live read.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { RULES } from '../../src/rules/index.ts';
import { examplePath } from '../../scripts/gen-rule-index.ts';
import { LIVE_KINDS } from '../../src/model/kinds.ts';
import { makePki, removeDir, startServer, writeKubeconfig, type Pki, type ResourceDef } from './server.ts';
import { cli, skipLive, tempDir } from './helpers.ts';
import type { Report } from '../../src/engine/types.ts';

const root = new URL('../../', import.meta.url).pathname;
const skip = skipLive;
type Obj = Record<string, unknown>;

/** Every API the registry reads, in its first version (the examples are written in it). */
const RESOURCES: ResourceDef[] = LIVE_KINDS.map((k) => ({ group: k.group, version: k.versions[0]!, resource: k.plural, kind: k.kind, namespaced: k.namespaced }));
const served = (o: Obj): ResourceDef | undefined => {
  const av = String(o.apiVersion);
  const [g, v] = av.includes('/') ? av.split('/') as [string, string] : ['', av];
  return RESOURCES.find((d) => d.kind === o.kind && d.group === g && d.version === v);
};

let pki: Pki;
let dir: string;
before(() => {
  if (skip) return;
  pki = makePki();
  dir = tempDir();
});
after(() => {
  if (skip) return;
  removeDir(dir);
  removeDir(pki.dir);
});

const findings = (r: { stdout: string }, id: string): string[] =>
  (JSON.parse(r.stdout) as Report).findings.filter((f) => f.ruleId === id).map((f) => `${f.resource.kind}/${f.resource.namespace ?? 'default'}/${f.resource.name}`).sort();

test('the rules find their bad examples live as in files', { skip }, async () => {
  const cases: { id: string; file: string; objects: Obj[] }[] = [];
  for (const rule of RULES) {
    const m = rule.meta;
    if (m.manifestOnly || m.needsResolve || m.liveOnly) continue;
    const file = join(root, examplePath(m.id, 'bad'));
    const objects = (jsyaml.loadAll(readFileSync(file, 'utf8')) as Obj[]).filter((o) => o && typeof o === 'object');
    // Only examples whose every object the live read gets, and that touch a kind the live read did not get before the registry.
    if (objects.length === 0 || !objects.every((o) => served(o) !== undefined)) continue;
    if (!objects.some((o) => !['Node', 'Service', 'EndpointSlice', 'Pod', 'NetworkPolicy', 'Ingress', 'ServiceCIDR', 'Gateway', 'HTTPRoute'].includes(String(o.kind)))) continue;
    cases.push({ id: m.id, file, objects });
  }
  // Each live audit takes seconds on a loaded machine: the examples that bring a kind no earlier
  // example had, plus the named ones, not all of them.
  const must = ['probe-host-loopback', 'workload-ipv4-literal', 'ingress-nginx-ipv6-disabled', 'coredns-missing-ip6-arpa', 'prometheus-relabel-ipv4-host-regex',
    'cloud-armor-ipv4-only-allowlist', 'cloud-armor-ipv6-unverified', 'gke-cluster-not-dual-stack', 'external-dns-endpoint-single-family'];
  const covered = new Set<string>();
  const picked = cases.filter((c) => {
    const kinds = c.objects.map((o) => `${String(o.apiVersion)} ${String(o.kind)}`);
    const adds = kinds.some((k) => !covered.has(k));
    for (const k of kinds) covered.add(k);
    return adds || must.includes(c.id);
  });
  // One server per example (their names collide), several at a time: a live read waits on the network, not the CPU.
  const one = async ({ id, file, objects }: (typeof cases)[number]): Promise<void> => {
    // The built-in APIs, and of the CRDs those the example uses (a cluster without the others).
    const groups = new Set(objects.map((o) => served(o)!.group));
    const resources = RESOURCES.filter((d) => !LIVE_KINDS.find((k) => k.group === d.group && k.kind === d.kind)?.optional || groups.has(d.group));
    const srv = await startServer(objects, { pki, resources });
    try {
      const kc = writeKubeconfig(dir, [{ name: 'ex', server: srv.url, caPem: pki.caPem, token: srv.token }], `kc-${id}`);
      const args = ['-f', 'json', '--fail-on', 'never', '--rule', id, '--cluster-families', 'ipv4,ipv6'];
      const live = await cli(args, { KUBECONFIG: kc });
      assert.equal(live.code, 0, `${id} live: ${live.stderr}`);
      const files = await cli([...args, file], {});
      const want = findings(files, id);
      assert.ok(want.length > 0, `${id}: the bad example is reported from the file`);
      assert.deepEqual(findings(live, id), want, `${id}: live finds what the file audit finds`);
      assert.ok(!srv.requests.some((l) => /secrets/.test(l)), 'never Secrets');
    } finally {
      await srv.close();
    }
  };
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < picked.length) await one(picked[next++]!);
  }));
  // Workload, ConfigMap and CRD rules among them.
  const ids = picked.map((c) => c.id);
  for (const id of must) assert.ok(ids.includes(id), `${id} compared (${ids.join(', ')})`);
  assert.ok(picked.length >= must.length);
});

// The Service update algorithm (src/emulate/service-update.ts) against tables transcribed from
// k8s:pkg/registry/core/service/storage/storage_test.go: TestUpdateIPsFromSingleStack,
// TestUpdateIPsFromDualStack (the full matrix policy x families x clusterIPs on a v4,v6 cluster,
// plus the wrong-order cases) and TestUpdatePatchAllocatedValues, and the type changes to and
// from ExternalName (alloc.go updateClusterIPs cases A and B, strategy.go dropTypeDependentFields).
// Each case is YAML (the stored Service, then the update request) read by the real loader;
// rejections are compared with the apiserver's whole error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPaths } from '../../src/load/files.ts';
import { invalidMessage, serviceIPInput, updateServiceFamilies, type UpdateResult } from '../../src/emulate/service-update.ts';
import type { Family } from '../../src/model/types.ts';

const V4: Family[] = ['IPv4'];
const V4V6: Family[] = ['IPv4', 'IPv6'];
const V6V4: Family[] = ['IPv6', 'IPv4'];

/** A Service named foo with selector k2=v2 (svctest.MakeService + SetSelector) and these spec lines. */
const svc = (spec: string): string =>
  ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: foo', '  namespace: default', 'spec:', '  selector: {k2: v2}',
    ...spec.split('\n').filter((l) => l.trim() !== '').map((l) => `  ${l.trim()}`), '  ports: [{port: 80}]'].join('\n');

async function run(stored: string, request: string, cluster: readonly Family[]): Promise<UpdateResult> {
  const text = `${stored}\n---\n${request}\n`;
  const loaded = await loadPaths(['-'], { readStdin: async () => new TextEncoder().encode(text) });
  assert.deepEqual(loaded.problems, []);
  assert.equal(loaded.documents.length, 2);
  return updateServiceFamilies(serviceIPInput(loaded.documents[0]!.object), serviceIPInput(loaded.documents[1]!.object), cluster);
}

type Expect =
  | { policy?: string; families: number | Family[]; clusterIPs?: string[]; allocated?: string[]; released?: string[]; preferKept?: boolean }
  | { error: string; stage?: 'allocation' | 'validation' };

function check(name: string, cluster: readonly Family[], stored: string, request: string, expect: Expect): void {
  test(name, async () => {
    const r = await run(stored, request, cluster);
    if ('error' in expect) {
      assert.equal(r.ok, false, `expected a rejection, got ${JSON.stringify(r)}`);
      if (!r.ok) {
        assert.equal(invalidMessage('foo', r.errors), expect.error);
        if (expect.stage) assert.equal(r.stage, expect.stage);
      }
      return;
    }
    assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
    if (!r.ok) return;
    if (typeof expect.families === 'number') assert.equal(r.after.ipFamilies.length, expect.families, JSON.stringify(r.after));
    else assert.deepEqual(r.after.ipFamilies, expect.families);
    if (expect.policy) assert.equal(r.after.ipFamilyPolicy, expect.policy);
    if (expect.clusterIPs) assert.deepEqual(r.after.clusterIPs, expect.clusterIPs);
    const fmt = (a: readonly { family: Family; ip?: string }[]): string[] => a.map((x) => `${x.family}${x.ip ? ` ${x.ip}` : ''}`);
    if (expect.allocated) assert.deepEqual(fmt(r.allocated), expect.allocated);
    if (expect.released) assert.deepEqual(fmt(r.released), expect.released);
    if (expect.preferKept !== undefined) assert.equal(r.preferDualStackKept, expect.preferKept);
  });
}

const ok = (families: number | Family[], more: Omit<Extract<Expect, { families: unknown }>, 'families'> = {}): Expect => ({ families, ...more });
const rejected = (error: string, stage?: 'allocation' | 'validation'): Expect => ({ error, ...(stage ? { stage } : {}) });

// Request fields, as svctest sets them: SetClusterIPs sets clusterIP and clusterIPs.
const POLICY: Record<string, string> = { nil: '', single: 'ipFamilyPolicy: SingleStack', prefer: 'ipFamilyPolicy: PreferDualStack', require: 'ipFamilyPolicy: RequireDualStack' };
const FAMS_V4: Record<string, string> = { nil: '', single: 'ipFamilies: [IPv4]', dual: 'ipFamilies: [IPv4, IPv6]' };
const IPS_V4: Record<string, string> = { nil: '', single: 'clusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]', dual: 'clusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1, "2000::1"]' };

const MULTI_IPS = 'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple cluster IPs are specified';
const MULTI_FAMS = 'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified';

// --- TestUpdateIPsFromSingleStack, "singlestack:v4" control cases ---
{
  const stored = svc('ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]');
  check('single-stack cluster: single-single', V4, stored, svc('ipFamilyPolicy: SingleStack'), ok(1));
  check('single-stack cluster: single-dual (RequireDualStack)', V4, stored, svc('ipFamilyPolicy: RequireDualStack'),
    rejected('Service "foo" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services', 'allocation'));
  check('single-stack cluster: single-dual_policy (PreferDualStack stays single)', V4, stored, svc('ipFamilyPolicy: PreferDualStack'), ok(1, { policy: 'PreferDualStack' }));
  check('single-stack cluster: single-dual_families', V4, stored, svc('ipFamilies: [IPv4, IPv6]'), rejected(`Service "foo" is invalid: ${MULTI_FAMS}`));
}

// --- TestUpdateIPsFromSingleStack, "dualstack:v4v6": stored SingleStack [IPv4] 10.0.0.1 ---
{
  const stored = svc('ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]');
  for (const policy of ['nil', 'single', 'prefer', 'require']) {
    for (const fams of ['nil', 'single', 'dual']) {
      for (const ips of ['nil', 'single', 'dual']) {
        const req = svc([POLICY[policy], FAMS_V4[fams], IPS_V4[ips]].join('\n'));
        let expect: Expect;
        if (policy === 'nil' || policy === 'single') {
          // The policy stays (or is) SingleStack: a second family or address is an error.
          if (fams === 'dual' && ips === 'dual') expect = rejected(`Service "foo" is invalid: [${MULTI_IPS}, ${MULTI_FAMS}]`);
          else if (fams === 'dual') expect = rejected(`Service "foo" is invalid: ${MULTI_FAMS}`);
          else if (ips === 'dual') expect = rejected(`Service "foo" is invalid: ${MULTI_IPS}`);
          else expect = ok(1, { policy: 'SingleStack', clusterIPs: ['10.0.0.1'], allocated: [], released: [] });
        } else {
          // Upgrade: the secondary address is allocated, or requested when given.
          expect = ok(V4V6, { clusterIPs: ['10.0.0.1', ips === 'dual' ? '2000::1' : ''], allocated: [ips === 'dual' ? 'IPv6 2000::1' : 'IPv6'], released: [] });
        }
        check(`from single-stack, dual-stack v4v6 cluster: policy:${policy}_families:${fams}_ips:${ips}`, V4V6, stored, req, expect);
      }
    }
  }
  check('from single-stack: dual-single_wrong_order_families', V4V6, stored, svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv6, IPv4]'),
    rejected('Service "foo" is invalid: spec.clusterIPs[0]: Invalid value: "10.0.0.1": expected an IPv6 value as indicated by `ipFamilies[0]`', 'allocation'));
  check('from single-stack: dual-single_wrong_order_ips', V4V6, stored, svc('ipFamilyPolicy: PreferDualStack\nclusterIP: "2000::1"\nclusterIPs: ["2000::1", 10.0.0.1]'),
    rejected('Service "foo" is invalid: [spec.clusterIPs[0]: Invalid value: []string{"2000::1", "10.0.0.1"}: may not change once set, ' +
      'spec.ipFamilies[0]: Invalid value: []string{"2000::1", "10.0.0.1"}: may not change once set]', 'validation'));
}

// --- TestUpdateIPsFromSingleStack, "dualstack:v6v4": stored SingleStack [IPv6] 2000::1 ---
{
  const stored = svc('ipFamilyPolicy: SingleStack\nipFamilies: [IPv6]\nclusterIP: "2000::1"\nclusterIPs: ["2000::1"]');
  check('from single-stack, v6v4 cluster: policy:nil', V6V4, stored, svc(''), ok(['IPv6'], { policy: 'SingleStack', clusterIPs: ['2000::1'] }));
  check('from single-stack, v6v4 cluster: policy:prefer', V6V4, stored, svc('ipFamilyPolicy: PreferDualStack'), ok(V6V4, { allocated: ['IPv4'] }));
  check('from single-stack, v6v4 cluster: policy:require_families:v6v4', V6V4, stored, svc('ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv6, IPv4]'), ok(V6V4, { allocated: ['IPv4'] }));
  check('from single-stack, v6v4 cluster: policy:prefer_families:v4v6 (wrong order)', V6V4, stored, svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4, IPv6]'),
    rejected('Service "foo" is invalid: spec.clusterIPs[0]: Invalid value: "2000::1": expected an IPv4 value as indicated by `ipFamilies[0]`'));
}

// --- TestUpdateIPsFromDualStack, "dualstack:v4v6": stored RequireDualStack [IPv4, IPv6] 10.0.0.1, 2000::1 ---
{
  const stored = svc('ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1, "2000::1"]');
  const RELEASE_IP = (p: string): string => `spec.ipFamilyPolicy: Invalid value: "${p}": must be 'SingleStack' to release the secondary cluster IP`;
  const RELEASE_FAM = (p: string): string => `spec.ipFamilyPolicy: Invalid value: "${p}": must be 'SingleStack' to release the secondary IP family`;
  for (const policy of ['nil', 'single', 'prefer', 'require']) {
    for (const fams of ['nil', 'single', 'dual']) {
      for (const ips of ['nil', 'single', 'dual']) {
        const req = svc([POLICY[policy], FAMS_V4[fams], IPS_V4[ips]].join('\n'));
        let expect: Expect;
        if (policy === 'single') {
          // Downgrade: SingleStack alone releases the secondary address and family.
          expect = ok(V4, { policy: 'SingleStack', clusterIPs: ['10.0.0.1'], allocated: [], released: ['IPv6 2000::1'] });
        } else {
          const p = policy === 'prefer' ? 'PreferDualStack' : 'RequireDualStack'; // nil inherits RequireDualStack
          const errs = [...(ips === 'single' ? [RELEASE_IP(p)] : []), ...(fams === 'single' ? [RELEASE_FAM(p)] : [])];
          expect = errs.length === 0
            ? ok(V4V6, { policy: p, clusterIPs: ['10.0.0.1', '2000::1'], allocated: [], released: [] })
            : rejected(`Service "foo" is invalid: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`, 'allocation');
        }
        check(`from dual-stack, v4v6 cluster: policy:${policy}_families:${fams}_ips:${ips}`, V4V6, stored, req, expect);
      }
    }
  }
  check('from dual-stack: dual-dual_wrong_order_families', V4V6, stored, svc('ipFamilies: [IPv6, IPv4]'),
    rejected('Service "foo" is invalid: [spec.clusterIPs[0]: Invalid value: "10.0.0.1": expected an IPv6 value as indicated by `ipFamilies[0]`, ' +
      'spec.clusterIPs[1]: Invalid value: "2000::1": expected an IPv4 value as indicated by `ipFamilies[1]`]'));
  check('from dual-stack: dual-dual_wrong_order_ips', V4V6, stored, svc('clusterIP: "2000::1"\nclusterIPs: ["2000::1", 10.0.0.1]'),
    rejected('Service "foo" is invalid: [spec.clusterIPs[0]: Invalid value: []string{"2000::1", "10.0.0.1"}: may not change once set, ' +
      'spec.clusterIPs[1]: Invalid value: []string{"2000::1", "10.0.0.1"}: may not change once set, ' +
      'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6", "IPv4"}: may not change once set, ' +
      'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6", "IPv4"}: may not change once set]', 'validation'));
}

// --- TestUpdateIPsFromSingleStack and TestUpdateIPsFromDualStack, "dualstack:v6v4": the mirror image ---
{
  const FAMS_V6: Record<string, string> = { nil: '', single: 'ipFamilies: [IPv6]', dual: 'ipFamilies: [IPv6, IPv4]' };
  const IPS_V6: Record<string, string> = { nil: '', single: 'clusterIP: "2000::1"\nclusterIPs: ["2000::1"]', dual: 'clusterIP: "2000::1"\nclusterIPs: ["2000::1", 10.0.0.1]' };
  const single = svc('ipFamilyPolicy: SingleStack\nipFamilies: [IPv6]\nclusterIP: "2000::1"\nclusterIPs: ["2000::1"]');
  const dual = svc('ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv6, IPv4]\nclusterIP: "2000::1"\nclusterIPs: ["2000::1", 10.0.0.1]');
  for (const policy of ['nil', 'single', 'prefer', 'require']) {
    for (const fams of ['nil', 'single', 'dual']) {
      for (const ips of ['nil', 'single', 'dual']) {
        const req = svc([POLICY[policy], FAMS_V6[fams], IPS_V6[ips]].join('\n'));
        const singlePolicy = policy === 'nil' || policy === 'single';
        // From single-stack: SingleStack rejects a second family or address; the others upgrade.
        const fromSingle: Expect = singlePolicy
          ? (fams === 'dual' || ips === 'dual' ? { error: '' } : ok(['IPv6'], { clusterIPs: ['2000::1'] }))
          : ok(V6V4, { clusterIPs: ['2000::1', ips === 'dual' ? '10.0.0.1' : ''], allocated: [ips === 'dual' ? 'IPv4 10.0.0.1' : 'IPv4'] });
        // From dual-stack: SingleStack downgrades; the others reject a reduced list.
        const fromDual: Expect = policy === 'single'
          ? ok(['IPv6'], { clusterIPs: ['2000::1'], released: ['IPv4 10.0.0.1'] })
          : (fams === 'single' || ips === 'single' ? { error: '' } : ok(V6V4, { clusterIPs: ['2000::1', '10.0.0.1'], released: [] }));
        for (const [from, stored, expect] of [['single', single, fromSingle], ['dual', dual, fromDual]] as const) {
          test(`from ${from}-stack, v6v4 cluster: policy:${policy}_families:${fams}_ips:${ips}`, async () => {
            const r = await run(stored, req, V6V4);
            if ('error' in expect) {
              assert.equal(r.ok, false, JSON.stringify(r));
              return;
            }
            assert.ok(r.ok, JSON.stringify(r));
            if (!r.ok) return;
            assert.deepEqual(r.after.ipFamilies, expect.families);
            assert.deepEqual(r.after.clusterIPs, expect.clusterIPs);
            if (expect.allocated) assert.deepEqual(r.allocated.map((x) => `${x.family}${x.ip ? ` ${x.ip}` : ''}`), expect.allocated);
            if (expect.released) assert.deepEqual(r.released.map((x) => `${x.family} ${x.ip}`), expect.released);
          });
        }
      }
    }
  }
}

// --- TestUpdatePatchAllocatedValues ---
{
  const single = svc('type: ClusterIP\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.93\nclusterIPs: [10.0.0.93]');
  check('single-ip_patched', V4V6, single, svc('type: ClusterIP'), ok(V4, { clusterIPs: ['10.0.0.93'] }));
  check('single-ip_not_patched', V4V6, single, svc('type: ClusterIP\nclusterIP: 10.0.0.76\nclusterIPs: [10.0.0.76]'),
    rejected('Service "foo" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.0.0.76"}: may not change once set', 'validation'));
  const dual = svc('type: ClusterIP\nipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]\nclusterIP: 10.0.0.93\nclusterIPs: [10.0.0.93, "2000::76"]');
  check('dual-ips_patched', V4V6, dual, svc('type: ClusterIP\nipFamilyPolicy: RequireDualStack'), ok(V4V6, { clusterIPs: ['10.0.0.93', '2000::76'] }));
  check('dual-ips_not_patched', V4V6, dual, svc('type: ClusterIP\nipFamilyPolicy: RequireDualStack\nclusterIP: 10.0.0.76\nclusterIPs: [10.0.0.76, "2000::93"]'),
    rejected('Service "foo" is invalid: [spec.clusterIPs[0]: Invalid value: []string{"10.0.0.76", "2000::93"}: may not change once set, ' +
      'spec.clusterIPs[1]: Invalid value: []string{"10.0.0.76", "2000::93"}: may not change once set]', 'validation'));
}

// --- PreferDualStack created on a single-stack cluster, after the cluster gained IPv6 (SEMANTICS.md a.6) ---
{
  const stored = svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]');
  // kubectl apply / PATCH: the stored families and addresses stay in the object.
  check('stale PreferDualStack, request keeps the stored fields: not upgraded', V4V6, stored, stored, ok(V4, { policy: 'PreferDualStack', preferKept: true, allocated: [] }));
  // kubectl replace of a manifest without families or addresses: patchAllocatedValues copies the address, families differ, upgraded.
  check('stale PreferDualStack, PUT without families: upgraded', V4V6, stored, svc('ipFamilyPolicy: PreferDualStack'), ok(V4V6, { preferKept: false, allocated: ['IPv6'] }));
  check('stale PreferDualStack, RequireDualStack: upgraded', V4V6, stored, svc('ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]'),
    ok(V4V6, { allocated: ['IPv6'] }));
}

// --- Type changes to and from ExternalName ---
{
  const clusterIP = svc('ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]');
  const ext = svc('type: ExternalName\nexternalName: db.example.com');
  check('ClusterIP -> ExternalName, PUT without IP fields: the address is released', V4V6, clusterIP, ext, ok([], { released: ['IPv4 10.0.0.1'], clusterIPs: [] }));
  check('ClusterIP -> ExternalName keeping the stored IP fields (kubectl apply): wiped, released', V4V6, clusterIP,
    svc('type: ExternalName\nexternalName: db.example.com\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.1\nclusterIPs: [10.0.0.1]'),
    ok([], { released: ['IPv4 10.0.0.1'] }));
  check('ClusterIP -> ExternalName with a changed clusterIP: Forbidden', V4V6, clusterIP,
    svc('type: ExternalName\nexternalName: db.example.com\nclusterIP: 10.0.0.2\nclusterIPs: [10.0.0.2]'),
    rejected('Service "foo" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services', 'validation'));
  check('ExternalName -> ClusterIP: SingleStack in the primary family, allocated', V4V6, ext, svc('type: ClusterIP'), ok(V4, { policy: 'SingleStack', allocated: ['IPv4'], released: [] }));
  check('ExternalName -> ClusterIP PreferDualStack: both allocated', V6V4, ext, svc('ipFamilyPolicy: PreferDualStack'), ok(V6V4, { allocated: ['IPv6', 'IPv4'] }));
  check('ExternalName -> ClusterIP with any clusterIP: requested', V4V6, ext, svc('clusterIP: 10.0.0.9'), ok(V4, { allocated: ['IPv4 10.0.0.9'], clusterIPs: ['10.0.0.9'] }));
  // normalizeClusterIPs turns the plural into [None] when only the singular changed (after patchAllocatedValues).
  check('headful -> headless: the address may not become None', V4V6, clusterIP, svc('clusterIP: None'),
    rejected('Service "foo" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set', 'validation'));
  check('headless -> headful: None may not change', V4V6, svc('clusterIP: None\nclusterIPs: [None]\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]'),
    svc('clusterIP: 10.0.0.5\nclusterIPs: [10.0.0.5]'),
    rejected('Service "foo" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.0.0.5"}: may not change once set', 'validation'));
}

// --- defaultOnReadIPFamilies: a legacy object (stored before the dual-stack fields) ---
{
  const legacy = 'apiVersion: v1\nkind: Service\nmetadata: {name: foo, namespace: default}\nspec:\n  selector: {k2: v2}\n  clusterIP: "::ffff:a00:1"\n  ports: [{port: 80}]';
  // IPv4-mapped is IPv4 for netutils.IsIPv6String (To4() is not nil): SingleStack [IPv4], unchanged by a re-apply of the same object.
  check('legacy object with an IPv4-mapped clusterIP reads as SingleStack [IPv4]', V4V6, legacy, legacy, ok(V4, { policy: 'SingleStack', allocated: [], released: [] }));
}

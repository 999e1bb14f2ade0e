// Every row of SEMANTICS.md a.5 ("Resulting families on create", headless selectorless, given
// clusterIPs) and every rule V1-V17 of a.3, against resolveServiceFamilies. The expectations
// are transcribed from k8s:pkg/registry/core/service/storage/storage_test.go
// (TestCreateInitIPFields) and k8s:pkg/apis/core/validation/validation_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveServiceFamilies, type ServiceIPInput } from '../../src/emulate/service-families.ts';
import type { Family } from '../../src/model/types.ts';

const V4: Family[] = ['IPv4'];
const V6: Family[] = ['IPv6'];
const V4V6: Family[] = ['IPv4', 'IPv6'];
const V6V4: Family[] = ['IPv6', 'IPv4'];
const SEL = { app: 'x' };

type Expect = { policy: string; families: Family[] } | { error: string; field: string };

function check(name: string, cluster: Family[], input: ServiceIPInput, expect: Expect): void {
  test(`${name} [cluster ${cluster.join(',')}]`, () => {
    const r = resolveServiceFamilies({ selector: SEL, ...input }, cluster);
    if ('error' in expect) {
      assert.equal(r.ok, false, `expected rejection, got ${JSON.stringify(r)}`);
      if (!r.ok) {
        const e = r.errors.find((x) => x.field === expect.field && x.message.includes(expect.error));
        assert.ok(e, `expected ${expect.field}: ...${expect.error}... in ${JSON.stringify(r.errors.map((x) => x.message))}`);
      }
    } else {
      assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
      if (r.ok) {
        assert.equal(r.ipFamilyPolicy, expect.policy);
        assert.deepEqual(r.ipFamilies, expect.families);
      }
    }
  });
}

const ok = (policy: string, families: Family[]): Expect => ({ policy, families });
const rejected = (field: string, error: string): Expect => ({ field, error });
const SINGLE_TWO = "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified";

// --- a.5, cluster [IPv4] ---
check('unset/unset', V4, {}, ok('SingleStack', V4));
check('unset/[IPv4]', V4, { ipFamilies: ['IPv4'] }, ok('SingleStack', V4));
check('unset/[IPv6] not configured', V4, { ipFamilies: ['IPv6'] }, rejected('spec.ipFamilies[0]', 'not configured on this cluster'));
check('SingleStack/[IPv6] not configured', V4, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] }, rejected('spec.ipFamilies[0]', 'not configured on this cluster'));
check('unset/[IPv4,IPv6]: SingleStack with 2 families', V4, { ipFamilies: ['IPv4', 'IPv6'] }, rejected('spec.ipFamilyPolicy', SINGLE_TWO));
check('SingleStack/[IPv4,IPv6]', V4, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] }, rejected('spec.ipFamilyPolicy', SINGLE_TWO));
check('PreferDualStack/unset silently single', V4, { ipFamilyPolicy: 'PreferDualStack' }, ok('PreferDualStack', V4));
check('PreferDualStack/[IPv4] silently single', V4, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] }, ok('PreferDualStack', V4));
check('PreferDualStack/[IPv6]', V4, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6'] }, rejected('spec.ipFamilies[0]', 'not configured on this cluster'));
check('PreferDualStack/[IPv4,IPv6]', V4, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] }, rejected('spec.ipFamilies[1]', 'not configured on this cluster'));
check('PreferDualStack/[IPv6,IPv4]', V4, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] }, rejected('spec.ipFamilies[0]', 'not configured on this cluster'));
check('RequireDualStack/unset', V4, { ipFamilyPolicy: 'RequireDualStack' }, rejected('spec.ipFamilyPolicy', 'this cluster is not configured for dual-stack services'));
check('RequireDualStack/[IPv4]', V4, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4'] }, rejected('spec.ipFamilyPolicy', 'not configured for dual-stack services'));
check('RequireDualStack/[IPv4,IPv6]', V4, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }, rejected('spec.ipFamilyPolicy', 'not configured for dual-stack services'));

// --- a.5, cluster [IPv6] (mirror image) ---
check('v6: unset/unset', V6, {}, ok('SingleStack', V6));
check('v6: unset/[IPv4] not configured', V6, { ipFamilies: ['IPv4'] }, rejected('spec.ipFamilies[0]', 'not configured on this cluster'));
check('v6: PreferDualStack/unset', V6, { ipFamilyPolicy: 'PreferDualStack' }, ok('PreferDualStack', V6));
check('v6: RequireDualStack', V6, { ipFamilyPolicy: 'RequireDualStack' }, rejected('spec.ipFamilyPolicy', 'not configured for dual-stack services'));
check('v6: unset/[IPv6,IPv4]', V6, { ipFamilies: ['IPv6', 'IPv4'] }, rejected('spec.ipFamilyPolicy', SINGLE_TWO));

// --- a.5, cluster [IPv4,IPv6] ---
check('dual: unset/unset', V4V6, {}, ok('SingleStack', V4));
check('dual: unset/[IPv6]', V4V6, { ipFamilies: ['IPv6'] }, ok('SingleStack', V6));
check('dual: SingleStack/[IPv6]', V4V6, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] }, ok('SingleStack', V6));
check('dual: unset/two families rejected', V4V6, { ipFamilies: ['IPv4', 'IPv6'] }, rejected('spec.ipFamilyPolicy', SINGLE_TWO));
check('dual: SingleStack/two families rejected', V4V6, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6', 'IPv4'] }, rejected('spec.ipFamilyPolicy', SINGLE_TWO));
for (const policy of ['PreferDualStack', 'RequireDualStack']) {
  check(`dual: ${policy}/unset`, V4V6, { ipFamilyPolicy: policy }, ok(policy, V4V6));
  check(`dual: ${policy}/[IPv4]`, V4V6, { ipFamilyPolicy: policy, ipFamilies: ['IPv4'] }, ok(policy, V4V6));
  check(`dual: ${policy}/[IPv4,IPv6]`, V4V6, { ipFamilyPolicy: policy, ipFamilies: ['IPv4', 'IPv6'] }, ok(policy, V4V6));
  check(`dual: ${policy}/[IPv6] order follows ipFamilies[0]`, V4V6, { ipFamilyPolicy: policy, ipFamilies: ['IPv6'] }, ok(policy, V6V4));
  check(`dual: ${policy}/[IPv6,IPv4]`, V4V6, { ipFamilyPolicy: policy, ipFamilies: ['IPv6', 'IPv4'] }, ok(policy, V6V4));
  check(`v6v4: ${policy}/unset`, V6V4, { ipFamilyPolicy: policy }, ok(policy, V6V4));
  check(`v6v4: ${policy}/[IPv4]`, V6V4, { ipFamilyPolicy: policy, ipFamilies: ['IPv4'] }, ok(policy, V4V6));
}
check('v6v4: unset/unset', V6V4, {}, ok('SingleStack', V6));

// --- headless selectorless: families without looking at the cluster (a.5 step 8) ---
const HL = { clusterIP: 'None', selector: undefined };
check('headless selectorless on IPv4 cluster: RequireDualStack [IPv4,IPv6]', V4, HL, ok('RequireDualStack', V4V6));
check('headless selectorless on IPv6 cluster', V6, HL, ok('RequireDualStack', V6V4));
check('headless selectorless on dual cluster', V4V6, HL, ok('RequireDualStack', V4V6));
check('headless selectorless SingleStack', V4, { ...HL, ipFamilyPolicy: 'SingleStack' }, ok('SingleStack', V4));
check('headless selectorless SingleStack [IPv6] accepted on IPv4 cluster', V4, { ...HL, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] }, ok('SingleStack', V6));
check('headless selectorless [IPv6] -> [IPv6,IPv4]', V4, { ...HL, ipFamilies: ['IPv6'] }, ok('RequireDualStack', V6V4));
check('headless selectorless PreferDualStack on IPv4 cluster', V4, { ...HL, ipFamilyPolicy: 'PreferDualStack' }, ok('PreferDualStack', V4V6));
check('headless selectorless two families on single cluster', V4, { ...HL, ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }, ok('RequireDualStack', V4V6));
// headless with a selector behaves like headful
check('headless with selector on IPv4 cluster', V4, { clusterIP: 'None' }, ok('SingleStack', V4));
check('headless with selector RequireDualStack on IPv4 cluster', V4, { clusterIP: 'None', ipFamilyPolicy: 'RequireDualStack' }, rejected('spec.ipFamilyPolicy', 'not configured for dual-stack services'));
check('headless with selector PreferDualStack on dual cluster', V4V6, { clusterIP: 'None', ipFamilyPolicy: 'PreferDualStack' }, ok('PreferDualStack', V4V6));

// --- given clusterIPs ---
check('clusterIP v6 on IPv4 cluster', V4, { clusterIP: '2001:db8::1' }, rejected('spec.clusterIPs[0]', 'IPv6 is not configured on this cluster'));
check('clusterIPs v4,v6 with policy unset', V4V6, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001:db8::1'] },
  rejected('spec.ipFamilyPolicy', "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
check('clusterIPs [v6] PreferDualStack on v4v6 cluster -> [IPv6,IPv4]', V4V6, { clusterIP: '2001:db8::1', ipFamilyPolicy: 'PreferDualStack' }, ok('PreferDualStack', V6V4));
check('clusterIPs two, PreferDualStack, ipFamilies [IPv4] -> second inferred', V4V6,
  { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001:db8::1'], ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] }, ok('PreferDualStack', V4V6));
check('RequireDualStack one clusterIP two families', V4V6,
  { clusterIP: '10.0.0.1', ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }, ok('RequireDualStack', V4V6));
check('clusterIP only (normalized into clusterIPs)', V4V6, { clusterIP: '10.0.0.1' }, ok('SingleStack', V4));

// --- a.3 static validation ---
check('V1 ExternalName with clusterIP None', V4V6, { type: 'ExternalName', clusterIP: 'None' }, rejected('spec.clusterIPs', 'may not be set for ExternalName services'));
check('V2 ExternalName with ipFamilies', V4V6, { type: 'ExternalName', ipFamilies: ['IPv4'] }, rejected('spec.ipFamilies', 'may not be set for ExternalName services'));
check('V3 ExternalName with ipFamilyPolicy', V4V6, { type: 'ExternalName', ipFamilyPolicy: 'SingleStack' }, rejected('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
check('V4 LoadBalancer headless', V4V6, { type: 'LoadBalancer', clusterIP: 'None' }, rejected('spec.clusterIPs[0]', "may not be set to 'None' for LoadBalancer services"));
check('V4 NodePort headless', V4V6, { type: 'NodePort', clusterIP: 'None' }, rejected('spec.clusterIPs[0]', "may not be set to 'None' for NodePort services"));
check('V6 clusterIPs[0] != clusterIP', V4V6, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.2'] }, rejected('spec.clusterIPs', 'first value must match `clusterIP`'));
check('V7 clusterIPs without clusterIP', V4V6, { clusterIPs: ['10.0.0.1'] }, rejected('spec.clusterIPs', 'must be empty when `clusterIP` is not specified'));
check('V8 bad policy', V4V6, { ipFamilyPolicy: 'DualStack' }, rejected('spec.ipFamilyPolicy', 'Unsupported value: "DualStack"'));
check('V9 three clusterIPs', V4V6, { ipFamilyPolicy: 'PreferDualStack', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001:db8::1', '10.0.0.2'] }, rejected('spec.clusterIPs', 'may only hold up to 2 values'));
check('V10 None not first and only', V4V6, { clusterIP: 'None', clusterIPs: ['None', '10.0.0.1'] }, rejected('spec.clusterIPs', "'None' must be the first and only value"));
check('V11 not an IP', V4V6, { clusterIP: '10.0.0.300' }, rejected('spec.clusterIPs[0]', 'must be a valid IP address'));
check('V11 empty string entry', V4V6, { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', ''], ipFamilyPolicy: 'PreferDualStack' }, rejected('spec.clusterIPs[1]', 'must be a valid IP address'));
check('V12 two IPs of one family', V4V6, { ipFamilyPolicy: 'PreferDualStack', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.2'] }, rejected('spec.clusterIPs', 'may specify no more than one IP for each IP family'));
check('V13 bad family', V4V6, { ipFamilies: ['IPv5'] }, rejected('spec.ipFamilies[0]', 'Unsupported value: "IPv5"'));
check('V14 duplicate family', V4V6, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv4'] }, rejected('spec.ipFamilies[1]', 'Duplicate value: "IPv4"'));
check('V15 IP/family mismatch', V4V6, { ipFamilyPolicy: 'PreferDualStack', clusterIP: '10.0.0.1', ipFamilies: ['IPv6'] }, rejected('spec.clusterIPs[0]', 'expected an IPv6 value as indicated by `ipFamilies[0]`'));
check('V15 reverse order', V4V6, { ipFamilyPolicy: 'PreferDualStack', clusterIP: '2001:db8::1', clusterIPs: ['2001:db8::1', '10.0.0.1'], ipFamilies: ['IPv4', 'IPv6'] }, rejected('spec.clusterIPs[0]', 'expected an IPv4 value'));
check('V16 externalIP loopback', V4V6, { externalIPs: ['127.0.0.1'] }, rejected('spec.externalIPs[0]', 'loopback'));
check('V16 externalIP unspecified v6', V4V6, { externalIPs: ['::'] }, rejected('spec.externalIPs[0]', 'may not be unspecified'));
check('V16 externalIP link-local', V4V6, { externalIPs: ['fe80::1'] }, rejected('spec.externalIPs[0]', 'link-local range'));
check('V16 externalIP link-local multicast', V4V6, { externalIPs: ['224.0.0.1'] }, rejected('spec.externalIPs[0]', 'link-local multicast'));
check('V16 class E accepted', V4V6, { externalIPs: ['244.1.2.3'] }, ok('SingleStack', V4));
check('V17 source ranges on ClusterIP', V4V6, { loadBalancerSourceRanges: ['10.0.0.0/8'] }, rejected('spec.loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
check('V17 annotation on NodePort', V4V6, { type: 'NodePort', sourceRangesAnnotation: '10.0.0.0/8' },
  rejected('metadata.annotations.service.beta.kubernetes.io/load-balancer-source-ranges', "may only be used when `type` is 'LoadBalancer'"));
check('V17 bad CIDR in ranges', V4V6, { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/33'] }, rejected('spec.loadBalancerSourceRanges[0]', 'must be a valid CIDR'));
check('V17 ranges trimmed', V4V6, { type: 'LoadBalancer', loadBalancerSourceRanges: [' 10.0.0.0/8 '] }, ok('SingleStack', V4));
// validation deliberately does not reject these; allocation decides
check('downgrade request: SingleStack with two clusterIPs is an allocation error', V4V6,
  { ipFamilyPolicy: 'SingleStack', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '2001:db8::1'] },
  rejected('spec.ipFamilyPolicy', 'when multiple cluster IPs are specified'));

test('ExternalName has no families', () => {
  const r = resolveServiceFamilies({ type: 'ExternalName' }, V4V6);
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.ipFamilies, []);
});

test('allocation errors are reported before static validation, as the apiserver does', () => {
  const r = resolveServiceFamilies({ type: 'LoadBalancer', clusterIP: 'None', ipFamilies: ['IPv4', 'IPv6'], selector: SEL }, V4V6);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.stage, 'allocation');
    assert.deepEqual(r.errors.map((e) => e.field), ['spec.ipFamilyPolicy']);
  }
});

test('the apiserver message format', () => {
  const r = resolveServiceFamilies({ ipFamilies: ['IPv4', 'IPv6'], selector: SEL }, V4V6);
  assert.ok(!r.ok);
  if (!r.ok) {
    assert.equal(r.errors[0]!.message,
      `spec.ipFamilyPolicy: Invalid value: "SingleStack": ${SINGLE_TWO}`);
    assert.deepEqual(r.errors[0]!.path, ['spec', 'ipFamilyPolicy']);
  }
});

test('rejects a cluster with no or three families', () => {
  assert.throws(() => resolveServiceFamilies({}, []), RangeError);
});

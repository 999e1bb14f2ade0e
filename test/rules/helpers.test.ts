// The rule helper modules' own pure functions (the rules' table tests reach them through the real
// loader; these pin the wording and paths the messages are built from).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotationPath } from '../../src/rules/helpers-gke.ts';
import { fieldName } from '../../src/rules/helpers-gcp.ts';
import { where } from '../../src/rules/helpers-cluster.ts';
import { blockName } from '../../src/rules/helpers-coredns.ts';
import { policyLabel, rangesPath } from '../../src/rules/helpers-armor.ts';
import { gapSeverity, selectedText, type SingleFamilyGap } from '../../src/rules/helpers-policy.ts';
import { at, jobName } from '../../src/rules/helpers-prometheus.ts';

type Arg<F extends (...a: never[]) => unknown, I extends number = 0> = Parameters<F>[I];

test('helpers-gke and helpers-gcp: annotation paths and each form spelling a field its own way', () => {
  assert.deepEqual(annotationPath('networking.gke.io/load-balancer-type'), ['metadata', 'annotations', 'networking.gke.io/load-balancer-type']);
  assert.equal(fieldName('kcc', 'datapath'), 'spec.datapathProvider');
  assert.equal(fieldName('terraform', 'datapath'), 'datapath_provider');
  assert.match(fieldName('gcloud', 'subnetStackType'), /^stackType \(gcloud compute networks subnets update --stack-type IPV4_IPV6\)$/);
});

test('helpers-cluster and helpers-coredns: where a setting is, and a server block by its keys', () => {
  assert.equal(where({ object: 'kind Cluster', field: 'networking.podSubnet' } as Arg<typeof where>), 'kind Cluster networking.podSubnet');
  assert.equal(blockName({ keys: [{ raw: '.:53' }, { raw: 'cluster.local:53' }] } as unknown as Arg<typeof blockName>), '.:53 cluster.local:53');
});

test('helpers-armor: the policy named by its source, ranges at their first address or the rule', () => {
  assert.equal(policyLabel({ from: 'export', policyName: 'edge' } as Arg<typeof policyLabel>), 'Cloud Armor policy "edge"');
  assert.equal(policyLabel({ from: 'kcc', policyName: 'corp-only' } as unknown as Arg<typeof policyLabel>), 'ComputeSecurityPolicy "corp-only"');
  assert.deepEqual(rangesPath({ path: ['spec', 'rule', 0], addresses: [{ path: ['spec', 'rule', 0, 'match', 'config', 'srcIpRanges', 1] }] } as unknown as Arg<typeof rangesPath>),
    ['spec', 'rule', 0, 'match', 'config', 'srcIpRanges', 1]);
  assert.deepEqual(rangesPath({ path: ['spec', 'rule', 2], addresses: [] } as unknown as Arg<typeof rangesPath>), ['spec', 'rule', 2]);
});

test('helpers-policy: what a policy selects, and the gap severity by direction, selection and target', () => {
  const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
  const none = { selectionKnown: true, selectedCount: 0 } as unknown as Arg<typeof selectedText>;
  assert.equal(selectedText(none), 'the pods it selects (none of the workloads in the input)');
  assert.equal(selectedText({ selectionKnown: false, selectedCount: 0 } as unknown as Arg<typeof selectedText>), 'the pods it selects');
  assert.equal(selectedText({ selectionKnown: true, selectedCount: 1, firstSelected: web } as unknown as Arg<typeof selectedText>), 'Deployment/shop/web');
  const two = { selectionKnown: true, selectedCount: 2, firstSelected: web } as unknown as Arg<typeof selectedText>;
  assert.equal(selectedText(two), 'Deployment/shop/web and 1 more');
  const egress = { direction: 'egress', only: 'IPv4', missing: 'IPv6' } as unknown as SingleFamilyGap;
  const ingress = { direction: 'ingress', only: 'IPv4', missing: 'IPv6' } as unknown as SingleFamilyGap;
  assert.equal(gapSeverity(two, egress, ['IPv4', 'IPv6']), 'high');
  assert.equal(gapSeverity(two, ingress, ['IPv4', 'IPv6']), 'medium');
  assert.equal(gapSeverity(none, egress, ['IPv4', 'IPv6']), 'low', 'selects none of the known pods');
  assert.equal(gapSeverity(two, egress, ['IPv4']), 'low', 'IPv4-only target: the gap opens at conversion');
});

test('helpers-prometheus: a job named by its origin, and a relabel position with or without a text line', () => {
  assert.equal(jobName({ origin: 'prometheus.yml', name: 'kubernetes-pods' } as Arg<typeof jobName>), 'job "kubernetes-pods"');
  assert.equal(jobName({ origin: 'ServiceMonitor', name: 'web', owner: { ref: { kind: 'ServiceMonitor' } } } as unknown as Arg<typeof jobName>), 'ServiceMonitor web');
  assert.deepEqual(at({ path: ['data', 'prometheus.yml'], textLine: 12 }), { path: ['data', 'prometheus.yml'], textLine: 12 });
  assert.deepEqual(at({ path: ['spec'] }), { path: ['spec'] });
});

// The GCP network layer through the real loaders: the same facts in Config Connector YAML,
// gcloud describe output (--gcp) and terraform show -json (--gcp) give the same model, positions
// point into the file each came from, plan unknowns are kept as unknown, and a file with no GCP
// resource is one fatal problem.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { loadGcp } from '../../src/load/gcp.ts';
import { buildModel } from '../../src/model/build.ts';
import type { InputDocument } from '../../src/model/types.ts';
import { FORMS, anchorOf, gcloud, lineAfter, render, terraform, type GcpSpec } from '../helpers/gcp.ts';

const SPECS: readonly GcpSpec[] = [
  { kind: 'network', name: 'shop-vpc', ula: true },
  { kind: 'subnet', name: 'shop-nodes', network: 'shop-vpc', stackType: 'IPV4_IPV6', access: 'EXTERNAL' },
  { kind: 'address', name: 'web-v6', region: 'europe-west1', ipVersion: 'IPV6', endpoint: 'NETLB' },
  { kind: 'address', name: 'web-global' },
  { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', network: 'shop-vpc', subnet: 'shop-nodes', fqdn: true, metrics: true, relay: false },
];

// One temp dir for the file: the manifest locator reads the file again when asked for a line.
const dir = mkdtempSync(join(tmpdir(), 'dsa-gcp-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function load(name: string, text: string, viaGcp: boolean) {
  const file = join(dir, `${n++}-${name}`);
  writeFileSync(file, text);
  if (viaGcp) {
    const g = loadGcp([file]);
    return { docs: g.documents as InputDocument[], problems: g.problems, locate: g.locator.locate, file };
  }
  const l = await loadPaths([file]);
  return { docs: l.documents, problems: l.problems, locate: l.locator.locate, file };
}

for (const form of FORMS) {
  test(`${form}: the layer reads into one model, with lines in the file`, async () => {
    const text = render(form, SPECS);
    const { docs, problems, locate } = await load(form === 'terraform' ? 'tf.json' : 'gcp.yaml', text, form !== 'kcc');
    assert.deepEqual(problems, []);
    const model = buildModel(docs, { locate });
    const g = model.gcp;
    assert.deepEqual([g.clusters.length, g.networks.length, g.subnets.length, g.addresses.length], [1, 1, 1, 2]);
    const c = g.clusters[0]!;
    assert.equal(c.gcpName, 'shop');
    assert.equal(c.form, form);
    assert.equal(c.stackType.value, 'IPV4_IPV6');
    assert.equal(c.dpv2, true);
    assert.equal(c.vpcNative.value, true);
    assert.equal(c.subnetwork.value, 'shop-nodes');
    assert.equal(c.network, 'shop-vpc');
    assert.equal(c.fqdnNetworkPolicy.value, true);
    assert.equal(c.observabilityMetrics.value, true);
    assert.equal(c.observabilityRelay.value, false);
    assert.equal(c.location, 'europe-west1');
    assert.equal(c.ref.namespace, form === 'kcc' ? 'default' : undefined, 'gcloud and Terraform resources have no namespace');
    const s = g.subnets[0]!;
    assert.deepEqual([s.gcpName, s.region, s.network, s.stackType.value, s.ipv6AccessType.value], ['shop-nodes', 'europe-west1', 'shop-vpc', 'IPV4_IPV6', 'EXTERNAL']);
    assert.equal(g.networks[0]!.ulaInternalIpv6.value, true);
    const [v6, glob] = [g.addresses.find((a) => a.gcpName === 'web-v6')!, g.addresses.find((a) => a.gcpName === 'web-global')!];
    assert.deepEqual([v6.global, v6.region, v6.ipVersion.value, v6.ipv6EndpointType], [false, 'europe-west1', 'IPV6', 'NETLB']);
    assert.deepEqual([glob.global, glob.ipVersion.value, glob.addressType], [true, undefined, 'EXTERNAL']);
    // Positions: the stack type field of the cluster, in this file.
    const loc = locate(c.source!, c.stackType.path)!;
    const key = form === 'terraform' ? /"stack_type"/ : /stackType:/;
    assert.equal(loc.line, lineAfter(text, anchorOf(form, 'shop'), key));
    // The layer sets the cluster families and the platform.
    assert.deepEqual(model.clusterFamilies.families, ['IPv4', 'IPv6']);
    assert.equal(model.clusterFamilies.from, 'inferred');
    assert.match(model.clusterFamilies.evidence!.join(), /ContainerCluster shop .* stack type IPV4_IPV6 at .*:\d+/);
    assert.equal(model.platform.name, 'gke');
    assert.equal(model.platform.from, 'inferred');
  });
}

test('an IPv4 cluster makes the inferred Service families IPv4 only; --platform wins over inference', async () => {
  const { docs, locate } = await load('c.yaml', gcloud([{ kind: 'cluster', name: 'old' }]), true);
  const m = buildModel(docs, { locate, platform: { name: 'generic', from: 'flag' } });
  assert.deepEqual(m.clusterFamilies.families, ['IPv4']);
  assert.match(m.clusterFamilies.evidence![0]!, /unset \(IPV4\)/);
  assert.deepEqual(m.platform, { name: 'generic', from: 'flag' });
});

test('terraform plan: attributes after_unknown marks are unknown, not absent', async () => {
  const text = terraform([{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6' }, { kind: 'cluster', name: 'c', subnet: 'nodes' }],
    { plan: true, unknown: { c: ['ip_allocation_policy'], nodes: ['ipv6_access_type'] } });
  const { docs, problems } = await load('plan.json', text, true);
  assert.deepEqual(problems, []);
  const m = buildModel(docs);
  assert.equal(m.gcp.clusters[0]!.stackType.unknown, true);
  assert.equal(m.gcp.subnets[0]!.ipv6AccessType.unknown, true);
  assert.equal(m.gcp.subnets[0]!.stackType.unknown, undefined);
  assert.equal(m.clusterFamilies.from, 'default', 'an unknown stack type infers nothing');
});

test('gcloud: a JSON list (list --format json) is read item by item, with lines', async () => {
  const items = [
    { kind: 'compute#subnetwork', name: 'a', region: 'https://www.googleapis.com/compute/v1/projects/p/regions/us-east1', stackType: 'IPV4_ONLY' },
    { kind: 'compute#address', name: 'b', ipVersion: 'IPV6' },
  ];
  const text = JSON.stringify(items, null, 2);
  const { docs, problems, locate } = await load('list.json', text, true);
  assert.deepEqual(problems, []);
  const m = buildModel(docs);
  assert.deepEqual(m.gcp.subnets.map((s) => [s.gcpName, s.region, s.stackType.value]), [['a', 'us-east1', 'IPV4_ONLY']]);
  assert.equal(m.gcp.addresses[0]!.global, true);
  const a = m.gcp.addresses[0]!;
  assert.equal(locate(a.source!, a.ipVersion.path)!.line, lineAfter(text, '"name": "b"', /"ipVersion"/));
});

test('--gcp with a file that holds no GCP resource: one fatal problem naming the file', async () => {
  const { problems } = await load('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\n', true);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.fatal, true);
  assert.match(problems[0]!.message, /--gcp: no GCP resource in the file/);
  assert.match(problems[0]!.file!, /svc\.yaml$/);
  const tf = await load('empty.json', JSON.stringify({ format_version: '1.0', values: { root_module: { resources: [{ type: 'google_storage_bucket', values: { name: 'b' } }] } } }), true);
  assert.match(tf.problems[0]!.message, /Terraform JSON has no google_container_cluster/);
});

test('--gcp with a file that does not parse: a problem with its line, not a stack trace', async () => {
  const { problems } = await load('bad.yaml', 'name: x\nkind: compute#network\n  bad: [\n', true);
  assert.ok(problems.length >= 1);
  assert.ok(problems.every((p) => !/\n\s+at /.test(p.message)));
  assert.ok(problems.some((p) => p.line !== undefined));
});

test('platform inferred from Nodes that GKE made, and from GKE annotations', async () => {
  const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: gke-shop-pool-1\n  labels:\n    cloud.google.com/gke-nodepool: pool\nspec:\n  providerID: gce://p/europe-west1-b/gke-shop-pool-1\n';
  const n = await load('node.yaml', node, false);
  assert.match(buildModel(n.docs).platform.evidence![0]!, /Node\/gke-shop-pool-1 label cloud.google.com\/gke-nodepool/);
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    cloud.google.com/neg: \'{"ingress": true}\'\nspec:\n  ports: [{port: 80}]\n';
  const s = await load('svc.yaml', svc, false);
  assert.equal(buildModel(s.docs).platform.name, 'gke');
  const plain = await load('plain.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n', false);
  assert.deepEqual(buildModel(plain.docs).platform, { name: 'generic', from: 'default' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import type { InputDocument } from '../../src/model/types.ts';
import { fixture } from '../helpers/yaml.ts';

async function load(yaml: string, flag?: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-cc-'));
  try {
    const file = join(dir, 'kind-dual.yaml');
    writeFileSync(file, yaml);
    const loaded = await loadPaths([file]);
    return buildModel(loaded.documents, { locate: loaded.locator.locate, ...(flag ? { clusterFamilies: { families: ['IPv4'], from: 'flag' as const } } : {}) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KIND_V6_FIRST = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n  podSubnet: fd5e:1c7a:93d2::/56,10.1.0.0/16\n  serviceSubnet: fd5e:1c7a:93d2:100::/112,10.2.0.0/16\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: web}\n';

test('cluster families are inferred from a kind config, with file:line evidence, and Services use them', async () => {
  const m = await load(KIND_V6_FIRST);
  assert.deepEqual(m.clusterFamilies.families, ['IPv6', 'IPv4']);
  assert.equal(m.clusterFamilies.from, 'inferred');
  assert.match(m.clusterFamilies.evidence![0]!, /^kind Cluster .*kind-dual\.yaml:6 networking\.serviceSubnet \[fd5e:1c7a:93d2:100::\/112, 10\.2\.0\.0\/16\]: Services \[IPv6, IPv4\]$/);
  // Services are built after the inference: PreferDualStack gets the cluster's order.
  assert.deepEqual(m.services[0]!.effective?.ipFamilies, ['IPv6', 'IPv4']);
});

test('the flag wins over inference; the config is still modelled', async () => {
  const m = await load(KIND_V6_FIRST, true);
  assert.deepEqual(m.clusterFamilies, { families: ['IPv4'], from: 'flag' });
  assert.deepEqual(m.clusterConfig.inferred?.families, ['IPv6', 'IPv4']);
  assert.deepEqual(m.services[0]!.effective?.ipFamilies, ['IPv4']);
});

test('no configuration: the default, not inferred', async () => {
  const m = await load('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}}\n');
  assert.equal(m.clusterFamilies.from, 'default');
  assert.equal(m.clusterConfig.inferred, undefined);
  assert.equal(m.clusterConfig.cidrs.length, 0);
});

test('ServiceCIDR kubernetes outranks kubeadm; disagreement is noted in the evidence', async () => {
  const m = await load('apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/16\n---\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16, fd5e:1c7a:93d2::/112]\n---\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: other}\nspec:\n  cidrs: [fd5e:1c7a:93d2:1::/112]\n');
  assert.deepEqual(m.clusterFamilies.families, ['IPv4', 'IPv6']);
  assert.match(m.clusterFamilies.evidence![0]!, /^ServiceCIDR kubernetes .*:10 spec\.cidrs \[10\.96\.0\.0\/16, fd5e:1c7a:93d2::\/112\]: Services \[IPv4, IPv6\]$/);
  const m2 = await load('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {ipFamily: ipv6}\n---\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {ipFamily: dual}\n');
  // Two kind configs that disagree are alternative clusters: nothing is inferred, the evidence says why.
  assert.deepEqual(m2.clusterFamilies.families, ['IPv4', 'IPv6']);
  assert.equal(m2.clusterFamilies.from, 'default');
  assert.match(m2.clusterFamilies.evidence![0]!, /^1 cluster recipe\(s\) give Service families \[IPv6\] \(kind Cluster .*kind-dual\.yaml:3 .*\) but 1 give other families .*alternative clusters/);
  // State read from one cluster that disagrees with a weaker statement: the stronger wins, noted.
  const m3 = await load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: "networking: {serviceSubnet: 10.96.0.0/16}"\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-a, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, --service-cluster-ip-range=fd5e:1c7a:93d2::/112]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-b, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, --service-cluster-ip-range=10.96.0.0/16]\n');
  // Two apiservers of one cluster with different --service-cluster-ip-range: undetermined (docs/families.md), the candidates listed.
  assert.equal(m3.clusterFamilies.from, 'undetermined');
  assert.deepEqual(m3.clusterFamilies.candidates, [['IPv6', 'IPv4'], ['IPv6'], ['IPv4']]);
  assert.ok(m3.clusterFamilies.evidence!.some((e) => /:13 --service-cluster-ip-range \[fd5e:1c7a:93d2::\/112\] gives \[IPv6\] but .*:21 --service-cluster-ip-range \[10\.96\.0\.0\/16\] gives \[IPv4\]/.test(e)), String(m3.clusterFamilies.evidence));
});

test('an invalid family list is not evidence', async () => {
  const m = await load('apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec:\n  cidrs: [10.96.0.0/16, 10.97.0.0/16]\n');
  assert.equal(m.clusterFamilies.from, 'default');
  assert.deepEqual(m.clusterConfig.claims[0]!.families, ['IPv4', 'IPv4']);
});

test('embedded configuration: kubeadm-config and kube-proxy ConfigMaps point at their data key', async () => {
  const m = await load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: |\n    apiVersion: kubeadm.k8s.io/v1beta4\n    kind: ClusterConfiguration\n    networking:\n      podSubnet: 10.244.0.0/16,fd5e:1c7a:93d2::/56\n      serviceSubnet: 10.96.0.0/16,fd5e:1c7a:93d2:100::/112\n    controllerManager:\n      extraArgs:\n      - name: node-cidr-mask-size-ipv6\n        value: "60"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-proxy, namespace: kube-system}\ndata:\n  config.conf: "clusterCIDR: 10.244.0.0/16\\ndetectLocalMode: ClusterCIDR"\n');
  const cc = m.clusterConfig;
  assert.deepEqual(cc.cidrs.map((f) => [f.role, f.text, f.site.path.join('.')]), [
    ['service', '10.96.0.0/16', 'data.ClusterConfiguration'],
    ['service', 'fd5e:1c7a:93d2:100::/112', 'data.ClusterConfiguration'],
    ['pod', '10.244.0.0/16', 'data.ClusterConfiguration'],
    ['pod', 'fd5e:1c7a:93d2::/56', 'data.ClusterConfiguration'],
    ['pod', '10.244.0.0/16', 'data.config.conf'],
  ]);
  assert.deepEqual(cc.cidrs[3]!.nodeMask?.mask, 60);
  assert.equal(cc.cidrs[2]!.nodeMask?.defaulted, true);
  assert.equal(cc.kubeProxy[0]!.detectLocalMode, 'ClusterCIDR');
  assert.match(m.clusterFamilies.evidence![0]!, /^kubeadm-config ConfigMap .*:5 data\.ClusterConfiguration networking\.serviceSubnet \[10\.96\.0\.0\/16, fd5e:1c7a:93d2:100::\/112\]: Services \[IPv4, IPv6\]$/);
});

test('broken embedded YAML and placeholders are skipped, invalid CIDRs kept as facts without a parse', () => {
  const doc = (object: Record<string, unknown>): InputDocument => ({ object });
  const m = buildModel([
    doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: 'networking: [unclosed' } }),
    doc({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'm' }, spec: { addresses: ['__LB_RANGE_V4__', '10.0.0.0/33', '10.1.0.1-10.1.0.9'] } }),
    doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-flannel-cfg', namespace: 'kube-flannel' }, data: { 'net-conf.json': '{not json' } }),
  ]);
  const cidrs = m.clusterConfig.cidrs;
  assert.deepEqual(cidrs.map((f) => [f.text, f.cidr?.canonical]), [['10.0.0.0/33', undefined], ['10.1.0.1-10.1.0.9', '10.1.0.0/28']]);
  assert.equal(m.clusterFamilies.from, 'default');
});

test('corpus: calico dual kind config with an IPv4-only controller-manager patch', () => {
  // Through the plain object path (no loader) to check the model alone.
  const m = buildModel([{ object: { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', networking: { ipFamily: 'dual', podSubnet: '192.168.0.0/16,fd00:10:244::/64' }, nodes: [{}, {}, {}, {}],
    kubeadmConfigPatches: ['kind: ClusterConfiguration\ncontrollerManager:\n  extraArgs:\n    cluster-cidr: "192.168.0.0/16"\n'] } }]);
  const claims = m.clusterConfig.claims.map((c) => [c.about, c.component, c.families.join(',')]);
  assert.deepEqual(claims, [['pod', 'kube-controller-manager', 'IPv4'], ['service', 'kind', 'IPv4,IPv6'], ['pod', 'kind', 'IPv4,IPv6']]);
  const v6 = m.clusterConfig.cidrs.find((f) => f.text === 'fd00:10:244::/64')!;
  assert.equal(v6.nodes, 4);
  assert.equal(fixture('corpus/calico/hack/test/kind/kind.config').includes('cluster-cidr: "192.168.0.0/16"'), true);
});

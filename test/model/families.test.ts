// The one cluster-family inference (model/families.ts): each evidence source alone, sources that
// agree, sources that disagree (undetermined, with the candidates and the evidence), and an explicit
// --cluster-families over all of it. Documents are parsed from YAML text as the loader gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsyaml from 'js-yaml';
import { inferFamiliesOfDocs } from '../../src/model/families.ts';
import { buildModel } from '../../src/model/build.ts';
import { kcc } from '../helpers/gcp.ts';
import type { Family, InputDocument } from '../../src/model/types.ts';

const docs = (yaml: string): InputDocument[] =>
  jsyaml.loadAll(yaml).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object').map((object) => ({ object }));

// ---- Evidence, one object each ------------------------------------------------------------
const serviceCIDR = (...cidrs: string[]): string =>
  `apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec: {cidrs: [${cidrs.map((c) => `"${c}"`).join(', ')}]}\n`;
const apiserverPod = (range: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-cp1, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, "--service-cluster-ip-range=${range}"]\n`;
const kubeadmConfig = (subnet?: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: |\n    apiVersion: kubeadm.k8s.io/v1beta4\n    kind: ClusterConfiguration\n` +
  (subnet ? `    networking:\n      serviceSubnet: ${subnet}\n` : '    networking: {}\n');
const kindCluster = (ipFamily: string): string => `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {ipFamily: ${ipFamily}}\n`;
const service = (ns: string, name: string, ...ips: string[]): string =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {clusterIP: "${ips[0]}", clusterIPs: [${ips.map((i) => `"${i}"`).join(', ')}]}\n`;
const node = (name: string, ...cidrs: string[]): string =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nspec: {podCIDR: "${cidrs[0]}", podCIDRs: [${cidrs.map((c) => `"${c}"`).join(', ')}]}\n`;
const pod = (name: string, ...ips: string[]): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: c, image: nginx}]}\nstatus: {podIP: "${ips[0]}", podIPs: [${ips.map((i) => `{ip: "${i}"}`).join(', ')}]}\n`;
const kubeProxy = (cidr: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-proxy, namespace: kube-system}\ndata:\n  config.conf: |\n    apiVersion: kubeproxy.config.k8s.io/v1alpha1\n    kind: KubeProxyConfiguration\n    clusterCIDR: ${cidr}\n`;
const cilium = (v6: boolean): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {enable-ipv4: "true", enable-ipv6: "${v6}"}\n`;
const gke = (stackType: string): string => kcc([{ kind: 'cluster', name: 'prod', stackType }]);

const V4 = ['IPv4'] as const;
const DUAL = ['IPv4', 'IPv6'] as const;
const V6 = ['IPv6'] as const;

interface Row {
  readonly name: string;
  readonly yaml: string[];
  /** Stored objects (a live read or a snapshot): Services' clusterIPs were allocated. */
  readonly stored?: boolean;
  readonly from: 'inferred' | 'undetermined' | 'default';
  readonly families: readonly Family[];
  readonly candidates?: readonly (readonly Family[])[];
  /** Substrings the evidence must hold. */
  readonly says?: readonly string[];
  /** Undetermined: where the answer hinges ("<object> <field>" of conflict.site), null for nowhere in the input. */
  readonly at?: string | null;
}

/** The marks the apiserver puts on what it stores (model/resources.ts isStoredObject). */
const marked = (yaml: string): string => yaml.replace(/metadata: \{/, 'metadata: {uid: "u-0b1c", resourceVersion: "7", ');
const K8S = service('default', 'kubernetes', '10.96.0.1');
const DNS = service('kube-system', 'kube-dns', '10.96.0.10');

const TABLE: readonly Row[] = [
  // Each source alone.
  { name: 'ServiceCIDR kubernetes alone', yaml: [serviceCIDR('fd00:10:96::/112', '10.96.0.0/16')], from: 'inferred', families: ['IPv6', 'IPv4'], says: ['spec.cidrs [fd00:10:96::/112, 10.96.0.0/16]: Services [IPv6, IPv4]', 'decided by the kubernetes ServiceCIDR'] },
  { name: 'kube-apiserver flag alone', yaml: [apiserverPod('10.96.0.0/16')], from: 'inferred', families: V4, says: ['--service-cluster-ip-range [10.96.0.0/16]: Services [IPv4]'] },
  { name: 'kubeadm-config serviceSubnet alone', yaml: [kubeadmConfig('10.96.0.0/16,fd00:10:96::/112')], from: 'inferred', families: DUAL },
  { name: 'kind config alone', yaml: [kindCluster('ipv6')], from: 'inferred', families: V6 },
  { name: 'GKE cluster stack type alone', yaml: [gke('IPV4_IPV6')], from: 'inferred', families: DUAL, says: ['stack type IPV4_IPV6'] },
  { name: 'Services\' clusterIPs alone, both families', yaml: [K8S, service('shop', 'web', '10.96.3.4', 'fd00:10:96::34')], stored: true, from: 'inferred', families: DUAL, says: ['Services hold both families'] },
  { name: 'Services\' clusterIPs alone, one family', yaml: [K8S, DNS], stored: true, from: 'inferred', families: V4, says: ['no Service holds an IPv6 cluster IP'] },
  { name: 'default/kubernetes alone gives the primary', yaml: [service('default', 'kubernetes', 'fd00:10:96::1')], stored: true, from: 'inferred', families: V6 },
  { name: 'manifests\' clusterIPs are requests, not allocations', yaml: [K8S, DNS], from: 'default', families: DUAL },
  { name: 'in a file input, Services with the apiserver\'s marks (kubectl get -o yaml) are allocations', yaml: [K8S, DNS].map(marked), from: 'inferred', families: V4 },
  { name: 'Node podCIDRs alone do not decide Service families', yaml: [node('n1', '10.244.1.0/24', 'fd00:10:244:1::/64')], stored: true, from: 'default', families: DUAL, says: ['Node podCIDRs (pod network, not Service families): 1 node(s) [IPv4, IPv6]'] },
  { name: 'Pod IPs alone', yaml: [pod('p', 'fd00:10:244:1::7')], stored: true, from: 'default', families: ['IPv6', 'IPv4'], says: ['Pod IPs (pod network, not Service families): 1 pod(s) [IPv6]'] },
  { name: 'kube-proxy clusterCIDR alone', yaml: [kubeProxy('10.244.0.0/16,fd00:10:244::/56')], from: 'default', families: DUAL, says: ['clusterCIDR 10.244.0.0/16,fd00:10:244::/56: pods [IPv4, IPv6]'] },
  { name: 'CNI IPv6 setting alone', yaml: [cilium(true)], from: 'default', families: DUAL, says: ['enable-ipv6: "true": pods get IPv6'] },
  { name: 'nothing at all', yaml: [], from: 'default', families: DUAL },

  // Sources that agree.
  { name: 'ServiceCIDR, Services and nodes agree', yaml: [serviceCIDR('10.96.0.0/16', 'fd00:10:96::/112'), K8S, service('shop', 'web', '10.96.3.4', 'fd00:10:96::34'), node('n1', '10.244.1.0/24', 'fd00:10:244:1::/64')], stored: true, from: 'inferred', families: DUAL },
  { name: 'single-stack everywhere', yaml: [kubeadmConfig('10.96.0.0/16'), K8S, DNS, node('n1', '10.244.1.0/24'), pod('p', '10.244.1.7')], stored: true, from: 'inferred', families: V4, says: ['decided by kubeadm networking.serviceSubnet'] },
  { name: 'an authoritative single family is not doubted by a dual pod network (pods and Services are configured apart)', yaml: [serviceCIDR('10.96.0.0/16'), K8S, node('n1', '10.244.1.0/24', 'fd00:10:244:1::/64')], stored: true, from: 'inferred', families: V4 },
  { name: 'a dual statement is not doubted by Services that hold one family (existing Services keep theirs)', yaml: [serviceCIDR('10.96.0.0/16', 'fd00:10:96::/112'), K8S, DNS], stored: true, from: 'inferred', families: DUAL },

  // Sources that disagree: undetermined, the dual-stack target assumed.
  { name: 'fresh conversion: Services hold IPv4 only, nodes are dual', yaml: [K8S, DNS, node('n1', '10.244.1.0/24', 'fd00:10:244:1::/64')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4], says: ['no Service holds an IPv6 address, but the pod network is dual-stack', 'set --cluster-families'], at: 'Service default/kubernetes spec.clusterIP' },
  { name: 'fresh conversion seen in Pod IPs', yaml: [K8S, DNS, pod('p', '10.244.1.7', 'fd00:10:244:1::7')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4] },
  { name: 'fresh conversion seen in kube-proxy', yaml: [K8S, DNS, kubeProxy('10.244.0.0/16,fd00:10:244::/56')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4] },
  { name: 'fresh conversion seen in the CNI settings', yaml: [K8S, DNS, cilium(true), node('n1', '10.244.1.0/24')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4] },
  { name: 'ServiceCIDR [IPv4] but a Service holds IPv6', yaml: [serviceCIDR('10.96.0.0/16'), K8S, service('shop', 'web', '10.96.3.4', 'fd00:10:96::34')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4], says: ['Services hold IPv6 addresses, which'] },
  { name: 'ServiceCIDR and the apiserver flag differ', yaml: [serviceCIDR('10.96.0.0/16', 'fd00:10:96::/112'), apiserverPod('10.96.0.0/16')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4], says: ['statements of equal weight disagree'], at: 'ServiceCIDR kubernetes spec.cidrs' },
  { name: 'default/kubernetes is not the ServiceCIDR\'s primary', yaml: [serviceCIDR('10.96.0.0/16', 'fd00:10:96::/112'), service('default', 'kubernetes', 'fd00:10:96::1')], stored: true, from: 'undetermined', families: ['IPv6', 'IPv4'], candidates: [['IPv6', 'IPv4'], DUAL, V6], says: ['default/kubernetes is IPv6'] },
  { name: 'stored kubeadm-config [IPv4] (a conversion does not update it) against dual nodes', yaml: [kubeadmConfig('10.96.0.0/16'), K8S, node('n1', '10.244.1.0/24', 'fd00:10:244:1::/64')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4], says: ['a conversion changes the apiserver flags, not this record'] },
  { name: 'GKE stack type IPV4 but a Service holds IPv6', yaml: [gke('IPV4'), K8S, service('shop', 'web', '10.96.3.4', 'fd00:10:96::34')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4], at: 'Service default/kubernetes spec.clusterIP' },
  { name: 'GKE stack type IPV4 but a Service holds IPv6, no default/kubernetes', yaml: [gke('IPV4'), service('shop', 'web', '10.96.3.4', 'fd00:10:96::34')], stored: true, from: 'undetermined', families: DUAL, candidates: [DUAL, V4], at: null },
];

for (const row of TABLE) {
  test(`families: ${row.name}`, () => {
    const inf = inferFamiliesOfDocs(docs(row.yaml.join('---\n')), { stored: row.stored ?? false });
    assert.equal(inf.from, row.from, inf.evidence.join('\n'));
    assert.deepEqual(inf.families, row.families, inf.evidence.join('\n'));
    assert.deepEqual(inf.candidates, row.candidates, inf.evidence.join('\n'));
    for (const s of row.says ?? []) assert.ok(inf.evidence.some((e) => e.includes(s)), `"${s}" not in:\n${inf.evidence.join('\n')}`);
    // Every evidence item is listed in the report lines.
    for (const item of inf.items) assert.ok(inf.evidence.includes(item.text), item.text);
    // Undetermined: why (also in the report lines), and where one finding about it goes.
    assert.equal(inf.conflict !== undefined, row.from === 'undetermined');
    if (inf.conflict) {
      assert.ok(inf.conflict.why.length > 0 && inf.conflict.why.every((w) => inf.evidence.includes(w)), inf.conflict.why.join('\n'));
      const site = inf.conflict.site;
      if (row.at !== undefined) assert.equal(site ? `${site.object} ${site.field}` : null, row.at);
    }
  });
}

test('families: the GKE stack type reaches the model through the GCP objects', () => {
  const m = buildModel(docs(gke('IPV4')));
  assert.equal(m.clusterFamilies.from, 'inferred');
  assert.deepEqual(m.clusterFamilies.families, ['IPv4']);
});

test('families: an explicit --cluster-families overrides evidence that disagrees', () => {
  const input = docs([K8S, DNS, node('n1', '10.244.1.0/24', 'fd00:10:244:1::/64'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web-dual, namespace: shop}\nspec: {ipFamilyPolicy: RequireDualStack, selector: {app: web}}\n'].join('---\n'));
  const inferred = buildModel(input, { live: {} });
  assert.equal(inferred.clusterFamilies.from, 'undetermined');
  assert.equal(inferred.familiesConflict?.site?.object, 'Service default/kubernetes');
  const dual = inferred.services.find((s) => s.ref.name === 'web-dual')!;
  assert.deepEqual(dual.rejected, []);
  assert.deepEqual(dual.rejectedIf?.map((r) => [r.families, r.errors.map((e) => e.detail)]), [[['IPv4'], ['this cluster is not configured for dual-stack services']]]);

  const flagged = buildModel(input, { live: {}, clusterFamilies: { families: ['IPv4'], from: 'flag' } });
  assert.deepEqual(flagged.clusterFamilies, { families: ['IPv4'], from: 'flag' });
  assert.equal(flagged.familiesConflict, undefined);
  const rejected = flagged.services.find((s) => s.ref.name === 'web-dual')!;
  assert.deepEqual(rejected.rejected.map((e) => e.detail), ['this cluster is not configured for dual-stack services']);
  assert.equal(rejected.rejectedIf, undefined);

  const config = buildModel(input, { live: {}, clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'config' } });
  assert.equal(config.clusterFamilies.from, 'config');
  assert.deepEqual(config.services.find((s) => s.ref.name === 'web-dual')!.rejected, []);
});

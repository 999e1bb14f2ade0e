import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../src/rules/cidr-overlap.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import { cidrOverlaps } from '../../src/emulate/ip.ts';
import type { InputDocument } from '../../src/model/types.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const KUBEADM_DUAL = 'corpus/k8s-website/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support/1-init-control-plane/kubeadm-config.yaml';
const kubeadm = (pod: string, svcs: string): string => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${pod}\n  serviceSubnet: ${svcs}\n`;

// Nodes a, b, c... with podCIDRs carved from 10.244.0.0/16 and 2001:db8:42:0::/56 and an InternalIP in `net` (7 lines per node).
const nodes = (names: readonly string[], net = '192.168.9'): string => names.map((n, i) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDRs: [10.244.${i}.0/24, '2001:db8:42:${i}::/64']\nstatus:\n  addresses: [{type: InternalIP, address: ${net}.${i + 1}}]\n`).join('---\n');

ruleTester(rule, {
  valid: [
    { name: 'disjoint ranges', yaml: kubeadm('10.244.0.0/16,fd5e:1c7a:93d2::/56', '10.96.0.0/16,fd5e:1c7a:93d2:100::/112') },
    { name: 'Node podCIDRs inside the pod range (same role)', yaml: `${kubeadm('10.244.0.0/16', '10.96.0.0/16')}---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec:\n  podCIDRs: [10.244.3.0/24]\n` },
    { name: 'corpus: kind dual defaults', yaml: fixture('corpus/cilium/test/controlplane/services/dualstack/manifests/kind-config-1.26.yaml') },
  ],
  invalid: [
    { name: 'corpus: kubeadm docs pod /56 contains the Service /112', yaml: fixture(KUBEADM_DUAL),
      findings: [{ messageId: 'overlap', line: 5, severity: 'high', includes: '2001:db8:42:0::/56 (pod range) overlaps Service range 2001:db8:42:1::/112' }] },
    { name: 'corpus: kubeadm docs config and its Nodes: the Node whose pod CIDR holds the Service range, on the config\'s pod range', yaml: `${fixture(KUBEADM_DUAL)}---\n${nodes(['a', 'b', 'c'])}`,
      findings: [{ messageId: 'overlap', line: 5, resource: 'ClusterConfiguration/(unnamed)', includes: 'case.yaml networking.serviceSubnet, so addresses in both are routed to the wrong component (and on 1 Node)' }] },
    { name: 'Service range copied from the pod range: one finding for the config and its Nodes', yaml: `${kubeadm('10.244.0.0/16', '10.244.0.0/16')}---\n${nodes(['a', 'b', 'c'])}`,
      findings: [{ messageId: 'overlap', line: 4, resource: 'ClusterConfiguration/(unnamed)', includes: 'case.yaml networking.serviceSubnet, so addresses in both are routed to the wrong component (and on 3 Nodes)' }] },
    { name: 'Nodes in a ServiceCIDR that overlaps their cluster pod range: on the ServiceCIDR\'s finding about that pair', yaml: `${kubeadm('10.244.0.0/16', '10.96.0.0/16')}---\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: wide}\nspec:\n  cidrs: [10.244.0.0/16]\n---\n${nodes(['a', 'b', 'c'])}`,
      findings: [{ messageId: 'overlap', line: 11, resource: 'ServiceCIDR/wide', includes: 'case.yaml networking.podSubnet, so addresses in both are routed to the wrong component (and on 3 Nodes)' }] },
    { name: 'Node addresses inside the pod range: one finding on the first Node with the count', yaml: `${kubeadm('10.244.0.0/16', '10.96.0.0/16')}---\n${nodes(['a', 'b', 'c'], '10.244.200')}`,
      findings: [{ messageId: 'overlap', line: 13, resource: 'Node/a', includes: 'case.yaml networking.podSubnet, so addresses in both are routed to the wrong component (and on 2 more Nodes)' }] },
    { name: 'Nodes without a cluster config, their pod CIDRs in a ServiceCIDR: one finding on the first Node', yaml: `apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: wide}\nspec:\n  cidrs: [10.244.0.0/16]\n---\n${nodes(['a', 'b'])}`,
      findings: [{ messageId: 'overlap', line: 11, resource: 'Node/a', includes: 'case.yaml spec.cidrs[0], so addresses in both are routed to the wrong component (and on 1 more Node)' }] },
    { name: 'MetalLB pool inside the pod range', yaml: `${kubeadm('192.168.0.0/16', '10.96.0.0/16')}---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec:\n  addresses:\n  - 192.168.9.1-192.168.9.5\n`,
      findings: [{ messageId: 'overlap', line: 12, includes: 'load-balancer pool' }] },
    { name: 'kubeadm default Service range 10.96.0.0/12 vs a pod range', yaml: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.100.0.0/16\n',
      findings: [{ messageId: 'overlap', line: 4, includes: 'Service range 10.96.0.0/12' }] },
  ],
});

// The rule's sweep (sort + stack) against the definition, on random nested and disjoint ranges.
test('cidr-overlap agrees with the pairwise definition', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let trial = 0; trial < 200; trial++) {
    const docs: InputDocument[] = [];
    const n = 2 + rnd(25);
    for (let i = 0; i < n; i++) {
      const cidr = `10.${rnd(3)}.${rnd(4) * 64}.0/${[16, 18, 24, 26][rnd(4)]}`;
      const k = rnd(3);
      docs.push({ object: k === 0
        ? { kind: 'IPAddressPool', apiVersion: 'metallb.io/v1beta1', metadata: { name: `p${i}`, namespace: 'm' }, spec: { addresses: [cidr] } }
        : k === 1
          ? { kind: 'ServiceCIDR', apiVersion: 'networking.k8s.io/v1', metadata: { name: `s${i}` }, spec: { cidrs: [cidr] } }
          : { kind: 'IPPool', apiVersion: 'projectcalico.org/v3', metadata: { name: `c${i}` }, spec: { cidr } } });
    }
    const model = buildModel(docs);
    const rep = run(model, [rule], { only: ['cidr-overlap'], tool: { name: 't', version: '0' }, target: { mode: 'files', sources: [], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'default' } });
    const all = model.clusterConfig.cidrs;
    const want = all.filter((f, i) => all.slice(0, i).some((g) => g.role !== f.role && cidrOverlaps(g.cidr!, f.cidr!))).map((f) => f.site.ref.name);
    assert.deepEqual(rep.findings.map((f) => f.resource.name).sort(), want.sort(), `trial ${trial}`);
  }
});

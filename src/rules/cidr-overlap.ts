import { defineRule, type RuleReport } from './types.ts';
import { elsewhere, factTarget, where, ROLE_NAME, type FactTarget } from './helpers-cluster.ts';
import { cidrContains } from '../emulate/ip.ts';
import type { CidrFact } from '../model/cluster-config.ts';
import type { Model } from '../model/build.ts';

const ROLES = ['pod', 'service', 'node', 'lb'] as const;
const NONE = Number.POSITIVE_INFINITY;

const compareNet = (a: CidrFact, b: CidrFact): number => {
  const x = a.cidr!;
  const y = b.cidr!;
  if (x.family !== y.family) return x.family < y.family ? -1 : 1;
  for (let i = 0; i < x.network.length; i++) if (x.network[i] !== y.network[i]) return x.network[i]! - y.network[i]!;
  return x.prefix - y.prefix;
};

/**
 * For every fact, the first fact (in input order) of another role that overlaps it, when that one
 * comes earlier than the fact itself. CIDRs either nest or are disjoint, so after sorting by network
 * and prefix the overlapping ones of a fact are its ancestors and its subtree: one sweep, O(n log n).
 */
const CACHE = new WeakMap<Model, Map<CidrFact, CidrFact>>();
function overlaps(model: Model): Map<CidrFact, CidrFact> {
  const cached = CACHE.get(model);
  if (cached) return cached;
  const all = model.clusterConfig.cidrs;
  const pos = new Map<CidrFact, number>();
  all.forEach((f, i) => pos.set(f, i));
  const sorted = all.filter((f) => f.cidr).sort((a, b) => compareNet(a, b) || pos.get(a)! - pos.get(b)!);
  interface Entry { f: CidrFact; anc: number[]; sub: number[] }
  const own = (e: Entry): number[] => ROLES.map((r) => (e.f.role === r ? pos.get(e.f)! : NONE));
  const out = new Map<CidrFact, CidrFact>();
  const finish = (e: Entry): void => {
    const p = pos.get(e.f)!;
    let first = NONE;
    ROLES.forEach((r, i) => {
      if (r !== e.f.role) first = Math.min(first, e.anc[i]!, e.sub[i]!);
    });
    if (first < p) out.set(e.f, all[first]!);
  };
  const stack: Entry[] = [];
  const pop = (): void => {
    const e = stack.pop()!;
    finish(e);
    const parent = stack[stack.length - 1];
    if (parent) {
      const mine = own(e);
      for (let i = 0; i < ROLES.length; i++) parent.sub[i] = Math.min(parent.sub[i]!, e.sub[i]!, mine[i]!);
    }
  };
  for (const f of sorted) {
    while (stack.length > 0 && !cidrContains(stack[stack.length - 1]!.f.cidr!, f.cidr!)) pop();
    const top = stack[stack.length - 1];
    const anc = top ? own(top).map((v, i) => Math.min(v, top.anc[i]!)) : ROLES.map(() => NONE);
    stack.push({ f, anc, sub: ROLES.map(() => NONE) });
  }
  while (stack.length > 0) pop();
  CACHE.set(model, out);
  return out;
}

export default defineRule<FactTarget>({
  meta: {
    id: 'cidr-overlap',
    title: 'Pod, Service, node and load-balancer ranges that overlap',
    category: 'addressing',
    severity: 'high',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'CiliumLoadBalancerIPPool'],
    rationale:
      'Pod ranges, Service ranges, node addresses and load-balancer pools must be disjoint: an address in two of them is routed to the wrong place (kube-proxy captures Service ranges, the CNI routes pod ranges, the load-balancer announces its pool). ' +
      'A new IPv6 plan is often written in a hurry from defaults (fd00:10:244::/56, fd00:10:96::/112), which makes collisions between components more likely.',
    docs: {
      noFixedExample: 'The new range is a decision of the site\'s addressing plan, which the audit cannot make.',
      notes: 'Ranges of the same role (pod ranges of kubeadm, kind, kube-proxy, the CNI and Node podCIDRs) are expected to nest and are not compared. Every pair is reported once, on the later of the two. All objects of one input are taken to describe one cluster: when an input holds alternative configurations, check that the two objects belong together. Defaults (kubeadm serviceSubnet 10.96.0.0/12, kind ranges) are included.',
    },
    fix: { summary: 'Give pods, Services, nodes and load balancers disjoint ranges in both families.' },
    messages: {
      overlap: '{what} {cidr} ({role}) overlaps {otherRole} {other} of {otherWhere}, so addresses in both are routed to the wrong component',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/apiserver/options/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/bitmap.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/cluster-ip-allocation.md', 'https://github.com/kubernetes/website/blob/main/content/en/docs/setup/production-environment/tools/kubeadm/dual-stack-support.md', 'https://github.com/projectcalico/calico/blob/master/node/pkg/lifecycle/startup/startup.go', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kube-proxy/app/server_linux.go'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (f.cidr) yield factTarget(f);
  },
  *check({ fact }, { model }): Generator<RuleReport> {
    const other = overlaps(model).get(fact);
    if (!other) return;
    yield {
      messageId: 'overlap', path: fact.site.path,
      data: { what: where(fact.site), cidr: fact.text, role: ROLE_NAME[fact.role], otherRole: ROLE_NAME[other.role], other: other.text, otherWhere: elsewhere(other.site) },
    };
  },
});

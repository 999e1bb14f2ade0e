import { defineRule, type RuleReport } from './types.ts';
import { allPolicies, factTarget, where, ROLE_NAME, type FactTarget } from './helpers-cluster.ts';
import { cidrContains, parseCIDR, type ParsedCIDR } from '../emulate/ip.ts';
import { classifyCIDR } from '../model/address-ranges.ts';
import type { CidrFact } from '../model/cluster-config.ts';

/** GKE hands IPv6 ClusterIPs out of this Google-owned range; it is cluster-internal. */
const GKE_SERVICE_RANGE = parseCIDR('2600:2d00:0:4::/64')!;

/** Node facts of one role and class in one range: reported once, with the node count (issue 14 item 6). */
interface NodeGroup {
  readonly facts: readonly CidrFact[];
  readonly nodes: number;
  /** The configured cluster pod range that holds them, else the smallest prefix covering them all. */
  readonly range: string;
}

interface ExposureTarget extends FactTarget {
  readonly group?: NodeGroup;
}

/** The smallest CIDR holding every one of `cidrs` (IPv6). */
function covering(cidrs: readonly ParsedCIDR[]): string {
  const first = cidrs[0]!.network;
  let bits = Math.min(...cidrs.map((c) => c.prefix));
  for (const c of cidrs) {
    for (let i = 0; i < bits; i++) {
      const m = 0x80 >> (i % 8);
      if ((first[i >> 3]! & m) !== (c.network[i >> 3]! & m)) {
        bits = i;
        break;
      }
    }
  }
  const bytes = first.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8))) & 0xff));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return parseCIDR(`${groups.join(':')}/${bits}`)?.canonical ?? `${groups.join(':')}/${bits}`;
}

/**
 * Node pod CIDRs and node addresses repeat per node: grouped by role, range class and range
 * (a configured cluster pod range that holds them, else one group per role and class), in the
 * order of their first node.
 */
function nodeGroups(facts: readonly CidrFact[], configured: readonly CidrFact[]): NodeGroup[] {
  const groups = new Map<string, { facts: CidrFact[]; nodes: Set<string>; range?: string }>();
  for (const f of facts) {
    const cls = classifyCIDR(f.cidr!).class;
    const holder = f.role === 'pod' ? configured.find((c) => c.role === 'pod' && cidrContains(c.cidr!, f.cidr!)) : undefined;
    const key = `${f.role}\u0000${cls}\u0000${holder?.cidr!.canonical ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { facts: [], nodes: new Set(), ...(holder ? { range: holder.text } : {}) });
    g.facts.push(f);
    g.nodes.add(f.site.objectKey);
  }
  return [...groups.values()].map((g) => ({ facts: g.facts, nodes: g.nodes.size, range: g.range ?? covering(g.facts.map((f) => f.cidr!)) }));
}

const MAX_EXAMPLES = 2;

export default defineRule<ExposureTarget>({
  meta: {
    id: 'ipv6-exposure',
    title: 'Whether pod, node and Service IPv6 ranges are globally routable or unique local',
    category: 'addressing',
    severity: 'medium',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'CiliumLoadBalancerIPPool'],
    rationale:
      'With IPv4, pods usually hide behind NAT; with global unicast (GUA) IPv6 ranges every pod and node address is reachable from the internet unless a firewall or NetworkPolicy stops it, so the perimeter moves to policy. ' +
      'Unique local (ULA) ranges are private, but RFC 6724 ranks fc00::/7 below IPv4, so clients that have both an A and an AAAA answer prefer IPv4 over a ULA destination and the IPv6 path stays mostly unused. ' +
      'GKE\'s 2600:2d00:0:4::/64 Service range looks global but is cluster-internal.',
    docs: {
      noFixedExample: 'The remedy is policies and firewall rules, or another address plan, not an edit of the range.',
      notes: 'GUA pod and node ranges are medium when the input has no policy that isolates ingress, low (verify) when it has some: whether they cover every namespace and IPv6 is not judged here, and the cloud firewall is not visible offline. ULA pod, Service and load-balancer ranges on a cluster that also has IPv4 get an info note about RFC 6724 address selection. GUA Service and load-balancer ranges are expected and pass, as does GKE\'s 2600:2d00:0:4::/64. Node pod CIDRs and node addresses repeat per node: they are reported once per role, class and range (the configured cluster pod range that holds them, else the smallest prefix covering them) with the number of nodes, on the first node. Sources: RFC 6724 section 2.1.',
    },
    fix: { summary: 'For GUA pod and node ranges, put default-deny ingress policies and firewall rules in place for IPv6 before enabling it; for ULA ranges, expect clients to prefer IPv4 and use GUA where IPv6 should carry traffic.' },
    messages: {
      gua: '{what} {cidr} is global unicast and no input policy isolates ingress, so every {role} in it is reachable from the internet over IPv6 (verify the firewall)',
      guaPolicies: '{what} {cidr} is global unicast: every {role} in it is reachable from the internet unless the {policies} policy(ies) isolating ingress cover IPv6',
      ulaPreference: '{what} {cidr} is ULA, which RFC 6724 ranks below IPv4, so IPv6 carries little traffic',
      guaNodes: '{field} of {nodes} Node(s) in {range} ({examples}) are global unicast and no input policy isolates ingress, so every {role} in them is reachable from the internet over IPv6 (verify the firewall)',
      guaNodesPolicies: '{field} of {nodes} Node(s) in {range} ({examples}) are global unicast: every {role} in them is reachable from the internet unless the {policies} policy(ies) isolating ingress cover IPv6',
      ulaNodes: '{field} of {nodes} Node(s) in {range} ({examples}) are ULA, which RFC 6724 ranks below IPv4, so IPv6 carries little traffic',
    },
    references: ['https://www.iana.org/assignments/iana-ipv6-special-registry', 'https://www.rfc-editor.org/rfc/rfc6724#section-2.1', 'https://cloud.google.com/dotnet/docs/reference/Google.Cloud.Container.V1/latest/Google.Cloud.Container.V1.StackType', 'https://docs.cloud.google.com/kubernetes-engine/docs/how-to/single-stack-ipv6'],
  },
  *targets({ model }) {
    const nodes: CidrFact[] = [];
    for (const f of model.clusterConfig.cidrs) {
      if (!f.cidr || f.family !== 'IPv6') continue;
      if (f.component === 'node') nodes.push(f);
      else yield factTarget(f);
    }
    if (nodes.length === 0) return;
    const configured = model.clusterConfig.cidrs.filter((f) => f.cidr && f.family === 'IPv6' && f.component !== 'node' && f.role === 'pod');
    for (const group of nodeGroups(nodes, configured)) yield { ...factTarget(group.facts[0]!), group };
  },
  *check({ fact, group }, { model }): Generator<RuleReport> {
    if (group) {
      yield* checkNodes(group, model.clusterFamilies.families.includes('IPv4'), allPolicies(model).filter((p) => p.isolates.includes('ingress')).length);
      return;
    }
    const cidr = fact.cidr!;
    if (cidrContains(GKE_SERVICE_RANGE, cidr)) return;
    const cls = classifyCIDR(cidr).class;
    const data = { what: where(fact.site), cidr: fact.text, role: fact.role === 'node' ? 'node' : fact.role === 'pod' ? 'pod' : ROLE_NAME[fact.role] };
    if (cls === 'gua' && (fact.role === 'pod' || fact.role === 'node')) {
      const isolating = allPolicies(model).filter((p) => p.isolates.includes('ingress')).length;
      if (isolating === 0) yield { messageId: 'gua', path: fact.site.path, data };
      else yield { messageId: 'guaPolicies', path: fact.site.path, severity: 'low', data: { ...data, policies: isolating } };
    } else if (cls === 'ula' && fact.role !== 'node' && model.clusterFamilies.families.includes('IPv4')) {
      yield { messageId: 'ulaPreference', path: fact.site.path, severity: 'info', data };
    }
  },
});

/** One finding for the nodes of a group: the role and class are the group's; the path is the first node's. */
function* checkNodes(group: NodeGroup, hasIPv4: boolean, isolating: number): Generator<RuleReport> {
  const first = group.facts[0]!;
  const cls = classifyCIDR(first.cidr!).class;
  // An address is read as its host prefix (model/cluster-config.ts): shown as the address.
  const shown = group.facts.slice(0, MAX_EXAMPLES).map((f) => `${f.site.object} ${f.role === 'node' ? f.text.replace(/\/128$/, '') : f.text}`);
  const data = {
    field: first.role === 'pod' ? 'Pod CIDRs' : 'Addresses', nodes: group.nodes, range: group.range,
    examples: group.facts.length > MAX_EXAMPLES ? `${shown.join(', ')} and ${group.facts.length - MAX_EXAMPLES} more` : shown.join(', '),
    role: first.role === 'node' ? 'node' : 'pod',
  };
  if (cls === 'gua') {
    if (isolating === 0) yield { messageId: 'guaNodes', path: first.site.path, data };
    else yield { messageId: 'guaNodesPolicies', path: first.site.path, severity: 'low', data: { ...data, policies: isolating } };
  } else if (cls === 'ula' && first.role !== 'node' && hasIPv4) {
    yield { messageId: 'ulaNodes', path: first.site.path, severity: 'info', data };
  }
}

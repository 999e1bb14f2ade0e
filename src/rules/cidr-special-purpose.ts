import { defineRule, type RuleReport } from './types.ts';
import { factTarget, nodeFoldCause, nodeRangeHolders, where, ROLE_NAME, type HeldFactTarget } from './helpers-cluster.ts';
import { classifyCIDR, type AddressClass, type RangeClass } from '../model/address-ranges.ts';

const FLAGGED: ReadonlySet<AddressClass> = new Set(['special', 'linkLocal', 'multicast', 'loopback', 'unspecified', 'any', 'translation']);

/** What makes a finding: the block a range is in. */
const blockOf = (c: RangeClass): string => `${c.class} ${c.within ?? c.name}`;

export default defineRule<HeldFactTarget>({
  meta: {
    id: 'cidr-special-purpose',
    title: 'Pod, Service, node or load-balancer ranges in special-purpose address space',
    category: 'addressing',
    severity: 'medium',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node'],
    rationale:
      'Special-purpose ranges of the IANA registries have fixed meanings: site-local fec0::/10 is deprecated (kubeadm warns), link-local and multicast never belong to pods or Services, ' +
      '6to4 (2002::/16) and Teredo (2001::/32) are tunnel mechanisms, 100::/64 is discard-only, NAT64 prefixes are synthesised by DNS64, and IPv6 space outside 2000::/3 and fc00::/7 is not allocated at all. ' +
      'Routers, operating systems and address selection (RFC 6724) treat these ranges specially, so a cluster range inside one breaks in ways that are hard to trace.',
    docs: {
      noFixedExample: 'The new range is a decision of the site\'s addressing plan, which the audit cannot make.',
      notes: 'Classification is by the most specific registry entry that wholly contains the range (model/address-ranges.ts SPECIAL_RANGES). Documentation prefixes have their own rule (cidr-documentation-prefix); public IPv4 and RFC 6598 shared space are not flagged. Node pod CIDRs and node addresses in one block are reported once per role and block, on the cluster pod range of the input that holds the pod CIDRs (the one the node IPAM controller splits: kubeadm or kind podSubnet, --cluster-cidr; else kube-proxy clusterCIDR or a CNI pool; the tightest) when it is in the same block, else on the first Node, with the number of Nodes (the other Nodes\' evaluations still fail). Sources: IANA IPv6 and IPv4 Special-Purpose Address Registries.',
    },
    fix: { summary: 'Use a unique local range with a random Global ID (fd00::/8, RFC 4193) or your global unicast allocation for IPv6, and RFC 1918 space for IPv4.' },
    messages: {
      special: '{what} {cidr} lies in {name} ({within}, {rfc}), which is not ordinary unicast space for a {role}',
      any: '{what} {cidr} covers every {family} address instead of the actual {role}',
    },
    references: ['https://www.iana.org/assignments/iana-ipv6-special-registry', 'https://www.rfc-editor.org/rfc/rfc6724#section-2.1'],
  },
  *targets({ model }) {
    const holders = nodeRangeHolders(model);
    for (const f of model.clusterConfig.cidrs) {
      if (!f.cidr) continue;
      const holder = holders.get(f);
      yield holder ? { ...factTarget(f), holder } : factTarget(f);
    }
  },
  *check({ fact, holder }): Generator<RuleReport> {
    const c = classifyCIDR(fact.cidr!);
    if (!FLAGGED.has(c.class)) return;
    const base = { what: where(fact.site), cidr: fact.text, role: ROLE_NAME[fact.role] };
    // The cause is the block: Node pod CIDRs carved from one cluster range, and the addresses of
    // one node network, are in the same one; they are one finding (engine/fold.ts).
    const sameCause = nodeFoldCause(fact, blockOf(c), holder, holder && blockOf(classifyCIDR(holder.cidr!)));
    if (c.class === 'any') yield { messageId: 'any', path: fact.site.path, data: { ...base, family: fact.family ?? '' }, sameCause };
    else yield { messageId: 'special', path: fact.site.path, data: { ...base, name: c.name, within: c.within ?? 'outside 2000::/3 and fc00::/7', rfc: c.rfc ?? 'RFC 4291' }, sameCause };
  },
});

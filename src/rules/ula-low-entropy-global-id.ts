import { defineRule, type RuleReport } from './types.ts';
import { factTarget, nodeFoldCause, nodeRangeHolders, where, type HeldFactTarget } from './helpers-cluster.ts';
import { formatGlobalId, ulaGlobalId } from '../model/address-ranges.ts';
import type { ParsedCIDR } from '../emulate/ip.ts';

/** What makes a finding: the /48 of a Global ID that is not random or not local; none for a good one. */
function flaggedId(c: ParsedCIDR): string | undefined {
  const g = ulaGlobalId(c);
  return g && (!g.local || g.lowEntropy) ? formatGlobalId(g) : undefined;
}

export default defineRule<HeldFactTarget>({
  meta: {
    id: 'ula-low-entropy-global-id',
    title: 'Unique local ranges without a random Global ID',
    category: 'addressing',
    severity: 'low',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'CiliumLoadBalancerIPPool'],
    rationale:
      'RFC 4193 makes unique local addresses unique by a 40-bit pseudo-random Global ID after fd: every site picks its own fdXX:XXXX:XXXX::/48. ' +
      'Ranges such as fd00::/48, fd00:10:244::/56 (kind\'s default) or fdff::/64 are what everyone else picks too, so they collide as soon as two clusters, a VPN or a merger connect their networks, and renumbering IPv6 later is expensive. ' +
      'fc00::/8 (L bit 0) has no assignment procedure defined at all.',
    docs: {
      noFixedExample: 'The random Global ID must be generated once for the whole site, not per manifest.',
      notes: 'A Global ID is called low-entropy when five or more of its ten hex digits are 0, when it uses three distinct digits or fewer, or when it repeats one pattern; a random ID trips this about once in ten thousand. Defaults of kind are included (they are what the cluster gets when the field is unset). Calico generates a random /48 when no IPv6 pool is given. Node pod CIDRs and node addresses repeat the Global ID of the range they are carved from: the findings of one /48 on Nodes are reported once, on the cluster pod range of the input that holds the pod CIDRs (the one the node IPAM controller splits: kubeadm or kind podSubnet, --cluster-cidr; else kube-proxy clusterCIDR or a CNI pool; the tightest) when it has the same /48, else on the first Node, with the number of Nodes (the other Nodes\' evaluations still fail). Sources: RFC 4193 section 3.2.',
    },
    fix: { summary: 'Generate a random Global ID once per organisation or site (RFC 4193 section 3.2.2, e.g. from `openssl rand -hex 5`) and carve the cluster ranges from that /48.' },
    messages: {
      lowEntropy: '{what} {cidr}: non-random ULA Global ID ({reason}), likely shared by other networks',
      notLocal: '{what} {cidr} is in fc00::/8, the ULA half that RFC 4193 leaves undefined',
    },
    references: ['https://www.iana.org/assignments/iana-ipv6-special-registry', 'https://www.rfc-editor.org/rfc/rfc6724#section-2.1', 'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go', 'https://www.rfc-editor.org/rfc/rfc4193#section-3.2'],
  },
  *targets({ model }) {
    const holders = nodeRangeHolders(model);
    for (const f of model.clusterConfig.cidrs) {
      if (!f.cidr || !ulaGlobalId(f.cidr)) continue;
      const holder = holders.get(f);
      yield holder ? { ...factTarget(f), holder } : factTarget(f);
    }
  },
  *check({ fact, holder }): Generator<RuleReport> {
    const g = ulaGlobalId(fact.cidr!)!;
    const what = where(fact.site);
    // The cause is the /48: Node pod CIDRs carved from one cluster range, and the addresses of one
    // node network, have the same one; they are one finding (engine/fold.ts).
    const sameCause = nodeFoldCause(fact, formatGlobalId(g), holder, holder && flaggedId(holder.cidr!));
    if (!g.local) {
      yield { messageId: 'notLocal', path: fact.site.path, data: { what, cidr: fact.text }, sameCause };
    } else if (g.lowEntropy) {
      const id = `${g.hex.slice(0, 2)}:${g.hex.slice(2, 6)}:${g.hex.slice(6)}`;
      yield { messageId: 'lowEntropy', path: fact.site.path, data: { what, cidr: fact.text, id, reason: g.reason ?? '' }, sameCause };
    }
  },
});

import { defineRule, type RuleReport } from './types.ts';
import { at, blockName, blockZones, corefileTargets, type CorefileTarget } from './helpers-coredns.ts';
import { isPlaceholder, normalizeZone, zoneCovers } from '../emulate/corefile.ts';

const isV6Reverse = (z: string): boolean => z === '.' || z === 'arpa' || zoneCovers('ip6.arpa', z);
const isV4Reverse = (z: string): boolean => zoneCovers('in-addr.arpa', z);

export default defineRule<CorefileTarget>({
  meta: {
    id: 'coredns-missing-ip6-arpa',
    title: 'CoreDNS serves IPv4 reverse lookups for the cluster but not IPv6 ones',
    category: 'dns',
    severity: 'low',
    scope: ['ConfigMap', 'Corefile'],
    rationale:
      'The kubernetes plugin answers PTR questions only for the reverse zones it is given; the conventional stanza is kubernetes cluster.local in-addr.arpa ip6.arpa. ' +
      'Without ip6.arpa, reverse lookups of IPv6 Service and pod addresses go to the upstream resolvers, which do not know them: logs, access controls and tools that ' +
      'print names show bare IPv6 addresses or fail. node-local-dns has the same gap when it forwards in-addr.arpa to the cluster DNS but not ip6.arpa.',
    docs: {
      noFixedExample: 'The zone list is inside the Corefile text, which a JSON Patch cannot edit in place.',
      notes: 'A kubernetes stanza without zone arguments serves the zones of its server block. Stanzas whose zones are template placeholders (REVERSE_CIDRS in coredns.yaml.sed) are not judged. Sources: coredns plugin/kubernetes README; kubeadm\'s Corefile template.',
    },
    fix: { summary: 'Add ip6.arpa to the zones of the kubernetes plugin (and to its fallthrough list), or give node-local-dns an ip6.arpa server block like its in-addr.arpa one.' },
    messages: {
      kubernetes: 'kubernetes plugin serves {zones} but not ip6.arpa, so reverse lookups of IPv6 Service and pod addresses go upstream and fail',
      nodeLocal: 'Server block {block} sends IPv4 reverse lookups to the cluster DNS but no block does so for ip6.arpa, so IPv6 reverse lookups go upstream',
    },
    references: ['https://github.com/kubernetes/dns/blob/master/docs/specification.md', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/object/service.go', 'https://github.com/coredns/coredns/blob/master/plugin/backend_lookup.go', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/README.md', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/phases/addons/dns/manifests.go'],
  },
  *targets({ model }) {
    // A Corefile whose kubernetes stanzas all name their zones by template placeholders cannot be judged.
    for (const t of corefileTargets(model)) {
      const ks = t.cf.corefile.blocks.flatMap((b) => b.directives.filter((d) => d.name === 'kubernetes').map((d) => ({ b, d })));
      if (ks.length > 0 && ks.every(({ b, d }) => d.args.some(isPlaceholder) || (d.args.length === 0 && b.keys.some((k) => k.placeholder)))) continue;
      yield t;
    }
  },
  *check({ cf }): Generator<RuleReport> {
    let sawKubernetes = false;
    for (const b of cf.corefile.blocks) {
      for (const d of b.directives) {
        if (d.name !== 'kubernetes') continue;
        sawKubernetes = true;
        if (d.args.some(isPlaceholder) || (d.args.length === 0 && b.keys.some((k) => k.placeholder))) continue;
        const zones = d.args.length > 0 ? d.args.map(normalizeZone) : blockZones(b);
        if (zones.some(isV6Reverse)) continue;
        yield at(cf, d.line, 'kubernetes', { zones: zones.join(' ') });
      }
    }
    if (sawKubernetes) return;
    // No kubernetes plugin (node-local-dns): reverse zones are forwarded block by block.
    const allZones = cf.corefile.blocks.flatMap(blockZones);
    if (allZones.some((z) => z !== '.' && isV6Reverse(z))) return;
    const v4 = cf.corefile.blocks.find((b) => blockZones(b).some((z) => isV4Reverse(z)));
    if (v4) yield at(cf, v4.line, 'nodeLocal', { block: blockName(v4) });
  },
});

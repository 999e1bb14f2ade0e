import { defineRule, type JsonPatchOp, type RuleReport } from './types.ts';
import { at, blockName, blockZones, corefileTargets, type CorefileTarget } from './helpers-coredns.ts';
import { isPlaceholder, normalizeZone, parseCorefile, zoneCovers, type CorefileDirective } from '../emulate/corefile.ts';
import type { CorefileSource } from '../model/dns.ts';
import { pointer } from './helpers-workloads.ts';

const isV6Reverse = (z: string): boolean => z === '.' || z === 'arpa' || zoneCovers('ip6.arpa', z);
const isV4Reverse = (z: string): boolean => zoneCovers('in-addr.arpa', z);

/** Add ` ip6.arpa` after the last argument of the directive on a 1-based line of the text. */
function addZoneOnLine(text: string, line: number, name: string): string | undefined {
  const lines = text.split('\n');
  const l = lines[line - 1];
  if (l === undefined || !new RegExp(`^\\s*${name}\\b`).test(l)) return undefined;
  const cut = Math.min(...['{', '#'].map((c) => l.indexOf(c)).filter((i) => i >= 0), l.replace(/\r$/, '').length);
  const end = l.slice(0, cut).trimEnd().length;
  lines[line - 1] = `${l.slice(0, end)} ip6.arpa${l.slice(end)}`;
  return lines.join('\n');
}

const zoneArgs = (d: CorefileDirective): string[] => d.args.map(normalizeZone);

/**
 * The fix: ip6.arpa added to the kubernetes stanza's zones and to its fallthrough zones, as
 * kubeadm's Corefile has them. Only when a fallthrough already passes in-addr.arpa names the
 * plugin does not know on to the next plugin (bare, or listing in-addr.arpa): IPv6 reverse names
 * outside the cluster then still go upstream, and the edit changes nothing else. The new text is
 * parsed again and must differ only by those arguments.
 */
function fixFor(cf: CorefileSource, d: CorefileDirective): JsonPatchOp[] | undefined {
  if (d.args.length === 0 || d.fromSnippet !== undefined) return undefined;
  const ft = d.block?.find((s) => s.name === 'fallthrough');
  if (!ft || (ft.args.length > 0 && !zoneArgs(ft).some(isV4Reverse))) return undefined;
  let text = addZoneOnLine(cf.text, d.line, 'kubernetes');
  if (text !== undefined && ft.args.length > 0) text = addZoneOnLine(text, ft.line, 'fallthrough');
  if (text === undefined) return undefined;
  const strip = (x: unknown): string => JSON.stringify(x, (k, v: unknown) => (k === 'args' ? (v as string[]).filter((a) => a !== 'ip6.arpa') : v));
  const before = cf.corefile;
  const after = parseCorefile(text);
  if (after.problems.length !== before.problems.length || strip(after.blocks) !== strip(before.blocks)) return undefined;
  return [{ op: 'replace', path: pointer(cf.path), value: text }];
}

export default defineRule<CorefileTarget>({
  meta: {
    id: 'coredns-missing-ip6-arpa',
    fixable: 'fix',
    title: 'CoreDNS serves IPv4 reverse lookups for the cluster but not IPv6 ones',
    category: 'dns',
    severity: 'low',
    scope: ['ConfigMap', 'Corefile'],
    rationale:
      'The kubernetes plugin answers PTR questions only for the reverse zones it is given; the conventional stanza is kubernetes cluster.local in-addr.arpa ip6.arpa. ' +
      'Without ip6.arpa, reverse lookups of IPv6 Service and pod addresses go to the upstream resolvers, which do not know them: logs, access controls and tools that ' +
      'print names show bare IPv6 addresses or fail. node-local-dns has the same gap when it forwards in-addr.arpa to the cluster DNS but not ip6.arpa.',
    docs: {
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
        const fix = cf.role === 'file' ? undefined : fixFor(cf, d);
        yield { ...at(cf, d.line, 'kubernetes', { zones: zones.join(' ') }), ...(fix ? { fix } : {}) };
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

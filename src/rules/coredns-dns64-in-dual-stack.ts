import { defineRule, type RuleReport } from './types.ts';
import { at, corefileTargets, walk, type CorefileTarget } from './helpers-coredns.ts';

export default defineRule<CorefileTarget>({
  meta: {
    id: 'coredns-dns64-in-dual-stack',
    title: 'DNS64 in the cluster DNS of a cluster whose pods have IPv4',
    category: 'dns',
    severity: 'medium',
    scope: ['ConfigMap', 'Corefile'],
    rationale:
      'The dns64 plugin synthesizes AAAA records in 64:ff9b::/96 (or its prefix) for names that have only A records, and with translate_all even for names that have AAAA. ' +
      'That is right for IPv6-only pods behind NAT64. In a cluster whose pods also have IPv4, clients prefer the synthesized IPv6 address over native IPv4 (RFC 6724 precedence), ' +
      'so traffic to IPv4-only destinations goes through a NAT64 gateway, which is slower, costs money, or does not exist at all.',
    docs: {
      noFixedExample: 'The directive is a line inside the Corefile text, which a JSON Patch cannot edit in place.',
      notes: 'Judged against the target cluster families: a cluster whose Service families include IPv4 is taken to have IPv4 pods. An IPv6-only cluster passes. Sources: coredns plugin/dns64 README, RFC 6147, RFC 6724.',
    },
    fix: { summary: 'Remove dns64 from the cluster DNS of a dual-stack or IPv4 cluster; keep it only for IPv6-only pods, in a separate server or view.' },
    messages: {
      dns64: 'dns64 {detail}in a cluster with {families} pods: it synthesizes AAAA records in {prefix} that clients prefer over native IPv4, steering traffic into NAT64',
    },
    references: ['https://github.com/coredns/coredns/blob/master/plugin/dns64/README.md', 'RFC 6147', 'RFC 6724'],
  },
  *targets({ model }) {
    if (!model.clusterFamilies.families.includes('IPv4')) return;
    yield* corefileTargets(model);
  },
  *check({ cf }, { model }): Generator<RuleReport> {
    for (const b of cf.corefile.blocks) {
      for (const d of b.directives) {
        if (d.name !== 'dns64') continue;
        const subs = [...walk(d.block ?? [])];
        const translateAll = subs.some((s) => s.name === 'translate_all');
        const prefix = subs.find((s) => s.name === 'prefix')?.args[0] ?? d.args[0] ?? '64:ff9b::/96';
        yield at(cf, d.line, 'dns64', {
          detail: translateAll ? 'with translate_all (even names with real AAAA get synthesized ones) ' : '',
          families: model.clusterFamilies.families.join('/'),
          prefix,
        });
      }
    }
  },
});

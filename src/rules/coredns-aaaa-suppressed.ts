import { defineRule, type RuleReport } from './types.ts';
import { at, blockName, blockZones, clusterZonesIn, corefileTargets, type CorefileTarget } from './helpers-coredns.ts';
import { isPlaceholder, normalizeZone, subDirective, zoneCovers, type CorefileDirective, type ServerBlock } from '../emulate/corefile.ts';
import type { CorefileSource } from '../model/dns.ts';
import { parseIP } from '../emulate/ip.ts';

const FILTER_PLUGINS = new Set(['acl', 'filter', 'firewall']);
const UNIVERSAL_MATCH = new Set(['.*', '^.*$', '(.*)', '^(.*)$', '.', '^.*', '.*$']);

const up = (s: string | undefined): string => (s ?? '').toUpperCase();

export default defineRule<CorefileTarget>({
  meta: {
    id: 'coredns-aaaa-suppressed',
    title: 'CoreDNS configuration that answers AAAA questions for cluster names with nothing',
    category: 'dns',
    severity: 'high',
    scope: ['ConfigMap', 'Corefile'],
    rationale:
      'A few Corefile lines are commonly used to "disable IPv6": a template for AAAA without an answer returns an empty NOERROR for every name of its zone, ' +
      'a rewrite of the type AAAA to A turns every AAAA question into an A question, a hosts block without fallthrough answers every name of its zones itself, ' +
      'and an acl or filter plugin can block or drop AAAA questions. All of these run before the kubernetes plugin (plugin.cfg order), so in a server block that serves ' +
      'the cluster domain they hide the AAAA records of dual-stack Services: IPv6 clients cannot resolve them and every dual-stack Service is IPv4-only in practice.',
    docs: {
      noFixedExample: 'The directive is a line inside the Corefile text, which a JSON Patch cannot edit in place.',
      notes: 'Judged: the coredns ConfigMap in kube-system (and AKS coredns-custom, whose *.override keys are read as the body of the .:53 block and *.server keys as Corefiles), node-local-dns ConfigMaps and Corefile files; only server blocks (and template, hosts or acl zones) that cover the cluster domain (the zones of the kubernetes plugin, else cluster.local). A template with a narrower match regex is not reported. Inline hosts entries that give a name only IPv4 addresses, without fallthrough, answer AAAA for that name with an empty NODATA; they are reported at medium. Sources: coredns plugin/template, plugin/rewrite, plugin/hosts and plugin/acl READMEs; plugin.cfg for the order.',
    },
    fix: { summary: 'Remove the directive that empties AAAA answers, or narrow its zone so that it does not cover the cluster domain; give hosts blocks a fallthrough.' },
    messages: {
      template: 'template {qclass} {qtype} for {zones} has no answer: it answers every AAAA question for {cluster} with an empty {rcode}, so IPv6 clients cannot resolve Services',
      rewrite: 'rewrite of query type AAAA to {to} in server block {block}: AAAA questions for {cluster} are answered as {to} questions, so IPv6 clients get no AAAA',
      hostsNoFallthrough: 'hosts plugin for {zones} has no fallthrough{partial}, so it answers all of {cluster} itself and cluster AAAA records are never served',
      hostsIPv4Only: 'hosts entry gives {name} only IPv4 addresses ({ips}) and no fallthrough covers it, so AAAA questions for {name} get an empty answer',
      filter: '{plugin} {verb} AAAA questions ({line}) in server block {block}, so IPv6 clients cannot resolve names of {cluster}',
    },
    references: ['https://github.com/coredns/coredns/blob/master/plugin/kubernetes', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/object/service.go', 'https://github.com/coredns/coredns/blob/master/plugin/backend_lookup.go', 'https://github.com/coredns/coredns/blob/master/plugin/template/README.md', 'https://github.com/coredns/coredns/blob/master/plugin/rewrite/README.md', 'https://github.com/coredns/coredns/blob/master/plugin/hosts/README.md', 'https://github.com/coredns/coredns/blob/master/plugin/acl/README.md', 'https://github.com/coredns/coredns/blob/master/plugin.cfg'],
  },
  targets: ({ model }) => corefileTargets(model),
  *check({ cf }): Generator<RuleReport> {
    for (const b of cf.corefile.blocks) {
      const cluster = clusterZonesIn(blockZones(b), cf.clusterDomains);
      if (cluster.length === 0) continue;
      for (const d of b.directives) {
        if (d.name === 'template') yield* template(cf, b, d);
        else if (d.name === 'rewrite') yield* rewrite(cf, b, d, cluster);
        else if (d.name === 'hosts') yield* hosts(cf, b, d);
        else if (FILTER_PLUGINS.has(d.name)) yield* filter(cf, b, d, cluster);
      }
    }
  },
});

function* template(cf: CorefileSource, b: ServerBlock, d: CorefileDirective): Generator<RuleReport> {
  const [qclass, qtype, ...zoneArgs] = d.args;
  if (!['IN', 'ANY'].includes(up(qclass)) || !['AAAA', 'ANY'].includes(up(qtype))) return;
  if (d.placeholder) return;
  const zones = zoneArgs.length > 0 ? zoneArgs.map(normalizeZone) : blockZones(b);
  const cluster = clusterZonesIn(zones, cf.clusterDomains);
  if (cluster.length === 0) return;
  if (subDirective(d, 'answer')) return;
  const match = d.block?.filter((s) => s.name === 'match') ?? [];
  if (match.length > 0 && !match.some((m) => m.args.every((a) => UNIVERSAL_MATCH.has(a)))) return;
  const rcode = up(subDirective(d, 'rcode')?.args[0]) || 'NOERROR';
  yield at(cf, d.line, 'template', { qclass: up(qclass), qtype: up(qtype), zones: zones.join(' '), cluster: cluster.join(', '), rcode });
}

function* rewrite(cf: CorefileSource, b: ServerBlock, d: CorefileDirective, cluster: string[]): Generator<RuleReport> {
  let args = d.args;
  if (['stop', 'continue'].includes(args[0]?.toLowerCase() ?? '')) args = args.slice(1);
  if (args[0]?.toLowerCase() !== 'type') return;
  const [from, to] = [up(args[1]), up(args[2])];
  if (from !== 'AAAA' || to === '' || to === 'AAAA') return;
  yield at(cf, d.line, 'rewrite', { to, block: blockName(b), cluster: cluster.join(', ') });
}

function* hosts(cf: CorefileSource, b: ServerBlock, d: CorefileDirective): Generator<RuleReport> {
  if (d.placeholder) return;
  // hosts [FILE [ZONES...]]: the first argument is always the file.
  const zones = d.args.length > 1 ? d.args.slice(1).map(normalizeZone) : blockZones(b);
  const fall = subDirective(d, 'fallthrough');
  const cluster = clusterZonesIn(zones, cf.clusterDomains);
  if (cluster.length > 0) {
    if (!fall) {
      yield at(cf, d.line, 'hostsNoFallthrough', { zones: zones.join(' '), cluster: cluster.join(', '), partial: '' });
    } else if (fall.args.length > 0) {
      const fz = fall.args.filter((a) => !isPlaceholder(a)).map(normalizeZone);
      const uncovered = cluster.filter((c) => !fz.some((z) => z === '.' || c === z || c.endsWith(`.${z}`)));
      if (uncovered.length > 0 && fz.length === fall.args.length) {
        yield at(cf, fall.line, 'hostsNoFallthrough', { zones: zones.join(' '), cluster: uncovered.join(', '), partial: ` for ${uncovered.join(', ')} (fallthrough lists only ${fz.join(' ')})` });
      }
    }
  }
  // A name the fallthrough zones cover goes on to the next plugin; others get NODATA for AAAA.
  const fz = fall ? fall.args.filter((a) => !isPlaceholder(a)).map(normalizeZone) : [];
  const fallsThrough = (name: string): boolean => fall !== undefined && (fall.args.length === 0 || fz.some((z) => zoneCovers(z, name)));
  // Inline entries: "IP name [name...]". Names with only IPv4 addresses answer AAAA with NODATA.
  const byName = new Map<string, { v4: string[]; v6: boolean; line: number }>();
  for (const e of d.block ?? []) {
    const ip = parseIP(e.name);
    if (!ip) continue;
    for (const n of e.args) {
      const key = n.toLowerCase().replace(/\.$/, '');
      const rec = byName.get(key) ?? { v4: [], v6: false, line: e.line };
      if (ip.family === 'IPv4') rec.v4.push(e.name);
      else rec.v6 = true;
      byName.set(key, rec);
    }
  }
  for (const [name, rec] of byName) {
    if (rec.v6 || rec.v4.length === 0 || fallsThrough(name)) continue;
    yield at(cf, rec.line, 'hostsIPv4Only', { name, ips: rec.v4.join(', ') }, 'medium');
  }
}

const VERB: Readonly<Record<string, string>> = { block: 'blocks', filter: 'filters', drop: 'drops', deny: 'denies', refuse: 'refuses' };

function* filter(cf: CorefileSource, b: ServerBlock, d: CorefileDirective, cluster: string[]): Generator<RuleReport> {
  // acl [ZONES...] { ACTION [type QTYPE...] [net SOURCE...] }: zones narrow where it applies.
  if (d.name === 'acl' && d.args.length > 0 && !d.placeholder) {
    cluster = clusterZonesIn(d.args.map(normalizeZone), cluster);
    if (cluster.length === 0) return;
  }
  const lines: { l: CorefileDirective; action: string | undefined; toks: readonly string[] }[] = [
    { l: d, action: d.args[0]?.toLowerCase(), toks: d.args.slice(1) },
    ...(d.block ?? []).map((l) => ({ l, action: l.name, toks: l.args })),
  ];
  for (const { l, action, toks } of lines) {
    if (!action || !Object.hasOwn(VERB, action)) continue;
    if (!toks.some((t) => /(^|[^A-Za-z])AAAA([^A-Za-z]|$)/i.test(t))) continue;
    yield at(cf, l.line, 'filter', { plugin: d.name, verb: VERB[action]!, line: [l.name, ...l.args].join(' '), block: blockName(b), cluster: cluster.join(', ') });
  }
}

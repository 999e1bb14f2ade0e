import { defineRule, type RuleReport, type Target } from './types.ts';
import {
  containerLabel, containerText, lineInText, listText, peerIPv4Literals, usedConfigMaps, usedKeys, usersText, workloadTarget,
  ipv4Literals, isZoneFile, type ConfigMapTarget, type TextField, type WorkloadTarget,
} from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';
import { parseIP } from '../emulate/ip.ts';

type T = (WorkloadTarget & { readonly cmt?: undefined }) | (Target & { readonly w?: undefined; readonly cmt: ConfigMapTarget });

// An IPv6 literal next to the IPv4 one means the value already names both families
// ("--node-ip=10.0.0.2,fd00::2"): such values pass.
const V6_CANDIDATE = /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/g;
const hasIPv6Literal = (text: string): boolean =>
  // A candidate has at least two colons.
  text.indexOf(':', text.indexOf(':') + 1) > 0 && [...text.matchAll(V6_CANDIDATE)].some((m) => m[0] !== '::' && parseIP(m[0])?.family === 'IPv6');

/** Env vars that hold versions ("1.2.3.4"), not addresses. */
const VERSION_ENV = /^env [A-Za-z0-9_]*(VERSION|_VER|_TAG)\b/i;

/** The IPv4 peer literals of a value, or none when it is a CIDR list or also names IPv6 addresses. */
function pinned(text: string): string[] {
  const hits = peerIPv4Literals(text);
  // Values that list CIDRs are allow lists or routes (their bare addresses are entries of the list), not peers.
  if (hits.length === 0 || ipv4Literals(text).some((h) => h.cidr) || hasIPv6Literal(text)) return [];
  return [...new Set(hits.map((h) => h.ip))];
}

export default defineRule<T>({
  meta: {
    id: 'workload-ipv4-literal',
    needsValue: true,
    title: 'IPv4 addresses hard-coded in workloads',
    category: 'workloads',
    severity: 'low',
    scope: [...WORKLOAD_KINDS, 'ConfigMap'],
    rationale:
      'An IPv4 address written into a container\'s command, args or env, a probe, or the ConfigMap data a pod reads pins that client or server to IPv4: ' +
      'it keeps working on a dual-stack cluster but never uses IPv6, and breaks on an IPv6-only one. A hard-coded ClusterIP or pod IP is doubly fragile, ' +
      'because it also changes when the object is recreated. A DNS name resolves to both families.',
    docs: {
      noFixedExample: 'The DNS name or IPv6 address that replaces the literal is known only to the program\'s operators.',
      notes: 'A heuristic. Not reported: loopback (127.0.0.0/8), the wildcard 0.0.0.0 (workload-ipv4-wildcard-bind), 255.x netmasks and broadcast, CIDRs, values that list CIDRs (allow lists and routes, whose bare addresses are list entries), and values that also name an IPv6 address (both families already given), env vars whose name says they hold a version (…VERSION, …_VER, …_TAG), and ConfigMap keys that hold a DNS zone file (a $TTL or $ORIGIN directive or an SOA record, RFC 1035 section 5): their A records are the answers a DNS server gives over either family, not addresses it dials or binds. hostAliases, dnsConfig and hostIP have their own rules. Each ConfigMap key is reported once, however many pods read it.',
    },
    fix: { summary: 'Replace the address with a DNS name (a Service name resolves to both families on a dual-stack cluster), or give both an IPv4 and an IPv6 address when the program accepts a list.' },
    messages: {
      literal: '{where} hard-codes the IPv4 address {ips}, pinning it to IPv4 on a dual-stack cluster',
      probeHost: '{probe} of {container} dials the IPv4 address {ips}, so it checks IPv4 only',
      configMap: 'ConfigMap key {key} hard-codes the IPv4 address {ips} (line {line}), pinning {users} to IPv4',
    },
    references: ['https://www.rfc-editor.org/rfc/rfc1035#section-5', 'https://www.rfc-editor.org/rfc/rfc2308#section-4', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (w.containers.length > 0) yield workloadTarget(w);
    }
    for (const cmt of usedConfigMaps(model)) yield { ref: cmt.ref, ...(cmt.source ? { source: cmt.source } : {}), annotations: cmt.annotations, cmt };
  },
  *check(t): Generator<RuleReport> {
    if (t.w) {
      const fields: TextField[] = [...containerText(t.w)];
      for (const c of t.w.containers) {
        for (const p of c.probes) {
          for (const f of p.exec) fields.push({ container: c, where: `${p.kind} exec of ${containerLabel(c)}`, text: f.value, path: f.path });
          if (p.host) {
            const ips = pinned(p.host.value);
            if (ips.length > 0) yield { messageId: 'probeHost', path: p.host.path, data: { probe: p.kind, container: containerLabel(c), ips: listText(ips) } };
          }
        }
      }
      for (const f of fields) {
        if (VERSION_ENV.test(f.where)) continue;
        const ips = pinned(f.text);
        if (ips.length > 0) yield { messageId: 'literal', path: f.path, data: { where: f.where, ips: listText(ips) } };
      }
      return;
    }
    const cmt = t.cmt;
    for (const key of usedKeys(cmt)) {
      const text = cmt.cm.data[key]!;
      // A line's literals are the text's literals on that line: no peer literal in the text, none on any line.
      // A DNS zone file's A records are the answers its server gives, not peers: data, not configuration.
      if (peerIPv4Literals(text).length === 0 || isZoneFile(text)) continue;
      // Config files hold many lines: judge each line on its own (a CIDR on one line does not make the file an allow list).
      const found: string[] = [];
      let first = -1;
      let offset = 0;
      for (const line of text.split('\n')) {
        const ips = pinned(line);
        if (ips.length > 0 && first < 0) first = offset + peerIPv4Literals(line)[0]!.index;
        for (const ip of ips) if (!found.includes(ip)) found.push(ip);
        offset += line.length + 1;
      }
      if (found.length === 0) continue;
      const env = cmt.envByKey.get(key);
      yield {
        messageId: 'configMap',
        path: ['data', key],
        data: { key, ips: listText(found), line: lineInText(text, Math.max(0, first)), users: env ? usersText(env) : usersText(cmt.users) },
      };
    }
  },
});

import { defineRule, type RuleReport, type Target } from './types.ts';
import type { Resource } from '../model/resources.ts';
import type { DnsNameRef } from '../model/dns.ts';
import type { JsonPath } from '../model/types.ts';
import { parseIP } from '../emulate/ip.ts';

interface HostCheck {
  readonly host: string;
  readonly path: JsonPath;
}

interface FrontendTarget extends Target {
  readonly hosts: readonly HostCheck[];
  /** This resource's own frontend addresses (canonical). */
  readonly own: readonly string[];
  /** "Kind/ns/name" key of this resource. */
  readonly key: string;
}

const ORIGINS = new Set<DnsNameRef['origin']>(['ingressHost', 'gatewayHostname']);
const key = (r: Resource): string => `${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`;
const canon = (ip: string): string | undefined => parseIP(ip.trim())?.canonical;

export default defineRule<FrontendTarget>({
  meta: {
    id: 'frontend-aaaa-mismatch',
    title: 'Hostnames of IPv6 frontends without a matching AAAA record',
    category: 'dns',
    severity: 'medium',
    scope: ['Ingress', 'Gateway'],
    rationale:
      'An IPv6 frontend only serves clients that find it: the hostname an Ingress or Gateway serves needs an AAAA record holding the frontend\'s IPv6 address. ' +
      'Without one, clients never use the IPv6 frontend (and IPv6-only clients fail); an AAAA record pointing at another address (an old load balancer, a copy-paste) sends IPv6 clients elsewhere while IPv4 works, which is hard to notice.',
    docs: {
      noFixedExample: 'The DNS records are published outside the manifests (by external-dns or a DNS provider).',
      resolved: { 'www.example.com': { A: ['203.0.113.10'], AAAA: [] }, 'shop.example.com': { A: ['203.0.113.10'], AAAA: ['2001:db8::10'] } },
      notes: 'Needs --resolve (the A and AAAA answers of load/resolve.ts). The frontend addresses of a hostname are the union over the GKE Ingresses (status.loadBalancer.ingress) and Gateways (status.addresses, else IPAddress entries of spec.addresses) that serve it, so the IPv4 and IPv6 Ingresses of a twin pair are judged together. Names that did not resolve (NXDOMAIN, timeout) and wildcard hosts are not judged here.',
    },
    fix: { summary: 'Publish an AAAA record with the frontend\'s IPv6 address for every hostname it serves (external-dns: enable AAAA records), and remove AAAA records that point at other addresses.' },
    messages: {
      noAaaa: '{host} is served by an IPv6 frontend ({v6}) but has no AAAA record (A: {a}), so clients never use IPv6 and IPv6-only clients cannot connect',
      foreign: '{host} has AAAA {foreign}, which is not an address of its frontend ({frontend}), so IPv6 clients are sent elsewhere',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/service.go', 'https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/l4_static_address.go', 'https://www.rfc-editor.org/rfc/rfc3596', 'https://github.com/kubernetes-sigs/external-dns/blob/master/docs/annotations/annotations.md'],
    needsResolve: true,
  },
  *targets({ model }) {
    if (!model.resolved) return;
    // Frontend addresses of every Ingress / Gateway that has some.
    const addrs = new Map<string, string[]>();
    for (const i of model.gke.ingresses) {
      const l = i.statusIPs.flatMap((s) => (canon(s.ip) ? [canon(s.ip)!] : []));
      if (l.length > 0) addrs.set(key(i), l);
    }
    for (const g of model.gke.gateways) {
      const st = g.statusAddresses.flatMap((a) => (a.family ? [canon(a.value)!] : []));
      const sp = g.addresses.flatMap((a) => (a.type === 'IPAddress' && a.value && canon(a.value) ? [canon(a.value)!] : []));
      const l = st.length > 0 ? st : sp;
      if (l.length > 0) addrs.set(key(g), l);
    }
    const byOwner = new Map<string, { owner: Resource; hosts: HostCheck[] }>();
    for (const n of model.dnsNames) {
      if (!ORIGINS.has(n.origin) || !addrs.has(key(n)) || !model.resolved.has(n.name)) continue;
      const k = key(n);
      const e = byOwner.get(k) ?? { owner: n, hosts: [] };
      if (!e.hosts.some((h) => h.host === n.name)) e.hosts.push({ host: n.name, path: n.path });
      byOwner.set(k, e);
    }
    for (const [k, { owner, hosts }] of byOwner) {
      yield { ref: owner.ref, ...(owner.source ? { source: owner.source } : {}), annotations: owner.annotations, hosts, own: addrs.get(k)!, key: k };
    }
  },
  *check({ hosts, own, key: self }, { model }): Generator<RuleReport> {
    // The frontend of a host: every Ingress / Gateway that serves it (twin pairs together).
    const frontendOf = (host: string): string[] => {
      const owners = new Set(model.dnsNames.filter((n) => n.name === host && ORIGINS.has(n.origin)).map(key));
      const out = new Set<string>();
      for (const i of model.gke.ingresses) if (owners.has(key(i))) for (const s of i.statusIPs) if (canon(s.ip)) out.add(canon(s.ip)!);
      for (const g of model.gke.gateways) {
        if (!owners.has(key(g))) continue;
        const st = g.statusAddresses.flatMap((a) => (a.family ? [canon(a.value)!] : []));
        const l = st.length > 0 ? st : g.addresses.flatMap((a) => (a.type === 'IPAddress' && a.value && canon(a.value) ? [canon(a.value)!] : []));
        for (const x of l) out.add(x);
      }
      return [...out];
    };
    const ownV6 = own.some((x) => x.includes(':'));
    for (const { host, path } of hosts) {
      // Twin pairs: report on the resources that hold an IPv6 address, else on the first one serving the host.
      const first = model.dnsNames.find((n) => n.name === host && ORIGINS.has(n.origin));
      const anyV6 = frontendOf(host).some((x) => x.includes(':'));
      if (!(ownV6 || (!anyV6 && first !== undefined && key(first) === self))) continue;
      const r = model.resolved!.get(host)!;
      if (r.error && r.A.length === 0 && r.AAAA.length === 0) continue;
      const front = frontendOf(host);
      const v6 = front.filter((x) => x.includes(':'));
      const aaaa = r.AAAA.map((x) => canon(x) ?? x);
      const foreign = aaaa.filter((x) => !front.includes(x));
      if (foreign.length > 0) {
        yield { messageId: 'foreign', path, data: { host, foreign: foreign.join(', '), frontend: front.join(', ') } };
      } else if (v6.length > 0 && aaaa.length === 0) {
        yield { messageId: 'noAaaa', path, data: { host, v6: v6.join(', '), a: r.A.length > 0 ? r.A.join(', ') : 'none' } };
      }
    }
  },
});

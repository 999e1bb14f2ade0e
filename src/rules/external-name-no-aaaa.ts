import { defineRule, type RuleReport, type Target } from './types.ts';
import type { DnsNameOrigin, DnsNameRef } from '../model/dns.ts';

interface NameTarget extends Target {
  readonly ref_: DnsNameRef;
}

const ORIGIN: Readonly<Record<DnsNameOrigin, string>> = {
  externalName: 'ExternalName target',
  ingressHost: 'Ingress host',
  gatewayHostname: 'Gateway listener hostname',
  routeHostname: 'Route hostname',
  externalDnsAnnotation: 'external-dns hostname',
  fqdnPolicy: 'FQDN policy target',
};

const CONSEQUENCE: Readonly<Record<DnsNameOrigin, string>> = {
  externalName: 'pods that use this Service get no IPv6 address',
  ingressHost: 'IPv6 clients cannot reach this host by name',
  gatewayHostname: 'IPv6 clients cannot reach this listener by name',
  routeHostname: 'IPv6 clients cannot reach this route by name',
  externalDnsAnnotation: 'the published name has no IPv6 address',
  fqdnPolicy: 'the policy learns no IPv6 address for it, so IPv6 egress to it stays blocked',
};

export default defineRule<NameTarget>({
  meta: {
    id: 'external-name-no-aaaa',
    title: 'External names the input depends on that have no AAAA record',
    category: 'dns',
    severity: 'medium',
    scope: ['Service', 'Ingress', 'Gateway', 'HTTPRoute', 'CiliumNetworkPolicy', 'FQDNNetworkPolicy'],
    foldsInto: [{ rule: 'frontend-aaaa-mismatch', samePath: true }],
    rationale:
      'Several objects name hosts outside the cluster: ExternalName Services are CNAMEs to them, Ingress, Gateway and Route hostnames and external-dns annotations are what clients type, ' +
      'and FQDN network policies allow egress to the addresses those names resolve to. When such a name has A records but no AAAA record, ' +
      'IPv6 clients cannot reach it, dual-stack pods fall back to IPv4, and FQDN policies never allow IPv6 traffic to it. ' +
      'This rule looks the names up (with --resolve) and reports those without AAAA.',
    docs: {
      noFixedExample: 'The missing AAAA record is published in DNS, outside the manifests.',
      resolved: { 'api.ipv4-only.example.com': { A: ['192.0.2.10'], AAAA: [] }, 'api.dual-stack.example.com': { A: ['192.0.2.20'], AAAA: ['2001:db8::20'] } },
      notes: 'Runs only with --resolve; --dns-server HOST[:PORT] selects the server. Wildcards, IP literals, single labels and cluster-internal names (.svc, .cluster.local, .local, .internal) are not looked up. Names that do not exist (NXDOMAIN) or could not be looked up (timeout, SERVFAIL) are reported at low. The answer is the one the auditing machine gets: split-horizon DNS may answer the cluster differently.2 (ExternalName), d.3, e.2.',
    },
    fix: { summary: 'Publish an AAAA record for the name (dual-stack the host or its load balancer), or point the object at a name that has one.', byMessage: { noAddress: 'Check the name.', failed: 'Check the name and the DNS server (--dns-server).' } },
    messages: {
      noAAAA: '{name} ({origin}) has A records ({a}) but no AAAA record: {consequence}',
      noAddress: '{name} ({origin}) has neither A nor AAAA records, so nothing can reach it by this name',
      failed: '{name} ({origin}) could not be looked up ({error}), so its AAAA record is unverified',
    },
    references: ['https://github.com/coredns/coredns/blob/master/plugin/kubernetes', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/object/service.go', 'https://github.com/coredns/coredns/blob/master/plugin/backend_lookup.go', 'https://github.com/kubernetes/dns/blob/master/docs/specification.md', 'https://www.rfc-editor.org/rfc/rfc3596'],
    needsResolve: true,
  },
  *targets({ model }) {
    if (!model.resolved) return;
    for (const r of model.dnsNames) {
      if (!model.resolved.has(r.name)) continue;
      yield { ref: r.ref, annotations: r.annotations, ref_: r, ...(r.source ? { source: r.source } : {}) };
    }
  },
  *check({ ref_: r }, { model }): Generator<RuleReport> {
    const res = model.resolved!.get(r.name)!;
    const base = { name: r.name, origin: ORIGIN[r.origin] };
    if (res.AAAA.length > 0) return;
    if (res.error) {
      yield { messageId: 'failed', path: r.path, data: { ...base, error: res.error }, severity: 'low' };
    } else if (res.A.length === 0) {
      yield { messageId: 'noAddress', path: r.path, data: base, severity: 'low' };
    } else {
      const a = res.A.length <= 3 ? res.A.join(', ') : `${res.A.slice(0, 3).join(', ')}, ...`;
      yield { messageId: 'noAAAA', path: r.path, data: { ...base, a, consequence: CONSEQUENCE[r.origin] } };
    }
  },
});

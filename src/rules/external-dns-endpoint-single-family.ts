import { defineRule, type RuleReport, type Target } from './types.ts';
import type { DnsEndpoint, DnsEndpointRecord } from '../model/external-dns.ts';
import { parseIP } from '../emulate/ip.ts';

/**
 * Whether external-dns publishes the record: an A or AAAA endpoint whose targets are not all
 * addresses of its family is skipped whole (endpoint.go CheckEndpoint, ValidateIPRecord;
 * source/wrappers/dedupsource.go). Alias records carry host names.
 */
const published = (r: DnsEndpointRecord): boolean =>
  r.alias || (r.recordType !== 'A' && r.recordType !== 'AAAA')
  || r.targets.every((t) => parseIP(t.trim(), { sloppy: false })?.family === (r.recordType === 'A' ? 'IPv4' : 'IPv6'));

interface EndpointTarget extends Target {
  readonly endpoint: DnsEndpoint;
  /** Record types each name has across every DNSEndpoint of the input (external-dns publishes them all in one zone). */
  readonly typesByName: ReadonlyMap<string, ReadonlySet<string>>;
  /** "name/type" of A and AAAA endpoints external-dns skips as invalid: their wrongFamily finding is the cause to fix. */
  readonly skipped: ReadonlySet<string>;
}

export default defineRule<EndpointTarget>({
  meta: {
    id: 'external-dns-endpoint-single-family',
    title: 'external-dns DNSEndpoint names with address records of one family',
    category: 'dns',
    severity: 'medium',
    scope: ['DNSEndpoint'],
    needsValue: true,
    rationale:
      'A DNSEndpoint (externaldns.k8s.io/v1alpha1) lists records that external-dns publishes exactly as written: an A record carries IPv4 targets and an AAAA record IPv6 ones, and nothing is added. ' +
      'A name given only A records has no AAAA record, so IPv6-only clients (NAT64 aside) cannot reach it by name even when the frontend behind it has an IPv6 address; a name given only AAAA records is unreachable for IPv4-only clients. ' +
      'An A or AAAA endpoint with a target of the other family is invalid: external-dns skips the whole endpoint, so the name loses that record type altogether.',
    docs: {
      noFixedExample: 'The fix adds an AAAA record with the frontend\'s IPv6 address, which only you know.',
      notes: 'Names are compared across every DNSEndpoint in the input (an endpoint external-dns skips as invalid does not count), case-insensitively and without the trailing dot; a name with a CNAME record is left alone (its target decides). Records that other external-dns sources (Service, Ingress, Gateway annotations) publish for the same name are not merged in. ' +
        'A name with only A records: medium; only AAAA records: low. Live: DNSEndpoint is a custom resource, read when the cluster read lists it. ' +
        'Sources: external-dns apis/v1alpha1/dnsendpoint.go, endpoint/endpoint.go, source/crd.go, docs/sources/crd.md.',
    },
    fix: {
      summary: 'Publish both families for the name: add an endpoint with the same dnsName, recordType AAAA (or A) and the frontend\'s address of the missing family.',
      byMessage: {
        wrongFamily: 'Move {target} to a {expected} record of the same dnsName',
      },
    },
    messages: {
      aOnly: '{name} has A records only ({targets}) and no AAAA record in any DNSEndpoint, so IPv6 clients cannot reach it by name',
      aaaaOnly: '{name} has AAAA records only ({targets}) and no A record in any DNSEndpoint, so IPv4-only clients cannot reach it by name',
      wrongFamily: '{type} record for {name} has the {family} target {target}, so external-dns skips the whole endpoint as invalid and publishes none of its targets',
    },
    references: [
      'https://github.com/kubernetes-sigs/external-dns/blob/master/apis/v1alpha1/dnsendpoint.go',
      'https://github.com/kubernetes-sigs/external-dns/blob/master/endpoint/endpoint.go',
      'https://github.com/kubernetes-sigs/external-dns/blob/master/source/crd.go',
      'https://github.com/kubernetes-sigs/external-dns/blob/master/source/wrappers/dedupsource.go',
      'https://github.com/kubernetes-sigs/external-dns/blob/master/docs/sources/crd.md',
      'https://www.rfc-editor.org/rfc/rfc3596',
    ],
  },
  *targets({ model }) {
    const typesByName = new Map<string, Set<string>>();
    const skipped = new Set<string>();
    for (const e of model.integrations.dnsEndpoints) {
      for (const r of e.records) {
        if (!published(r)) {
          skipped.add(`${r.dnsName}/${r.recordType}`);
          continue;
        }
        const set = typesByName.get(r.dnsName) ?? new Set<string>();
        set.add(r.recordType);
        typesByName.set(r.dnsName, set);
      }
    }
    for (const endpoint of model.integrations.dnsEndpoints) {
      yield { ref: endpoint.ref, ...(endpoint.source ? { source: endpoint.source } : {}), annotations: endpoint.annotations, endpoint, typesByName, skipped };
    }
  },
  *check({ endpoint, typesByName, skipped }): Generator<RuleReport> {
    const reported = new Set<string>();
    const shown = (r: DnsEndpointRecord): string => (r.targets.length === 0 ? 'no targets: --default-targets' : r.targets.length <= 3 ? r.targets.join(', ') : `${r.targets.slice(0, 3).join(', ')} and ${r.targets.length - 3} more`);
    for (const r of endpoint.records) {
      if (r.recordType !== 'A' && r.recordType !== 'AAAA') continue;
      const expected = r.recordType === 'A' ? 'IPv4' : 'IPv6';
      if (!r.alias) {
        for (const [i, t] of r.targets.entries()) {
          const fam = parseIP(t.trim(), { sloppy: false })?.family;
          if (fam && fam !== expected) {
            yield { messageId: 'wrongFamily', path: [...r.path, 'targets', i], data: { type: r.recordType, name: r.dnsName, family: fam, target: t, expected: fam === 'IPv4' ? 'A' : 'AAAA' } };
          }
        }
      }
      if (!published(r)) continue;
      const types = typesByName.get(r.dnsName) ?? new Set<string>();
      const missing = r.recordType === 'A' ? 'AAAA' : 'A';
      if (types.has('CNAME') || types.has(missing) || skipped.has(`${r.dnsName}/${missing}`) || reported.has(r.dnsName)) continue;
      reported.add(r.dnsName);
      yield r.recordType === 'A'
        ? { messageId: 'aOnly', path: [...r.path, 'recordType'], data: { name: r.dnsName, targets: shown(r) } }
        : { messageId: 'aaaaOnly', path: [...r.path, 'recordType'], data: { name: r.dnsName, targets: shown(r) }, severity: 'low' };
    }
  },
});

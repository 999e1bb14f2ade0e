// external-dns DNSEndpoint objects (externaldns.k8s.io): the records they ask external-dns to
// publish. Pure: no I/O.
//
// kubernetes-sigs/external-dns apis/v1alpha1/dnsendpoint.go: spec.endpoints is a list of
// endpoint.Endpoint (endpoint/endpoint.go): dnsName, targets, recordType, setIdentifier,
// recordTTL, labels, providerSpecific. source/crd.go publishes each entry as written.

import type { InputDocument, JsonPath } from './types.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';

export interface DnsEndpointRecord {
  /** Lower case, without the trailing dot. */
  readonly dnsName: string;
  /** Upper case (A, AAAA, CNAME, TXT...). */
  readonly recordType: string;
  readonly targets: readonly string[];
  readonly setIdentifier?: string;
  /** providerSpecific alias: "true" (endpoint.go ProviderSpecificAlias): the targets are host names, not addresses. */
  readonly alias: boolean;
  /** The spec.endpoints entry. */
  readonly path: JsonPath;
}

export interface DnsEndpoint extends Resource {
  readonly records: readonly DnsEndpointRecord[];
}

export const normalizeDnsName = (n: string): string => n.trim().toLowerCase().replace(/\.$/, '');

export function readDnsEndpoint(doc: InputDocument): DnsEndpoint | undefined {
  const o = doc.object;
  if (o.kind !== 'DNSEndpoint' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('externaldns.k8s.io/')) return undefined;
  const spec = isObject(o.spec) ? o.spec : {};
  const records: DnsEndpointRecord[] = [];
  (Array.isArray(spec.endpoints) ? spec.endpoints : []).forEach((e, i) => {
    if (!isObject(e)) return;
    const dnsName = str(e.dnsName);
    const recordType = str(e.recordType);
    if (!dnsName || !recordType) return;
    const targets = (Array.isArray(e.targets) ? e.targets : []).filter((t): t is string => typeof t === 'string');
    const setIdentifier = str(e.setIdentifier);
    const alias = (Array.isArray(e.providerSpecific) ? e.providerSpecific : [])
      .some((p) => isObject(p) && p.name === 'alias' && String(p.value).toLowerCase() === 'true');
    records.push({
      dnsName: normalizeDnsName(dnsName), recordType: recordType.toUpperCase(), targets, alias, path: ['spec', 'endpoints', i],
      ...(setIdentifier ? { setIdentifier } : {}),
    });
  });
  return { ...toResource(doc), records };
}

export function buildDnsEndpoints(docs: readonly InputDocument[]): DnsEndpoint[] {
  const out: DnsEndpoint[] = [];
  for (const d of docs) {
    const e = readDnsEndpoint(d);
    if (e) out.push(e);
  }
  return out;
}

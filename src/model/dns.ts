// DNS facts of the input, for the dns rules. Pure.
// - Corefiles: the CoreDNS ConfigMap (kube-system/coredns), node-local-dns ConfigMaps, Corefile
//   files (synthetic `Corefile` objects from the loader), parsed by corefile.ts.
// - External names: every DNS name the input publishes or depends on (ExternalName targets,
//   Ingress/Gateway/Route hostnames, external-dns hostname annotations, FQDN policy targets),
//   with the JSON path it was read from. The CLI looks them up with --resolve (load/resolve.ts)
//   and passes the answers back to the model builder as plain data.

import type { InputDocument, JsonPath } from './types.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';
import { parseCorefile, isPlaceholder, normalizeZone, type Corefile } from './corefile.ts';
import { parseIP } from './ip.ts';

export type CorefileRole = 'cluster-dns' | 'node-local-dns' | 'file' | 'other';

export interface CorefileSource extends Resource {
  /** cluster-dns: kube-system/coredns; node-local-dns: a ConfigMap named node-local-dns; file: a Corefile file. */
  readonly role: CorefileRole;
  /** JSON path of the Corefile text in the object (['data', 'Corefile']). */
  readonly path: JsonPath;
  readonly corefile: Corefile;
  /** Zones the `kubernetes` plugin serves (its first non-reverse arguments), else ['cluster.local']. */
  readonly clusterDomains: readonly string[];
}

/** The Corefile roles the coredns-* rules judge (other ConfigMaps with a Corefile are test or app DNS servers). */
export const JUDGED_ROLES: readonly CorefileRole[] = ['cluster-dns', 'node-local-dns', 'file'];

export function corefileRole(r: Resource): CorefileRole | undefined {
  const { kind, apiVersion, name, namespace } = r.ref;
  if (kind === 'Corefile' && apiVersion.startsWith('dualstack-audit')) return 'file';
  if (kind !== 'ConfigMap' || apiVersion !== 'v1') return undefined;
  if (name === 'coredns' && namespace === 'kube-system') return 'cluster-dns';
  if (name === 'node-local-dns') return 'node-local-dns';
  return 'other';
}

export function buildCorefiles(docs: readonly InputDocument[]): CorefileSource[] {
  const out: CorefileSource[] = [];
  for (const doc of docs) {
    if (doc.object.kind !== 'ConfigMap' && doc.object.kind !== 'Corefile') continue;
    const base = toResource(doc);
    const role = corefileRole(base);
    if (!role) continue;
    const data = isObject(doc.object.data) ? doc.object.data : {};
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') continue;
      if (key !== 'Corefile' && !key.endsWith('.Corefile')) continue;
      const corefile = parseCorefile(value);
      out.push({ ...base, role, path: ['data', key], corefile, clusterDomains: clusterDomainsOf(corefile) });
    }
  }
  return out;
}

function clusterDomainsOf(cf: Corefile): string[] {
  const out = new Set<string>();
  for (const b of cf.blocks) {
    for (const d of b.directives) {
      if (d.name !== 'kubernetes') continue;
      for (const a of d.args) {
        if (isPlaceholder(a)) continue;
        const z = normalizeZone(a);
        if (z.endsWith('in-addr.arpa') || z.endsWith('ip6.arpa') || z === '.') continue;
        out.add(z);
      }
    }
  }
  return out.size > 0 ? [...out] : ['cluster.local'];
}

// ---- External names ----

export type DnsNameOrigin = 'externalName' | 'ingressHost' | 'gatewayHostname' | 'routeHostname' | 'externalDnsAnnotation' | 'fqdnPolicy';

export interface DnsNameRef extends Resource {
  /** Lower case, no trailing dot. */
  readonly name: string;
  readonly origin: DnsNameOrigin;
  /** JSON path of the field (or annotation key) holding the name. */
  readonly path: JsonPath;
}

/** The answers of --resolve for one name: addresses as text; error is NXDOMAIN, timeout, SERVFAIL, ... */
export interface ResolvedName {
  readonly A: readonly string[];
  readonly AAAA: readonly string[];
  readonly error?: string;
}

export const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
export const EXTERNAL_DNS_INTERNAL_HOSTNAME = 'external-dns.alpha.kubernetes.io/internal-hostname';

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * The name to look up, or undefined when it is not a name public DNS can answer: a wildcard,
 * an IP literal, a single label, a cluster-internal name (.svc, .cluster.local, .local), a placeholder.
 */
export function lookupName(raw: string): string | undefined {
  let s = raw.trim().toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s === '' || s.length > 253 || s.includes('*')) return undefined;
  if (parseIP(s)) return undefined;
  const labels = s.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  const last = labels[labels.length - 1]!;
  if (/^\d+$/.test(last)) return undefined; // "1.2.3" or an IPv4-looking name: no TLD is numeric
  if (s.endsWith('.svc') || s.includes('.svc.') || s.endsWith('.cluster.local') || last === 'local' || last === 'internal') return undefined;
  return s;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});

export function collectDnsNames(docs: readonly InputDocument[]): DnsNameRef[] {
  const out: DnsNameRef[] = [];
  for (const doc of docs) {
    const o = doc.object;
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : '';
    let base: Resource | undefined;
    const add = (raw: unknown, origin: DnsNameOrigin, path: JsonPath): void => {
      if (typeof raw !== 'string') return;
      const name = lookupName(raw);
      if (!name) return;
      base ??= toResource(doc);
      out.push({ ...base, name, origin, path });
    };
    const spec = obj(o.spec);
    if (kind === 'Service' && api === 'v1' && spec.type === 'ExternalName') add(spec.externalName, 'externalName', ['spec', 'externalName']);
    if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) {
      arr(spec.rules).forEach((r, i) => add(obj(r).host, 'ingressHost', ['spec', 'rules', i, 'host']));
    }
    if (group === 'gateway.networking.k8s.io') {
      if (kind === 'Gateway') arr(spec.listeners).forEach((l, i) => add(obj(l).hostname, 'gatewayHostname', ['spec', 'listeners', i, 'hostname']));
      else if (kind.endsWith('Route')) arr(spec.hostnames).forEach((h, i) => add(h, 'routeHostname', ['spec', 'hostnames', i]));
    }
    if ((kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy') && group === 'cilium.io') {
      const specs = [...(isObject(o.spec) ? [{ s: o.spec, p: ['spec'] as JsonPath }] : []),
        ...arr(o.specs).map((s, k) => ({ s: obj(s), p: ['specs', k] as JsonPath }))];
      for (const { s, p } of specs) {
        arr(s.egress).forEach((e, i) => arr(obj(e).toFQDNs).forEach((f, j) =>
          add(obj(f).matchName, 'fqdnPolicy', [...p, 'egress', i, 'toFQDNs', j, 'matchName'])));
      }
    }
    if (kind === 'FQDNNetworkPolicy' && group === 'networking.gke.io') {
      arr(spec.egress).forEach((e, i) => {
        arr(obj(e).to).forEach((t, j) => arr(obj(t).fqdns).forEach((f, k) => add(f, 'fqdnPolicy', ['spec', 'egress', i, 'to', j, 'fqdns', k])));
        arr(obj(e).matches).forEach((m, j) => add(obj(m).name, 'fqdnPolicy', ['spec', 'egress', i, 'matches', j, 'name']));
      });
    }
    const ann = obj(obj(o.metadata).annotations);
    for (const key of [EXTERNAL_DNS_HOSTNAME, EXTERNAL_DNS_INTERNAL_HOSTNAME]) {
      const v = str(ann[key]);
      if (v) for (const h of v.split(',')) add(h, 'externalDnsAnnotation', ['metadata', 'annotations', key]);
    }
  }
  return out;
}

/** Distinct names to look up, in first-seen order. */
export function namesToResolve(docs: readonly InputDocument[]): string[] {
  return [...new Set(collectDnsNames(docs).map((r) => r.name))];
}

// DNS facts of the input, for the dns rules. Pure.
// - Corefiles: the CoreDNS ConfigMap (kube-system/coredns), node-local-dns ConfigMaps, Corefile
//   files (synthetic `Corefile` objects from the loader), parsed by corefile.ts.
// - External names: every DNS name the input publishes or depends on (ExternalName targets,
//   Ingress/Gateway/Route hostnames, external-dns hostname annotations, FQDN policy targets),
//   with the JSON path it was read from. The CLI looks them up with --resolve (load/resolve.ts)
//   and passes the answers back to the model builder as plain data.

import type { InputDocument, JsonPath } from './types.ts';
import { isObject, str, stringMap, toResource, type Resource } from './resources.ts';
import { parseCorefile, isPlaceholder, normalizeZone, zoneCovers, type Corefile, type CorefileDirective, type ServerBlock } from '../emulate/corefile.ts';
import { parseIP } from '../emulate/ip.ts';

export type CorefileRole = 'cluster-dns' | 'node-local-dns' | 'file' | 'other';

export interface CorefileSource extends Resource {
  /** cluster-dns: kube-system/coredns (and AKS coredns-custom); node-local-dns: a ConfigMap named node-local-dns; file: a Corefile file. */
  readonly role: CorefileRole;
  /** JSON path of the Corefile text in the object (['data', 'Corefile']). */
  readonly path: JsonPath;
  readonly corefile: Corefile;
  /** The Corefile text as written (a few per cluster): rules build their fixes from it. */
  readonly text: string;
  /** Zones the `kubernetes` plugin serves (its first non-reverse arguments), else ['cluster.local']. */
  readonly clusterDomains: readonly string[];
}

/** The Corefile roles the coredns-* rules judge (other ConfigMaps with a Corefile are test or app DNS servers). */
export const JUDGED_ROLES: readonly CorefileRole[] = ['cluster-dns', 'node-local-dns', 'file'];

export function corefileRole(r: Resource): CorefileRole | undefined {
  const { kind, apiVersion, name, namespace } = r.ref;
  if (kind === 'Corefile' && apiVersion.startsWith('dualstack-audit')) return 'file';
  if (kind !== 'ConfigMap' || apiVersion !== 'v1') return undefined;
  // coredns-custom: AKS merges its `*.server` and `*.override` keys into the cluster CoreDNS.
  if ((name === 'coredns' || name === 'coredns-custom') && namespace === 'kube-system') return 'cluster-dns';
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
      const custom = base.ref.name === 'coredns-custom';
      const isServer = key === 'Corefile' || key.endsWith('.Corefile') || (custom && key.endsWith('.server'));
      const isOverride = custom && key.endsWith('.override');
      if (!isServer && !isOverride) continue;
      const corefile = isOverride ? parseCorefile(value, { bodyOf: '.:53' }) : parseCorefile(value);
      out.push({ ...base, role, path: ['data', key], corefile, text: value, clusterDomains: clusterDomainsOf(corefile) });
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
  for (const doc of docs) dnsNamesOf(doc, out);
  return out;
}

/** The DNS names one document publishes or depends on, appended to `out` (the streaming model build takes them as each document is read). */
export function dnsNamesOf(doc: InputDocument, out: DnsNameRef[]): void {
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


// ---- Headless Services: records from their endpoints ----

/** What cluster DNS serves for a headless Service, read from the endpoints in the input. */
export interface HeadlessRecords {
  readonly A: boolean;
  readonly AAAA: boolean;
  /** The evidence: its EndpointSlices, else the Pods its selector matches (with status.podIPs). */
  readonly from: 'EndpointSlice' | 'Pod';
  /** Endpoints counted (ready or of unknown readiness; all with publishNotReadyAddresses). */
  readonly endpoints: number;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Records of headless Services whose endpoints are in the input (EndpointSlices first, as CoreDNS
 * reads them; else Pods with status IPs that the selector matches, within the Service's families).
 * Keyed by "namespace/name". Services whose endpoints are not in the input are absent.
 */
export function headlessRecords(
  services: readonly { readonly ref: { readonly namespace?: string; readonly name: string }; readonly headless: boolean; readonly type: string;
    readonly selector: Readonly<Record<string, string>>; readonly effective: { readonly ipFamilies: readonly string[] } | null }[],
  docs: readonly InputDocument[],
): Map<string, HeadlessRecords> {
  const out = new Map<string, HeadlessRecords>();
  const headless = services.filter((s) => s.headless && s.type !== 'ExternalName' && s.effective);
  if (headless.length === 0) return out;
  const key = (ns: string | undefined, name: string): string => `${ns ?? 'default'}/${name}`;
  const publishNotReady = new Set<string>();
  const slices = new Map<string, { type: string; ready: number; all: number }[]>();
  const pods: { ns: string; labels: Record<string, string>; families: Set<string> }[] = [];
  for (const doc of docs) {
    const o = doc.object;
    const meta = obj(o.metadata);
    const ns = str(meta.namespace) ?? 'default';
    if (o.kind === 'Service' && o.apiVersion === 'v1' && obj(o.spec).publishNotReadyAddresses === true) {
      publishNotReady.add(key(ns, str(meta.name) ?? ''));
    } else if (o.kind === 'EndpointSlice' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('discovery.k8s.io/')) {
      const svc = str(obj(meta.labels)[SERVICE_NAME_LABEL]);
      if (!svc) continue;
      const k = key(ns, svc);
      const eps = arr(o.endpoints).map(obj).filter((e) => arr(e.addresses).length > 0);
      const ready = eps.filter((e) => obj(e.conditions).ready !== false).length;
      const list = slices.get(k) ?? [];
      list.push({ type: str(o.addressType) ?? '', ready, all: eps.length });
      slices.set(k, list);
    } else if (o.kind === 'Pod' && o.apiVersion === 'v1') {
      const status = obj(o.status);
      const ips = arr(status.podIPs).map((p) => str(obj(p).ip)).filter((s): s is string => s !== undefined);
      if (ips.length === 0 && str(status.podIP)) ips.push(str(status.podIP)!);
      const families = new Set(ips.map((ip) => parseIP(ip)?.family).filter((f): f is 'IPv4' | 'IPv6' => f !== undefined));
      if (families.size > 0) pods.push({ ns, labels: stringMap(meta.labels), families });
    }
  }
  for (const s of headless) {
    const k = key(s.ref.namespace, s.ref.name);
    const sl = slices.get(k);
    if (sl && sl.length > 0) {
      const all = publishNotReady.has(k);
      const count = (fam: string): number => sl.filter((x) => x.type === fam).reduce((a, x) => a + (all ? x.all : x.ready), 0);
      const v4 = count('IPv4');
      const v6 = count('IPv6');
      out.set(k, { A: v4 > 0, AAAA: v6 > 0, from: 'EndpointSlice', endpoints: v4 + v6 });
      continue;
    }
    const sel = Object.entries(s.selector);
    if (sel.length === 0) continue;
    const matched = pods.filter((p) => p.ns === (s.ref.namespace ?? 'default') && sel.every(([lk, lv]) => p.labels[lk] === lv));
    if (matched.length === 0) continue;
    const fams = s.effective!.ipFamilies;
    const has = (f: 'IPv4' | 'IPv6'): boolean => fams.includes(f) && matched.some((p) => p.families.has(f));
    out.set(k, { A: has('IPv4'), AAAA: has('IPv6'), from: 'Pod', endpoints: matched.length });
  }
  return out;
}

// ---- Facts of Corefiles the coredns-* rules read -----------------------------------------------

/** One zone is inside the other (a template for `.` covers cluster.local; one for svc.cluster.local is inside it). */
export const zonesOverlap = (a: string, b: string): boolean => zoneCovers(a, b) || zoneCovers(b, a);

/** The cluster domain zones a list of zones touches. */
export const clusterZonesIn = (zones: readonly string[], domains: readonly string[]): string[] =>
  domains.filter((d) => zones.some((z) => zonesOverlap(z, d)));

/** Zones a server block serves (placeholders left out: unknown). */
export const blockZones = (b: ServerBlock): string[] => b.keys.filter((k) => !k.placeholder).map((k) => k.zone);

/** Every directive, nested ones included, with the top-level directive it belongs to. */
export function* walk(ds: readonly CorefileDirective[]): Generator<CorefileDirective> {
  for (const d of ds) {
    yield d;
    if (d.block) yield* walk(d.block);
  }
}

// GKE frontends and Cloud Armor: Ingresses handled by ingress-gce, the Services Google's L7
// proxies consume (Ingress backends, HTTPRoutes attached to gke-l7-* Gateways), the GKE L4
// facts of LoadBalancer Services (finalizers), and Cloud Armor policies in the input (Config
// Connector ComputeSecurityPolicy, or a `gcloud compute security-policies describe` export read
// by load/cloud-armor.ts). Pure. Sources: SEMANTICS-FRONTENDS.md sections 1, 2, 3 and 5.

import type { Family, InputDocument, JsonPath, ResourceRef, SourceRef } from './types.ts';
import { parseCIDR, parseIP } from '../emulate/ip.ts';
import { canonical, isObject, str, toResource, type Resource } from './resources.ts';
import type { Service } from './services.ts';
import { coexist, noDuplicates, type Coexistence } from './coexist.ts';

/** The synthetic apiVersion/kind a Cloud Armor export file becomes (load/cloud-armor.ts). */
export const CLOUD_ARMOR_EXPORT_API_VERSION = 'dualstack-audit.local/v1';
export const CLOUD_ARMOR_EXPORT_KIND = 'CloudArmorPolicyExport';

export const GLOBAL_STATIC_IP = 'kubernetes.io/ingress.global-static-ip-name';
export const REGIONAL_STATIC_IP = 'kubernetes.io/ingress.regional-static-ip-name';
export const INGRESS_CLASS = 'kubernetes.io/ingress.class';
export const L4_STATIC_IPS = 'networking.gke.io/load-balancer-ip-addresses';
export const NETWORK_TIER = 'cloud.google.com/network-tier';
export const L4_RBS = 'cloud.google.com/l4-rbs';
export const LB_TYPE_ANNOTATIONS = ['networking.gke.io/load-balancer-type', 'cloud.google.com/load-balancer-type'];

/** The ingress-gce classes (igce:pkg/annotations/ingress.go). */
export const GKE_INGRESS_CLASSES = new Set(['gce', 'gce-internal', 'gce-regional-external']);
/** Annotations whose difference between the two Ingresses of a pair changes what each frontend serves. */
export const PAIR_ANNOTATIONS = [
  'networking.gke.io/managed-certificates', 'ingress.gcp.kubernetes.io/pre-shared-cert', 'networking.gke.io/v1beta1.FrontendConfig',
  'kubernetes.io/ingress.allow-http', 'networking.gke.io/suppress-firewall-xpn-error',
];

export interface IngressBackend {
  readonly service: string;
  readonly port?: string;
  readonly path: JsonPath;
}

export interface GkeIngress extends Resource {
  /** gce, gce-internal or gce-regional-external. */
  readonly cls: string;
  /** The class came from the annotation, or is ingress-gce's default for an Ingress with neither annotation nor ingressClassName. */
  readonly classFrom: 'annotation' | 'default';
  /** The static address annotation (global for gce, regional for the regional classes). */
  readonly staticIP?: { readonly name: string; readonly annotation: string; readonly path: JsonPath };
  /** Both annotations are set (ingress-gce refuses the Ingress). */
  readonly bothStaticIPs: boolean;
  readonly backends: readonly IngressBackend[];
  /** Sorted, unique "service:port" of every backend: the pair key. */
  readonly backendKey: string;
  /** Canonical JSON of spec.rules, spec.defaultBackend and spec.tls, for the pair comparison. */
  readonly rulesKey: string;
  readonly tlsKey: string;
  readonly defaultBackendKey: string;
  /** status.loadBalancer.ingress[].ip with their families (live objects, snapshots). */
  readonly statusIPs: readonly { readonly ip: string; readonly family?: Family }[];
}

/** A Google L7 proxy that consumes a Service. */
export interface L7Consumer {
  readonly ref: ResourceRef;
  /** Where the Ingress or HTTPRoute is: it consumes only copies of the Service that can be applied with it. */
  readonly source?: SourceRef;
  /** gce..., or the gke-l7-* GatewayClass of the Gateway an HTTPRoute attaches to. */
  readonly cls: string;
}

export interface ArmorAddress {
  readonly text: string;
  /** undefined for '*' (both families) and for text that does not parse. */
  readonly family?: Family;
  readonly any: boolean;
  readonly path: JsonPath;
}

export interface ArmorRule {
  readonly priority: number;
  readonly action: string;
  readonly preview: boolean;
  /** match.config.srcIpRanges, and inIpRange(origin.ip, '...') literals of match.expr.expression. */
  readonly addresses: readonly ArmorAddress[];
  /** The rule matches on something else than source addresses (a CEL expression with other terms, no match at all). */
  readonly otherMatch: boolean;
  readonly path: JsonPath;
}

export interface ArmorPolicy extends Resource {
  /** The Cloud Armor policy's own name (Config Connector resourceID or metadata.name; the export's name). */
  readonly policyName: string;
  readonly from: 'ComputeSecurityPolicy' | 'export';
  readonly rules: readonly ArmorRule[];
  readonly rulesPath: JsonPath;
  /** The rule of priority 2147483647, when the input has it; otherwise Cloud Armor's default allow. */
  readonly defaultRule?: ArmorRule;
  readonly defaultAllows: boolean;
}

/** A Gateway's spec.addresses as written, and its live status.addresses. */
export interface GatewayAddresses extends Resource {
  readonly gatewayClassName?: string;
  readonly addresses: readonly { readonly type: string; readonly value?: string; readonly path: JsonPath }[];
  readonly statusAddresses: readonly { readonly type: string; readonly value: string; readonly family?: Family; readonly path: JsonPath }[];
}

export interface GkeModel {
  readonly ingresses: readonly GkeIngress[];
  /** Every Gateway (gateway.networking.k8s.io), for the address checks. */
  readonly gateways: readonly GatewayAddresses[];
  /** Services (by "namespace/name") consumed by Google L7 proxies: GKE Ingress backends, HTTPRoutes on gke-l7-* Gateways. */
  readonly l7Backends: ReadonlyMap<string, readonly L7Consumer[]>;
  /** metadata.finalizers of Services (live: tells which GKE L4 controller owns a LoadBalancer). */
  readonly serviceFinalizers: ReadonlyMap<string, readonly string[]>;
  readonly armorPolicies: readonly ArmorPolicy[];
  /** Files that show GKE (GKE annotations, labels or node selectors, GKE kinds, gke-l7 classes). */
  readonly gkeFiles: ReadonlySet<string>;
  /** Every object of the input is on GKE: --platform gke (or the config file), or the cluster itself shows it (model/platform.ts clusterGkeEvidence). */
  readonly gkeEverywhere: boolean;
}

export const svcKey = (ns: string | undefined, name: string): string => `${ns ?? 'default'}/${name}`;

const group = (v: unknown): string => (typeof v === 'string' && v.includes('/') ? v.slice(0, v.indexOf('/')) : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export { canonical };

const GKE_MARK = /(cloud\.google\.com\/|networking\.gke\.io|gke-l7-|ingress\.gcp\.kubernetes\.io|kubernetes\.io\/ingress\.(global|regional)-static-ip-name)/;
const GKE_KINDS = new Set(['BackendConfig', 'FrontendConfig', 'ManagedCertificate', 'GCPBackendPolicy', 'GCPGatewayPolicy', 'HealthCheckPolicy', 'ComputeSecurityPolicy', 'PodMonitoring', 'ClusterPodMonitoring']);

/** GKE kinds, API groups, annotations, labels, classes or node selectors: the file is written for GKE. */
export function hasGkeMark(o: Readonly<Record<string, unknown>>): boolean {
  if (typeof o.kind === 'string' && GKE_KINDS.has(o.kind)) return true;
  if (typeof o.apiVersion === 'string' && /\.gke\.io\/|cnrm\.cloud\.google\.com|cloud\.google\.com\//.test(o.apiVersion)) return true;
  const meta = isObject(o.metadata) ? o.metadata : {};
  for (const m of [meta.annotations, meta.labels]) if (isObject(m) && Object.keys(m).some((k) => GKE_MARK.test(k))) return true;
  const spec = isObject(o.spec) ? o.spec : {};
  if (typeof spec.gatewayClassName === 'string' && spec.gatewayClassName.startsWith('gke-l7-')) return true;
  if (typeof spec.loadBalancerClass === 'string' && spec.loadBalancerClass.startsWith('networking.gke.io/')) return true;
  const tpl = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : spec;
  if (isObject(tpl.nodeSelector) && Object.keys(tpl.nodeSelector).some((k) => k.startsWith('cloud.google.com/'))) return true;
  return false;
}

function backendOf(v: unknown, path: JsonPath): IngressBackend | undefined {
  if (!isObject(v)) return undefined;
  if (isObject(v.service)) {
    const name = str(v.service.name);
    if (!name) return undefined;
    const p = isObject(v.service.port) ? v.service.port : {};
    const port = p.number !== undefined ? String(p.number) : str(p.name);
    return { service: name, ...(port !== undefined ? { port } : {}), path };
  }
  const name = str(v.serviceName); // extensions/v1beta1, networking.k8s.io/v1beta1
  if (!name) return undefined;
  return { service: name, ...(v.servicePort !== undefined ? { port: String(v.servicePort) } : {}), path };
}

/**
 * Evidence that a class-less Ingress is on GKE, where ingress-gce takes it as gce: the platform is
 * GKE for the whole input (given, or read from the cluster itself), the Ingress or its own file
 * shows GKE, or a backend Service that can be applied with it carries GKE annotations (NEG,
 * BackendConfig). GKE objects in unrelated files are no evidence: the input may hold several projects.
 */
interface DefaultClassEvidence {
  readonly gkeInput: boolean;
  readonly gkeFiles: ReadonlySet<string>;
  /** GKE-annotated Services by "namespace/name", with where each copy is. */
  readonly gkeServices: ReadonlyMap<string, readonly (SourceRef | undefined)[]>;
  readonly coexistence: Coexistence;
}

function ingress(doc: InputDocument, ev: DefaultClassEvidence): GkeIngress | undefined {
  const r = toResource(doc);
  const spec = isObject(doc.object.spec) ? doc.object.spec : {};
  const annClass = r.annotations[INGRESS_CLASS];
  const backends: IngressBackend[] = [];
  const db = backendOf(spec.defaultBackend ?? spec.backend, ['spec', spec.defaultBackend !== undefined ? 'defaultBackend' : 'backend']);
  if (db) backends.push(db);
  list(spec.rules).forEach((rule, i) => {
    if (!isObject(rule) || !isObject(rule.http)) return;
    list(rule.http.paths).forEach((p, j) => {
      const b = isObject(p) ? backendOf(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']) : undefined;
      if (b) backends.push(b);
    });
  });
  let cls: string;
  let classFrom: GkeIngress['classFrom'];
  if (annClass !== undefined) {
    if (!GKE_INGRESS_CLASSES.has(annClass)) return undefined;
    cls = annClass;
    classFrom = 'annotation';
  } else {
    if (spec.ingressClassName !== undefined) return undefined;
    const gke = ev.gkeInput || Object.keys(r.annotations).some((k) => GKE_MARK.test(k)) || (r.source !== undefined && ev.gkeFiles.has(r.source.file))
      || backends.some((b) => (ev.gkeServices.get(svcKey(r.ref.namespace, b.service)) ?? []).some((s) => coexist(ev.coexistence, s, r.source)));
    if (!gke) return undefined;
    cls = 'gce';
    classFrom = 'default';
  }
  const g = r.annotations[GLOBAL_STATIC_IP];
  const rg = r.annotations[REGIONAL_STATIC_IP];
  const regional = cls !== 'gce';
  const pick = regional ? (rg !== undefined ? REGIONAL_STATIC_IP : g !== undefined ? GLOBAL_STATIC_IP : undefined)
    : (g !== undefined ? GLOBAL_STATIC_IP : rg !== undefined ? REGIONAL_STATIC_IP : undefined);
  const status = isObject(doc.object.status) ? doc.object.status : {};
  const lb = isObject(status.loadBalancer) ? status.loadBalancer : {};
  const statusIPs = list(lb.ingress).flatMap((e) => {
    if (!isObject(e) || typeof e.ip !== 'string') return [];
    const ip = parseIP(e.ip.trim());
    return [{ ip: e.ip, ...(ip ? { family: ip.family } : {}) }];
  });
  return {
    ...r, cls, classFrom,
    ...(pick ? { staticIP: { name: r.annotations[pick]!, annotation: pick, path: ['metadata', 'annotations', pick] } } : {}),
    bothStaticIPs: g !== undefined && rg !== undefined,
    backends,
    backendKey: [...new Set(backends.map((b) => `${b.service}:${b.port ?? ''}`))].sort().join(','),
    rulesKey: canonical(spec.rules ?? []),
    tlsKey: canonical(spec.tls ?? []),
    defaultBackendKey: canonical(spec.defaultBackend ?? spec.backend ?? null),
    statusIPs,
  };
}

// ---- Cloud Armor ----------------------------------------------------------------------------

const DEFAULT_PRIORITY = 2147483647;

/** inIpRange(origin.ip, '...') literals of a CEL expression (with their index in the text). */
export function inIpRangeLiterals(expr: string): string[] {
  const out: string[] = [];
  const re = /inIpRange\(\s*origin\.ip\s*,\s*['"]([^'"]*)['"]\s*\)/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) out.push(m[1]!);
  return out;
}

function armorAddress(text: string, path: JsonPath): ArmorAddress {
  const t = text.trim();
  if (t === '*') return { text, any: true, path };
  const c = parseCIDR(t) ?? (parseIP(t) ? parseCIDR(`${t}/${t.includes(':') ? 128 : 32}`) : undefined);
  return { text, any: false, ...(c ? { family: c.family } : {}), path };
}

function armorRule(v: unknown, path: JsonPath): ArmorRule | undefined {
  if (!isObject(v)) return undefined;
  const match = isObject(v.match) ? v.match : {};
  const config = isObject(match.config) ? match.config : {};
  const addresses: ArmorAddress[] = [];
  list(config.srcIpRanges).forEach((s, i) => {
    if (typeof s === 'string') addresses.push(armorAddress(s, [...path, 'match', 'config', 'srcIpRanges', i]));
  });
  let otherMatch = false;
  const expr = isObject(match.expr) ? str(match.expr.expression) : undefined;
  if (expr !== undefined) {
    for (const lit of inIpRangeLiterals(expr)) addresses.push(armorAddress(lit, [...path, 'match', 'expr', 'expression']));
    // Anything beyond inIpRange terms joined by || (a header, a region code, &&) is another criterion.
    const rest = expr.replace(/inIpRange\(\s*origin\.ip\s*,\s*['"][^'"]*['"]\s*\)/g, '').replace(/[\s()|]/g, '');
    if (rest !== '') otherMatch = true;
  }
  if (addresses.length === 0 && expr === undefined) otherMatch = true;
  const pr = typeof v.priority === 'number' ? v.priority : Number(v.priority);
  return {
    priority: Number.isFinite(pr) ? pr : DEFAULT_PRIORITY,
    action: (str(v.action) ?? '').toLowerCase(),
    preview: v.preview === true || v.preview === 'true',
    addresses, otherMatch, path,
  };
}

function armorPolicy(doc: InputDocument, from: ArmorPolicy['from']): ArmorPolicy {
  const r = toResource(doc);
  const o = doc.object;
  const spec = from === 'export' ? o : isObject(o.spec) ? o.spec : {};
  const key = from === 'export' ? 'rules' : 'rule';
  const rulesPath: JsonPath = from === 'export' ? ['rules'] : ['spec', 'rule'];
  const rules = list(spec[key]).flatMap((x, i) => {
    const a = armorRule(x, [...rulesPath, i]);
    return a ? [a] : [];
  });
  const defaultRule = rules.find((x) => x.priority === DEFAULT_PRIORITY);
  const policyName = from === 'export' ? (str(o.name) ?? r.ref.name) : (str(spec.resourceID) ?? r.ref.name);
  return {
    ...r, policyName, from, rules, rulesPath,
    ...(defaultRule ? { defaultRule } : {}),
    defaultAllows: defaultRule ? defaultRule.action === 'allow' : true,
  };
}

// ---- Build ----------------------------------------------------------------------------------

/**
 * platformGke: the whole input runs on GKE (--platform gke or the config file, or the cluster
 * itself shows it: model/platform.ts clusterEvidence). Links are made only between objects that
 * can coexist (model/coexist.ts).
 */
export function buildGkeModel(docs: readonly InputDocument[], platformGke = false, coexistence: Coexistence = noDuplicates(),
  /** Files with a GKE mark, in input order, taken as the documents were read (the streaming build drops some documents). */
  markedFiles: Iterable<string> = []): GkeModel {
  const gkeFiles = new Set<string>(markedFiles);
  const gkeServices = new Map<string, (SourceRef | undefined)[]>();
  for (const d of docs) {
    if (d.source && !gkeFiles.has(d.source.file) && hasGkeMark(d.object)) gkeFiles.add(d.source.file);
    if (d.object.kind === 'Service' && d.object.apiVersion === 'v1') {
      const r = toResource(d);
      if (!Object.keys(r.annotations).some((k) => GKE_KEY.test(k))) continue;
      const k = svcKey(r.ref.namespace, r.ref.name);
      const l = gkeServices.get(k);
      if (l) l.push(d.source);
      else gkeServices.set(k, [d.source]);
    }
  }
  // A class-less Ingress is gce where the platform is GKE and no IngressClass (another controller's default) is declared.
  const gkeInput = platformGke && !docs.some((d) => d.object.kind === 'IngressClass');
  const ev: DefaultClassEvidence = { gkeInput, gkeFiles, gkeServices, coexistence };
  const ingresses: GkeIngress[] = [];
  const armorPolicies: ArmorPolicy[] = [];
  const serviceFinalizers = new Map<string, string[]>();
  const gatewayClass = new Map<string, { cls: string; source?: SourceRef }[]>();
  const gateways: GatewayAddresses[] = [];
  const routes: InputDocument[] = [];
  for (const d of docs) {
    const o = d.object;
    const g = group(o.apiVersion);
    if (o.kind === 'Ingress' && (g === 'networking.k8s.io' || g === 'extensions')) {
      const i = ingress(d, ev);
      if (i) ingresses.push(i);
    } else if (o.kind === 'Gateway' && g === 'gateway.networking.k8s.io') {
      const r = toResource(d);
      const spec = isObject(o.spec) ? o.spec : {};
      const status = isObject(o.status) ? o.status : {};
      const cls = str(spec.gatewayClassName);
      if (cls) {
        const k = svcKey(r.ref.namespace, r.ref.name);
        const e = { cls, ...(r.source ? { source: r.source } : {}) };
        const l = gatewayClass.get(k);
        if (l) l.push(e);
        else gatewayClass.set(k, [e]);
      }
      gateways.push({
        ...r, ...(cls ? { gatewayClassName: cls } : {}),
        addresses: list(spec.addresses).map((a, i) => {
          const x = isObject(a) ? a : {};
          const value = x.value === undefined || x.value === null ? undefined : String(x.value);
          return { type: str(x.type) ?? 'IPAddress', ...(value !== undefined ? { value } : {}), path: ['spec', 'addresses', i] };
        }),
        statusAddresses: list(status.addresses).flatMap((a, i) => {
          if (!isObject(a) || typeof a.value !== 'string') return [];
          const type = str(a.type) ?? 'IPAddress';
          const ip = type === 'IPAddress' ? parseIP(a.value.trim()) : undefined;
          return [{ type, value: a.value, ...(ip ? { family: ip.family } : {}), path: ['status', 'addresses', i] }];
        }),
      });
    } else if (o.kind === 'HTTPRoute' && g === 'gateway.networking.k8s.io') {
      routes.push(d);
    } else if (o.kind === 'ComputeSecurityPolicy' && g === 'compute.cnrm.cloud.google.com') {
      armorPolicies.push(armorPolicy(d, 'ComputeSecurityPolicy'));
    } else if (o.kind === CLOUD_ARMOR_EXPORT_KIND && o.apiVersion === CLOUD_ARMOR_EXPORT_API_VERSION) {
      armorPolicies.push(armorPolicy(d, 'export'));
    } else if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const meta = isObject(o.metadata) ? o.metadata : {};
      const f = list(meta.finalizers).filter((x): x is string => typeof x === 'string');
      if (f.length > 0) {
        const r = toResource(d);
        serviceFinalizers.set(svcKey(r.ref.namespace, r.ref.name), f);
      }
    }
  }

  const l7Backends = new Map<string, L7Consumer[]>();
  const add = (k: string, c: L7Consumer): void => {
    const l = l7Backends.get(k);
    if (!l) l7Backends.set(k, [c]);
    else if (!l.some((x) => x.ref.kind === c.ref.kind && x.ref.namespace === c.ref.namespace && x.ref.name === c.ref.name && x.source?.file === c.source?.file)) l.push(c);
  };
  for (const i of ingresses) for (const b of i.backends) add(svcKey(i.ref.namespace, b.service), { ref: i.ref, cls: i.cls, ...(i.source ? { source: i.source } : {}) });
  for (const d of routes) {
    const r = toResource(d);
    const spec = isObject(d.object.spec) ? d.object.spec : {};
    const classes = list(spec.parentRefs).flatMap((p) => {
      if (!isObject(p) || (str(p.kind) ?? 'Gateway') !== 'Gateway') return [];
      const copies = gatewayClass.get(svcKey(str(p.namespace) ?? r.ref.namespace, str(p.name) ?? '')) ?? [];
      return copies.filter((g) => g.cls.startsWith('gke-l7-') && coexist(coexistence, g.source, r.source)).map((g) => g.cls);
    });
    if (classes.length === 0) continue;
    for (const rule of list(spec.rules)) {
      if (!isObject(rule)) continue;
      for (const b of list(rule.backendRefs)) {
        if (!isObject(b) || (str(b.kind) ?? 'Service') !== 'Service' || (str(b.group) ?? '') !== '') continue;
        const name = str(b.name);
        if (name) add(svcKey(str(b.namespace) ?? r.ref.namespace, name), { ref: r.ref, cls: classes[0]!, ...(r.source ? { source: r.source } : {}) });
      }
    }
  }
  return { ingresses, gateways, l7Backends, serviceFinalizers, armorPolicies, gkeFiles, gkeEverywhere: platformGke };
}

// ---- Links read by the rules: only between objects that can coexist --------------------------------

/** The Google L7 proxies that consume this copy of a Service: Ingresses and HTTPRoutes that can be applied with it. */
export function l7ConsumersOf(
  svc: Pick<Resource, 'ref' | 'source'>, model: { readonly gke: Pick<GkeModel, 'l7Backends'>; readonly coexistence: Coexistence },
): readonly L7Consumer[] {
  const all = model.gke.l7Backends.get(svcKey(svc.ref.namespace, svc.ref.name)) ?? [];
  return model.coexistence.variants.size === 0 ? all : all.filter((c) => coexist(model.coexistence, c.source, svc.source));
}

/** Annotations that choose the certificates an Ingress serves. */
const CERT_ANNOTATIONS = ['networking.gke.io/managed-certificates', 'ingress.gcp.kubernetes.io/pre-shared-cert'];

const familyStem = (s: string): string => s.toLowerCase().replace(/[-_.]?(ipv6|ip6|v6|ipv4|ip4|v4)$/, '');

/**
 * Two GKE Ingresses that serve one site, so that one may be the other family's frontend: same
 * namespace, can be applied together, and either both name static addresses and their names and
 * address names differ only by a family suffix (-v6, -ipv6, -v4), or they have the same class,
 * backends, rules (hosts and paths), default backend, TLS and certificate annotations. Sharing a
 * backend alone is not enough: two sites (another path, certificate or IAP setting) may use one Service.
 */
export function sameSite(a: GkeIngress, b: GkeIngress, coexistence: Coexistence): boolean {
  if (a === b || a.ref.namespace !== b.ref.namespace || !coexist(coexistence, a.source, b.source)) return false;
  if (a.staticIP && b.staticIP && a.ref.name !== b.ref.name && familyStem(a.ref.name) === familyStem(b.ref.name)
    && familyStem(a.staticIP.name) === familyStem(b.staticIP.name)) return true;
  return a.backendKey !== '' && a.backendKey === b.backendKey && a.cls === b.cls && a.rulesKey === b.rulesKey
    && a.defaultBackendKey === b.defaultBackendKey && a.tlsKey === b.tlsKey && CERT_ANNOTATIONS.every((k) => a.annotations[k] === b.annotations[k]);
}

// ---- Facts of a Service on GKE (read by the GKE rules) ------------------------------------------

const GKE_KEY = /(cloud\.google\.com\/|networking\.gke\.io\/)/;

/**
 * The Service is on GKE: every object is (--platform gke, the config file, or a GKE cluster or GKE
 * Nodes in the input), or its own annotations or class are GKE's, or its file shows GKE. GKE
 * objects in other files are no evidence: the input may gather several projects (the report's
 * inferred platform still names them).
 */
export const onGke = (
  svc: Pick<Service, 'annotations' | 'loadBalancerClass' | 'source'>,
  model: { readonly gke: Pick<GkeModel, 'gkeEverywhere' | 'gkeFiles'>; readonly platform: { readonly name: string; readonly from: string } },
): boolean =>
  model.gke.gkeEverywhere
  || Object.keys(svc.annotations).some((k) => GKE_KEY.test(k))
  || (svc.loadBalancerClass?.startsWith('networking.gke.io/') ?? false)
  // --platform generic: only the Service's own annotations and class say GKE.
  || (svc.source !== undefined && model.gke.gkeFiles.has(svc.source.file) && !(model.platform.name === 'generic' && (model.platform.from === 'flag' || model.platform.from === 'config')));

/** An internal passthrough LB by annotation (the class is read separately). */
export function internalAnnotation(svc: Service): string | undefined {
  for (const k of LB_TYPE_ANNOTATIONS) {
    const v = svc.annotations[k];
    if (v !== undefined && v.toLowerCase() === 'internal') return k;
  }
  return undefined;
}

export const isInternal = (svc: Service): boolean =>
  svc.loadBalancerClass === 'networking.gke.io/l4-regional-internal' || svc.loadBalancerClass === 'networking.gke.io/l4-regional-internal-legacy'
  || (svc.loadBalancerClass === undefined && internalAnnotation(svc) !== undefined);

export const finalizersOf = (svc: Service, model: { readonly gke: Pick<GkeModel, 'serviceFinalizers'> }): readonly string[] =>
  model.gke.serviceFinalizers.get(svcKey(svc.ref.namespace, svc.ref.name)) ?? [];

// ---- Facts of Cloud Armor rules -----------------------------------------------------------------

/** Enforced rules other than the default one (preview rules are logged, not enforced). */
export const enforced = (p: ArmorPolicy): ArmorRule[] => p.rules.filter((r) => !r.preview && r.priority !== 2147483647);

export const isDeny = (action: string): boolean => action.startsWith('deny') || action === 'throttle' || action === 'rate_based_ban';

/** The families a rule's addresses name: '*' counts for both. */
export function familiesOf(r: ArmorRule): { v4: boolean; v6: boolean } {
  return {
    v4: r.addresses.some((a) => a.any || a.family === 'IPv4'),
    v6: r.addresses.some((a) => a.any || a.family === 'IPv6'),
  };
}

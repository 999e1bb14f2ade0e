// Service records: the declared IP fields, what the apiserver makes of them on the target
// cluster (service-families.ts), and the DNS records cluster DNS will serve for them.

import { otherFamily, type Family, type InputDocument, type JsonPath } from './types.ts';
import { intern, isObject, str, stringMap, toResource, type Resource } from './resources.ts';
import { exact, NONE } from './paths.ts';
import { resolveServiceFamilies, type FamilyResult, type FieldError, type IPFamilyPolicy } from '../emulate/service-families.ts';

export const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export interface ServiceDeclared {
  readonly ipFamilyPolicy?: unknown;
  readonly ipFamilies?: unknown;
  readonly clusterIP?: unknown;
  readonly clusterIPs?: unknown;
}

export interface Service extends Resource {
  readonly type: string;
  /** clusterIP "None" (the allocator's definition). */
  readonly headless: boolean;
  readonly selector: Readonly<Record<string, string>>;
  readonly selectorless: boolean;
  readonly declared: ServiceDeclared;
  /** What the apiserver allocates on create; null for ExternalName or when rejected. */
  readonly effective: { readonly ipFamilyPolicy: IPFamilyPolicy; readonly ipFamilies: readonly Family[] } | null;
  /**
   * What the apiserver would allocate on a dual-stack cluster with the same primary family:
   * the migration target. Equal to `effective` when the cluster is already dual-stack.
   */
  readonly effectiveWhenDual: { readonly ipFamilyPolicy: IPFamilyPolicy; readonly ipFamilies: readonly Family[] } | null;
  /** Create-time rejection, the apiserver's errors in its order. */
  readonly rejected: readonly FieldError[];
  /**
   * Cluster families undetermined (model/families.ts): the rejections another candidate family list
   * would give that the assumed one does not. The rule says what to verify, not that it is rejected.
   */
  readonly rejectedIf?: readonly { readonly families: readonly Family[]; readonly errors: readonly FieldError[] }[];
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerSourceRanges?: { readonly values: readonly string[]; readonly from: 'spec' | 'annotation' };
  readonly loadBalancerIP?: string;
  readonly loadBalancerClass?: string;
  readonly externalName?: string;
  /** status.loadBalancer.ingress[].ip (live objects, snapshots). */
  readonly lbIngressIPs: readonly string[];
  /** Records cluster DNS serves for <name>.<ns>.svc (ExternalName: a CNAME, neither A nor AAAA). */
  readonly dns: { readonly A: boolean; readonly AAAA: boolean; readonly CNAME?: string };
}

type Effective = NonNullable<Service['effective']>;
const policyKey = (policy: string, families: readonly string[]): string => `${policy}/${families.join(',')}`;
/** Every (policy, families) a Service can get, one frozen record each: Services share them. */
const EFFECTIVE: ReadonlyMap<string, Effective> = new Map(
  (['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const).flatMap((ipFamilyPolicy) =>
    ([['IPv4'], ['IPv6'], ['IPv4', 'IPv6'], ['IPv6', 'IPv4']] as const).map((f): [string, Effective] =>
      [policyKey(ipFamilyPolicy, f), Object.freeze({ ipFamilyPolicy, ipFamilies: Object.freeze([...f]) })])),
);
const effectiveOf = (ipFamilyPolicy: IPFamilyPolicy, ipFamilies: readonly Family[]): Effective =>
  EFFECTIVE.get(policyKey(ipFamilyPolicy, ipFamilies)) ?? { ipFamilyPolicy, ipFamilies };
/** The records cluster DNS serves for a Service with A and/or AAAA records, shared. */
const DNS: readonly Service['dns'][] = [false, true].flatMap((A) => [false, true].map((AAAA) => Object.freeze({ A, AAAA })));
const dnsOf = (A: boolean, AAAA: boolean): Service['dns'] => DNS[(A ? 2 : 0) + (AAAA ? 1 : 0)]!;

const strList = (v: unknown): readonly string[] => (Array.isArray(v) ? exact(v.filter((x): x is string => typeof x === 'string')) : NONE);

export function buildService(doc: InputDocument, clusterFamilies: readonly Family[], candidates?: readonly (readonly Family[])[]): Service {
  const base = toResource(doc);
  const o = doc.object;
  const spec = isObject(o.spec) ? o.spec : {};
  const status = isObject(o.status) ? o.status : {};
  const type = typeof spec.type === 'string' ? intern(spec.type) : 'ClusterIP';
  const selector = stringMap(spec.selector);
  const annotationRanges = base.annotations[SOURCE_RANGES_ANNOTATION];
  const input = {
    type: spec.type, clusterIP: spec.clusterIP, clusterIPs: spec.clusterIPs, ipFamilies: spec.ipFamilies,
    ipFamilyPolicy: spec.ipFamilyPolicy, selector: spec.selector, externalIPs: spec.externalIPs,
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges, sourceRangesAnnotation: annotationRanges,
  };
  const result: FamilyResult = resolveServiceFamilies(input, clusterFamilies);
  const effective = result.ok && type !== 'ExternalName'
    ? effectiveOf(result.ipFamilyPolicy, result.ipFamilies)
    : null;
  let effectiveWhenDual = effective;
  if (clusterFamilies.length === 1 && type !== 'ExternalName') {
    const dual = resolveServiceFamilies(input, [clusterFamilies[0]!, otherFamily(clusterFamilies[0]!)]);
    effectiveWhenDual = dual.ok ? effectiveOf(dual.ipFamilyPolicy, dual.ipFamilies) : null;
  }
  const errorKey = (e: FieldError): string => `${e.field}|${e.detail}`;
  const certain = new Set((result.ok ? [] : result.errors).map(errorKey));
  const rejectedIf = (candidates ?? []).flatMap((fams) => {
    if (fams.length === clusterFamilies.length && fams.every((f, i) => f === clusterFamilies[i])) return [];
    const r = resolveServiceFamilies(input, fams);
    const errors = r.ok ? [] : r.errors.filter((e) => !certain.has(errorKey(e)));
    return errors.length > 0 ? [{ families: fams, errors }] : [];
  });
  const declared: Record<string, unknown> = {};
  for (const k of ['ipFamilyPolicy', 'ipFamilies', 'clusterIP', 'clusterIPs'] as const) {
    if (spec[k] !== undefined) declared[k] = spec[k];
  }
  const specRanges = strList(spec.loadBalancerSourceRanges);
  const lbRanges = specRanges.length > 0
    ? { values: specRanges.map((s) => s.trim()), from: 'spec' as const }
    : annotationRanges !== undefined
      ? { values: annotationRanges.split(',').map((s) => s.trim()).filter((s) => s !== ''), from: 'annotation' as const }
      : undefined;
  const lb = isObject(status.loadBalancer) ? status.loadBalancer : {};
  const lbIngressIPs = Array.isArray(lb.ingress)
    ? exact(lb.ingress.flatMap((i) => (isObject(i) && typeof i.ip === 'string' ? [i.ip] : [])))
    : NONE;
  const families = effective?.ipFamilies ?? [];
  const externalName = str(spec.externalName);
  const svc: Service = {
    ...base,
    type,
    headless: spec.clusterIP === 'None',
    selector,
    selectorless: Object.keys(selector).length === 0,
    declared,
    effective,
    effectiveWhenDual,
    rejected: result.ok ? NONE : result.errors,
    ...(rejectedIf.length > 0 ? { rejectedIf } : {}),
    clusterIPs: strList(spec.clusterIPs).length > 0 ? strList(spec.clusterIPs) : str(spec.clusterIP) ? [str(spec.clusterIP)!] : NONE,
    externalIPs: strList(spec.externalIPs),
    lbIngressIPs,
    dns: type === 'ExternalName'
      ? { A: false, AAAA: false, ...(externalName ? { CNAME: externalName } : {}) }
      : dnsOf(families.includes('IPv4'), families.includes('IPv6')),
    ...(lbRanges ? { loadBalancerSourceRanges: lbRanges } : {}),
    ...(str(spec.loadBalancerIP) ? { loadBalancerIP: str(spec.loadBalancerIP) } : {}),
    ...(str(spec.loadBalancerClass) ? { loadBalancerClass: str(spec.loadBalancerClass) } : {}),
    ...(externalName ? { externalName } : {}),
  };
  return svc;
}

// ---- Facts read by several rules ---------------------------------------------------------------

/** The Service will ask for an IPv6 frontend on the dual-stack target cluster. */
export const wantsIPv6 = (svc: Service): boolean =>
  (svc.effectiveWhenDual?.ipFamilies.includes('IPv6') ?? false) || (svc.effective?.ipFamilies.includes('IPv6') ?? false);

/**
 * default/kubernetes, the apiserver's own Service: always single-stack in the primary family and
 * managed by the apiserver (SEMANTICS.md a.7), so nothing a user can change.
 */
export const isApiserverService = (svc: Service): boolean =>
  svc.ref.name === 'kubernetes' && svc.ref.namespace === 'default' && svc.selectorless && svc.type === 'ClusterIP';

/** An IP or CIDR a Service carries, with its field. */
export interface ServiceAddress {
  readonly text: string;
  readonly path: JsonPath;
  readonly field: string;
  readonly kind: 'ip' | 'cidr';
}

/** clusterIP(s), externalIPs, loadBalancerIP and loadBalancerSourceRanges (field or annotation). */
export function serviceAddresses(svc: Service): ServiceAddress[] {
  const out: ServiceAddress[] = [];
  const d = svc.declared;
  if (Array.isArray(d.clusterIPs)) {
    d.clusterIPs.forEach((v, i) => {
      if (typeof v === 'string') out.push({ text: v, path: ['spec', 'clusterIPs', i], field: `spec.clusterIPs[${i}]`, kind: 'ip' });
    });
  } else if (typeof d.clusterIP === 'string') {
    out.push({ text: d.clusterIP, path: ['spec', 'clusterIP'], field: 'spec.clusterIP', kind: 'ip' });
  }
  svc.externalIPs.forEach((v, i) => out.push({ text: v, path: ['spec', 'externalIPs', i], field: `spec.externalIPs[${i}]`, kind: 'ip' }));
  if (svc.loadBalancerIP !== undefined) out.push({ text: svc.loadBalancerIP, path: ['spec', 'loadBalancerIP'], field: 'spec.loadBalancerIP', kind: 'ip' });
  const r = svc.loadBalancerSourceRanges;
  if (r) {
    r.values.forEach((v, i) => out.push(r.from === 'spec'
      ? { text: v, path: ['spec', 'loadBalancerSourceRanges', i], field: `spec.loadBalancerSourceRanges[${i}]`, kind: 'cidr' }
      : { text: v, path: ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION], field: 'the load-balancer-source-ranges annotation', kind: 'cidr' }));
  }
  return out.filter((a) => a.text !== '' && a.text !== 'None');
}

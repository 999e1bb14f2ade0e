// The apiserver's create-time validation and defaulting of Service IP-family fields.
//
// Reproduces, for a given set of cluster Service families (the allocators built from
// --service-cluster-ip-range, primary first):
//   * normalizeClusterIPs on create (clusterIP copied into an empty clusterIPs),
//     k8s:pkg/registry/core/service/storage/storage.go;
//   * initIPFamilyFields, k8s:pkg/registry/core/service/storage/alloc.go, including the
//     loose validation it runs (ValidateServiceClusterIPsRelatedFields);
//   * the create-time static validation of the IP fields in ValidateService,
//     k8s:pkg/apis/core/validation/validation.go (ExternalName, headless LB/NodePort,
//     externalIPs, loadBalancerSourceRanges).
// The apiserver runs the allocator (BeginCreate) before the strategy's validation, so
// allocation errors are reported alone when there are any, as the apiserver does.
// SEMANTICS.md a.2-a.5 is the reference; test/emulate/service-families.test.ts holds its tables.

import type { Family, JsonPath } from '../model/types.ts';
import { parseIP, parseCIDR } from './ip.ts';

export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;

/** The raw Service IP fields as declared (values kept as written, even when of the wrong type). */
export interface ServiceIPInput {
  readonly type?: unknown;
  readonly clusterIP?: unknown;
  readonly clusterIPs?: unknown;
  readonly ipFamilies?: unknown;
  readonly ipFamilyPolicy?: unknown;
  readonly selector?: unknown;
  readonly externalIPs?: unknown;
  readonly loadBalancerSourceRanges?: unknown;
  /** metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] */
  readonly sourceRangesAnnotation?: unknown;
}

export type FieldErrorType = 'Invalid value' | 'Forbidden' | 'Required value' | 'Unsupported value' | 'Duplicate value';

export interface FieldError {
  /** The apiserver's field path, e.g. spec.clusterIPs[1]. */
  readonly field: string;
  /** The same as a JSON path, for positions. */
  readonly path: JsonPath;
  readonly type: FieldErrorType;
  readonly detail: string;
  /** The text the apiserver prints after `Service "x" is invalid: `. */
  readonly message: string;
}

export type FamilyResult =
  | { readonly ok: true; readonly ipFamilyPolicy: IPFamilyPolicy; readonly ipFamilies: readonly Family[];
      /** Non-fatal validation problems would be here; the apiserver has none for these fields. */ }
  | { readonly ok: false; readonly errors: readonly FieldError[]; readonly stage: 'allocation' | 'validation' };

const SERVICE_ANNOTATION_SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

function quote(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[]string{${v.map((x) => JSON.stringify(String(x))).join(', ')}}`;
  if (v === null || v === undefined) return 'null';
  return String(v);
}

export function fieldName(path: JsonPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

export function err(path: JsonPath, type: FieldErrorType, value: unknown, detail: string): FieldError {
  const field = fieldName(path);
  let message: string;
  switch (type) {
    case 'Required value':
      message = `${field}: Required value${detail ? `: ${detail}` : ''}`;
      break;
    case 'Forbidden':
      message = `${field}: Forbidden: ${detail}`;
      break;
    case 'Duplicate value':
      message = `${field}: Duplicate value: ${quote(value)}`;
      break;
    default:
      message = `${field}: ${type}: ${quote(value)}: ${detail}`;
  }
  return { field, path, type, detail, message };
}

/** The JSON type name Go's encoding/json puts in an UnmarshalTypeError ("cannot unmarshal string into ..."). */
const jsonKind = (v: unknown): string =>
  Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'object';

/**
 * A field of the wrong JSON type: the apiserver cannot even decode the object, before any
 * defaulting or validation ('Service in version "v1" cannot be handled as a Service: json: cannot
 * unmarshal string into Go struct field ServiceSpec.spec.ipFamilies of type []v1.IPFamily'; the
 * Go types are those of k8s.io/api/core/v1 ServiceSpec). `ipFamilies: "IPv4"` was read as unset and
 * passed; `ipFamilies: [{a: b}]` printed "[object Object]". The first such field, as Go stops there.
 */
export function decodeError(input: ServiceIPInput): FieldError | undefined {
  const fields: [keyof ServiceIPInput, string, string | undefined][] = [
    ['type', 'v1.ServiceType', undefined],
    ['clusterIP', 'string', undefined],
    ['clusterIPs', '[]string', 'string'],
    ['ipFamilies', '[]v1.IPFamily', 'v1.IPFamily'],
    ['ipFamilyPolicy', 'v1.IPFamilyPolicy', undefined],
  ];
  for (const [key, goType, elemType] of fields) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    let bad: { value: unknown; type: string; path: JsonPath } | undefined;
    if (elemType === undefined) {
      if (typeof v !== 'string') bad = { value: v, type: goType, path: ['spec', key] };
    } else if (!Array.isArray(v)) {
      bad = { value: v, type: goType, path: ['spec', key] };
    } else {
      const i = v.findIndex((x) => x !== null && typeof x !== 'string');
      if (i >= 0) bad = { value: v[i], type: elemType, path: ['spec', key, i] };
    }
    if (bad) {
      const detail = `json: cannot unmarshal ${jsonKind(bad.value)} into Go struct field ServiceSpec.spec.${key} of type ${bad.type} (the apiserver cannot decode the object: "Service in version \"v1\" cannot be handled as a Service")`;
      const shown = typeof bad.value === 'string' ? JSON.stringify(bad.value) : JSON.stringify(bad.value) ?? String(bad.value);
      return { field: fieldName(bad.path), path: bad.path, type: 'Invalid value', detail, message: `${fieldName(bad.path)}: Invalid value: ${shown}: ${detail}` };
    }
  }
  return undefined;
}

export const asStringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : x === null || x === undefined ? '' : String(x))) : undefined;

export const asString = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** Family of a textual IP as Go's net.ParseIP sees it (IPv4-mapped IPv6 counts as IPv4). */
export function ipFamilyOf(ip: string): Family | undefined {
  const p = parseIP(ip, { sloppy: true });
  return p?.family;
}

export function hasSelector(sel: unknown): boolean {
  return sel !== null && typeof sel === 'object' && Object.keys(sel as object).length > 0;
}

const IP_SYNTAX = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** ValidateServiceClusterIPsRelatedFields: the loose validation (V5-V15). */
export function validateClusterIPsRelated(clusterIP: string, clusterIPs: string[], families: string[], policy: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const cipsPath = ['spec', 'clusterIPs'];
  if (clusterIP !== '') {
    if (clusterIPs.length === 0) errs.push(err(cipsPath, 'Required value', undefined, ''));
    else if (clusterIPs[0] !== clusterIP) errs.push(err(cipsPath, 'Invalid value', clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length !== 0) {
    errs.push(err(cipsPath, 'Invalid value', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') {
      errs.push(err(['spec', 'ipFamilies', i], 'Unsupported value', f, 'supported values: "IPv4", "IPv6"'));
    }
    if (seen.has(f)) errs.push(err(['spec', 'ipFamilies', i], 'Duplicate value', f, ''));
    seen.add(f);
  });

  if (policy !== undefined && policy !== null && !(POLICIES as readonly unknown[]).includes(policy)) {
    errs.push(err(['spec', 'ipFamilyPolicy'], 'Unsupported value', policy,
      'supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'));
  }

  let hasInvalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(err(cipsPath, 'Invalid value', clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    if (ipFamilyOf(ip) === undefined) {
      hasInvalidIPs = true;
      errs.push(err([...cipsPath, i], 'Invalid value', ip, IP_SYNTAX));
    }
  });
  if (clusterIPs.length > 2) errs.push(err(cipsPath, 'Invalid value', clusterIPs, 'may only hold up to 2 values'));
  if (hasInvalidIPs) return errs;

  if (clusterIPs.length > 1) {
    const fams = new Set(clusterIPs.map(ipFamilyOf));
    // netutils.IsDualStackIPStrings: exactly one of each family among the list.
    const dual = clusterIPs.length === 2 && fams.size === 2;
    if (!dual) errs.push(err(cipsPath, 'Invalid value', clusterIPs, 'may specify no more than one IP for each IP family'));
  }

  const headless = clusterIPs.length === 1 && clusterIPs[0] === 'None';
  if (!headless && clusterIPs.length > 0 && families.length > 0) {
    clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      const fam = ipFamilyOf(ip);
      // netutils.IsIPv6String is strict: an IPv4-mapped address is not IPv6.
      if (families[i] === 'IPv4' && fam === 'IPv6') {
        errs.push(err([...cipsPath, i], 'Invalid value', ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && fam !== 'IPv6') {
        errs.push(err([...cipsPath, i], 'Invalid value', ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

/** The static create validation of ValidateService for the IP fields that do not depend on the cluster. */
export function validateStatic(input: ServiceIPInput, type: string, clusterIPs: string[], families: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (type === 'ExternalName') {
    const forbidden = 'may not be set for ExternalName services';
    if (clusterIPs.length > 0) errs.push(err(['spec', 'clusterIPs'], 'Forbidden', undefined, forbidden));
    if (families.length > 0) errs.push(err(['spec', 'ipFamilies'], 'Forbidden', undefined, forbidden));
    if (input.ipFamilyPolicy !== undefined && input.ipFamilyPolicy !== null) {
      errs.push(err(['spec', 'ipFamilyPolicy'], 'Forbidden', undefined, forbidden));
    }
  }
  if ((type === 'LoadBalancer' || type === 'NodePort') && clusterIPs.length === 1 && clusterIPs[0] === 'None') {
    errs.push(err(['spec', 'clusterIPs', 0], 'Invalid value', 'None', `may not be set to 'None' for ${type} services`));
  }
  const ext = asStringList(input.externalIPs) ?? [];
  ext.forEach((ip, i) => {
    const p = parseIP(ip, { sloppy: true });
    const path = ['spec', 'externalIPs', i];
    if (!p) {
      errs.push(err(path, 'Invalid value', ip, IP_SYNTAX));
      return;
    }
    const r = p.range;
    if (r === 'unspecified') errs.push(err(path, 'Invalid value', ip, `may not be unspecified (${ip})`));
    if (r === 'loopback') errs.push(err(path, 'Invalid value', ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
    if (r === 'linkLocal') errs.push(err(path, 'Invalid value', ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
    if (r === 'linkLocalMulticast') {
      errs.push(err(path, 'Invalid value', ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
    }
  });
  const ranges = asStringList(input.loadBalancerSourceRanges) ?? [];
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  if (ranges.length > 0) {
    if (type !== 'LoadBalancer') errs.push(err(['spec', 'loadBalancerSourceRanges'], 'Forbidden', undefined, lbOnly));
    ranges.forEach((r, i) => {
      if (!parseCIDR(r.trim(), { sloppy: true })) {
        errs.push(err(['spec', 'loadBalancerSourceRanges', i], 'Invalid value', r, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      }
    });
  } else if (input.sourceRangesAnnotation !== undefined) {
    const annPath = ['metadata', 'annotations', SERVICE_ANNOTATION_SOURCE_RANGES];
    if (type !== 'LoadBalancer') errs.push(err(annPath, 'Forbidden', undefined, lbOnly));
    const val = asString(input.sourceRangesAnnotation);
    for (const r of val.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      if (!parseCIDR(r, { sloppy: true })) {
        errs.push(err(annPath, 'Invalid value', val, 'must be a comma separated list of CIDRs e.g. 192.168.0.0/16,10.0.0.0/8'));
        break;
      }
    }
  }
  return errs;
}

/**
 * What the apiserver does with the Service IP fields on create, for a cluster whose Service
 * families are `cluster` (primary first, 1 or 2 entries).
 */
export function resolveServiceFamilies(input: ServiceIPInput, cluster: readonly Family[]): FamilyResult {
  if (cluster.length < 1 || cluster.length > 2) throw new RangeError('cluster must have one or two Service families');
  const decode = decodeError(input);
  if (decode) return { ok: false, errors: [decode], stage: 'validation' };
  const type = input.type === undefined || input.type === null || input.type === '' ? 'ClusterIP' : asString(input.type);
  const clusterIP = asString(input.clusterIP);
  let clusterIPs = asStringList(input.clusterIPs) ?? [];
  // normalizeClusterIPs (create): singular given, plural empty -> plural = [singular].
  if (clusterIP !== '' && clusterIPs.length === 0) clusterIPs = [clusterIP];
  const families = asStringList(input.ipFamilies) ?? [];

  // Step 1: ExternalName skips allocation entirely.
  if (type !== 'ExternalName') {
    const alloc = initIPFamilyFields(input, cluster, clusterIP, clusterIPs, families);
    if (!alloc.ok) return alloc;
    const stat = validateStatic(input, type, clusterIPs, families);
    if (stat.length > 0) return { ok: false, errors: stat, stage: 'validation' };
    return alloc;
  }
  const stat = validateStatic(input, type, clusterIPs, families);
  if (stat.length > 0) return { ok: false, errors: stat, stage: 'validation' };
  // ExternalName: families and policy stay nil. Represented as ok with no families.
  return { ok: true, ipFamilyPolicy: 'SingleStack', ipFamilies: [] };
}

function initIPFamilyFields(
  input: ServiceIPInput, cluster: readonly Family[], clusterIP: string, clusterIPs: string[], familiesIn: string[],
): FamilyResult {
  const selectorless = !hasSelector(input.selector);
  const policyIn = input.ipFamilyPolicy;
  // Step 3: default the policy (create: no old object).
  let policy: string;
  if (policyIn === undefined || policyIn === null) {
    policy = clusterIP === 'None' && selectorless ? 'RequireDualStack' : 'SingleStack';
  } else {
    policy = asString(policyIn);
  }

  // Step 4: loose validation.
  const loose = validateClusterIPsRelated(clusterIP, clusterIPs, familiesIn, policyIn);
  if (loose.length > 0) return { ok: false, errors: loose, stage: 'allocation' };

  const errs: FieldError[] = [];
  const families = [...familiesIn] as Family[];
  // Step 6.
  if (policy === 'SingleStack') {
    if (clusterIPs.length === 2) {
      errs.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', policy,
        "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (families.length === 2) {
      errs.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', policy,
        "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  // Step 7: infer families from clusterIPs.
  for (let i = 0; i < clusterIPs.length; i++) {
    const ip = clusterIPs[i]!;
    if (ip === 'None') break;
    const fam = ipFamilyOf(ip)!;
    if (i >= families.length) {
      if (!cluster.includes(fam)) {
        errs.push(err(['spec', 'clusterIPs', i], 'Invalid value', clusterIPs, `${fam} is not configured on this cluster`));
      } else {
        families.push(fam);
      }
    }
  }
  if (errs.length > 0) return { ok: false, errors: errs, stage: 'allocation' };

  // Step 8: headless + selectorless, without looking at the cluster's families.
  if (clusterIP === 'None' && selectorless) {
    if (families.length === 0) families.push(cluster[0]!);
    if (families.length < 2 && policy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    return { ok: true, ipFamilyPolicy: policy as IPFamilyPolicy, ipFamilies: families };
  }

  // Step 9.
  if (policy === 'RequireDualStack' && cluster.length < 2) {
    errs.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', policy, 'this cluster is not configured for dual-stack services'));
  }
  // Step 10.
  families.forEach((f, i) => {
    if (!cluster.includes(f)) errs.push(err(['spec', 'ipFamilies', i], 'Invalid value', f, 'not configured on this cluster'));
  });
  if (errs.length > 0) return { ok: false, errors: errs, stage: 'allocation' };

  // Step 11.
  if (families.length === 0) families.push(cluster[0]!);
  // Step 12.
  if (policy !== 'SingleStack' && families.length === 1 && cluster.length === 2) {
    families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  }
  return { ok: true, ipFamilyPolicy: policy as IPFamilyPolicy, ipFamilies: families };
}

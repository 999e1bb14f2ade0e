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
  const spec = specOf(input);
  // normalizeClusterIPs (create): singular given, plural empty -> plural = [singular].
  if (spec.clusterIP !== '' && spec.clusterIPs.length === 0) spec.clusterIPs = [spec.clusterIP];
  const declaredFamilies = asStringList(input.ipFamilies) ?? [];

  // ExternalName skips allocation entirely: families and policy stay nil (ok with no families).
  if (spec.type !== EXTERNAL_NAME) {
    const alloc = initIPFamilyFields(spec, undefined, cluster);
    if (Array.isArray(alloc)) return { ok: false, errors: alloc, stage: 'allocation' };
  }
  const stat = validateStatic(input, spec.type, spec.clusterIPs, declaredFamilies);
  if (stat.length > 0) return { ok: false, errors: stat, stage: 'validation' };
  if (spec.type === EXTERNAL_NAME) return { ok: true, ipFamilyPolicy: 'SingleStack', ipFamilies: [] };
  return { ok: true, ipFamilyPolicy: spec.ipFamilyPolicy as IPFamilyPolicy, ipFamilies: spec.ipFamilies as Family[] };
}

/** Mutable working copy of the fields the allocator reads and writes (api.Service.Spec). */
export interface Spec {
  type: string;
  clusterIP: string;
  clusterIPs: string[];
  /** Raw strings: invalid values reach validation as the apiserver sees them. */
  ipFamilies: string[];
  /** undefined = nil. */
  ipFamilyPolicy: string | undefined;
  selector: unknown;
}

export const EXTERNAL_NAME = 'ExternalName';
export const NONE = 'None';

const typeOf = (v: unknown): string => (v === undefined || v === null || v === '' ? 'ClusterIP' : asString(v));

export function specOf(input: ServiceIPInput): Spec {
  return {
    type: typeOf(input.type),
    clusterIP: asString(input.clusterIP),
    clusterIPs: asStringList(input.clusterIPs) ?? [],
    ipFamilies: asStringList(input.ipFamilies) ?? [],
    ipFamilyPolicy: input.ipFamilyPolicy === undefined || input.ipFamilyPolicy === null ? undefined : asString(input.ipFamilyPolicy),
    selector: input.selector,
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
/** alloc.go sameClusterIPs compares the plural field only. */
export const sameClusterIPs = (a: Spec, b: Spec): boolean => sameList(a.clusterIPs, b.clusterIPs);
export const sameIPFamilies = (a: Spec, b: Spec): boolean => sameList(a.ipFamilies, b.ipFamilies);
/** reducedClusterIPs / reducedIPFamilies (alloc.go): an empty new list is "not specified". */
const reduced = (next: readonly string[], old: readonly string[]): boolean => next.length !== 0 && next.length < old.length;

/** isMatchingPreferDualStackClusterIPFields (alloc.go); false on create (no old object). */
function isMatchingPreferDualStack(next: Spec, old: Spec | undefined): boolean {
  if (old === undefined) return false;
  if (next.ipFamilyPolicy === undefined) return false;
  if (old.type !== next.type) return false;
  if (next.type !== 'ClusterIP' && next.type !== 'NodePort' && next.type !== 'LoadBalancer') return false;
  if (next.ipFamilyPolicy !== 'PreferDualStack') return false;
  if (old.ipFamilyPolicy !== undefined && old.ipFamilyPolicy !== 'PreferDualStack') return false;
  return sameClusterIPs(old, next) && sameIPFamilies(old, next);
}

/**
 * initIPFamilyFields(after, before) (alloc.go), one function for create (`old` undefined, as
 * before.Service is nil there) and update. Returns the field errors, 'prefer-kept' when a
 * PreferDualStack Service is left as it is, or undefined after filling `next`'s policy and families.
 */
export function initIPFamilyFields(next: Spec, old: Spec | undefined, cluster: readonly Family[]): FieldError[] | 'prefer-kept' | undefined {
  // "can not do anything here"
  if (next.type === EXTERNAL_NAME) return undefined;
  // PreferDualStack Services are not auto-upgraded or -downgraded after the cluster changes.
  if (isMatchingPreferDualStack(next, old)) return 'prefer-kept';
  // Policy not given: adopt the old one (update), else headless+selectorless -> RequireDualStack, else SingleStack.
  if (next.ipFamilyPolicy === undefined) {
    if (old?.ipFamilyPolicy !== undefined) next.ipFamilyPolicy = old.ipFamilyPolicy;
    else if (next.clusterIP === NONE && !hasSelector(next.selector)) next.ipFamilyPolicy = 'RequireDualStack';
    else next.ipFamilyPolicy = 'SingleStack';
  }
  // Loose pre-validation (ValidateServiceClusterIPsRelatedFields).
  const loose = validateClusterIPsRelated(next.clusterIP, next.clusterIPs, next.ipFamilies, next.ipFamilyPolicy);
  if (loose.length > 0) return loose;

  const el: FieldError[] = [];
  // Update-only prep work.
  if (old !== undefined) {
    if (next.ipFamilyPolicy === 'SingleStack') {
      // "setting the policy to single-stack is clear intent": drop the secondary if the lists are unchanged.
      if (sameClusterIPs(old, next) && next.clusterIPs.length > 1) next.clusterIPs = next.clusterIPs.slice(0, 1);
      if (sameIPFamilies(old, next) && next.ipFamilies.length > 1) next.ipFamilies = next.ipFamilies.slice(0, 1);
    } else {
      if (reduced(next.clusterIPs, old.clusterIPs)) {
        el.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', next.ipFamilyPolicy, "must be 'SingleStack' to release the secondary cluster IP"));
      }
      if (reduced(next.ipFamilies, old.ipFamilies)) {
        el.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', next.ipFamilyPolicy, "must be 'SingleStack' to release the secondary IP family"));
      }
    }
  }
  if (next.ipFamilyPolicy === 'SingleStack') {
    if (next.clusterIPs.length === 2) {
      el.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', next.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (next.ipFamilies.length === 2) {
      el.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', next.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  // Infer ipFamilies[i] from clusterIPs[i] where missing.
  for (let i = 0; i < next.clusterIPs.length; i++) {
    const ip = next.clusterIPs[i]!;
    if (ip === NONE) break;
    const fam = ipFamilyOf(ip)!;
    if (i >= next.ipFamilies.length) {
      if (!cluster.includes(fam)) el.push(err(['spec', 'clusterIPs', i], 'Invalid value', next.clusterIPs, `${fam} is not configured on this cluster`));
      else next.ipFamilies.push(fam);
    }
  }
  if (el.length > 0) return el;

  // Headless + selectorless: returned before the cluster's families are looked at.
  if (next.clusterIP === NONE && !hasSelector(next.selector)) {
    if (next.ipFamilies.length === 0) next.ipFamilies = [cluster[0]!];
    if (next.ipFamilies.length < 2 && next.ipFamilyPolicy !== 'SingleStack') {
      next.ipFamilies.push(next.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    }
    return undefined;
  }
  if (next.ipFamilyPolicy === 'RequireDualStack' && cluster.length < 2) {
    el.push(err(['spec', 'ipFamilyPolicy'], 'Invalid value', next.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  next.ipFamilies.forEach((f, i) => {
    if (!(cluster as readonly string[]).includes(f)) el.push(err(['spec', 'ipFamilies', i], 'Invalid value', f, 'not configured on this cluster'));
  });
  if (el.length > 0) return el;
  if (next.ipFamilies.length === 0) next.ipFamilies = [cluster[0]!];
  if (next.ipFamilyPolicy !== 'SingleStack' && next.ipFamilies.length === 1 && cluster.length === 2) {
    if (next.ipFamilies[0] === 'IPv4') next.ipFamilies.push('IPv6');
    else if (next.ipFamilies[0] === 'IPv6') next.ipFamilies.push('IPv4');
  }
  return undefined;
}

// The apiserver's UPDATE of a Service's IP fields: what a stored Service becomes when an update
// request (the object a PUT sends, or the object a PATCH/apply produces from the stored one) is
// sent to a cluster whose Service families are `cluster` (primary first).
//
// The create-time algorithm and initIPFamilyFields (shared by create and update, as in alloc.go)
// are in service-families.ts; this module follows the update path of
// the registry, in its order (k8s = github.com/kubernetes/kubernetes, master as read in 2026):
//   genericregistry Store.Update (k8s:staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go)
//   calls BeginUpdate before BeforeUpdate, so allocation errors come first and alone;
//   1. beginUpdate (k8s:pkg/registry/core/service/storage/storage.go):
//      defaultOnReadService(old)  -> defaultOnRead below
//      patchAllocatedValues(new, old) -> patchAllocatedValues below
//      normalizeClusterIPs(new, old)  -> normalizeClusterIPs below
//      alloc.allocateUpdate -> initIPFamilyFields(after, before) and updateClusterIPs
//      (k8s:pkg/registry/core/service/storage/alloc.go)
//   2. BeforeUpdate: svcStrategy.PrepareForUpdate -> dropTypeDependentFields
//      (k8s:pkg/registry/core/service/strategy.go), then ValidateServiceUpdate
//      (k8s:pkg/apis/core/validation/validation.go): validateUpgradeDowngradeClusterIPs,
//      validateUpgradeDowngradeIPFamilies, then ValidateService on the new object.
// Node ports, health-check ports and the allocators' ranges ("not in the valid range", "already
// allocated") are not modelled: a requested address is reported as requested.
// Tests: test/emulate/service-update.test.ts (TestUpdateIPsFromSingleStack,
// TestUpdateIPsFromDualStack, TestUpdatePatchAllocatedValues of
// k8s:pkg/registry/core/service/storage/storage_test.go, transcribed).

import type { Family } from '../model/types.ts';
import { otherFamily } from '../model/types.ts';
import {
  EXTERNAL_NAME, NONE, fieldName, hasSelector, initIPFamilyFields, ipFamilyOf, sameClusterIPs, sameIPFamilies, specOf,
  validateClusterIPsRelated, validateStatic,
  type FieldError, type IPFamilyPolicy, type ServiceIPInput, type Spec,
} from './service-families.ts';

/** The IP fields of a Service as the apiserver stores (or is about to store) them. */
export interface ServiceIPState {
  readonly type: string;
  /** Absent for ExternalName (nil). */
  readonly ipFamilyPolicy?: IPFamilyPolicy;
  readonly ipFamilies: readonly Family[];
  /** '' marks an address the allocator picks (alloc.go uses the same marker). */
  readonly clusterIPs: readonly string[];
}

export interface AddressChange {
  readonly family: Family;
  /** The address, when known (released, or requested in the manifest); absent when the allocator picks it. */
  readonly ip?: string;
}

export type UpdateResult =
  | {
    readonly ok: true;
    readonly before: ServiceIPState;
    readonly after: ServiceIPState;
    readonly allocated: readonly AddressChange[];
    readonly released: readonly AddressChange[];
    /** isMatchingPreferDualStackClusterIPFields held: a PreferDualStack Service left as it is. */
    readonly preferDualStackKept: boolean;
  }
  | { readonly ok: false; readonly before: ServiceIPState; readonly errors: readonly FieldError[]; readonly stage: 'allocation' | 'validation' };

const needsClusterIP = (s: Spec): boolean => s.type !== EXTERNAL_NAME;
const isHeadless = (s: Spec): boolean => s.clusterIPs.length === 1 && s.clusterIPs[0] === NONE;
/** netutils.IsIPv6String: parses, and To4() is nil (an IPv4-mapped address is not IPv6; ipFamilyOf says so). */
const isIPv6String = (ip: string): boolean => ipFamilyOf(ip) === 'IPv6';
/** Go's %#v of a []core.IPFamily, as field errors print it. */
const goFamilies = (f: readonly string[]): string => `[]core.IPFamily{${f.map((x) => JSON.stringify(x)).join(', ')}}`;
const goStrings = (f: readonly string[]): string => `[]string{${f.map((x) => JSON.stringify(x)).join(', ')}}`;

/** field.Invalid with a value already rendered as Go prints it. */
function invalidGo(path: readonly (string | number)[], rendered: string, detail: string): FieldError {
  const field = fieldName(path);
  return { field, path, type: 'Invalid value', detail, message: `${field}: Invalid value: ${rendered}: ${detail}` };
}

/**
 * defaultOnReadService (storage.go): what GET shows for a stored Service, and what the update
 * path compares against. normalizeClusterIPs(old, nil) then defaultOnReadIPFamilies.
 */
export function defaultOnRead(input: ServiceIPInput, primary: Family): Spec {
  const s = specOf(input);
  // normalizeClusterIPs, create branch: singular only (an old client) -> plural = [singular].
  if (s.clusterIP !== '' && s.clusterIPs.length === 0) s.clusterIPs = [s.clusterIP];
  // defaultOnReadIPFamilies: ExternalName does not need this (needsClusterIP).
  if (!needsClusterIP(s)) return s;
  // "If IPFamilies is set, we assume IPFamilyPolicy is also set".
  if (s.ipFamilies.length > 0) return s;
  if (s.clusterIP === NONE) {
    if (!hasSelector(s.selector)) {
      // Headless + selectorless: RequireDualStack [primary, other] on any cluster.
      s.ipFamilyPolicy = 'RequireDualStack';
      s.ipFamilies = [primary, otherFamily(primary)];
    } else {
      s.ipFamilyPolicy = 'SingleStack';
      s.ipFamilies = [primary];
    }
  } else {
    // Headful: families from clusterIPs (netutil.IsIPv6String, else IPv4).
    s.ipFamilies = s.clusterIPs.map((ip) => (isIPv6String(ip) ? 'IPv6' : 'IPv4'));
    if (s.ipFamilies.length === 1) s.ipFamilyPolicy = 'SingleStack';
    else if (s.ipFamilies.length === 2) s.ipFamilyPolicy = 'RequireDualStack';
  }
  return s;
}

/** patchAllocatedValues (storage.go): allocated clusterIP(s) copied onto an update that omits them. */
function patchAllocatedValues(next: Spec, old: Spec): void {
  if (needsClusterIP(old) && needsClusterIP(next)) {
    if (next.clusterIP === '') next.clusterIP = old.clusterIP;
    if (next.clusterIPs.length === 0 && old.clusterIPs.length > 0) next.clusterIPs = [...old.clusterIPs];
  }
}

/** normalizeClusterIPs (storage.go), update branch. */
function normalizeClusterIPs(next: Spec, old: Spec): void {
  // "ClusterIPs were cleared by an old client which was trying to patch some field".
  if (old.clusterIPs.length > 0 && next.clusterIPs.length === 0) {
    if (old.clusterIP === next.clusterIP) next.clusterIPs = [...old.clusterIPs];
  }
  if (old.clusterIP !== next.clusterIP) {
    if (old.clusterIP.length > 0 && next.clusterIP.length === 0) {
      // "this is a client trying to clear it": clear on their behalf if the plural is unchanged.
      if (sameClusterIPs(old, next)) next.clusterIPs = [];
    } else if (sameClusterIPs(old, next)) {
      // ClusterIP changed, not cleared, plural unchanged: plural follows the singular.
      next.clusterIPs = [next.clusterIP];
    }
  }
}

/** allocClusterIPs (alloc.go): one address per family; '' is allocated, anything else requested. */
function allocClusterIPs(next: Spec): AddressChange[] {
  if (next.type === EXTERNAL_NAME) return [];
  if (next.clusterIPs.length > 0 && next.clusterIPs[0] === NONE) return [];
  const out: AddressChange[] = [];
  next.ipFamilies.forEach((f, i) => {
    if (i > next.clusterIPs.length - 1) next.clusterIPs.push('');
    const ip = next.clusterIPs[i]!;
    out.push({ family: f as Family, ...(ip !== '' ? { ip } : {}) });
  });
  return out;
}

/** updateClusterIPs (alloc.go): cases A (from ExternalName), B (to ExternalName), C (upgrade), D (downgrade). */
function updateClusterIPs(next: Spec, old: Spec): { allocated: AddressChange[]; released: AddressChange[] } {
  const none = { allocated: [], released: [] };
  if (old.type === EXTERNAL_NAME && next.type !== EXTERNAL_NAME) return { allocated: allocClusterIPs(next), released: [] };
  if (old.clusterIPs.length > 0 && old.clusterIPs[0] === NONE) return none;
  if (old.type !== EXTERNAL_NAME && next.type === EXTERNAL_NAME) {
    return { allocated: [], released: old.ipFamilies.map((f, i) => ({ family: f as Family, ip: old.clusterIPs[i] ?? '' })) };
  }
  if (old.ipFamilies.length === 1 && next.ipFamilies.length === 2) {
    if (next.clusterIPs.length < 2) next.clusterIPs.push('');
    const ip = next.clusterIPs[1]!;
    return { allocated: [{ family: next.ipFamilies[1] as Family, ...(ip !== '' ? { ip } : {}) }], released: [] };
  }
  if (old.ipFamilies.length === 2 && next.ipFamilies.length === 1) {
    return { allocated: [], released: [{ family: old.ipFamilies[1] as Family, ip: old.clusterIPs[1] ?? '' }] };
  }
  return none;
}

/** dropTypeDependentFields (strategy.go), the IP fields: wiped when the new type needs none and the user left them unchanged. */
function dropTypeDependentFields(next: Spec, old: Spec): void {
  if (needsClusterIP(old) && !needsClusterIP(next)) {
    // strategy.go sameClusterIPs compares the singular and the plural.
    if (old.clusterIP === next.clusterIP && sameClusterIPs(old, next)) {
      next.clusterIP = '';
      next.clusterIPs = [];
    }
    if (sameIPFamilies(old, next)) next.ipFamilies = [];
    if (old.ipFamilyPolicy === next.ipFamilyPolicy) next.ipFamilyPolicy = undefined;
  }
}

/** validateUpgradeDowngradeClusterIPs (validation.go). */
function validateUpgradeDowngradeClusterIPs(old: Spec, next: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (next.type === EXTERNAL_NAME || old.type === EXTERNAL_NAME) return errs;
  if (isHeadless(old) && isHeadless(next)) return errs;
  const o = old.clusterIPs;
  const n = next.clusterIPs;
  const value = goStrings(n);
  if (o.length === n.length) {
    o.forEach((ip, i) => {
      if (ip !== n[i]) errs.push(invalidGo(['spec', 'clusterIPs', i], value, 'may not change once set'));
    });
  } else if (o.length > n.length) {
    if (n.length === 0) errs.push(invalidGo(['spec', 'clusterIPs', 0], value, 'primary clusterIP can not be unset'));
    if (o.length > 0 && n.length > 0 && n[0] !== o[0]) errs.push(invalidGo(['spec', 'clusterIPs', 0], value, 'may not change once set'));
    if (n.length === 1 && next.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidGo(['spec', 'ipFamilyPolicy'], next.ipFamilyPolicy === undefined ? 'null' : JSON.stringify(next.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    errs.push(invalidGo(['spec', 'clusterIPs', 0], value, 'may not change once set'));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies (validation.go), including its choice of printed values. */
function validateUpgradeDowngradeIPFamilies(old: Spec, next: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (next.type === EXTERNAL_NAME || old.type === EXTERNAL_NAME) return errs;
  if (isHeadless(old) !== isHeadless(next)) return errs;
  if (isHeadless(next)) return errs; // headless can change families
  const o = old.ipFamilies;
  const n = next.ipFamilies;
  if (o.length === n.length) {
    o.forEach((f, i) => {
      // The apiserver reports every mismatch on ipFamilies[0].
      if (f !== n[i]) errs.push(invalidGo(['spec', 'ipFamilies', 0], goFamilies(n), 'may not change once set'));
    });
  } else if (o.length > n.length) {
    if (next.clusterIPs.length === 0) errs.push(invalidGo(['spec', 'ipFamilies', 0], goFamilies(n), 'primary ipFamily can not be unset'));
    if (n.length > 0 && n[0] !== o[0]) errs.push(invalidGo(['spec', 'ipFamilies', 0], goStrings(next.clusterIPs), 'may not change once set'));
    if (n.length === 1 && next.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidGo(['spec', 'ipFamilyPolicy'], next.ipFamilyPolicy === undefined ? 'null' : JSON.stringify(next.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (o.length > 0 && n.length > 0 && n[0] !== o[0]) {
    errs.push(invalidGo(['spec', 'ipFamilies', 0], goStrings(next.clusterIPs), 'may not change once set'));
  }
  return errs;
}

/** An address of the family for a '' marker, so validation sees what the allocator will have filled in. */
const SAMPLE: Readonly<Record<Family, string>> = { IPv4: '192.0.2.1', IPv6: '2001:db8::1' };

function stateOf(s: Spec): ServiceIPState {
  return {
    type: s.type,
    ...(s.ipFamilyPolicy !== undefined ? { ipFamilyPolicy: s.ipFamilyPolicy as IPFamilyPolicy } : {}),
    ipFamilies: s.ipFamilies.filter((f): f is Family => f === 'IPv4' || f === 'IPv6'),
    clusterIPs: [...s.clusterIPs],
  };
}

/** The stored Service as GET shows it (defaultOnRead), for reports. */
export function storedState(stored: ServiceIPInput, cluster: readonly Family[]): ServiceIPState {
  return stateOf(defaultOnRead(stored, cluster[0]!));
}

/**
 * What the apiserver does with an update `request` of the Service `stored` on a cluster whose
 * Service families are `cluster` (1 or 2, primary first).
 */
export function updateServiceFamilies(stored: ServiceIPInput, request: ServiceIPInput, cluster: readonly Family[]): UpdateResult {
  if (cluster.length < 1 || cluster.length > 2) throw new RangeError('cluster must have one or two Service families');
  const old = defaultOnRead(stored, cluster[0]!);
  const before = stateOf(old);
  const next = specOf(request);
  patchAllocatedValues(next, old);
  normalizeClusterIPs(next, old);
  const init = initIPFamilyFields(next, old, cluster);
  if (Array.isArray(init)) return { ok: false, before, errors: init, stage: 'allocation' };
  const preferDualStackKept = init === 'prefer-kept';
  const { allocated, released } = preferDualStackKept ? { allocated: [], released: [] } : updateClusterIPs(next, old);
  dropTypeDependentFields(next, old);
  // ValidateServiceUpdate on the object with the allocated addresses in place.
  const filled: Spec = { ...next, clusterIPs: next.clusterIPs.map((ip, i) => (ip === '' ? SAMPLE[(next.ipFamilies[i] as Family) ?? 'IPv4'] ?? ip : ip)) };
  if (filled.clusterIP === '' && filled.clusterIPs.length > 0 && next.clusterIPs[0] === '') filled.clusterIP = filled.clusterIPs[0]!;
  const errors = [
    ...validateUpgradeDowngradeClusterIPs(old, filled),
    ...validateUpgradeDowngradeIPFamilies(old, filled),
    ...(filled.type !== EXTERNAL_NAME ? validateClusterIPsRelated(filled.clusterIP, filled.clusterIPs, filled.ipFamilies, filled.ipFamilyPolicy) : []),
    ...validateStatic({ ...request, ipFamilyPolicy: next.ipFamilyPolicy }, filled.type, filled.type === EXTERNAL_NAME ? next.clusterIPs : filled.clusterIPs, next.ipFamilies),
  ];
  if (errors.length > 0) return { ok: false, before, errors, stage: 'validation' };
  // "set if successful": the primary address is mirrored into clusterIP.
  return { ok: true, before, after: stateOf(next), allocated, released, preferDualStackKept };
}

/** The apiserver's message for these errors: `Service "web" is invalid: ...` (errors.NewInvalid). */
export function invalidMessage(name: string, errors: readonly FieldError[]): string {
  const body = errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`;
  return `Service "${name}" is invalid: ${body}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The IP-related fields of a Service object (spec and the source-ranges annotation). */
export function serviceIPInput(o: Readonly<Record<string, unknown>>): ServiceIPInput {
  const spec = isRecord(o.spec) ? o.spec : {};
  const meta = isRecord(o.metadata) ? o.metadata : {};
  const ann = isRecord(meta.annotations) ? meta.annotations : {};
  return {
    type: spec.type, clusterIP: spec.clusterIP, clusterIPs: spec.clusterIPs, ipFamilies: spec.ipFamilies,
    ipFamilyPolicy: spec.ipFamilyPolicy, selector: spec.selector, externalIPs: spec.externalIPs,
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges,
    ...(ann['service.beta.kubernetes.io/load-balancer-source-ranges'] !== undefined
      ? { sourceRangesAnnotation: ann['service.beta.kubernetes.io/load-balancer-source-ranges'] } : {}),
  };
}

// What an address range means for an address plan: the IANA IPv4 and IPv6 Special-Purpose
// Address Registries (https://www.iana.org/assignments/iana-ipv4-special-registry,
// https://www.iana.org/assignments/iana-ipv6-special-registry; SEMANTICS.md b.1) and RFC 4193
// Unique Local Address Global IDs. Domain facts over the parsed forms of emulate/ip.ts. Pure.

import { cidrContains, parseCIDR, type ParsedCIDR, type ParsedIP } from '../emulate/ip.ts';

// Special-range classification (IANA IPv4/IPv6 Special-Purpose Address Registries, SEMANTICS.md b.1).

/** What a range means for an address plan. */
export type AddressClass =
  | 'any'            // ::/0, 0.0.0.0/0
  | 'unspecified' | 'loopback' | 'linkLocal' | 'multicast'
  | 'documentation'
  | 'ula'            // fc00::/7
  | 'gua'            // 2000::/3 outside the special ranges
  | 'private'        // RFC 1918
  | 'sharedCgnat'    // 100.64.0.0/10
  | 'publicIPv4'     // IPv4 outside the special ranges
  | 'translation'    // NAT64 prefixes
  | 'special';       // everything else the registry flags (Teredo, 6to4, discard, site-local, reserved ...)

export interface SpecialRange {
  readonly cidr: string;
  readonly name: string;
  readonly rfc: string;
  readonly class: AddressClass;
}

/** The registry, most specific entries are found by prefix length (order does not matter). */
export const SPECIAL_RANGES: readonly SpecialRange[] = [
  { cidr: '::/128', name: 'unspecified', rfc: 'RFC 4291', class: 'unspecified' },
  { cidr: '::1/128', name: 'loopback', rfc: 'RFC 4291', class: 'loopback' },
  // ::ffff:0:0/96 (IPv4-mapped) is read as IPv4, as Go does; nonstandardForms() reports the form.
  { cidr: '::/96', name: 'IPv4-compatible (deprecated)', rfc: 'RFC 4291', class: 'special' },
  { cidr: '::/8', name: 'reserved by IETF', rfc: 'RFC 4291', class: 'special' },
  { cidr: '64:ff9b::/96', name: 'NAT64 well-known prefix', rfc: 'RFC 6052', class: 'translation' },
  { cidr: '64:ff9b:1::/48', name: 'local-use IPv4/IPv6 translation', rfc: 'RFC 8215', class: 'translation' },
  { cidr: '100::/64', name: 'discard-only', rfc: 'RFC 6666', class: 'special' },
  { cidr: '2001::/23', name: 'IETF protocol assignments', rfc: 'RFC 2928', class: 'special' },
  { cidr: '2001::/32', name: 'Teredo', rfc: 'RFC 4380', class: 'special' },
  { cidr: '2001:2::/48', name: 'benchmarking', rfc: 'RFC 5180', class: 'special' },
  { cidr: '2001:10::/28', name: 'ORCHID (deprecated)', rfc: 'RFC 4843', class: 'special' },
  { cidr: '2001:20::/28', name: 'ORCHIDv2', rfc: 'RFC 7343', class: 'special' },
  { cidr: '2001:db8::/32', name: 'documentation', rfc: 'RFC 3849', class: 'documentation' },
  { cidr: '3fff::/20', name: 'documentation', rfc: 'RFC 9637', class: 'documentation' },
  { cidr: '2002::/16', name: '6to4', rfc: 'RFC 3056', class: 'special' },
  { cidr: '2000::/3', name: 'global unicast', rfc: 'RFC 4291', class: 'gua' },
  { cidr: 'fc00::/7', name: 'unique local', rfc: 'RFC 4193', class: 'ula' },
  { cidr: 'fe80::/10', name: 'link-local unicast', rfc: 'RFC 4291', class: 'linkLocal' },
  { cidr: 'fec0::/10', name: 'site-local (deprecated)', rfc: 'RFC 3879', class: 'special' },
  { cidr: 'ff00::/8', name: 'multicast', rfc: 'RFC 4291', class: 'multicast' },
  { cidr: '0.0.0.0/8', name: '"this network"', rfc: 'RFC 791', class: 'special' },
  { cidr: '0.0.0.0/32', name: 'unspecified', rfc: 'RFC 1122', class: 'unspecified' },
  { cidr: '10.0.0.0/8', name: 'private-use', rfc: 'RFC 1918', class: 'private' },
  { cidr: '100.64.0.0/10', name: 'shared address space (CGNAT)', rfc: 'RFC 6598', class: 'sharedCgnat' },
  { cidr: '127.0.0.0/8', name: 'loopback', rfc: 'RFC 1122', class: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link-local', rfc: 'RFC 3927', class: 'linkLocal' },
  { cidr: '172.16.0.0/12', name: 'private-use', rfc: 'RFC 1918', class: 'private' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments', rfc: 'RFC 6890', class: 'special' },
  { cidr: '192.0.2.0/24', name: 'documentation (TEST-NET-1)', rfc: 'RFC 5737', class: 'documentation' },
  { cidr: '192.88.99.0/24', name: '6to4 relay anycast (deprecated)', rfc: 'RFC 7526', class: 'special' },
  { cidr: '192.168.0.0/16', name: 'private-use', rfc: 'RFC 1918', class: 'private' },
  { cidr: '198.18.0.0/15', name: 'benchmarking', rfc: 'RFC 2544', class: 'special' },
  { cidr: '198.51.100.0/24', name: 'documentation (TEST-NET-2)', rfc: 'RFC 5737', class: 'documentation' },
  { cidr: '203.0.113.0/24', name: 'documentation (TEST-NET-3)', rfc: 'RFC 5737', class: 'documentation' },
  { cidr: '224.0.0.0/4', name: 'multicast', rfc: 'RFC 5771', class: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved', rfc: 'RFC 1112', class: 'special' },
  { cidr: '255.255.255.255/32', name: 'limited broadcast', rfc: 'RFC 919', class: 'special' },
];

const PARSED_SPECIAL: readonly { readonly range: SpecialRange; readonly cidr: ParsedCIDR }[] =
  SPECIAL_RANGES.map((range) => ({ range, cidr: parseCIDR(range.cidr)! }));

export interface RangeClass {
  readonly class: AddressClass;
  /** Registry name of the most specific special range that contains the CIDR (or "any"). */
  readonly name: string;
  readonly rfc?: string;
  /** The registry entry's CIDR. */
  readonly within?: string;
}

/** Classify a CIDR by the most specific registry range that wholly contains it. */
export function classifyCIDR(c: ParsedCIDR): RangeClass {
  if (c.prefix === 0) return { class: 'any', name: c.family === 'IPv4' ? 'any IPv4 address' : 'any IPv6 address' };
  let best: { range: SpecialRange; cidr: ParsedCIDR } | undefined;
  for (const e of PARSED_SPECIAL) {
    if (cidrContains(e.cidr, c) && (!best || e.cidr.prefix > best.cidr.prefix)) best = e;
  }
  if (best) return { class: best.range.class, name: best.range.name, rfc: best.range.rfc, within: best.range.cidr };
  if (c.family === 'IPv4') return { class: 'publicIPv4', name: 'public IPv4' };
  // IPv6 outside 2000::/3, fc00::/7, fe80::/10, ff00::/8 and ::/8 is reserved by the IETF.
  return { class: 'special', name: 'reserved by IETF (not allocated for unicast)', rfc: 'RFC 4291' };
}

/** Classify one address (as a /32 or /128). */
export function classifyIP(ip: ParsedIP): RangeClass {
  const bits = ip.family === 'IPv4' ? 32 : 128;
  const c = parseCIDR(`${ip.canonical}/${bits}`);
  return c ? classifyCIDR(c) : { class: 'special', name: 'unknown' };
}


// ---------------------------------------------------------------------------------------------
// ULA Global IDs (RFC 4193 section 3.2).

export interface UlaGlobalId {
  /** fd00::/8 (L=1, locally assigned) or fc00::/8 (L=0, not defined). */
  readonly local: boolean;
  /** The 40-bit Global ID as 10 hex digits (bits past the prefix are taken as written, usually 0). */
  readonly hex: string;
  /** The prefix covers the whole Global ID (/48 or longer). */
  readonly complete: boolean;
  /** Zero, or visibly patterned: not the pseudo-random value RFC 4193 asks for. */
  readonly lowEntropy: boolean;
  /** Why lowEntropy is set. */
  readonly reason?: string;
}

/** The Global ID of a ULA CIDR; undefined when it is not in fc00::/7. */
export function ulaGlobalId(c: ParsedCIDR): UlaGlobalId | undefined {
  if (c.family !== 'IPv6' || c.prefix < 7 || (c.network[0]! & 0xfe) !== 0xfc) return undefined;
  // Take the address as written (not masked): fd00:10:244::/40 still shows its intended ID.
  const bytes = c.address.bytes;
  const hex = bytes.slice(1, 6).map((b) => b.toString(16).padStart(2, '0')).join('');
  const nibbles = [...hex];
  const zeros = nibbles.filter((n) => n === '0').length;
  const distinct = new Set(nibbles).size;
  let reason: string | undefined;
  if (zeros === 10) reason = 'the Global ID is zero';
  else if (zeros >= 5) reason = `${zeros} of its 10 hex digits are 0`;
  else if (distinct <= 3) reason = `it uses only ${distinct} distinct hex digits`;
  else if (/^(.)\1*$/.test(hex.slice(2)) || /^(..)\1+$/.test(hex)) reason = 'it repeats one pattern';
  return {
    local: (bytes[0]! & 1) === 1, hex, complete: c.prefix >= 48,
    lowEntropy: reason !== undefined, ...(reason ? { reason } : {}),
  };
}

/** fd12:3456:789a::/48 style text of a Global ID. */
export const formatGlobalId = (g: UlaGlobalId): string =>
  `${g.local ? 'fd' : 'fc'}${g.hex.slice(0, 2)}:${g.hex.slice(2, 6)}:${g.hex.slice(6, 10)}::/48`;

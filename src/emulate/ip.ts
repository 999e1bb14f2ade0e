// Every IP and CIDR the tool reads goes through here (a thin layer over ipaddr.js).
//
// Parsing follows Go's net.ParseIP / netutils.ParseIPSloppy, which is what the apiserver
// uses: IPv4 is dotted decimal only (ipaddr.js would also take octal and hex forms), an
// IPv4 part with leading zeros is read as decimal in sloppy mode and rejected in strict mode,
// IPv6 zones are rejected, and an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv4.

import ipaddr from 'ipaddr.js';
import type { Family } from '../model/types.ts';

export interface ParsedIP {
  readonly family: Family;
  /** Canonical text: RFC 5952 for IPv6, plain dotted decimal for IPv4. */
  readonly canonical: string;
  /** Special-range name (ipaddr.js names, plus linkLocalMulticast and documentation). */
  readonly range: string;
  /** Non-standard forms that KEP-4858 strict validation rejects or warns about. */
  readonly nonstandard: readonly ('leadingZeros' | 'ipv4Mapped' | 'nonCanonicalIPv6')[];
  readonly bytes: readonly number[];
}

export interface ParsedCIDR {
  readonly family: Family;
  readonly address: ParsedIP;
  readonly prefix: number;
  /** Canonical CIDR with host bits cleared. */
  readonly canonical: string;
  readonly hostBitsSet: boolean;
  /** Network address bytes (host bits cleared): 4 for IPv4, 16 for IPv6. */
  readonly network: readonly number[];
}

export interface ParseOptions {
  /** Accept IPv4 leading zeros (read as decimal), as the apiserver's legacy parser does. Default true. */
  readonly sloppy?: boolean;
}

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string, sloppy: boolean): { bytes: number[]; leadingZeros: boolean } | undefined {
  const m = V4_RE.exec(text);
  if (!m) return undefined;
  let leadingZeros = false;
  const bytes: number[] = [];
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith('0')) leadingZeros = true;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  if (leadingZeros && !sloppy) return undefined;
  return { bytes, leadingZeros };
}

function v4Range(b: readonly number[]): string {
  if (b[0] === 224 && b[1] === 0 && b[2] === 0) return 'linkLocalMulticast';
  if ((b[0] === 192 && b[1] === 0 && b[2] === 2) || (b[0] === 198 && b[1] === 51 && b[2] === 100) ||
      (b[0] === 203 && b[1] === 0 && b[2] === 113)) return 'documentation';
  return new ipaddr.IPv4([b[0]!, b[1]!, b[2]!, b[3]!]).range();
}

function v6Range(a: ipaddr.IPv6): string {
  const p = a.parts;
  if (p[0] === 0x3fff && (p[1]! & 0xf000) === 0) return 'documentation'; // 3fff::/20, RFC 9637
  if (p[0] === 0x2001 && p[1] === 0xdb8) return 'documentation';
  if ((p[0]! & 0xff0f) === 0xff02) return 'linkLocalMulticast';
  if ((p[0]! & 0xffc0) === 0xfec0) return 'siteLocal';
  const r = a.range();
  return r === 'reserved' && (p[0]! & 0xe000) === 0x2000 ? 'unicast' : r;
}

// Bounded memos of parseIP and parseCIDR: the same few addresses and CIDRs are read by many
// builders and rules (every NetworkPolicy peer, every Service, every scanned literal). A result
// depends on the text and the mode only, and a shared result is deeply frozen, so a caller can
// never change what another caller gets. When a memo is full it starts over (still deterministic).
const MEMO_MAX = 8192;
const ipMemo = [new Map<string, ParsedIP | null>(), new Map<string, ParsedIP | null>()] as const;
const cidrMemo = [new Map<string, ParsedCIDR | null>(), new Map<string, ParsedCIDR | null>()] as const;

function remember<T>(memo: Map<string, T | null>, key: string, value: T | undefined): T | undefined {
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, value ?? null);
  return value;
}

/** Parse an IP address. Returns undefined when it is not one. */
export function parseIP(text: string, opts: ParseOptions = {}): ParsedIP | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  const sloppy = opts.sloppy ?? true;
  const memo = ipMemo[sloppy ? 1 : 0];
  const known = memo.get(text);
  if (known !== undefined) return known ?? undefined;
  const ip = parseIPText(text, sloppy);
  if (ip) {
    Object.freeze(ip.bytes);
    Object.freeze(ip.nonstandard);
    Object.freeze(ip);
  }
  return remember(memo, text, ip);
}

function parseIPText(text: string, sloppy: boolean): ParsedIP | undefined {
  const v4 = parseV4(text, sloppy);
  if (v4) {
    return {
      family: 'IPv4', canonical: v4.bytes.join('.'), range: v4Range(v4.bytes),
      nonstandard: v4.leadingZeros ? ['leadingZeros'] : [], bytes: v4.bytes,
    };
  }
  if (!text.includes(':') || text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  // An embedded IPv4 tail must itself be plain dotted decimal.
  const tail = /:(\d[\d.]*)$/.exec(text);
  if (tail && tail[1]!.includes('.') && !parseV4(tail[1]!, false)) return undefined;
  const a = ipaddr.IPv6.parse(text);
  if (a.isIPv4MappedAddress()) {
    const b = a.toIPv4Address().octets;
    return {
      family: 'IPv4', canonical: b.join('.'), range: v4Range(b), nonstandard: ['ipv4Mapped'], bytes: a.toByteArray(),
    };
  }
  const canonical = a.toRFC5952String();
  return {
    family: 'IPv6', canonical, range: v6Range(a),
    nonstandard: canonical === text ? [] : ['nonCanonicalIPv6'], bytes: a.toByteArray(),
  };
}

/** Parse a CIDR ("10.0.0.0/8", "2001:db8::/32"). Returns undefined when it is not one. */
export function parseCIDR(text: string, opts: ParseOptions = {}): ParsedCIDR | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.length > 72) return parseCIDRText(text, opts); // never a CIDR: not worth remembering
  const memo = cidrMemo[(opts.sloppy ?? true) ? 1 : 0];
  const known = memo.get(text);
  if (known !== undefined) return known ?? undefined;
  const c = parseCIDRText(text, opts);
  if (c) {
    Object.freeze(c.network);
    Object.freeze(c);
  }
  return remember(memo, text, c);
}

function parseCIDRText(text: string, opts: ParseOptions): ParsedCIDR | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIP(text.slice(0, slash), opts);
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (prefixText.length > 1 && prefixText.startsWith('0')) return undefined;
  const bitsTotal = addr.nonstandard.includes('ipv4Mapped') ? 128 : addr.family === 'IPv4' ? 32 : 128;
  const raw = Number(prefixText);
  if (raw > bitsTotal) return undefined;
  // Go's ParseCIDR on ::ffff:a.b.c.d/n yields an IPv4 network of prefix n-96.
  const prefix = bitsTotal === 128 && addr.family === 'IPv4' ? raw - 96 : raw;
  if (prefix < 0) return undefined;
  const bytes = addr.family === 'IPv4' ? addr.bytes.slice(-4) : [...addr.bytes];
  const masked = bytes.map((b, i) => {
    const bitsBefore = i * 8;
    if (bitsBefore >= prefix) return 0;
    if (bitsBefore + 8 <= prefix) return b;
    return b & (0xff << (8 - (prefix - bitsBefore))) & 0xff;
  });
  const hostBitsSet = masked.some((b, i) => b !== bytes[i]);
  const net = addr.family === 'IPv4' ? masked.join('.') : ipaddr.fromByteArray(masked).toString();
  return { family: addr.family, address: addr, prefix, canonical: `${net}/${prefix}`, hostBitsSet, network: masked };
}

/** Whether a textual value is an IP or a CIDR of the given family. */
export function familyOfIPOrCIDR(text: string): Family | undefined {
  return (text.includes('/') ? parseCIDR(text) : parseIP(text))?.family;
}

// ---------------------------------------------------------------------------------------------
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

/** Whether the first `bits` bits of two byte arrays are equal. */
function prefixEqual(a: readonly number[], b: readonly number[], bits: number): boolean {
  let i = 0;
  for (; (i + 1) * 8 <= bits; i++) if (a[i] !== b[i]) return false;
  const rest = bits - i * 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[i]! ^ b[i]!) & mask) === 0;
}

/** outer contains inner (same family, outer's prefix no longer, same leading bits). Equal CIDRs contain each other. */
export function cidrContains(outer: ParsedCIDR, inner: ParsedCIDR): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && prefixEqual(outer.network, inner.network, outer.prefix);
}

/** Two CIDRs share at least one address. */
export function cidrOverlaps(a: ParsedCIDR, b: ParsedCIDR): boolean {
  return a.family === b.family && prefixEqual(a.network, b.network, Math.min(a.prefix, b.prefix));
}

/** Whether an address lies in a CIDR. */
export function cidrContainsIP(outer: ParsedCIDR, ip: ParsedIP): boolean {
  if (outer.family !== ip.family) return false;
  const bytes = ip.family === 'IPv4' ? ip.bytes.slice(-4) : ip.bytes;
  return prefixEqual(outer.network, bytes, outer.prefix);
}

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
// Strict form (KEP-4858, SEMANTICS.md b.5).

export type NonstandardForm = 'leadingZeros' | 'ipv4Mapped' | 'nonCanonicalIPv6' | 'hostBitsSet';

/**
 * The non-standard forms of an IP or CIDR text, as StrictIPCIDRValidation sees them.
 * Undefined when the text is neither an IP nor a CIDR (even sloppily).
 */
export function nonstandardForms(text: string): readonly NonstandardForm[] | undefined {
  if (text.includes('/')) {
    const c = parseCIDR(text);
    if (!c) return undefined;
    const out: NonstandardForm[] = [...c.address.nonstandard];
    if (c.hostBitsSet) out.push('hostBitsSet');
    return out;
  }
  return parseIP(text)?.nonstandard;
}

/** Parse either an IP (as a host CIDR /32 or /128) or a CIDR. */
export function parseIPOrCIDR(text: string): ParsedCIDR | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes('/')) return parseCIDR(text);
  const ip = parseIP(text);
  if (!ip) return undefined;
  const c = parseCIDR(`${ip.canonical}/${ip.family === 'IPv4' ? 32 : 128}`);
  return c ? { ...c, address: ip } : undefined;
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

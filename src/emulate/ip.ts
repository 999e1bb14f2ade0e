// Every IP and CIDR the tool reads goes through here (a thin layer over ipaddr.js).
//
// Parsing follows Go's net.ParseIP / net.ParseCIDR (go:src/net/ip.go) and
// netutils.ParseIPSloppy / ParseCIDRSloppy (kubernetes/utils net/parse.go), which is what the
// apiserver uses: IPv4 is dotted decimal only (ipaddr.js would also take octal and hex forms), an
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

// Every IP and CIDR the tool reads goes through here (a thin layer over ipaddr.js).
//
// Parsing follows Go's net.ParseIP / netutils.ParseIPSloppy, which is what the apiserver
// uses: IPv4 is dotted decimal only (ipaddr.js would also take octal and hex forms), an
// IPv4 part with leading zeros is read as decimal in sloppy mode and rejected in strict mode,
// IPv6 zones are rejected, and an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv4.

import ipaddr from 'ipaddr.js';
import type { Family } from './types.ts';

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
  return ipaddr.IPv4.parse(b.join('.')).range();
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

/** Parse an IP address. Returns undefined when it is not one. */
export function parseIP(text: string, opts: ParseOptions = {}): ParsedIP | undefined {
  const sloppy = opts.sloppy ?? true;
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
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
  return { family: addr.family, address: addr, prefix, canonical: `${net}/${prefix}`, hostBitsSet };
}

/** Whether a textual value is an IP or a CIDR of the given family. */
export function familyOfIPOrCIDR(text: string): Family | undefined {
  return (text.includes('/') ? parseCIDR(text) : parseIP(text))?.family;
}

// Prometheus relabelling, evaluated as Prometheus does it (prom:model/relabel/relabel.go):
// the regex is RE2 (Go's regexp), anchored as ^(?:regex)$, the source label values are joined
// with the separator (default ";"), and the replacement is expanded with Go's Regexp.Expand
// rules ($1, ${1}, $name, $$; "$1x" is the group named "1x", i.e. empty). The regex runs on
// Google's RE2 (re2-wasm), the engine Go's regexp follows, so leftmost-first submatches
// (lazy quantifiers included) are what Prometheus computes. Pure.

import { createRequire } from 'node:module';
import type { RE2 } from 're2-wasm';
import { parseIP } from './ip.ts';
import type { Family, JsonPath } from './types.ts';

export interface RelabelConfig {
  readonly action: string;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: string;
  readonly replacement: string;
  readonly targetLabel?: string;
  /** Where the entry is: a JSON path (and, inside an embedded prometheus.yml, a line of that text). */
  readonly path: JsonPath;
  readonly textLine?: number;
}

const cache = new Map<string, RE2 | null>();
// Loaded on first use (about 0.2 s to instantiate the WebAssembly module): inputs without relabel rules never pay it.
let RE2Ctor: (new (pattern: string, flags?: string) => RE2) | undefined;
const re2 = (): new (pattern: string, flags?: string) => RE2 =>
  (RE2Ctor ??= (createRequire(import.meta.url)('re2-wasm') as { RE2: new (pattern: string, flags?: string) => RE2 }).RE2);

/** The anchored RE2 of a relabel regex; null when RE2 rejects it (Prometheus refuses such a config). */
export function compileRelabelRegex(regex: string): RE2 | null {
  let re = cache.get(regex);
  if (re === undefined) {
    try {
      re = new (re2())(`^(?:${regex})$`, 'u');
    } catch {
      re = null;
    }
    if (cache.size > 500) cache.clear();
    cache.set(regex, re);
  }
  return re;
}

// Submatches by regex and input: the same sample targets meet the same regexes in every job.
// A call into WebAssembly (string copy, match, group extraction) costs far more than a lookup.
const matches = new Map<string, Map<string, readonly (string | undefined)[] | null>>();
let matchCount = 0;
const MATCH_CACHE_MAX = 20_000;

/** The groups of the anchored match of `re` (compiled from `regex`) on `input`, or null; the arrays are frozen. */
function matchGroups(regex: string, re: RE2, input: string): readonly (string | undefined)[] | null {
  let g = matches.get(regex)?.get(input);
  if (g === undefined) {
    const m = re.exec(input);
    g = m ? Object.freeze([...m]) : null;
    if (matchCount >= MATCH_CACHE_MAX) {
      matches.clear();
      matchCount = 0;
    }
    let byInput = matches.get(regex);
    if (!byInput) matches.set(regex, (byInput = new Map()));
    byInput.set(input, g);
    matchCount++;
  }
  return g;
}

/** Go's Regexp.Expand of `template` with the groups of one match (index 0 is the whole match). */
export function expand(template: string, groups: readonly (string | undefined)[], names: Readonly<Record<string, number>> = {}): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      // Malformed: Go keeps the "$" as text.
      out += '$';
      i++;
      continue;
    }
    const n = /^[0-9]+$/.test(name) ? Number(name) : names[name];
    if (n !== undefined && n < groups.length) out += groups[n] ?? '';
    i = end;
  }
  return out;
}

export interface StepResult {
  /** The regex matched the joined source values. */
  readonly matched: boolean;
  /** The label written (replace) and its new value ('' deletes it). */
  readonly wrote?: { readonly label: string; readonly value: string };
  /** The regex does not compile. */
  readonly invalid?: boolean;
}

/** Apply one `replace` (the default action) to a label set, in place. Other actions are not applied. */
export function applyReplace(cfg: RelabelConfig, labels: Map<string, string>): StepResult {
  if (cfg.action !== 'replace') return { matched: false };
  const re = compileRelabelRegex(cfg.regex);
  if (!re) return { matched: false, invalid: true };
  const val = cfg.sourceLabels.map((l) => labels.get(l) ?? '').join(cfg.separator);
  const groups = matchGroups(cfg.regex, re, val);
  if (!groups) return { matched: false };
  const names: Record<string, number> = {};
  const target = expand(cfg.targetLabel ?? '', groups, names);
  const res = expand(cfg.replacement, groups, names);
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(target)) return { matched: true };
  if (res === '') labels.delete(target);
  else labels.set(target, res);
  return { matched: true, wrote: { label: target, value: res } };
}

/**
 * The host Prometheus dials for an `__address__` value: Go's net.SplitHostPort when it succeeds,
 * else the whole value (a port-less address, to which Prometheus 2 appends the scheme's port).
 */
export function addressHost(address: string): string {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(address);
  if (m) return m[1]!;
  const last = address.lastIndexOf(':');
  if (last >= 0 && address.indexOf(':') === last) return address.slice(0, last);
  return address;
}

/** The host of an address is exactly `ip` (same address, any text form). */
export function hostIs(address: string, ip: string): boolean {
  const h = parseIP(addressHost(address));
  const want = parseIP(ip);
  return h !== undefined && want !== undefined && h.family === want.family && h.canonical === want.canonical;
}

/** Sample addresses of each family: documentation ranges (RFC 5737, RFC 3849). */
export const SAMPLE_IP: Readonly<Record<Family, string>> = { IPv4: '192.0.2.15', IPv6: '2001:db8::5' };
export const SAMPLE_NODE_IP: Readonly<Record<Family, string>> = { IPv4: '192.0.2.1', IPv6: '2001:db8::1' };
export const SAMPLE_PORT = '8080';
export const SAMPLE_ANNOTATION_PORT = '9102';

export const joinHostPort = (host: string, port: string): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Labels that hold a bare IP address (no port) in Kubernetes service discovery. */
export const BARE_IP_LABEL = /^(__meta_kubernetes_pod_ip|__meta_kubernetes_pod_host_ip|__meta_kubernetes_node_address_\w+|__meta_kubernetes_endpoint_address_target_name_ip|__meta_kubernetes_service_cluster_ip)$/;

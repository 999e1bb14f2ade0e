// Prometheus relabelling, evaluated as Prometheus does it (prom:model/relabel/relabel.go):
// the regex is RE2 (Go's regexp), anchored as ^(?:regex)$, the source label values are joined
// with the separator (default ";"), and the replacement is expanded with Go's Regexp.Expand
// rules ($1, ${1}, $name, $$; "$1x" is the group named "1x", i.e. empty). The regex runs on
// Google's RE2 (re2-wasm), the engine Go's regexp follows, so leftmost-first submatches
// (lazy quantifiers included) are what Prometheus computes; regexes of a subset on which V8's
// engine provably gives RE2's results run on V8 instead (see inJsSubset). Pure.

import { createRequire } from 'node:module';
import type { RE2 } from 're2-wasm';
import { parseIP } from './ip.ts';
import type { Family, JsonPath } from '../model/types.ts';

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

// re2-wasm is loaded on first use (about 0.2 s to instantiate the WebAssembly module): inputs
// without relabel rules never pay it. Node's module cache keeps the one instance.
const requireHere = createRequire(import.meta.url);
const re2 = (): new (pattern: string, flags?: string) => RE2 =>
  (requireHere('re2-wasm') as { RE2: new (pattern: string, flags?: string) => RE2 }).RE2;

/** The anchored RE2 of a relabel regex; null when RE2 rejects it (Prometheus refuses such a config). */
function compileRE2(regex: string): RE2 | null {
  try {
    return new (re2())(`^(?:${regex})$`, 'u');
  } catch {
    return null;
  }
}

// ---- Regexes JavaScript runs exactly as RE2 does ---------------------------------------------
//
// Loading re2-wasm and compiling a regex costs about 0.1 s per process (a bounded repetition such
// as ([A-Fa-f0-9]{1,4}::?){1,7} alone about 40 ms), far more than the simulation itself. On the
// sample targets (printable ASCII, no line breaks) a regex in the subset below has the same match
// and the same submatches in V8's backtracking engine as in RE2: both are leftmost-first (Perl
// order, lazy quantifiers included), and the subset leaves out where they differ: no quantifier
// over an expression that can match the empty string (JS stops an empty iteration, RE2 takes it),
// no capture inside a repeated expression unless every iteration sets it (JS clears captures at
// each iteration, RE2 keeps the last value), no syntax the two read differently (flags, named or
// POSIX classes, \p, \Q, \z, back references, lookarounds, ']' first in a class, '{' that is not
// a repetition, escapes other than punctuation and \d \w \s \b), and repetition counts small
// enough that RE2 never rejects the pattern as too large. Anything else runs on RE2.
// test/emulate/relabel.test.ts compares both engines on generated regexes and inputs.

interface Shape {
  /** Can match the empty string. */
  readonly nullable: boolean;
  /** Capture groups inside. */
  readonly caps: number;
  /** Some capture inside may not be set on a match of this expression. */
  readonly optionalCaps: boolean;
  /** Zero-width assertion (^, $, \b, \B): not repeatable here. */
  readonly anchor?: boolean;
  /** Largest product of nested counted repetitions inside. */
  readonly weight: number;
}

class OutOfSubset extends Error {}

/** ASCII punctuation, which both engines take literally after a backslash ("_" is a word character: RE2 rejects "\\_"). */
const PUNCT = /[!-/:-@[-^`{-~]/;

/** Whether JavaScript's RegExp computes what RE2 computes for this relabel regex (see above). */
export function inJsSubset(regex: string): boolean {
  if (regex.length > 256) return false;
  let i = 0;
  const fail = (): never => {
    throw new OutOfSubset();
  };
  const printable = (c: string | undefined): boolean => c !== undefined && c >= ' ' && c <= '~';
  function classItem(): string | undefined {
    // One class member; returns the literal character (for ranges) or undefined for \d-style escapes.
    const c = regex[i];
    if (c === '\\') {
      const n = regex[i + 1];
      if (n !== undefined && 'dDwWsS'.includes(n)) {
        i += 2;
        return undefined;
      }
      if (n === undefined || !PUNCT.test(n)) fail();
      i += 2;
      return n;
    }
    if (!printable(c) || c === '[' || c === ']') fail();
    i++;
    return c;
  }
  function charClass(): void {
    i++; // [
    if (regex[i] === '^') i++;
    if (regex[i] === ']') fail();
    let first = true;
    while (regex[i] !== ']') {
      if (i >= regex.length) fail();
      const start = i;
      if (regex[i] === '-') {
        // A literal '-' only first or last.
        if (!first && regex[i + 1] !== ']') fail();
        i++;
        first = false;
        continue;
      }
      const lo = classItem();
      if (regex[i] === '-' && regex[i + 1] !== ']' && regex[i + 1] !== undefined) {
        i++;
        const hi = classItem();
        if (lo === undefined || hi === undefined || lo > hi) fail();
        // Nothing may follow a range as '-' (a-c-e): RE2 rejects it, JavaScript reads a literal.
        if (regex[i] === '-' && regex[i + 1] !== ']') fail();
      }
      if (i === start) fail();
      first = false;
    }
    i++; // ]
  }
  function atom(): Shape {
    const c = regex[i];
    if (c === '(') {
      i++;
      let capture = true;
      if (regex[i] === '?') {
        if (regex[i + 1] !== ':') fail();
        capture = false;
        i += 2;
      }
      const inner = alternation();
      if (regex[i] !== ')') fail();
      i++;
      return { nullable: inner.nullable, caps: inner.caps + (capture ? 1 : 0), optionalCaps: inner.optionalCaps, weight: inner.weight };
    }
    if (c === '[') {
      charClass();
      return { nullable: false, caps: 0, optionalCaps: false, weight: 1 };
    }
    if (c === '^' || c === '$') {
      i++;
      return { nullable: true, caps: 0, optionalCaps: false, anchor: true, weight: 1 };
    }
    if (c === '\\') {
      const n = regex[i + 1];
      i += 2;
      if (n !== undefined && 'dDwWsS'.includes(n)) return { nullable: false, caps: 0, optionalCaps: false, weight: 1 };
      if (n === 'b' || n === 'B') return { nullable: true, caps: 0, optionalCaps: false, anchor: true, weight: 1 };
      if (n === undefined || !PUNCT.test(n)) fail();
      return { nullable: false, caps: 0, optionalCaps: false, weight: 1 };
    }
    if (!printable(c) || '*+?{}]'.includes(c!)) fail();
    i++;
    return { nullable: false, caps: 0, optionalCaps: false, weight: 1 };
  }
  function quantified(): Shape {
    const a = atom();
    const q = regex[i];
    let min: number;
    let max: number; // Infinity: unbounded
    if (q === '*' || q === '+' || q === '?') {
      i++;
      [min, max] = q === '*' ? [0, Infinity] : q === '+' ? [1, Infinity] : [0, 1];
    } else if (q === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(regex.slice(i));
      if (!m) return fail();
      i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min || min > 100 || (max !== Infinity && max > 100)) fail();
    } else {
      return a;
    }
    if (regex[i] === '?') i++; // lazy
    if (regex[i] === '*' || regex[i] === '+' || regex[i] === '?' || regex[i] === '{') fail();
    if (a.anchor || a.nullable) fail();
    if (max > 1 && a.optionalCaps) fail();
    const weight = a.weight * (q === '{' ? Math.max(min, max === Infinity ? min : max, 1) : 1);
    if (weight > 100) fail();
    return { nullable: min === 0, caps: a.caps, optionalCaps: a.optionalCaps || (min === 0 && a.caps > 0), weight };
  }
  function sequence(): Shape {
    let nullable = true;
    let caps = 0;
    let optionalCaps = false;
    let weight = 1;
    while (i < regex.length && regex[i] !== '|' && regex[i] !== ')') {
      const q = quantified();
      nullable &&= q.nullable;
      caps += q.caps;
      optionalCaps ||= q.optionalCaps;
      weight = Math.max(weight, q.weight);
    }
    return { nullable, caps, optionalCaps, weight };
  }
  function alternation(): Shape {
    const branches = [sequence()];
    while (regex[i] === '|') {
      i++;
      branches.push(sequence());
    }
    if (branches.length === 1) return branches[0]!;
    const caps = branches.reduce((n, b) => n + b.caps, 0);
    return { nullable: branches.some((b) => b.nullable), caps, optionalCaps: caps > 0, weight: Math.max(...branches.map((b) => b.weight)) };
  }
  try {
    alternation();
    return i === regex.length;
  } catch (e) {
    if (e instanceof OutOfSubset) return false;
    throw e;
  }
}

/** The anchored JavaScript RegExp of a regex in the subset, else null. */
function jsRegex(regex: string): RegExp | null {
  try {
    return inJsSubset(regex) ? new RegExp(`^(?:${regex})$`) : null;
  } catch {
    return null;
  }
}

/** Inputs on which the subset's equivalence holds: printable ASCII (no line breaks, no Unicode). */
const PLAIN_INPUT = /^[ -~]*$/;

const MATCH_CACHE_MAX = 20_000;
const REGEX_CACHE_MAX = 500;

/**
 * Runs relabel regexes with memos of compiled regexes and of submatches by regex and input: the
 * same sample targets meet the same regexes in every job, and a call into WebAssembly (string
 * copy, match, group extraction) costs far more than a lookup. One Relabeler lives as long as
 * one model build (model/prometheus.ts); nothing is kept between builds. Bounded: a full memo
 * starts over.
 */
export class Relabeler {
  readonly #re2 = new Map<string, RE2 | null>();
  readonly #js = new Map<string, RegExp | null>();
  readonly #matches = new Map<string, Map<string, readonly (string | undefined)[] | null>>();
  #matchCount = 0;

  /** The anchored RE2 of a relabel regex; null when RE2 rejects it (Prometheus refuses such a config). */
  compile(regex: string): RE2 | null {
    let re = this.#re2.get(regex);
    if (re === undefined) {
      re = compileRE2(regex);
      if (this.#re2.size > REGEX_CACHE_MAX) this.#re2.clear();
      this.#re2.set(regex, re);
    }
    return re;
  }

  #jsRegex(regex: string): RegExp | null {
    let re = this.#js.get(regex);
    if (re === undefined) {
      re = jsRegex(regex);
      if (this.#js.size > REGEX_CACHE_MAX) this.#js.clear();
      this.#js.set(regex, re);
    }
    return re;
  }

  /**
   * The groups of the anchored match of a relabel regex on `input` (RE2 semantics), null when it
   * does not match, undefined when RE2 rejects the regex. The arrays are frozen and shared.
   */
  match(regex: string, input: string, engine: 'auto' | 're2' = 'auto'): readonly (string | undefined)[] | null | undefined {
    const js = engine === 'auto' && PLAIN_INPUT.test(input) ? this.#jsRegex(regex) : null;
    if (js) {
      const m = js.exec(input);
      return m ? [...m] : null;
    }
    const re = this.compile(regex);
    return re ? this.#groups(regex, re, input) : undefined;
  }

  #groups(regex: string, re: RE2, input: string): readonly (string | undefined)[] | null {
    let g = this.#matches.get(regex)?.get(input);
    if (g === undefined) {
      const m = re.exec(input);
      g = m ? Object.freeze([...m]) : null;
      if (this.#matchCount >= MATCH_CACHE_MAX) {
        this.#matches.clear();
        this.#matchCount = 0;
      }
      let byInput = this.#matches.get(regex);
      if (!byInput) this.#matches.set(regex, (byInput = new Map()));
      byInput.set(input, g);
      this.#matchCount++;
    }
    return g;
  }

  /** Apply one `replace` (the default action) to a label set, in place. Other actions are not applied. */
  applyReplace(cfg: RelabelConfig, labels: Map<string, string>): StepResult {
    if (cfg.action !== 'replace') return { matched: false };
    const val = cfg.sourceLabels.map((l) => labels.get(l) ?? '').join(cfg.separator);
    const groups = this.match(cfg.regex, val);
    if (groups === undefined) return { matched: false, invalid: true };
    if (!groups) return { matched: false };
    const names: Record<string, number> = {};
    const target = expand(cfg.targetLabel ?? '', groups, names);
    const res = expand(cfg.replacement, groups, names);
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(target)) return { matched: true };
    if (res === '') labels.delete(target);
    else labels.set(target, res);
    return { matched: true, wrote: { label: target, value: res } };
  }
}

/** The anchored RE2 of a relabel regex; null when RE2 rejects it (no memo: see Relabeler). */
export const compileRelabelRegex = (regex: string): RE2 | null => compileRE2(regex);

/** One match of a relabel regex (see Relabeler.match), without memos. */
export const relabelMatch = (regex: string, input: string, engine: 'auto' | 're2' = 'auto'): readonly (string | undefined)[] | null | undefined =>
  new Relabeler().match(regex, input, engine);

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

/** Apply one `replace` to a label set, in place (see Relabeler.applyReplace); pass a Relabeler to share its memos. */
export const applyReplace = (cfg: RelabelConfig, labels: Map<string, string>, relabeler: Relabeler = new Relabeler()): StepResult =>
  relabeler.applyReplace(cfg, labels);

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

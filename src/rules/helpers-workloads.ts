// Helpers shared by the workload rules: targets for pod templates and for the ConfigMaps they
// use, the text fields a container carries (command, args, env values), and the IPv4 scanners.
// Pure.

import type { JsonPath } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import type { ConfigMap, Container, Workload } from '../model/workloads.ts';
import { formatRef } from '../model/types.ts';
import { parseIP } from '../emulate/ip.ts';
import type { Target } from './types.ts';

export interface WorkloadTarget extends Target {
  readonly w: Workload;
}

export const workloadTarget = (w: Workload, severity?: Target['severity']): WorkloadTarget => ({
  ref: w.ref,
  ...(w.source ? { source: w.source } : {}),
  annotations: w.annotations,
  ...(severity ? { severity } : {}),
  w,
});

export const containerLabel = (c: Container): string => `${c.init ? 'init container' : 'container'} ${c.name}`;

/** A string a container passes to its process, with where it sits. */
export interface TextField {
  readonly container: Container;
  readonly where: string;
  readonly text: string;
  readonly path: JsonPath;
}

/** command, args and literal env values of every container (init containers first). */
export function* containerText(w: Workload): Generator<TextField> {
  for (const c of w.containers) {
    for (const f of c.command) yield { container: c, where: `command of ${containerLabel(c)}`, text: f.value, path: f.path };
    for (const f of c.args) yield { container: c, where: `args of ${containerLabel(c)}`, text: f.value, path: f.path };
    for (const e of c.env) {
      if (e.value !== undefined) yield { container: c, where: `env ${e.name} of ${containerLabel(c)}`, text: e.value, path: [...e.path, 'value'] };
    }
  }
}

/** A ConfigMap in the input that at least one pod template mounts or references, with the keys they read. */
export interface ConfigMapTarget extends Target {
  readonly cm: ConfigMap;
  /** undefined: every key. */
  readonly keys?: ReadonlySet<string>;
  /** "Deployment/ns/name", first user first. */
  readonly users: readonly string[];
  /** Keys read through configMapKeyRef, by key: the env var names they feed ("NAME in Deployment/x"). */
  readonly envByKey: ReadonlyMap<string, readonly string[]>;
  /** Container images of the pods that use it. */
  readonly images: readonly string[];
}

// Several rules target the used ConfigMaps: computed once per (frozen) model.
const usedByModel = new WeakMap<Model, readonly ConfigMapTarget[]>();

/** The used ConfigMaps, in input order of their first user (one shared, frozen list per model). */
export function usedConfigMaps(model: Model): readonly ConfigMapTarget[] {
  let used = usedByModel.get(model);
  if (!used) usedByModel.set(model, (used = Object.freeze(computeUsedConfigMaps(model))));
  return used;
}

function computeUsedConfigMaps(model: Model): ConfigMapTarget[] {
  const acc = new Map<ConfigMap, { cm: ConfigMap; all: boolean; keys: Set<string>; users: string[]; envByKey: Map<string, string[]>; images: Set<string> }>();
  for (const w of model.workloads) {
    for (const u of w.configMaps) {
      const cm = u.configMap;
      if (!cm) continue;
      let a = acc.get(cm);
      if (!a) acc.set(cm, (a = { cm, all: false, keys: new Set(), users: [], envByKey: new Map(), images: new Set() }));
      if (u.keys) for (const k of u.keys) a.keys.add(k);
      else a.all = true;
      const user = formatRef(w.ref);
      if (!a.users.includes(user)) a.users.push(user);
      if (u.from === 'configMapKeyRef' && u.keys?.[0] !== undefined && u.envName !== undefined) {
        const l = a.envByKey.get(u.keys[0]) ?? [];
        l.push(`${u.envName} in ${user}`);
        a.envByKey.set(u.keys[0], l);
      }
      for (const c of w.containers) if (c.image) a.images.add(c.image);
    }
  }
  return [...acc.values()].map((a) => ({
    ref: a.cm.ref,
    ...(a.cm.source ? { source: a.cm.source } : {}),
    annotations: a.cm.annotations,
    cm: a.cm,
    ...(a.all ? {} : { keys: a.keys }),
    users: a.users,
    envByKey: a.envByKey,
    images: [...a.images],
  }));
}

/** The data keys of a used ConfigMap that its users read, in the ConfigMap's order. */
export const usedKeys = (t: ConfigMapTarget): string[] => Object.keys(t.cm.data).filter((k) => !t.keys || t.keys.has(k));

export const usersText = (users: readonly string[]): string =>
  users.length <= 2 ? users.join(' and ') : `${users.slice(0, 2).join(', ')} and ${users.length - 2} more`;

/** 1-based line inside a multi-line value, for messages about ConfigMap files. */
export const lineInText = (text: string, index: number): number => text.slice(0, index).split('\n').length;

// An IPv4 dotted quad standing alone: not inside a longer number or a version string.
const V4_TOKEN = /(?<![\w.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\w]|\.\d)/g;

export interface IPv4Hit {
  readonly ip: string;
  readonly index: number;
  /** Followed by /prefix: a CIDR (an allow list, a route), not an address a client dials or a socket binds. */
  readonly cidr: boolean;
  readonly range: string;
}

/** "/prefix" right after a literal (sticky: tested at an index, without copying the rest of the text). */
const CIDR_SUFFIX = /\/\d{1,2}(?!\d)/y;

// The same texts are scanned by several rules (workload-ipv4-literal twice, workload-ipv4-wildcard-bind,
// the exporter rules): a bounded memo by text; the shared arrays and hits are frozen.
const NO_HITS: readonly IPv4Hit[] = Object.freeze([]);
const hitMemo = new Map<string, readonly IPv4Hit[]>();
const HIT_MEMO_MAX = 4096;

/** Every IPv4 literal in a text (including those inside URLs and host:port). */
export function ipv4Literals(text: string): readonly IPv4Hit[] {
  // A dotted quad has three dots: most values (names, flags, numbers) have none.
  const dot = text.indexOf('.');
  if (dot < 0 || text.indexOf('.', dot + 1) < 0) return NO_HITS;
  const known = hitMemo.get(text);
  if (known) return known;
  const out: IPv4Hit[] = [];
  for (const m of text.matchAll(V4_TOKEN)) {
    const parsed = parseIP(m[1]!);
    if (!parsed || parsed.family !== 'IPv4') continue;
    CIDR_SUFFIX.lastIndex = m.index! + m[1]!.length;
    out.push(Object.freeze({ ip: parsed.canonical, index: m.index!, cidr: CIDR_SUFFIX.test(text), range: parsed.range }));
  }
  const hits = out.length === 0 ? NO_HITS : Object.freeze(out);
  if (hitMemo.size >= HIT_MEMO_MAX) hitMemo.clear();
  hitMemo.set(text, hits);
  return hits;
}

/** Ranges that are not a pinned peer address: loopback and the unspecified, broadcast and reserved (netmask) ranges. */
const NOT_A_PEER = new Set(['loopback', 'unspecified', 'broadcast', 'reserved']);

/** IPv4 literals that name a peer or a specific local address (no loopback, no wildcard, no CIDR). */
export const peerIPv4Literals = (text: string): IPv4Hit[] =>
  ipv4Literals(text).filter((h) => !h.cidr && !NOT_A_PEER.has(h.range));

/** Positions of the IPv4 wildcard 0.0.0.0 used as an address (0.0.0.0/0 is a CIDR and does not count). */
export const ipv4Wildcards = (text: string): IPv4Hit[] =>
  !text.includes('0.0.0.0') ? [] : ipv4Literals(text).filter((h) => !h.cidr && h.ip === '0.0.0.0' && text.startsWith('0.0.0.0', h.index));

/** Whether a text also names the IPv6 wildcard ("::", "[::]", ":::port"), e.g. a second listen directive. */
export function hasIPv6Wildcard(text: string): boolean {
  // Every form below contains "::".
  if (!text.includes('::')) return false;
  return /\[::\]/.test(text) || /(?<![\w:])::(?![\w:.])/.test(text) || /(?<![\w:])::0?(?=[\s"',}]|$)/.test(text) || /(?<![\w:]):::\d/.test(text);
}

/**
 * Images of Go programs, where net.Listen("tcp", "0.0.0.0:p") opens a dual-stack socket
 * (https://pkg.go.dev/net#Listen): Kubernetes components, Prometheus and its exporters, CoreDNS,
 * etcd, and other well-known Go servers. A heuristic on the image name only.
 */
const GO_IMAGES: readonly RegExp[] = [
  /^(registry\.k8s\.io|k8s\.gcr\.io|gcr\.io\/google[-_]containers|staging-k8s\.gcr\.io)\//,
  /(^|\/)(coredns|etcd|kube-rbac-proxy|kube-state-metrics|node-exporter|blackbox-exporter|prometheus|alertmanager|prometheus-operator|prometheus-config-reloader|pushgateway|thanos|grafana|cert-manager-[a-z]+|argocd|external-dns|oauth2-proxy|redis_exporter|cloud-sql-proxy|vouch-proxy|opentelemetry-collector(-contrib)?|spire-[a-z-]+|cockroach|jaeger|jaegertracing\/all-in-one|k8s-dns-node-cache)(:|@|$)/,
  /^(quay\.io\/prometheus|quay\.io\/brancz|quay\.io\/prometheus-operator|quay\.io\/jetstack|quay\.io\/argoproj|quay\.io\/cilium|quay\.io\/metallb|quay\.io\/coreos|ghcr\.io\/dexidp|ghcr\.io\/spiffe|docker\.io\/calico|calico)\//,
];

/** Non-Go servers published under the same registries (nginx-based ingress, Envoy). */
const NOT_GO = /ingress-nginx|(^|\/)(nginx[\w-]*|[\w-]*envoy[\w-]*|proxyv2)(:|@|$)/;

/** Whether an image is (heuristically) a Go program. */
export const isGoImage = (image: string | undefined): boolean =>
  image !== undefined && !NOT_GO.test(image) && GO_IMAGES.some((re) => re.test(image));

/** "a, b, c and 2 more". */
export const listText = (items: readonly string[], max = 3): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

/** A JSON path as a JSON Pointer (RFC 6901), for fixes. */
export const pointer = (path: JsonPath): string =>
  `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** The line of a text around an index, trimmed and cut to about `max` characters around it, for messages. */
export function snippet(text: string, index: number, max = 60): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const nl = text.indexOf('\n', index);
  const raw = text.slice(start, nl < 0 ? text.length : nl);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  // Runs of blanks collapse to one, and the position moves with them.
  const pos = Math.max(0, trimmed.slice(0, Math.max(0, index - start - lead)).replace(/\s+/g, ' ').length);
  const line = trimmed.replace(/\s+/g, ' ');
  if (line.length <= max) return line;
  const from = Math.max(0, Math.min(pos - Math.floor(max / 3), line.length - max));
  return `${from > 0 ? '…' : ''}${line.slice(from, from + max)}${from + max < line.length ? '…' : ''}`;
}

// Address literals in the texts a workload carries (command, args, env values, ConfigMap
// files): IPv4 literals, the IPv4 and IPv6 wildcards, and which images are Go programs (whose
// 0.0.0.0 listener is dual-stack). Pure functions of a text, no memo.

import { parseIP } from '../emulate/ip.ts';

// An IPv4 dotted quad standing alone: not inside a longer number or a version string.
const V4_TOKEN = /(?<![\w.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\w]|\.\d)/g;

export interface IPv4Hit {
  readonly ip: string;
  readonly index: number;
  /** Followed by /prefix: a CIDR (an allow list, a route), not an address a client dials or a socket binds. */
  readonly cidr: boolean;
  readonly range: string;
}

/** "/prefix" at the start of a text: tested on the four characters after a literal ("/", two digits, and one that must not be a digit). */
const CIDR_SUFFIX = /^\/\d{1,2}(?!\d)/;

const NO_HITS: readonly IPv4Hit[] = Object.freeze([]);

/** Every IPv4 literal in a text (including those inside URLs and host:port). */
export function ipv4Literals(text: string): readonly IPv4Hit[] {
  // A dotted quad has three dots: most values (names, flags, numbers) have none.
  const dot = text.indexOf('.');
  if (dot < 0 || text.indexOf('.', dot + 1) < 0) return NO_HITS;
  const out: IPv4Hit[] = [];
  for (const m of text.matchAll(V4_TOKEN)) {
    const parsed = parseIP(m[1]!);
    if (!parsed || parsed.family !== 'IPv4') continue;
    const end = m.index! + m[1]!.length;
    out.push(Object.freeze({ ip: parsed.canonical, index: m.index!, cidr: CIDR_SUFFIX.test(text.slice(end, end + 4)), range: parsed.range }));
  }
  return out.length === 0 ? NO_HITS : Object.freeze(out);
}

/**
 * A DNS zone file (RFC 1035 section 5 master file): a `$TTL` (RFC 2308 section 4) or `$ORIGIN`
 * directive, or an SOA record, at the start of a line. Its A records are answers the server
 * gives (over either family), not addresses a program dials or binds: data, not configuration.
 */
const ZONE_DIRECTIVE = /^\$(TTL|ORIGIN)\s/m;
const SOA_RECORD = /^\S*[ \t]+(\d+[ \t]+)?(IN[ \t]+)?(\d+[ \t]+)?SOA[ \t]/im;

export const isZoneFile = (text: string): boolean =>
  (text.includes('$') && ZONE_DIRECTIVE.test(text)) || (/SOA/i.test(text) && SOA_RECORD.test(text));

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
  // Go servers seen binding 0.0.0.0 on real projects (issue 18): Contour (github.com/projectcontour/contour),
  // Envoy Gateway's controller (github.com/envoyproxy/gateway), slow_cooker (github.com/BuoyantIO/slow_cooker),
  // grpc_health_proxy (github.com/salrashid123/grpc_health_proxy), Flux, Knative, the Kubernetes dashboard
  // and the OpenTelemetry operator: all written in Go.
  /(^|\/)(projectcontour\/contour|envoyproxy\/gateway|buoyantio\/slow_cooker|[\w.-]*grpc_health_proxy|kubernetesui\/(dashboard|metrics-scraper)|opentelemetry-operator\/opentelemetry-operator)(:|@|$)/,
  /^(ghcr\.io\/fluxcd|gcr\.io\/knative-releases|docker\.io\/envoyproxy\/gateway)\//,
  /^(quay\.io\/prometheus|quay\.io\/brancz|quay\.io\/prometheus-operator|quay\.io\/jetstack|quay\.io\/argoproj|quay\.io\/cilium|quay\.io\/metallb|quay\.io\/coreos|ghcr\.io\/dexidp|ghcr\.io\/spiffe|docker\.io\/calico|calico)\//,
];

/** Non-Go servers published under the same registries (nginx-based ingress, Envoy). */
const NOT_GO = /ingress-nginx|(^|\/)(nginx[\w-]*|[\w-]*envoy[\w-]*|proxyv2)(:|@|$)/;

/** Whether an image is (heuristically) a Go program. */
export const isGoImage = (image: string | undefined): boolean =>
  image !== undefined && !NOT_GO.test(image) && GO_IMAGES.some((re) => re.test(image));

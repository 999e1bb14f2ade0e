import { defineRule, type RuleReport, type Target } from './types.ts';
import {
  containerText, hasIPv6Wildcard, ipv4Wildcards, isGoImage, lineInText, pointer, snippet, usedConfigMaps, usedKeys, usersText, workloadTarget,
  type ConfigMapTarget, type WorkloadTarget,
} from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';

/** Full-line comments (# ...) are blanked, keeping line numbers: a commented-out `listen [::]:80;` does not count. */
function withoutCommentLines(text: string): string {
  if (!text.includes('#')) return text;
  let out = '';
  let kept = 0; // text before this offset is in out
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let i = start;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === 35 /* # */) {
      out += text.slice(kept, start);
      kept = end;
    }
    start = end + 1;
  }
  return kept === 0 ? text : out + text.slice(kept);
}
/** JavaScript's \s (a line holds no \n). */
const isSpace = (c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
/** An nginx config: a server block. */
const NGINX_SERVER = /(^|\s)server\s*\{/;
/** `listen 80;` or `listen *:80 ...;`: nginx binds 0.0.0.0 for a listen without an address. */
const NGINX_PORT_ONLY = /^[ \t]*listen[ \t]+(?:\*:)?\d+(?:[ \t]+[^;\n]*)?;/m;
/** An HAProxy config: a frontend or listen section. */
const HAPROXY_SECTION = /^[ \t]*(frontend|listen)[ \t]+\S/m;
/** `bind :6379` or `bind *:6379`: HAProxy binds IPv4 only for an empty or * address. */
const HAPROXY_PORT_ONLY = /^[ \t]*bind[ \t]+\*?:\d+/m;

type T = (WorkloadTarget & { readonly cmt?: undefined }) | (Target & { readonly w?: undefined; readonly cmt: ConfigMapTarget });

/**
 * The suggestion: every IPv4 wildcard of the value becomes the IPv6 one, bracketed before a
 * port ("0.0.0.0:8080" -> "[::]:8080"). A suggestion, not a fix: whether "::" also accepts IPv4
 * depends on the program and on net.ipv6.bindv6only (the notes), and the program must accept
 * the bracketed form.
 */
function ipv6Wildcard(text: string): string {
  let out = '';
  let from = 0;
  for (const h of ipv4Wildcards(text)) {
    out += text.slice(from, h.index) + (text[h.index + 7] === ':' ? '[::]' : '::');
    from = h.index + 7;
  }
  return out + text.slice(from);
}

export default defineRule<T>({
  meta: {
    id: 'workload-ipv4-wildcard-bind',
    fixable: 'suggestion',
    title: 'Servers told to listen on 0.0.0.0',
    category: 'workloads',
    severity: 'medium',
    scope: [...WORKLOAD_KINDS, 'ConfigMap'],
    rationale:
      '0.0.0.0 is the IPv4 wildcard. In most runtimes (nginx, Envoy, Node.js, Python, Java, Ruby) a socket bound to it accepts IPv4 only, ' +
      'so a dual-stack pod refuses every connection to its IPv6 address and the IPv6 half of its Services has no working backend. ' +
      'Go is the exception: net.Listen("tcp", "0.0.0.0:80") opens a dual-stack socket, so for Go images the finding is low. ' +
      'The value is found in container command, args and env, and in the data of ConfigMaps the pod mounts or references.',
    docs: {
      notes: 'A heuristic: any 0.0.0.0 that is not a CIDR (0.0.0.0/0 is not reported) in command, args, literal env values, and in the ConfigMap keys a pod reads (a whole-volume mount or envFrom reads every key; items and configMapKeyRef only the named keys). In ConfigMap data, an nginx server block whose `listen` directives give only a port (nginx then binds 0.0.0.0) and an HAProxy frontend or listen section with `bind :port` or `bind *:port` (IPv4 only, per the HAProxy bind documentation) are reported too, and full-line # comments are ignored. A value, container or ConfigMap key that also names the IPv6 wildcard ("::" or "[::]", e.g. a second listen directive) passes. Each ConfigMap is reported once, however many pods use it. Whether "::" alone is dual-stack depends on net.ipv6.bindv6only (0 on Linux by default) and on the runtime: nginx needs both `listen 80;` and `listen [::]:80;`. Images are classed as Go by name (Kubernetes components, Prometheus and its exporters, CoreDNS, etcd, cert-manager, Argo CD, ...), which can be wrong: the Go messages say verify.',
    },
    fix: { summary: 'Listen on the IPv6 wildcard "::" (or "[::]:port"), which accepts both families on Linux, or add a second listener for [::] next to the IPv4 one (nginx: listen [::]:80;).' },
    messages: {
      bind: '{where} binds the IPv4 wildcard ({text}), so most runtimes refuse connections to the pod\'s IPv6 address',
      bindGo: '{where} binds the IPv4 wildcard ({text}): IPv4-only unless {image} is Go (verify)',
      configMap: 'ConfigMap key {key} binds the IPv4 wildcard ({text}, line {line}), so {users} refuse IPv6 connections',
      nginxListen: 'ConfigMap key {key}: nginx {text} (line {line}) listens on IPv4 only, with no listen [::], for {users}',
      haproxyBind: 'ConfigMap key {key}: HAProxy {text} (line {line}) binds IPv4 only, with no IPv6 bind, for {users}',
      configMapGo: 'ConfigMap key {key} binds the IPv4 wildcard ({text}, line {line}), IPv4-only unless {users} are Go programs (verify)',
    },
    references: ['https://pkg.go.dev/net#Listen', 'https://nginx.org/en/docs/http/ngx_http_core_module.html#listen', 'https://docs.haproxy.org/2.8/configuration.html#4.2-bind'],
  },
  *targets({ model }) {
    for (const w of model.workloads) {
      if (w.containers.length > 0) yield workloadTarget(w);
    }
    for (const cmt of usedConfigMaps(model)) yield { ref: cmt.ref, ...(cmt.source ? { source: cmt.source } : {}), annotations: cmt.annotations, cmt };
  },
  *check(t): Generator<RuleReport> {
    if (t.w) {
      // Only a field that contains 0.0.0.0 can be reported: most workloads have none.
      const has = (v: string | undefined): boolean => v !== undefined && v.includes('0.0.0.0');
      if (!t.w.containers.some((c) => c.command.some((f) => has(f.value)) || c.args.some((f) => has(f.value)) || c.env.some((e) => has(e.value)))) return;
      // A container that also names the IPv6 wildcard somewhere listens on both.
      const dual = new Set(t.w.containers.filter((c) => c.command.some((f) => hasIPv6Wildcard(f.value)) || c.args.some((f) => hasIPv6Wildcard(f.value)) ||
        c.env.some((e) => e.value !== undefined && hasIPv6Wildcard(e.value))));
      for (const f of containerText(t.w)) {
        if (dual.has(f.container)) continue;
        const hit = ipv4Wildcards(f.text)[0];
        if (!hit) continue;
        const go = isGoImage(f.container.image);
        yield {
          messageId: go ? 'bindGo' : 'bind',
          path: f.path,
          data: { where: f.where, text: snippet(f.text, hit.index), image: f.container.image ?? '' },
          ...(go ? { severity: 'low' as const } : { suggest: [{ op: 'replace' as const, path: pointer(f.path), value: ipv6Wildcard(f.text) }] }),
        };
      }
      return;
    }
    const cmt = t.cmt;
    let go: boolean | undefined;
    for (const key of usedKeys(cmt)) {
      const raw = cmt.cm.data[key]!;
      // Blanking comments only removes text: without these words in the raw text nothing below can match.
      if (!raw.includes('0.0.0.0') && !raw.includes('server') && !raw.includes('frontend') && !raw.includes('listen')) continue;
      const text = withoutCommentLines(raw);
      if (hasIPv6Wildcard(text)) continue;
      const env = cmt.envByKey.get(key);
      const hit = ipv4Wildcards(text)[0];
      if (!hit) {
        const listen = text.includes('server') && NGINX_SERVER.test(text) ? NGINX_PORT_ONLY.exec(text) : null;
        const bind = (text.includes('frontend') || text.includes('listen')) && HAPROXY_SECTION.test(text) ? HAPROXY_PORT_ONLY.exec(text) : null;
        const m = listen ?? bind;
        if (m) {
          const at = m.index + m[0].search(/\S/);
          yield {
            messageId: listen ? 'nginxListen' : 'haproxyBind', path: ['data', key],
            data: { key, text: snippet(text, at), line: lineInText(text, at), users: usersText(cmt.users) },
          };
        }
        continue;
      }
      go ??= cmt.images.length > 0 && cmt.images.every(isGoImage);
      yield {
        messageId: go ? 'configMapGo' : 'configMap',
        path: ['data', key],
        data: { key, text: snippet(text, hit.index), line: lineInText(text, hit.index), users: env ? usersText(env) : usersText(cmt.users) },
        ...(go ? { severity: 'low' as const } : {}),
      };
    }
  },
});

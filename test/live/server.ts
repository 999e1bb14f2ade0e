// A small Kubernetes API server for the live tests: HTTPS with a CA and a server certificate
// generated at test time (openssl), bearer-token authentication, discovery (/api, /apis,
// /apis/<group>/<version>), lists with limit/continue pagination, single GETs, and injected
// 401/403/404/410/429/500 answers, latency, raw 200 bodies (an HTML page, truncated JSON, a
// Status object, a list whose continue token repeats) and bodies trickled one byte at a time. It counts every request and every write (any
// method but GET): a read-only audit must make zero writes.

import * as https from 'node:https';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../helpers/temp.ts';
import type { LazyKind } from './generated.ts';

export interface Pki {
  readonly dir: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** A CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI. */
export function makePki(cn = 'dualstack-audit-test-ca'): Pki {
  const dir = tempDir('dsa-pki-');
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', `/CN=${cn}`]);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'ext']);
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    certPem: readFileSync(join(dir, 'server.crt'), 'utf8'),
    keyPem: readFileSync(join(dir, 'server.key'), 'utf8'),
  };
}

export const hasOpenssl = (): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

export interface ResourceDef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The APIs the test server serves (a dual-stack 1.33 cluster with the Gateway API CRDs, no other CRD). */
export const API_RESOURCES: readonly ResourceDef[] = [
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'servicecidrs', kind: 'ServiceCIDR', namespaced: false },
  { group: 'gateway.networking.k8s.io', version: 'v1', resource: 'gateways', kind: 'Gateway', namespaced: true },
  { group: 'gateway.networking.k8s.io', version: 'v1', resource: 'httproutes', kind: 'HTTPRoute', namespaced: true },
  // Advertised by discovery, but its lists answer 404 (a CRD deleted after discovery): skipped quietly.
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', resource: 'adminnetworkpolicies', kind: 'AdminNetworkPolicy', namespaced: false },
];

export interface Injection {
  /** Matched against "METHOD path?query". */
  readonly match: RegExp;
  readonly status?: number;
  /** Added latency in ms. */
  readonly delayMs?: number;
  /** How many matching requests it applies to (default: all). */
  times?: number;
  readonly retryAfter?: number;
  /** Answer 200 (or `status`) with exactly this body text (Content-Type application/json unless it starts with '<'). */
  readonly body?: string;
  /** Send the body one byte every trickleMs ms (the whole answer takes bytes x trickleMs). */
  readonly trickleMs?: number;
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly pki: Pki;
  /** "METHOD path?query" of every request, in order. */
  readonly requests: string[];
  /** Date.now() of each request, parallel to requests. */
  readonly times: number[];
  readonly writes: () => number;
  readonly injections: Injection[];
  /** Largest page served, whatever limit asks (forces pagination). */
  maxPage: number;
  /** Latency added to every request. */
  latencyMs: number;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;
const meta = (o: Obj): Obj => (o.metadata ?? {}) as Obj;

function keyOf(d: ResourceDef): string {
  return d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
}

/** Start a server holding `objects` (each with apiVersion/kind). */
export async function startServer(objects: readonly Obj[], opts: { token?: string; pki?: Pki; resources?: readonly ResourceDef[]; lazy?: readonly LazyKind[] } = {}): Promise<TestServer> {
  // Generated kinds (generated.ts) are served after the objects of the same resource, made and
  // serialised a page at a time; their APIs are added to the served ones.
  const lazy = opts.lazy ?? [];
  const base = opts.resources ?? API_RESOURCES;
  const sameApi = (a: ResourceDef, b: ResourceDef): boolean => a.group === b.group && a.version === b.version && a.resource === b.resource;
  const defs = [...base, ...lazy.map((l) => l.def).filter((d, i, all) => !base.some((b) => sameApi(b, d)) && all.findIndex((x) => sameApi(x, d)) === i)];
  const lazyOf = (d: ResourceDef): LazyKind | undefined => lazy.find((l) => sameApi(l.def, d));
  const pki = opts.pki ?? makePki();
  const token = opts.token ?? 'test-token-0123456789';
  const requests: string[] = [];
  const times: number[] = [];
  let writes = 0;
  const injections: Injection[] = [];
  const byResource = new Map<ResourceDef, Obj[]>();
  for (const d of defs) byResource.set(d, []);
  for (const o of objects) {
    const av = String(o.apiVersion);
    const [group, version] = av.includes('/') ? av.split('/') as [string, string] : ['', av];
    const def = defs.find((d) => d.kind === o.kind && d.group === group && d.version === version);
    if (!def) throw new Error(`test server: no API for ${av} ${String(o.kind)}`);
    byResource.get(def)!.push(o);
  }
  let rv = 1000;

  const state = { maxPage: 7, latencyMs: 0 };
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    times.push(Date.now());
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(text);
    };
    const statusBody = (code: number, reason: string, message: string): Obj =>
      ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    const respond = (): void => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        send(401, statusBody(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      if (req.method !== 'GET') {
        writes++;
        send(405, statusBody(405, 'MethodNotAllowed', 'the test server is read-only'));
        return;
      }
      const inj = injections.find((i) => i.match.test(line) && (i.times === undefined || i.times > 0) && (i.status !== undefined || i.body !== undefined));
      if (inj && inj.body !== undefined) {
        if (inj.times !== undefined) inj.times--;
        const text = inj.body;
        res.writeHead(inj.status ?? 200, { 'Content-Type': text.trimStart().startsWith('<') ? 'text/html' : 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
        if (!inj.trickleMs) {
          res.end(text);
          return;
        }
        const bytes = Buffer.from(text);
        let i = 0;
        const tick = (): void => {
          if (res.destroyed || res.writableEnded) return;
          if (i >= bytes.length) {
            res.end();
            return;
          }
          res.write(bytes.subarray(i, i + 1));
          i++;
          setTimeout(tick, inj.trickleMs);
        };
        tick();
        return;
      }
      if (inj && inj.status) {
        if (inj.times !== undefined) inj.times--;
        const reason = { 403: 'Forbidden', 404: 'NotFound', 410: 'Expired', 429: 'TooManyRequests', 500: 'InternalError' }[inj.status] ?? 'Error';
        const msg = inj.status === 403
          ? `${req.url?.split('?')[0]} is forbidden: User "system:serviceaccount:default:auditor" cannot list resource`
          : `injected ${inj.status}`;
        send(inj.status, statusBody(inj.status, reason, msg), inj.retryAfter !== undefined ? { 'Retry-After': String(inj.retryAfter) } : {});
        return;
      }
      const u = new URL(req.url ?? '/', 'https://x');
      const p = u.pathname.replace(/\/$/, '');
      if (p === '/api') {
        send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
        return;
      }
      if (p === '/version') {
        send(200, { major: '1', minor: '33', gitVersion: 'v1.33.0-dualstack-audit-test', platform: 'linux/amd64' });
        return;
      }
      if (p === '/apis') {
        const groups = new Map<string, Set<string>>();
        for (const d of defs) if (d.group) (groups.get(d.group) ?? groups.set(d.group, new Set()).get(d.group)!).add(d.version);
        send(200, {
          kind: 'APIGroupList', apiVersion: 'v1',
          groups: [...groups.entries()].map(([name, vs]) => ({
            name, versions: [...vs].map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
            preferredVersion: { groupVersion: `${name}/${[...vs][0]}`, version: [...vs][0] },
          })),
        });
        return;
      }
      const gv = defs.filter((d) => keyOf(d) === p);
      if (gv.length > 0) {
        send(200, {
          kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv[0]!.group ? `${gv[0]!.group}/${gv[0]!.version}` : gv[0]!.version,
          resources: gv.map((d) => ({ name: d.resource, singularName: d.kind.toLowerCase(), namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'list', 'watch'] })),
        });
        return;
      }
      for (const d of defs) {
        const base = keyOf(d);
        if (!p.startsWith(`${base}/`)) continue;
        const rest = p.slice(base.length + 1).split('/');
        let ns: string | undefined;
        let name: string | undefined;
        if (rest[0] === d.resource && rest.length === 1) { /* all namespaces */ } else if (d.namespaced && rest[0] === 'namespaces' && rest[2] === d.resource && rest.length <= 4) {
          ns = rest[1];
          name = rest[3];
        } else if (!d.namespaced && rest[0] === d.resource && rest.length === 2) {
          name = rest[1];
        } else continue;
        if (d.kind === 'AdminNetworkPolicy') {
          send(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
          return;
        }
        const all = byResource.get(d)!.filter((o) => ns === undefined || (meta(o).namespace ?? 'default') === ns);
        const gvText = d.group ? `${d.group}/${d.version}` : d.version;
        const gen = lazyOf(d);
        if (name !== undefined) {
          const o = all.find((x) => meta(x).name === name);
          if (!o) send(404, statusBody(404, 'NotFound', `${d.resource} "${name}" not found`));
          else send(200, o);
          return;
        }
        // The list: the objects, then the generated ones of the namespace (an index range).
        const [from, to] = !gen ? [0, 0] : ns === undefined ? [0, gen.count] : gen.range ? gen.range(ns) : [0, 0];
        const total = all.length + (to - from);
        const at = (i: number): Obj => (i < all.length ? all[i]! : gen!.item(from + i - all.length));
        const limit = Math.min(Number(u.searchParams.get('limit') ?? '0') || Infinity, state.maxPage);
        const start = u.searchParams.get('continue') ? Number(Buffer.from(u.searchParams.get('continue')!, 'base64').toString('utf8')) : 0;
        const end = Math.min(total, start + limit);
        const next = start + limit < total ? Buffer.from(String(start + limit)).toString('base64') : undefined;
        // Built-in kinds come back without kind/apiVersion in list items, as the apiserver sends them.
        const bare = !(d.group.includes('.') && !d.group.endsWith('k8s.io'));
        const head = { kind: `${d.kind}List`, apiVersion: gvText, metadata: { resourceVersion: String(rv++), ...(next ? { continue: next, remainingItemCount: total - start - limit } : {}) } };
        // Serialised item by item into one text: a page of generated objects is made when asked for and then dropped.
        const parts: string[] = [];
        for (let i = start; i < end; i++) {
          const o = at(i);
          if (!bare) {
            parts.push(JSON.stringify(o));
            continue;
          }
          const { kind: _k, apiVersion: _a, ...rest2 } = o;
          parts.push(JSON.stringify(rest2));
        }
        const text = `${JSON.stringify(head).slice(0, -1)},"items":[${parts.join(',')}]}`;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
        res.end(text);
        return;
      }
      send(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
    };
    const delay = state.latencyMs + (injections.find((i) => i.delayMs && i.match.test(line))?.delayMs ?? 0);
    if (delay > 0) setTimeout(respond, delay);
    else respond();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const ts: TestServer = {
    url: `https://127.0.0.1:${port}`, port, token, pki, requests, times, writes: () => writes, injections,
    get maxPage() { return state.maxPage; },
    set maxPage(n) { state.maxPage = n; },
    get latencyMs() { return state.latencyMs; },
    set latencyMs(n) { state.latencyMs = n; },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
  return ts;
}

export interface KubeContextDef {
  readonly name: string;
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
  readonly namespace?: string;
}

/** A kubeconfig file with these contexts (the first is current), in `dir`. */
export function writeKubeconfig(dir: string, contexts: readonly KubeContextDef[], file = 'config'): string {
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${contexts[0]!.name}`, 'clusters:'];
  for (const c of contexts) {
    lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`, `    certificate-authority-data: ${Buffer.from(c.caPem).toString('base64')}`);
  }
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.name}-user`, '  user:', `    token: ${c.token}`);
  lines.push('contexts:');
  for (const c of contexts) {
    lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}-user`, ...(c.namespace ? [`    namespace: ${c.namespace}`] : []));
  }
  const p = join(dir, file);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

export const removeDir = (d: string): void => rmSync(d, { recursive: true, force: true });

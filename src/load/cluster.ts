// A live cluster -> InputDocuments. The only module (with load/files) that does network I/O.
// Kubeconfig handling and authentication (client certificates, tokens, exec plugins, OIDC)
// come from @kubernetes/client-node, imported lazily so an offline run never loads it; the
// requests themselves are plain GETs over node:https with the agent and headers client-node
// computes, so we see the raw JSON the apiserver sends (what kubectl sees), not typed models.
// Read-only by construction: this file issues GET and nothing else, and never reads Secrets.

import * as http from 'node:http';
import * as https from 'node:https';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import jsyaml from 'js-yaml';
import { readOptionFile } from './files.ts';
import type { InputDocument, LoadProblem } from '../model/types.ts';
import { LIVE_KINDS, resourceKey, type ReadKind } from '../model/kinds.ts';
import { configMapReferences, recognisedConfigMap } from '../model/recognised.ts';
import { createSharer } from './share.ts';

/** One kind the live audit reads: an entry of the kind registry (model/kinds.ts). */
export type ReadSpec = ReadKind;

/** Everything a live audit reads, in report order: the registry's live kinds. deploy/rbac.yaml grants exactly this. */
export const READS: readonly ReadSpec[] = LIVE_KINDS;

/** Which ConfigMaps are listed: in every namespace read (default) or in kube-system only (--configmaps kube-system). */
export type ConfigMapScope = 'all' | 'kube-system';
export const CONFIGMAP_SCOPES: readonly ConfigMapScope[] = ['all', 'kube-system'];

/**
 * Why a kind was not read: the apiserver refused (forbidden), failed (error: 5xx after retries,
 * network, the request timeout), answered 200 with something that is not the list asked for
 * (invalid-response: an HTML page from a proxy, truncated JSON, a Status object, items not a
 * list), paged without progress (paging: a repeated or malformed continue token, 410 on every
 * restart), or took longer than the per-kind deadline (deadline).
 */
// Kept in engine/types.ts (pure), so reading a snapshot does not load this module at start-up.
import type { NotEvaluatedReason, NotInstalledKind } from '../engine/types.ts';
export { NOT_EVALUATED_REASONS, type NotEvaluatedReason } from '../engine/types.ts';

/** A kind (or some of its namespaces) the audit could not read: its rules are "not evaluated". */
export interface NotEvaluated {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly reason: NotEvaluatedReason;
  readonly message: string;
  /** The RBAC rule that would grant the read, as a one-line YAML flow mapping. */
  readonly rbac?: string;
}

export interface KindRead {
  readonly kind: string;
  readonly apiVersion: string;
  /** Objects kept. */
  readonly count: number;
  /** Objects listed and dropped as their page arrived, not recognised by the model (ConfigMaps). */
  readonly dropped?: number;
}

/** An optional kind (a CRD) the cluster does not serve: nothing to read, its rules have nothing to judge. */
export type NotInstalled = NotInstalledKind;

export interface ClusterLoadResult {
  readonly context: string;
  readonly server: string;
  readonly documents: InputDocument[];
  readonly problems: LoadProblem[];
  readonly notEvaluated: NotEvaluated[];
  readonly read: KindRead[];
  /** Optional kinds (CRDs) the cluster does not serve. */
  readonly notInstalled: NotInstalled[];
  /** Requests sent (all GET), retries included. */
  readonly requests: number;
}

export interface ClusterLoadOptions {
  /** --kubeconfig: this file only (KUBECONFIG is ignored, as kubectl does). */
  readonly kubeconfig?: string;
  /** --context; default the kubeconfig's current-context. */
  readonly context?: string;
  /** Per-request timeout in ms, for the whole request (connect to last byte), not idle time; 0 means none. */
  readonly requestTimeoutMs?: number;
  /** Total time allowed for reading one kind (all its pages, retries and restarts), in ms; 0 means none. Default 5 minutes. */
  readonly kindDeadlineMs?: number;
  /** Read only these namespaces (cluster-scoped kinds and the kube-system ConfigMaps are still read). */
  readonly namespaces?: readonly string[];
  /** --configmaps: list ConfigMaps in every namespace read (default 'all') or in kube-system only. */
  readonly configMaps?: ConfigMapScope;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Progress lines (the CLI draws them on a TTY). */
  readonly progress?: (line: string) => void;
  /**
   * Takes the documents once the read is complete, kind by kind in the READS order (the order a
   * file of the same objects would give), each kind's documents let go as they are handed over;
   * the result's `documents` is then empty (the streaming model build, model/build.ts modelIntake).
   */
  readonly onDocument?: (doc: InputDocument) => void;
  /** Kinds read at once. */
  readonly concurrency?: number;
  readonly pageSize?: number;
  readonly retries?: number;
  /** First backoff delay in ms (doubled each retry). */
  readonly backoffMs?: number;
  /** Keep kubectl's last-applied-configuration annotation (plan --method apply needs it). */
  readonly keepLastApplied?: boolean;
  /**
   * Share equal parts of the objects read (share.ts: the Pods of one ReplicaSet repeat their
   * containers, labels and owners); default true. false only to compare (test/live/paging.test.ts).
   */
  readonly shareObjects?: boolean;
  /** Read only these kinds of READS (plan reads Services, ServiceCIDRs and Nodes); default all. */
  readonly kinds?: readonly string[];
  /**
   * Resolve the kubeconfig and credentials in a worker thread, so that @kubernetes/client-node
   * is not kept in this process during the read (the single-cluster live audit: its peak memory).
   */
  readonly isolateClient?: boolean;
}

/** Cannot talk to the cluster at all (unreachable, TLS mismatch, rejected credentials, bad kubeconfig): one line, exit 2. */
export class ClusterAccessError extends Error {
  /** The credentials were rejected (401): every further request would fail too. */
  readonly unauthorized: boolean;
  constructor(message: string, unauthorized = false) {
    super(message);
    this.unauthorized = unauthorized;
  }
}

type KubeConfig = import('@kubernetes/client-node').KubeConfig;

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** What a live audit says when the optional dependency is not installed (exit 2, one line). */
export const CLIENT_NODE_MISSING =
  'live audits need @kubernetes/client-node, an optional dependency that is not installed ' +
  '(npm install --omit=optional leaves it out): reinstall dualstack-audit without --omit=optional, ' +
  'or give manifest paths to audit files';

/** Whether this thread has loaded @kubernetes/client-node (importClientNode). */
let clientNodeLoaded = false;
export const clientNodeLoadedHere = (): boolean => clientNodeLoaded;

/**
 * @kubernetes/client-node is an optionalDependency (issue 19: 54 MB of a 76 MB install, used
 * only by live audits), loaded here on first use; its absence is a ClusterAccessError.
 */
export async function importClientNode(): Promise<typeof import('@kubernetes/client-node')> {
  try {
    const k8s = await import('@kubernetes/client-node');
    clientNodeLoaded = true;
    return k8s;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if ((err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') && /@kubernetes\/client-node/.test(String(err.message))) {
      throw new ClusterAccessError(CLIENT_NODE_MISSING);
    }
    throw e;
  }
}

/**
 * What is wrong with a kubeconfig's shape, before the client library reads it (its own errors
 * for these were "Cannot read properties of undefined (reading 'clusters')" or silence).
 */
export function kubeconfigShape(text: string): string | undefined {
  let v: unknown;
  try {
    v = jsyaml.load(text);
  } catch (e) {
    return `invalid YAML: ${(e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0]}`;
  }
  if (v === null || v === undefined) return 'the file is empty';
  if (typeof v !== 'object' || Array.isArray(v)) return `expected a mapping with clusters, users and contexts (got ${Array.isArray(v) ? 'a list' : typeof v})`;
  for (const k of ['clusters', 'users', 'contexts'] as const) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && x !== null && !Array.isArray(x)) return `${k} must be a list (got ${typeof x === 'object' ? 'a mapping' : typeof x})`;
  }
  return undefined;
}

/** The kubeconfig files kubectl would read: --kubeconfig, else $KUBECONFIG (a path list), else ~/.kube/config. */
export function kubeconfigFiles(opts: Pick<ClusterLoadOptions, 'kubeconfig' | 'env'>): string[] {
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) return [opts.kubeconfig];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '');
  const home = env.HOME ?? env.USERPROFILE;
  return home ? [path.join(home, '.kube', 'config')] : [];
}

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!;

/**
 * Load the kubeconfig as kubectl does: --kubeconfig alone (must exist); else every existing file
 * of $KUBECONFIG merged, the first file to set a cluster, user, context or current-context winning;
 * else ~/.kube/config; else the in-cluster service account.
 */
export async function loadKubeConfig(opts: Pick<ClusterLoadOptions, 'kubeconfig' | 'env'>): Promise<KubeConfig> {
  const k8s = await importClientNode();
  const env = opts.env ?? process.env;
  const files = kubeconfigFiles(opts);
  if (opts.kubeconfig && !existsSync(opts.kubeconfig)) {
    throw new ClusterAccessError(`--kubeconfig ${opts.kubeconfig}: no such file`);
  }
  const existing = files.filter((f) => existsSync(f));
  const kc = new k8s.KubeConfig();
  if (existing.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && existsSync(path.join(SA_DIR, 'token'))) {
      kc.loadFromCluster();
      return kc;
    }
    throw new ClusterAccessError(
      'no kubeconfig found (no --kubeconfig, $KUBECONFIG unset or its files missing, no ~/.kube/config, not running in a cluster); give manifest paths to audit files instead',
    );
  }
  const clusters = new Map<string, unknown>();
  const users = new Map<string, unknown>();
  const contexts = new Map<string, unknown>();
  let current = '';
  for (const f of existing) {
    const one = new k8s.KubeConfig();
    // Read with the manifest reader's checks (a FIFO or /dev/zero as --kubeconfig must not hang or
    // flood the run); then what loadFromFile does: parse, and paths relative to the file's folder.
    const read = readOptionFile(f);
    if ('error' in read) throw new ClusterAccessError(`cannot load kubeconfig ${f}: ${read.error}`);
    const shape = kubeconfigShape(read.text);
    if (shape) throw new ClusterAccessError(`cannot load kubeconfig ${f}: ${shape}`);
    try {
      one.loadFromString(read.text);
      one.makePathsAbsolute(path.dirname(f));
    } catch (e) {
      throw new ClusterAccessError(`cannot load kubeconfig ${f}: ${firstLine(e)}`);
    }
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!current && one.currentContext) current = one.currentContext;
  }
  if (contexts.size === 0) {
    // Not "(in-cluster)": the files were read, they just define nothing to connect to.
    throw new ClusterAccessError(`the kubeconfig (${existing.join(', ')}) defines no contexts; give a kubeconfig with a context, or manifest paths to audit files`);
  }
  kc.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: current });
  return kc;
}

/** Context names of the kubeconfig, and the current one. */
export async function listContexts(opts: Pick<ClusterLoadOptions, 'kubeconfig' | 'env'>): Promise<{ contexts: string[]; current: string }> {
  const kc = await loadKubeConfig(opts);
  return { contexts: kc.contexts.map((c) => c.name), current: kc.currentContext };
}

interface Conn {
  readonly context: string;
  readonly server: URL;
  readonly agent: http.Agent;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  requests: number;
  readonly keepLastApplied?: boolean;
  /** Structural sharing of the objects read (share.ts), one sharer for the whole read. */
  readonly share?: <T>(v: T) => T;
}

interface Response {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfterMs?: number;
}

/** Node's network and TLS error codes, as one clear phrase. */
function describeNetError(e: NodeJS.ErrnoException, conn: Conn): ClusterAccessError {
  const where = `${conn.server.origin} (context "${conn.context}")`;
  const code = e.code ?? '';
  const tls: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in a CA the kubeconfig does not trust',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by the kubeconfig\'s certificate authority',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not signed by the kubeconfig\'s certificate authority',
    CERT_SIGNATURE_FAILURE: 'the server certificate signature does not verify',
    CERT_HAS_EXPIRED: 'the server certificate has expired',
    CERT_NOT_YET_VALID: 'the server certificate is not yet valid',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate is not valid for this host name',
  };
  if (tls[code]) return new ClusterAccessError(`TLS verification of ${where} failed: ${tls[code]} (${code}); check certificate-authority(-data) and the server address in the kubeconfig`);
  if (code === 'EPROTO' || /SSL|TLS/i.test(e.message)) return new ClusterAccessError(`TLS handshake with ${where} failed: ${firstLine(e)}`);
  const net: Record<string, string> = {
    ECONNREFUSED: 'connection refused', EHOSTUNREACH: 'host unreachable', ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host name not found', EAI_AGAIN: 'host name lookup failed', ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out', TIMEOUT: `no answer within the request timeout (${conn.timeoutMs} ms)`,
  };
  return new ClusterAccessError(`cannot reach the API server ${where}: ${net[code] ?? firstLine(e)}`);
}

function get(conn: Conn, p: string): Promise<Response> {
  conn.requests++;
  const url = new URL(p, conn.server.href.endsWith('/') ? conn.server.href : `${conn.server.href}/`);
  // Keep a server path prefix (https://host/k8s/clusters/x) and append the API path to it.
  url.pathname = `${conn.server.pathname.replace(/\/$/, '')}${p.split('?')[0]}`;
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'GET', agent: conn.agent, headers: { ...conn.headers, Accept: 'application/json', 'User-Agent': 'dualstack-audit' } }, (res) => {
      // Each chunk is decoded as it arrives (a character split between two chunks is completed by
      // the decoder), so the chunks die young and the page is never one Buffer as well as one
      // string: a list page of Pods is megabytes, four lists are read at once, and large Buffers
      // live outside the V8 heap in memory malloc keeps once it is freed.
      const decoder = new StringDecoder('utf8');
      const parts: string[] = [];
      res.on('data', (c: Buffer) => { parts.push(decoder.write(c)); });
      res.on('error', reject);
      res.on('end', () => {
        parts.push(decoder.end());
        const text = parts.join('');
        parts.length = 0;
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* keep text */
        }
        const ra = Number(res.headers['retry-after']);
        resolve({ status: res.statusCode ?? 0, body, ...(Number.isFinite(ra) && ra >= 0 ? { retryAfterMs: ra * 1000 } : {}) });
      });
    });
    // The timeout bounds the whole request, connect to last byte: req.setTimeout is an idle
    // timeout, which a body trickling one byte at a time never trips.
    const timer = conn.timeoutMs > 0
      ? setTimeout(() => {
        const e = new Error('request timeout') as NodeJS.ErrnoException;
        e.code = 'TIMEOUT';
        reject(e);
        req.destroy(e);
      }, conn.timeoutMs)
      : undefined;
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'TIMEOUT', 'ETIMEDOUT', 'EPIPE']);

interface RetryPolicy {
  readonly retries: number;
  readonly backoffMs: number;
}

/** GET with retries on 429/5xx (Retry-After honoured, capped) and on resets/timeouts. */
async function getRetrying(conn: Conn, p: string, policy: RetryPolicy): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await get(conn, p);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (attempt < policy.retries && RETRY_CODES.has(err.code ?? '')) {
        await sleep(policy.backoffMs * 2 ** attempt);
        continue;
      }
      throw describeNetError(err, conn);
    }
    if (RETRY_STATUS.has(res.status) && attempt < policy.retries) {
      const backoff = policy.backoffMs * 2 ** attempt;
      await sleep(Math.min(res.retryAfterMs ?? backoff, Math.max(backoff, 10_000)));
      continue;
    }
    return res;
  }
}

/**
 * Why an error answer is not the apiserver's (a metav1.Status object, which the apiserver sends
 * with every error: apimachinery pkg/api/errors), or undefined when it is one.
 */
export function notStatusBody(body: unknown): string | undefined {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && (body as { kind?: unknown }).kind === 'Status') return undefined;
  if (typeof body === 'string') return `${listBodyProblem(body)}, not a Kubernetes Status`;
  const what = body === null ? 'null' : Array.isArray(body) ? 'a JSON array' : typeof body === 'object' ? 'a JSON object' : `a JSON ${typeof body}`;
  return `the answer was ${what}, not a Kubernetes Status (a proxy or load balancer in front of the API server?)`;
}

const statusMessage = (r: Response): string => {
  const b = r.body as { message?: unknown } | undefined;
  return typeof b?.message === 'string' ? b.message : `HTTP ${r.status}`;
};

function unauthorized(conn: Conn, r: Response): ClusterAccessError {
  return new ClusterAccessError(`the API server ${conn.server.origin} rejected the credentials of context "${conn.context}" (401 Unauthorized: ${statusMessage(r)}); refresh the token or client certificate in the kubeconfig`, true);
}

const gv = (s: ReadSpec, version: string): string => (s.group ? `${s.group}/${version}` : version);
const basePath = (s: ReadSpec, version: string): string => (s.group ? `/apis/${s.group}/${version}` : `/api/${version}`);

export function rbacRuleFor(s: ReadSpec): string {
  return `{apiGroups: ["${s.group}"], resources: ["${s.plural}"], verbs: ["list"]}`;
}

/** Fields that say nothing about the network and bloat snapshots. */
export function stripNoise(o: Record<string, unknown>, keepLastApplied = false): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o };
  const meta = out.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object') {
    const m: Record<string, unknown> = { ...meta };
    delete m.managedFields;
    delete m.selfLink;
    const ann = m.annotations as Record<string, unknown> | undefined;
    if (!keepLastApplied && ann && typeof ann === 'object' && 'kubectl.kubernetes.io/last-applied-configuration' in ann) {
      const a = { ...ann };
      delete a['kubectl.kubernetes.io/last-applied-configuration'];
      if (Object.keys(a).length > 0) m.annotations = a;
      else delete m.annotations;
    }
    out.metadata = m;
  }
  if (out.kind === 'Node' && out.status && typeof out.status === 'object') {
    const st: Record<string, unknown> = { ...(out.status as Record<string, unknown>) };
    delete st.images;
    out.status = st;
  }
  return out;
}

/**
 * The namespaces to list a kind in (undefined: all). ConfigMaps: kube-system only with
 * --configmaps kube-system; with --namespace, those namespaces and kube-system (where the
 * cluster's own configuration lives).
 */
function namespacesOf(s: ReadSpec, opts: Pick<ClusterLoadOptions, 'namespaces' | 'configMaps'>): readonly string[] | undefined {
  if (s.read !== 'recognised') return opts.namespaces;
  if (opts.configMaps === 'kube-system') return ['kube-system'];
  return opts.namespaces && opts.namespaces.length > 0 ? [...new Set([...opts.namespaces, 'kube-system'])] : undefined;
}

/** Discovery: which version of each group serves each resource. Missing groups are absent. */
async function discover(conn: Conn, policy: RetryPolicy, specs: readonly ReadSpec[] = READS): Promise<(s: ReadSpec) => string | undefined | 'unknown'> {
  const core = await getRetrying(conn, '/api', policy);
  if (core.status === 401) throw unauthorized(conn, core);
  if (core.status >= 400 && core.status !== 403) throw new ClusterAccessError(`the API server ${conn.server.origin} (context "${conn.context}") answered discovery with ${core.status}: ${statusMessage(core)}`);
  const groups = await getRetrying(conn, '/apis', policy);
  if (groups.status === 401) throw unauthorized(conn, groups);
  if (groups.status !== 200 || typeof groups.body !== 'object') return () => 'unknown';
  const served = new Map<string, Set<string>>();
  for (const g of ((groups.body as { groups?: unknown[] }).groups ?? []) as { name?: string; versions?: { version?: string }[] }[]) {
    if (typeof g?.name === 'string') served.set(g.name, new Set((g.versions ?? []).map((v) => String(v?.version))));
  }
  // The resources of each group/version we might use (one request each, concurrently).
  const wanted = new Set<string>();
  for (const s of specs) {
    if (!s.group) continue;
    for (const v of s.versions) if (served.get(s.group)?.has(v)) wanted.add(`${s.group}/${v}`);
  }
  const resources = new Map<string, Set<string> | 'unknown'>();
  await Promise.all([...wanted].map(async (key) => {
    const r = await getRetrying(conn, `/apis/${key}`, policy).catch(() => undefined);
    const list = (r?.body as { resources?: { name?: string }[] } | undefined)?.resources;
    resources.set(key, r?.status === 200 && Array.isArray(list) ? new Set(list.map((x) => String(x?.name))) : 'unknown');
  }));
  return (s) => {
    if (!s.group) return s.versions[0];
    for (const v of s.versions) {
      const res = resources.get(`${s.group}/${v}`);
      if (res === 'unknown') return v;
      if (res?.has(s.plural)) return v;
    }
    return undefined;
  };
}

interface KindOutcome {
  readonly docs: InputDocument[];
  readonly read?: KindRead;
  /** Not served (absent from discovery, or its list answered 404). */
  readonly absent?: boolean;
  readonly notEvaluated: NotEvaluated[];
  readonly problems: LoadProblem[];
}

/** Default total time for reading one kind (--kind-deadline). */
export const DEFAULT_KIND_DEADLINE_MS = 5 * 60_000;

/** 410 Gone answers (expired continue tokens) after which a kind's list is given up rather than restarted again. */
export const MAX_LIST_RESTARTS = 3;

/**
 * What is wrong with a 200 answer to a list, or undefined when it is a list: an object whose
 * items is an array (the apiserver sends null for none) and whose metadata.continue, when set,
 * is a non-empty string. A proxy's HTML page, truncated JSON, a Status object or `items: "x"`
 * must not read as an empty list.
 */
export function listBodyProblem(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const t = body.trimStart();
    if (t === '') return 'the answer was empty';
    if (t.startsWith('<')) return 'the answer was an HTML or XML page, not JSON (a proxy or load balancer in front of the API server?)';
    return 'the answer was not valid JSON (truncated?)';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `the answer was ${body === null ? 'null' : Array.isArray(body) ? 'a JSON array' : `a JSON ${typeof body}`}, not a list object`;
  const b = body as { kind?: unknown; items?: unknown; metadata?: unknown; message?: unknown };
  if (b.kind === 'Status') return `the answer was a Status object, not a list${typeof b.message === 'string' ? ` (${b.message})` : ''}`;
  if (b.kind !== undefined && !(typeof b.kind === 'string' && b.kind.endsWith('List'))) return `the answer was a ${typeof b.kind === 'string' ? b.kind : 'non-list'} object, not a list`;
  if (!('items' in b)) return 'the answer has no items field';
  if (b.items !== null && !Array.isArray(b.items)) return `its items field is ${typeof b.items === 'object' ? 'an object' : `a ${typeof b.items}`}, not a list`;
  if (b.metadata !== undefined && (b.metadata === null || typeof b.metadata !== 'object' || Array.isArray(b.metadata))) return 'its metadata is not an object';
  const c = (b.metadata as { continue?: unknown } | undefined)?.continue;
  if (c !== undefined && c !== null && typeof c !== 'string') return `its continue token is a ${typeof c}, not a string`;
  return undefined;
}

/**
 * List one kind, page by page. `keep` (ConfigMaps: the model's recognition) decides for each
 * object as its page arrives; the others are counted in `dropped` and not kept.
 */
async function readKind(conn: Conn, s: ReadSpec, version: string, namespaces: readonly string[] | undefined, policy: RetryPolicy, pageSize: number, onPage: (n: number) => void, deadlineMs = 0,
  keep?: (doc: InputDocument) => boolean): Promise<KindOutcome> {
  const apiVersion = gv(s, version);
  const docs: InputDocument[] = [];
  let dropped = 0;
  const notEvaluated: NotEvaluated[] = [];
  const problems: LoadProblem[] = [];
  const toDoc = (item: unknown): void => {
    if (!item || typeof item !== 'object') return;
    const doc: InputDocument = { object: { apiVersion, kind: s.kind, ...(item as Record<string, unknown>) } };
    if (keep && !keep(doc)) {
      dropped++;
      return;
    }
    // The page's item becomes the model's input here: noise stripped, equal parts shared with the
    // objects read before (share.ts); the page itself is dropped once its items are converted.
    const object = stripNoise(doc.object, conn.keepLastApplied);
    docs.push({ object: conn.share ? conn.share(object) : object });
  };
  const failed = (r: Response, namespace?: string): void => {
    const foreign = notStatusBody(r.body);
    if (foreign) {
      // Not the apiserver's answer (a proxy's page): neither "forbidden by RBAC" nor its message is trusted.
      notEvaluated.push({ kind: s.kind, apiVersion, ...(namespace ? { namespace } : {}), reason: 'error', message: `HTTP ${r.status} but ${foreign}` });
    } else if (r.status === 403) {
      notEvaluated.push({ kind: s.kind, apiVersion, ...(namespace ? { namespace } : {}), reason: 'forbidden', message: statusMessage(r), rbac: rbacRuleFor(s) });
    } else {
      notEvaluated.push({ kind: s.kind, apiVersion, ...(namespace ? { namespace } : {}), reason: 'error', message: `HTTP ${r.status}: ${statusMessage(r)}` });
    }
  };
  const netFailed = (e: unknown, namespace?: string): void => {
    notEvaluated.push({ kind: s.kind, apiVersion, ...(namespace ? { namespace } : {}), reason: 'error', message: firstLine(e) });
  };
  const gaveUp = (reason: NotEvaluatedReason, message: string, namespace?: string): void => {
    notEvaluated.push({ kind: s.kind, apiVersion, ...(namespace ? { namespace } : {}), reason, message });
  };
  const started = Date.now();
  const late = (): boolean => deadlineMs > 0 && Date.now() - started > deadlineMs;
  const lateMessage = (): string => `reading ${s.plural} took longer than the per-kind deadline (${deadlineMs} ms); what was read of it is discarded`;

  const scopes: (string | undefined)[] = s.namespaced && namespaces && namespaces.length > 0 ? [...namespaces] : [undefined];
  let absent = false;
  for (const ns of scopes) {
    const listPath = ns ? `${basePath(s, version)}/namespaces/${encodeURIComponent(ns)}/${s.plural}` : `${basePath(s, version)}/${s.plural}`;
    let cont = '';
    // Tokens seen in this pass: one coming back means the server pages in a circle.
    let seen = new Set<string>();
    let restarts = 0;
    const scopeStart = docs.length;
    const droppedStart = dropped;
    // What was read of this scope is discarded (a restart, or the scope given up).
    const rewind = (): void => {
      docs.splice(scopeStart);
      dropped = droppedStart;
    };
    try {
      for (;;) {
        if (late()) {
          rewind();
          gaveUp('deadline', lateMessage(), ns);
          break;
        }
        const q = `?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
        const r = await getRetrying(conn, `${listPath}${q}`, policy);
        if (r.status === 401) throw unauthorized(conn, r);
        if (r.status === 410 && cont) {
          // The continue token expired (the list took longer than etcd compaction): start over,
          // a bounded number of times (a server answering 410 to every continue would page forever).
          rewind();
          if (++restarts > MAX_LIST_RESTARTS) {
            gaveUp('paging', `the API server answered 410 Gone (continue token expired) ${restarts} times; the list was restarted ${MAX_LIST_RESTARTS} times and given up`, ns);
            break;
          }
          cont = '';
          seen = new Set();
          continue;
        }
        if (r.status === 404) {
          // Only the apiserver's own NotFound says the kind is not served (a CRD deleted after
          // discovery); a 404 page from a proxy in front of it says nothing about the kind.
          const foreign = notStatusBody(r.body);
          if (foreign) {
            rewind();
            gaveUp('invalid-response', `HTTP 404 but ${foreign}`, ns);
            break;
          }
          if (!s.optional) problems.push({ message: `${apiVersion} ${s.plural} is not served by the cluster (404): skipped`, fatal: false });
          absent = true;
          break;
        }
        if (r.status !== 200) {
          failed(r, ns);
          break;
        }
        const bad = listBodyProblem(r.body);
        if (bad) {
          rewind();
          gaveUp('invalid-response', `HTTP 200 but ${bad}`, ns);
          break;
        }
        const body = r.body as { items?: unknown[] | null; metadata?: { continue?: string | null } };
        for (const item of body.items ?? []) toDoc(item);
        onPage(docs.length);
        cont = body.metadata?.continue ?? '';
        if (!cont) break;
        if (seen.has(cont)) {
          rewind();
          gaveUp('paging', `the API server sent a continue token it had already sent (after ${seen.size} page(s)): the list pages in a circle, so it was given up`, ns);
          break;
        }
        seen.add(cont);
      }
    } catch (e) {
      if (e instanceof ClusterAccessError && e.unauthorized) throw e;
      rewind();
      netFailed(e, ns);
    }
    if (absent) break;
  }
  const read = absent ? undefined : { kind: s.kind, apiVersion, count: docs.length, ...(keep ? { dropped } : {}) };
  return { docs, ...(read ? { read } : { absent: true }), notEvaluated: dedupe(notEvaluated), problems };
}

function dedupe(list: NotEvaluated[]): NotEvaluated[] {
  const seen = new Set<string>();
  return list.filter((n) => {
    const k = `${n.kind}|${n.apiVersion}|${n.namespace ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function pool<T, R>(items: readonly T[], n: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

interface ExecConfig {
  apiVersion?: string;
  provideClusterInfo?: boolean;
  env?: { name: string; value: string }[] | null;
}
interface ClusterInfo { server: string; caData?: string; skipTLSVerify?: boolean; tlsServerName?: string; proxyUrl?: string }

/**
 * Exec credential plugins get KUBERNETES_EXEC_INFO as kubectl sets it (client-go
 * plugin/pkg/client/auth/exec/exec.go): an ExecCredential of the plugin's apiVersion whose spec
 * says the run is not interactive (no terminal is handed to the plugin) and, with
 * provideClusterInfo, which cluster it is for. client-node sets none; plugins such as
 * gke-gcloud-auth-plugin or aws-iam-authenticator read it. A value the kubeconfig sets wins.
 */
export function addExecInfo(exec: ExecConfig, cluster: ClusterInfo): void {
  if (exec.env?.some((e) => e.name === 'KUBERNETES_EXEC_INFO')) return;
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
      ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
      ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
    };
  }
  const info = { kind: 'ExecCredential', apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1', spec };
  exec.env = [...(exec.env ?? []), { name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(info) }];
}

/** What a read needs of the kubeconfig: the context, the server, the credentials (headers and the TLS agent). */
interface Access {
  readonly context: string;
  /** The server address, checked to be a URL. */
  readonly server: string;
  readonly headers: Record<string, string>;
  /** Warnings about the connection (insecure-skip-tls-verify). */
  readonly problems: LoadProblem[];
  readonly agent: http.Agent;
}

/** The kubeconfig as kubectl reads it (loadKubeConfig), the context chosen, and its credentials (exec plugins run). */
async function resolveAccess(opts: Pick<ClusterLoadOptions, 'kubeconfig' | 'context' | 'env'>): Promise<Access> {
  const kc = await loadKubeConfig(opts);
  if (opts.context) {
    if (!kc.contexts.some((c) => c.name === opts.context)) {
      throw new ClusterAccessError(`context "${opts.context}" not found in the kubeconfig (have: ${kc.contexts.map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.currentContext || '(in-cluster)';
  if (!kc.currentContext && kc.contexts.length > 0) throw new ClusterAccessError('the kubeconfig has no current-context; pass --context');
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new ClusterAccessError(`context "${context}" has no cluster server address`);
  try {
    new URL(cluster.server);
  } catch {
    throw new ClusterAccessError(`context "${context}": invalid server address "${cluster.server}"`);
  }
  // kubectl (client-go transport/transport.go TLSConfigFor) refuses a CA together with
  // insecure-skip-tls-verify: "specifying a root certificates file with the insecure flag is not
  // allowed". Alone it is honoured, with a warning in the report: the answers are unauthenticated.
  const tlsInfo = cluster as unknown as { skipTLSVerify?: boolean; caData?: string; caFile?: string };
  const tlsProblems: LoadProblem[] = [];
  if (tlsInfo.skipTLSVerify) {
    if (tlsInfo.caData || tlsInfo.caFile) {
      throw new ClusterAccessError(`context "${context}": the cluster sets both insecure-skip-tls-verify and ${tlsInfo.caData ? 'certificate-authority-data' : 'certificate-authority'}; kubectl refuses that combination ("specifying a root certificates file with the insecure flag is not allowed"): remove one of them`);
    }
    tlsProblems.push({ message: `context "${context}": insecure-skip-tls-verify is set, so the API server's certificate was not verified and anyone on the path could have forged what this audit read; set certificate-authority-data instead`, fatal: false });
  }
  const user = kc.getCurrentUser() as { exec?: ExecConfig } | null;
  if (user?.exec) addExecInfo(user.exec, cluster as unknown as ClusterInfo);
  const reqOpts: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(reqOpts);
  } catch (e) {
    throw new ClusterAccessError(`context "${context}": cannot get credentials: ${firstLine(e)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reqOpts.headers ?? {})) if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
  if (reqOpts.auth) headers.Authorization = `Basic ${Buffer.from(reqOpts.auth).toString('base64')}`;
  return { context, server: cluster.server, problems: tlsProblems, headers, agent: reqOpts.agent as http.Agent };
}

// ---- The kubeconfig step in a worker thread ------------------------------------------------------
//
// @kubernetes/client-node's index (and its config.js, which loadKubeConfig needs) imports every
// generated API model: ~27 MB of heap and ~65 MB of RSS that stay for the whole run once loaded,
// a fixed share of the 50,000-Pod audit's peak (docs/performance.md, "Live audits at scale"). A
// single-cluster live audit resolves its access in a worker thread, which runs this module
// (import.meta.url: the source under tsx, the bundle's chunk once built) and sends back plain
// data: the context, the server, the headers and the TLS agent's options. The worker and the
// library are gone before the first list is read. A proxy agent (proxy-url) cannot be rebuilt from
// its options: the access is then resolved again in this thread. Errors come back as they were
// (ClusterAccessError with its message), and a worker that cannot start falls back to this thread.

const ACCESS_JOB = 'dualstack-audit:cluster-access';

/** The worker's answer. */
type AccessMessage =
  | { readonly access: Omit<Access, 'agent'>; readonly agent?: { readonly kind: 'http' | 'https'; readonly options: Record<string, unknown> } }
  | { readonly error: { readonly message: string; readonly access: boolean; readonly unauthorized: boolean } };

if (!isMainThread && (workerData as { job?: unknown } | null)?.job === ACCESS_JOB) {
  const port = parentPort!;
  const send = (m: AccessMessage): void => port.postMessage(m);
  resolveAccess((workerData as { opts: Pick<ClusterLoadOptions, 'kubeconfig' | 'context' | 'env'> }).opts).then(({ agent, ...access }) => {
    // Only an agent of exactly these classes is rebuilt from its options (hpagent's proxy agents extend https.Agent).
    const kind = agent?.constructor === https.Agent ? 'https' : agent?.constructor === http.Agent ? 'http' : undefined;
    const options = kind ? { ...(agent as unknown as { options: Record<string, unknown> }).options } : {};
    agent?.destroy?.();
    send(kind ? { access, agent: { kind, options } } : { access });
  }, (e: unknown) => {
    send({ error: { message: String((e as Error)?.message ?? e), access: e instanceof ClusterAccessError, unauthorized: e instanceof ClusterAccessError && e.unauthorized } });
  });
}

/** A Buffer again (structured cloning makes Buffers Uint8Arrays), also inside arrays. */
const asBuffer = (v: unknown): unknown => (Array.isArray(v) ? v.map(asBuffer) : v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

/**
 * resolveAccess in a worker thread (above); undefined when the worker cannot be used (it did not
 * start, or the agent is a proxy's), and the caller resolves the access in this thread.
 */
async function resolveAccessIsolated(opts: Pick<ClusterLoadOptions, 'kubeconfig' | 'context' | 'env'>): Promise<Access | undefined> {
  const { moduleWorker } = await import('./module-worker.ts');
  const job = { ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}), env: { ...(opts.env ?? process.env) } };
  let worker: import('node:worker_threads').Worker;
  try {
    // This module again, in the worker (module-worker.ts registers tsx when run from the sources).
    worker = moduleWorker(import.meta.url, { workerData: { job: ACCESS_JOB, opts: job } });
  } catch {
    return undefined;
  }
  const answer = await new Promise<AccessMessage | undefined>((resolve) => {
    worker.once('message', (m: AccessMessage) => resolve(m));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  await worker.terminate();
  if (!answer) return undefined;
  if ('error' in answer) {
    if (answer.error.access) throw new ClusterAccessError(answer.error.message, answer.error.unauthorized);
    throw new Error(answer.error.message);
  }
  if (!answer.agent) return undefined;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(answer.agent.options)) options[k] = asBuffer(v);
  const agent = answer.agent.kind === 'https' ? new https.Agent(options as https.AgentOptions) : new http.Agent(options as http.AgentOptions);
  return { ...answer.access, agent };
}

/** Read everything in READS from one context. Throws ClusterAccessError when the cluster cannot be used at all. */
export async function loadCluster(opts: ClusterLoadOptions = {}): Promise<ClusterLoadResult> {
  // The worker only saves memory when the library is not in this process already.
  const access = (opts.isolateClient && !clientNodeLoaded ? await resolveAccessIsolated(opts) : undefined) ?? await resolveAccess(opts);
  const { context, headers } = access;
  const server = new URL(access.server);
  const tlsProblems = access.problems;
  const conn: Conn = {
    context, server, agent: access.agent, headers,
    timeoutMs: opts.requestTimeoutMs ?? 30_000, requests: 0, ...(opts.keepLastApplied ? { keepLastApplied: true } : {}),
    ...(opts.shareObjects === false ? {} : { share: createSharer().share }),
  };
  const policy: RetryPolicy = { retries: opts.retries ?? 4, backoffMs: opts.backoffMs ?? 250 };
  const pageSize = opts.pageSize ?? 500;
  const progress = opts.progress ?? (() => {});

  try {
    progress(`${context}: discovery`);
    const specs = opts.kinds ? READS.filter((s) => opts.kinds!.includes(s.kind)) : READS;
    const versionOf = await discover(conn, policy, specs);
    const counts = new Array<number>(specs.length).fill(0);
    let done = 0;
    const show = (): void => progress(`${context}: read ${done}/${specs.length} kinds, ${counts.reduce((a, b) => a + b, 0)} objects`);
    const readOne = async (s: ReadSpec, i: number, keep?: (doc: InputDocument) => boolean): Promise<KindOutcome> => {
      const v = versionOf(s);
      let out: KindOutcome;
      if (v === undefined) {
        out = { docs: [], notEvaluated: [], problems: s.optional ? [] : [{ message: `${s.group || 'core'} ${s.plural} is not served by the cluster: skipped`, fatal: false }], absent: true };
      } else {
        const version = v === 'unknown' ? s.versions[0]! : v;
        out = await readKind(conn, s, version, namespacesOf(s, opts), policy, pageSize, (n) => {
          counts[i] = n;
          show();
        }, opts.kindDeadlineMs ?? DEFAULT_KIND_DEADLINE_MS, keep);
      }
      done++;
      show();
      return out;
    };
    // Listed kinds first, several at a time; then the kinds kept only when the model recognises
    // them (ConfigMaps), which need the pod templates read first (those name the ConfigMaps they use).
    const first = specs.map((s, i) => ({ s, i })).filter((x) => x.s.read === 'list');
    const later = specs.map((s, i) => ({ s, i })).filter((x) => x.s.read === 'recognised');
    const outcomes = new Array<KindOutcome>(specs.length);
    await pool(first, opts.concurrency ?? 4, async ({ s, i }) => { outcomes[i] = await readOne(s, i); });
    if (later.length > 0) {
      const referenced = configMapReferences(outcomes.flatMap((o) => o?.docs ?? []));
      const keep = (doc: InputDocument): boolean => recognisedConfigMap(doc, referenced);
      await pool(later, opts.concurrency ?? 4, async ({ s, i }) => { outcomes[i] = await readOne(s, i, keep); });
    }
    const documents: InputDocument[] = [];
    const problems: LoadProblem[] = [...tlsProblems];
    const notEvaluated: NotEvaluated[] = [];
    const read: KindRead[] = [];
    const notInstalled: NotInstalled[] = [];
    const emit = opts.onDocument ?? ((d: InputDocument): void => { documents.push(d); });
    outcomes.forEach((o, i) => {
      // One by one: a spread of a 100,000-Pod list as arguments overflows the stack.
      for (const d of o.docs) emit(d);
      // This kind's documents are the taker's now: what it does not keep is garbage.
      if (opts.onDocument) o.docs.length = 0;
      problems.push(...o.problems);
      notEvaluated.push(...o.notEvaluated);
      if (o.read) read.push(o.read);
      const s = specs[i]!;
      if (o.absent && s.optional) notInstalled.push({ kind: s.kind, resource: resourceKey(s) });
    });
    return { context, server: server.origin + server.pathname.replace(/\/$/, ''), documents, problems, notEvaluated, read, notInstalled, requests: conn.requests };
  } finally {
    conn.agent?.destroy?.();
  }
}

/** Parse --request-timeout as kubectl does: a bare number is seconds; else 500ms, 30s, 1m, 1h; 0 disables. */
export function parseDuration(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

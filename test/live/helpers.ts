// Shared by the live tests: the cluster state the test API server holds, and running the CLI
// in-process against it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { before, after } from 'node:test';
import { main, type CliIO } from '../../src/cli/index.ts';
import { tempDir as makeTempDir } from '../helpers/temp.ts';
import { hasOpenssl, removeDir, startServer, writeKubeconfig, type ResourceDef, type TestServer } from './server.ts';

const root = new URL('../../', import.meta.url).pathname;
type Obj = Record<string, unknown>;

const listItems = (path: string): Obj[] => (jsyaml.load(readFileSync(join(root, 'fixtures', path), 'utf8')) as { items: Obj[] }).items;

const CILIUM = 'corpus/cilium/test/controlplane/services/dualstack/v1.26';

/** The captured dual-stack kind cluster (Nodes, Services, EndpointSlices) only. */
export function corpusState(): Obj[] {
  const seen = new Set<string>();
  const out: Obj[] = [];
  for (const o of [...listItems(`${CILIUM}/init.yaml`), ...listItems(`${CILIUM}/state1.yaml`)]) {
    const m = o.metadata as Obj;
    const k = `${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name)}`;
    if (seen.has(k)) continue; // default/kubernetes is in both captures
    seen.add(k);
    out.push(o);
  }
  return out;
}

/** The corpus cluster plus the planted problems (fixtures/live/planted.yaml) and `bulk` dual-stack pods for pagination. */
export function clusterState(bulk = 20): Obj[] {
  // 10.244.1.100-255, then further /24s of the same node range for large benches.
  const v4 = (i: number): string => (i < 156 ? `10.244.1.${100 + i}` : `10.244.${128 + ((i - 156) >> 8)}.${(i - 156) & 255}`);
  const pods: Obj[] = [];
  for (let i = 0; i < bulk; i++) {
    pods.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `batch-${i}`, namespace: 'bulk', labels: { app: 'batch' } },
      spec: { nodeName: 'dual-stack-worker', containers: [{ name: 'c', image: 'busybox' }] },
      status: { phase: 'Running', podIP: v4(i), podIPs: [{ ip: v4(i) }, { ip: `fd00:10:244:1::${(0x100 + i).toString(16)}` }] },
    });
  }
  return [...corpusState(), ...listItems('live/planted.yaml'), ...pods];
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary directory, removed when the test process exits (test/helpers/temp.ts). */
export const tempDir = (prefix = 'dsa-live-'): string => makeTempDir(prefix);

/** Run the CLI in-process with this environment (KUBECONFIG etc.); cwd is a fresh temp dir. */
export async function cli(argv: readonly string[], env: Record<string, string | undefined>, cwd = tempDir('dsa-cwd-')): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    readStdin: async () => new Uint8Array(),
    env: { DUALSTACK_AUDIT_BACKOFF_MS: '5', HOME: cwd, ...env },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd,
  } as CliIO;
  const code = await main(['node', 'dualstack-audit', ...argv], io);
  return { code, stdout, stderr };
}

/** Why the live tests are skipped (no openssl to make the test CA), or false. */
export const skipLive: string | false = hasOpenssl() ? false : 'openssl is not installed (needed to make the test CA)';

/** A test API server, a temp directory and a kubeconfig for it: set up before the file's tests, removed after. */
export interface LiveSetup {
  readonly skip: string | false;
  /** The server (set in before()). */
  srv: TestServer;
  /** A temp directory for kubeconfigs and outputs. */
  dir: string;
  /** The kubeconfig whose current context is the server. */
  kubeconfig: string;
  /** The environment a run needs: KUBECONFIG. */
  env(): Record<string, string>;
  /** Forget the injections, the requests seen and the added latency. */
  reset(): void;
}

/**
 * Registers before/after hooks that start a server holding `objects()` (default the corpus
 * cluster with the planted problems) and write a kubeconfig with context `context` for it.
 */
export function liveSetup(objects: () => Obj[] = () => clusterState(), opts: { context?: string; resources?: readonly ResourceDef[] } = {}): LiveSetup {
  const s = { skip: skipLive } as LiveSetup;
  s.env = () => ({ KUBECONFIG: s.kubeconfig });
  s.reset = () => {
    s.srv.injections.splice(0);
    s.srv.requests.splice(0);
    s.srv.times.splice(0);
    s.srv.latencyMs = 0;
  };
  before(async () => {
    if (skipLive) return;
    s.srv = await startServer(objects(), opts.resources ? { resources: opts.resources } : {});
    s.dir = tempDir();
    s.kubeconfig = writeKubeconfig(s.dir, [{ name: opts.context ?? 'kind-dual-stack', server: s.srv.url, caPem: s.srv.pki.caPem, token: s.srv.token }]);
  });
  after(async () => {
    if (skipLive) return;
    await s.srv.close();
    removeDir(s.dir);
    removeDir(s.srv.pki.dir);
  });
  return s;
}

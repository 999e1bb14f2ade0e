// npm run bench -- live: the live audit at scale (issue 14 item 8, issue 21 item 2).
//
// Serves a generated cluster (test/live/generated.ts: 10,000 Services with their Deployments,
// ReplicaSets and 50,000 Pods, 20,000 EndpointSlices, 500 Nodes by default) from the test API
// server (test/live/server.ts, HTTPS on 127.0.0.1, pages of at most 500 objects made when asked
// for), and times whole processes against it: the live audit on the compiled output
// (`node bin/dualstack-audit.js --kubeconfig K -f json -o /dev/null --fail-on never`) and
// `kubectl get <the same resources> -A -o json` (kubectl pages with --chunk-size 500 too). The
// resources kubectl is asked for are the ones the audit listed (taken from the server's request
// log of the audit's first run), so both read the same kinds and objects from the same server.
// Peak RSS and CPU come from /usr/bin/time.
//
// Environment: BENCH_LIVE_SERVICES=10000  BENCH_LIVE_PODS_PER_SERVICE=5  BENCH_LIVE_RUNS=1
// (alternating audit and kubectl; the median is reported)  BENCH_NO_WRITE=1 (do not touch docs)
// BENCH_LIVE_ARGS="--cpu-prof --cpu-prof-dir=DIR" (extra node flags for the audit, for profiling)
// BENCH_LIVE_KUBECTL_TIMEOUT=1800 (seconds; a kubectl run past it is stopped and reported unfinished).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCluster } from '../test/live/generated.ts';
import { readTimeFile } from './bench-time.ts';
import { API_RESOURCES, makePki, startServer, writeKubeconfig } from '../test/live/server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const bin = join(root, 'bin', 'dualstack-audit.js');
const services = Number(process.env.BENCH_LIVE_SERVICES ?? 10_000);
const perService = Number(process.env.BENCH_LIVE_PODS_PER_SERVICE ?? 5);
const runs = Math.max(1, Number(process.env.BENCH_LIVE_RUNS ?? 1));
const nodeArgs = (process.env.BENCH_LIVE_ARGS ?? '').split(' ').filter((a) => a !== '');
const log = (msg: string): void => { process.stderr.write(`${msg}\n`); };

interface Measure { seconds: number; cpu?: number; rssMiB?: number; status: number | null; stderr: string; stdoutBytes: number; timedOut?: boolean }

/** kubectl at 50,000 Pods can take many minutes on a loaded machine: a run past this is stopped and reported as such. */
const kubectlTimeoutS = Number(process.env.BENCH_LIVE_KUBECTL_TIMEOUT ?? 1800);

/** One whole process (asynchronously: the API server runs in this process). */
function measure(cmd: string, args: readonly string[], timeoutS = 0): Promise<Measure> {
  const tmp = mkdtempSync(join(tmpdir(), 'dsa-bench-live-'));
  const rssFile = join(tmp, 'rss');
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = timed
      ? spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    // The whole process group (time and what it runs), by the id of the child this started.
    const timer = timeoutS > 0 ? setTimeout(() => { timedOut = true; process.kill(-child.pid!, 'SIGKILL'); }, timeoutS * 1000) : undefined;
    let stderr = '';
    let stdoutBytes = 0;
    child.stdout.on('data', (c: Buffer) => { stdoutBytes += c.length; });
    child.stderr.on('data', (c: Buffer) => { if (stderr.length < 10_000) stderr += String(c); });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      const used = readTimeFile(rssFile);
      rmSync(tmp, { recursive: true, force: true });
      resolve({ seconds, ...used, status, stderr, stdoutBytes, ...(timedOut ? { timedOut } : {}) });
    });
  });
}

/** A list path of the request log -> kubectl's resource.version.group name. */
export function kubectlResource(listPath: string): string | undefined {
  const core = /^\/api\/(v1)\/([a-z0-9]+)$/.exec(listPath);
  if (core) return `${core[2]}.${core[1]}.`;
  const grouped = /^\/apis\/([^/]+)\/([^/]+)\/([a-z0-9]+)$/.exec(listPath);
  return grouped ? `${grouped[3]}.${grouped[2]}.${grouped[1]}` : undefined;
}

const median = (ms: Measure[]): Measure => [...ms].sort((a, b) => a.seconds - b.seconds)[Math.floor((ms.length - 1) / 2)]!;
const secs = (m: Measure): string => (m.timedOut ? `over ${m.seconds.toFixed(0)} (not finished)` : `${m.seconds.toFixed(2)}${m.cpu !== undefined ? ` (${m.cpu.toFixed(2)})` : ''}`);
const mib = (m: Measure): string => (m.rssMiB !== undefined ? m.rssMiB.toFixed(0) : '-');

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'bundle'))) throw new Error('dist/ missing: run `npm run build` first (npm run bench does)');
  const cluster = generateCluster({ services, podsPerService: perService });
  const pki = makePki();
  // Without the test server's deleted-CRD API (advertised, answering 404), which kubectl would fail on.
  const srv = await startServer(cluster.objects, { pki, lazy: cluster.lazy, resources: API_RESOURCES.filter((d) => d.kind !== 'AdminNetworkPolicy') });
  srv.maxPage = 500;
  const dir = mkdtempSync(join(tmpdir(), 'dsa-bench-live-kc-'));
  const loadStart = loadavg()[0]!.toFixed(1);
  try {
    const kc = writeKubeconfig(dir, [{ name: 'bench', server: srv.url, caPem: srv.pki.caPem, token: srv.token }]);
    const audit = (): Promise<Measure> => measure(node, [...nodeArgs, bin, '--kubeconfig', kc, '-f', 'json', '-o', '/dev/null', '--fail-on', 'never']);
    log(`generated cluster: ${Object.entries(cluster.counts).map(([k, n]) => `${n} ${k}s`).join(', ')} (load average ${loadStart})`);

    srv.requests.splice(0);
    const audits: Measure[] = [await audit()];
    const listed = [...new Set(srv.requests.map((l) => l.replace(/^GET /, '').split('?')[0]!).filter((p) => srv.requests.some((l) => l.startsWith(`GET ${p}?limit=`))))];
    const auditRequests = srv.requests.length;
    const resources = listed.map(kubectlResource).filter((r): r is string => r !== undefined);
    const kubectlArgs = ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), 'get', resources.join(','), '-A', '-o', 'json', '--chunk-size', '500'];
    if (audits[0]!.status !== 0) throw new Error(`the audit exited ${audits[0]!.status}: ${audits[0]!.stderr.split('\n').slice(0, 3).join(' | ')}`);
    log(`  audit   ${secs(audits[0]!)} s, ${mib(audits[0]!)} MiB (${auditRequests} requests; listed ${resources.join(', ')})`);
    const kubectls: Measure[] = [];
    for (let i = 0; i < runs; i++) {
      srv.requests.splice(0);
      const k = await measure('kubectl', kubectlArgs, kubectlTimeoutS);
      if (k.timedOut) {
        kubectls.push(k);
        log(`  kubectl not finished after ${kubectlTimeoutS} s: stopped`);
        break;
      }
      if (k.status !== 0) throw new Error(`kubectl exited ${k.status}: ${k.stderr.split('\n').slice(0, 3).join(' | ')}`);
      kubectls.push(k);
      log(`  kubectl ${secs(k)} s, ${mib(k)} MiB (${srv.requests.length} requests, ${(k.stdoutBytes / 1048576).toFixed(0)} MiB of JSON)`);
      if (i + 1 < runs) {
        const a = await audit();
        audits.push(a);
        log(`  audit   ${secs(a)} s, ${mib(a)} MiB`);
      }
    }
    const a = median(audits);
    const k = median(kubectls);
    const objects = Object.values(cluster.counts).reduce((x, y) => x + y, 0);
    const readObjects = listed.reduce((n, p) => n + (cluster.lazy.find((l) => p.endsWith(`/${l.def.resource}`))?.count ?? 0), 0);
    const ratio = k.timedOut ? `below ${(a.seconds / k.seconds).toFixed(2)}x wall (kubectl stopped after ${kubectlTimeoutS} s)`
      : `${(a.seconds / k.seconds).toFixed(2)}x wall${a.cpu !== undefined && k.cpu !== undefined ? `, ${(a.cpu / k.cpu).toFixed(2)}x CPU` : ''}`;
    const lines = [
      `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} CPUs, load average ${loadStart} at the start, ${loadavg()[0]!.toFixed(1)} at the end; ${process.version}); median of ${runs} run${runs === 1 ? '' : 's'} each, alternating. The generated cluster: ${Object.entries(cluster.counts).map(([kind, n]) => `${n} ${kind}s`).join(', ')} (${objects} objects; the kinds the audit lists hold ${readObjects} of them). Times are wall seconds with CPU seconds (user + system) in brackets; the API server runs in the bench process and serves both alike.`,
      '',
      '| | wall s (CPU s) | peak RSS MiB |',
      '|---|---:|---:|',
      `| live audit (\`dualstack-audit --kubeconfig K -f json\`) | ${secs(a)} | ${mib(a)} |`,
      `| \`kubectl get ${resources.join(',')} -A -o json\` | ${secs(k)} | ${mib(k)} |`,
      '',
      '| target | measured | goal | |',
      '|---|---:|---|---|',
      `| live audit / kubectl get | ${ratio} | no slower (at most 1x) | ${a.seconds <= k.seconds ? 'met' : 'NOT met'} |`,
      `| live audit peak RSS | ${mib(a)} MiB | under 500 MiB | ${a.rssMiB !== undefined && a.rssMiB < 500 ? 'met' : 'NOT met'} |`,
    ];
    const table = lines.join('\n');
    process.stdout.write(`${table}\n`);
    if (process.env.BENCH_NO_WRITE !== '1' && services === 10_000 && perService === 5) {
      const docPath = join(root, 'docs', 'performance.md');
      const start = '<!-- bench-live:start (written by npm run bench -- live) -->';
      const end = '<!-- bench-live:end -->';
      const cur = readFileSync(docPath, 'utf8');
      const i = cur.indexOf(start);
      const j = cur.indexOf(end);
      const body = `${start}\n${table}\n${end}`;
      writeFileSync(docPath, i >= 0 && j > i ? `${cur.slice(0, i)}${body}${cur.slice(j + end.length)}` : `${cur.trimEnd()}\n\n${body}\n`);
      log(`wrote ${relative(root, docPath)}`);
    }
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  }
}

await main();

// --resolve: A and AAAA lookups of the names the input publishes or depends on (model/dns.ts
// dnsNamesOf, gathered by the model intake: ModelIntake.namesToResolve), with node's c-ares Resolver. The answers go back to the model as plain data
// (BuildOptions.resolved); rules never touch the network. Nothing here runs without --resolve.
//
// - --dns-server HOST[:PORT] picks the server (an IP address: c-ares takes no names);
//   otherwise the system resolvers (/etc/resolv.conf) are used.
// - One lookup per distinct name: its A and AAAA questions are asked together.
// - Bounded concurrency: `concurrency` workers, each with its own Resolver.
// - Per-query timeout through the Resolver's timeout/tries options, plus a guard timer per name
//   that cancels the worker's queries, so a server that never answers cannot hang the run.

import { promises as dnsp } from 'node:dns';
import { parseIP } from '../emulate/ip.ts';
import type { ResolvedName } from '../model/dns.ts';

export interface ResolveOptions {
  /** `HOST[:PORT]` (IPv6 as `[addr]:port` or bare `addr`). */
  readonly server?: string;
  /** Timeout of one query attempt, ms (c-ares doubles it on each retry). Default 2000. */
  readonly timeoutMs?: number;
  /** Attempts per query. Default 2. */
  readonly tries?: number;
  /** Names looked up at the same time. Default 8. */
  readonly concurrency?: number;
  /** Time for all lookups together, ms; names not looked up by then fail with a "budget" error. Default 30000. */
  readonly budgetMs?: number;
}

/** `HOST[:PORT]` -> the form Resolver.setServers takes; throws with a message for the user. */
export function parseDnsServer(text: string): string {
  const s = text.trim();
  let host = s;
  let port: string | undefined;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) throw new Error(`--dns-server ${text}: missing "]"`);
    host = s.slice(1, end);
    const rest = s.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new Error(`--dns-server ${text}: expected ":PORT" after "]"`);
      port = rest.slice(1);
    }
  } else if (s.split(':').length === 2) {
    [host, port] = s.split(':') as [string, string];
  }
  const ip = parseIP(host, { sloppy: false });
  if (!ip) throw new Error(`--dns-server ${text}: HOST must be an IPv4 or IPv6 address`);
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    throw new Error(`--dns-server ${text}: PORT must be 1-65535`);
  }
  const p = port === undefined ? '' : `:${Number(port)}`;
  return ip.family === 'IPv6' ? (p ? `[${ip.canonical}]${p}` : ip.canonical) : `${ip.canonical}${p}`;
}

const CODE_TEXT: Readonly<Record<string, string>> = {
  ENOTFOUND: 'NXDOMAIN', ETIMEOUT: 'timeout', ECANCELLED: 'timeout', ESERVFAIL: 'SERVFAIL', EREFUSED: 'REFUSED',
  ECONNREFUSED: 'connection refused', EFORMERR: 'FORMERR', EBADRESP: 'bad response', ENOTIMP: 'NOTIMP',
};

type Answer = { addrs: string[]; error?: string };


async function query(r: InstanceType<typeof dnsp.Resolver>, name: string, type: 'A' | 'AAAA'): Promise<Answer> {
  try {
    const addrs = type === 'A' ? await r.resolve4(name) : await r.resolve6(name);
    // An IPv4-mapped address (::ffff:192.0.2.7, RFC 4291 2.5.5.2) in an AAAA answer is an IPv4
    // address: an IPv6-only client cannot reach it, so it does not count as IPv6.
    return { addrs: (type === 'AAAA' ? addrs.filter((a) => parseIP(a)?.family !== 'IPv4') : [...addrs]).sort() };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENODATA') return { addrs: [] };
    return { addrs: [], error: CODE_TEXT[code] ?? code };
  }
}

function combine(a: Answer, aaaa: Answer): ResolvedName {
  const errs = [a.error, aaaa.error].filter((e): e is string => e !== undefined);
  let error: string | undefined;
  if (errs.length === 2 && errs[0] === errs[1]) error = errs[0];
  else if (a.error && aaaa.error) error = `A: ${a.error}, AAAA: ${aaaa.error}`;
  else if (a.error) error = `A: ${a.error}`;
  else if (aaaa.error) error = `AAAA: ${aaaa.error}`;
  return { A: a.addrs, AAAA: aaaa.addrs, ...(error ? { error } : {}) };
}

/** Look up A and AAAA for every name (deduplicated, lower case). Never throws for a failed lookup. */
export async function resolveNames(names: Iterable<string>, opts: ResolveOptions = {}): Promise<Map<string, ResolvedName>> {
  const timeout = opts.timeoutMs ?? 2000;
  const tries = opts.tries ?? 2;
  const servers = opts.server !== undefined ? [parseDnsServer(opts.server)] : undefined;
  const list = [...new Set([...names].map((n) => n.toLowerCase().replace(/\.$/, '')))];
  const out = new Map<string, ResolvedName>();
  // c-ares waits timeout, 2*timeout, ... over its tries (2 s + 4 s for a dead name); the guard
  // holds each name to what the docs promise, `timeout` per try, and the budget holds the whole
  // run (issue 20: 80 names that never answer took 62 s).
  const guardMs = timeout * tries + 250;
  const budgetMs = opts.budgetMs ?? 30_000;
  const deadline = Date.now() + budgetMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    const r = new dnsp.Resolver({ timeout, tries });
    if (servers) r.setServers(servers);
    while (next < list.length) {
      const name = list[next++]!;
      const left = deadline - Date.now();
      if (left <= 0) {
        out.set(name, { A: [], AAAA: [], error: `timeout (the ${budgetMs / 1000} s budget of --resolve ran out)` });
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const guard = new Promise<'guard'>((res) => { timer = setTimeout(() => res('guard'), Math.min(guardMs, left)); });
      const both = Promise.all([query(r, name, 'A'), query(r, name, 'AAAA')]);
      const got = await Promise.race([both, guard]);
      clearTimeout(timer);
      if (got === 'guard') {
        r.cancel();
        // Cancelled queries settle with ECANCELLED ("timeout"); an answer that came in is kept.
        const settled = await both;
        out.set(name, combine(settled[0], settled[1]));
      } else {
        out.set(name, combine(got[0], got[1]));
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 8, list.length));
  await Promise.all(Array.from({ length: n }, worker));
  // Input order, whatever order the workers finished in.
  return new Map(list.map((name) => [name, out.get(name)!]));
}

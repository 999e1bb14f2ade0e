// A real DNS server for tests: dnsmasq (Debian package; .ci/run installs it) on 127.0.0.1 and a
// free high port, serving the records given; and a UDP socket that never answers (timeouts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join, delimiter } from 'node:path';
import { promises as dnsp } from 'node:dns';

export const DNSMASQ = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin']
  .map((d) => join(d, 'dnsmasq')).find((p) => existsSync(p));

/** The skip reason when dnsmasq is absent, else false. */
export const DNSMASQ_SKIP: string | false = DNSMASQ ? false
  : 'dnsmasq is not installed (apt-get install -y dnsmasq; .ci/run installs it): --resolve tests against a real DNS server skipped';

/** The records every test uses: names under .test; unknown .test names are NXDOMAIN, others REFUSED. */
export const TEST_RECORDS: readonly string[] = [
  '--local=/test/',
  '--host-record=both.test,192.0.2.1,2001:db8::1',
  '--host-record=v4only.test,192.0.2.2',
  '--host-record=v6only.test,2001:db8::3',
  '--cname=alias.test,v4only.test',
];

/** A port free for both UDP and TCP on 127.0.0.1 (dnsmasq binds both). */
async function freePort(): Promise<number> {
  for (;;) {
    const p = await new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => res(typeof a === 'object' && a ? a.port : 0)); });
    });
    const ok = await new Promise<boolean>((res) => {
      const u = createSocket('udp4');
      u.once('error', () => res(false));
      u.bind(p, '127.0.0.1', () => u.close(() => res(true)));
    });
    if (ok && p > 1024) return p;
  }
}

export interface RunningDns {
  readonly port: number;
  stop(): void;
}

/** Start dnsmasq in the foreground; resolves once it answers. Throws when it cannot start. */
export async function startDnsmasq(records: readonly string[] = TEST_RECORDS): Promise<RunningDns> {
  if (!DNSMASQ) throw new Error('dnsmasq is not installed');
  let stderr = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(DNSMASQ, [
      '--no-daemon', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--pid-file=',
      `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', ...records,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    let exited = false;
    child.once('exit', () => { exited = true; });
    // Ready when it answers; gone when it exits (the port was taken meanwhile): try another port.
    const r = new dnsp.Resolver({ timeout: 200, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline) {
      try {
        await r.resolve4('both.test');
        return { port, stop: () => { child.kill(); } };
      } catch {
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    child.kill();
  }
  throw new Error(`dnsmasq did not start: ${stderr}`);
}

/** A UDP socket on loopback that reads queries and never answers. */
export async function silentDns(): Promise<RunningDns> {
  const s = createSocket('udp4');
  s.on('message', () => { /* never answer */ });
  await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()));
  return { port: s.address().port, stop: () => s.close() };
}

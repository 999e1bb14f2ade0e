// Runs every test/**/*.test.ts with node's own test runner (through tsx), so CI reads
// the runner's closing lines. Node 20's --test takes no globs, hence this file.
//
// The tests run with a private TMPDIR, and the run fails if they leave anything in it: a test
// must remove what it creates (test/helpers/temp.ts removes its directories at exit).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts') && (filter.length === 0 || filter.some((f) => p.includes(f)))) files.push(p);
  }
};
walk(join(root, 'test'));
if (files.length === 0) {
  console.error(`no test file matches ${filter.join(' ')}`);
  process.exit(1);
}
const shared = tmpdir();
const tmp = mkdtempSync(join(shared, 'dsa-test-run-'));
// Writable by all, as /tmp is: a test runs the CLI as an unprivileged user (robustness/cases).
chmodSync(tmp, 0o1777);
// tsx keeps its compile cache in $TMPDIR/tsx-<uid>: the shared one, so runs stay warm.
const tsxCache = `tsx-${userInfo().uid}`;
mkdirSync(join(shared, tsxCache), { recursive: true });
symlinkSync(join(shared, tsxCache), join(tmp, tsxCache));
const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(root, 'scripts', 'test-guard.mjs'), '--test', ...files], { stdio: 'inherit', cwd: root, env: { ...process.env, TMPDIR: tmp } });
// A run stopped from outside (Ctrl-C, a CI timeout) still removes its private TMPDIR.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    child.kill(sig);
    child.once('exit', () => {
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
const r = await new Promise((resolve) => child.on('exit', (status) => resolve({ status })));
unlinkSync(join(tmp, tsxCache));
// tsx caches of other users (the unprivileged run above) are the tool's, not a test's leftovers.
const left = readdirSync(tmp).filter((n) => !/^tsx-\d+$/.test(n)).sort();
rmSync(tmp, { recursive: true, force: true });
if (left.length > 0) {
  console.error(`# the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temporary directory (removed now): ${left.join(', ')}`);
  process.exit(r.status || 1);
}
process.exit(r.status ?? 1);

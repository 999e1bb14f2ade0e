// An offline run never loads @kubernetes/client-node (it is imported lazily, inside
// load/cluster.ts, only for live audits). A module hook in a child process fails any attempt
// to resolve it; the live run is the control that shows the hook works.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const hooks = `export async function resolve(s, c, next) { if (s.startsWith('@kubernetes/client-node')) throw new Error('CLIENT-NODE-LOADED'); return next(s, c); }`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;

function runCli(args: string[], env: Record<string, string>): { status: number | null; out: string } {
  const code = `const { main } = await import(${JSON.stringify(join(root, 'src/cli/index.ts'))}); process.exitCode = await main(['node', 'dualstack-audit', ...${JSON.stringify(args)}]);`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('an offline audit does not load @kubernetes/client-node; a live one does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-lazy-'));
  try {
    const file = join(dir, 'svc.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector: {app: a}\n');
    const offline = runCli(['--fail-on', 'never', '-f', 'json', file], { HOME: dir });
    assert.equal(offline.status, 0, offline.out);
    assert.ok(!offline.out.includes('CLIENT-NODE-LOADED'));
    const live = runCli([], { HOME: dir, KUBECONFIG: join(dir, 'none'), DUALSTACK_AUDIT_DEBUG: '1' });
    assert.equal(live.status, 2);
    assert.ok(live.out.includes('CLIENT-NODE-LOADED'), live.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

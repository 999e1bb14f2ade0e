// `npm pack` gives a package of runtime files only, and it installs and runs: the tarball is
// installed into an empty project offline, from the local npm cache (CI's `npm ci` fills it),
// and its bin prints the version and audits a file. A lockfile made from ours pins the runtime
// dependencies, so npm needs no registry metadata (which `npm ci` does not cache).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METAFILE, NOTICES, packageDirOf } from '../scripts/bundle.ts';
import { CLIENT_NODE_MISSING } from '../src/load/cluster.ts';

const root = new URL('..', import.meta.url).pathname;
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' }, timeout: 300_000,
  });

test('npm pack: only runtime files; the tarball installs offline and its bin runs', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-pack-'));
  try {
    // prepare (tsc) runs first, so dist/ is fresh.
    const packed = npm(['pack', '--json', '--pack-destination', dir], root);
    assert.equal(packed.status, 0, packed.stderr);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info[0]!.files.map((f) => f.path);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; dependencies: Record<string, string>; optionalDependencies: Record<string, string>; license: string; engines: unknown };

    const allowed = (p: string): boolean => /^(bin\/[^/]+\.js|dist\/bundle\/[^/]+\.js|dist\/bundle\/THIRD-PARTY-NOTICES\.txt|docs\/.+\.md|README\.md|LICENSE|package\.json)$/.test(p);
    assert.deepEqual(files.filter((p) => !allowed(p)), [], 'nothing but runtime files, docs and metadata');
    for (const p of ['package.json', 'README.md', 'dist/bundle/cli.js', 'dist/bundle/THIRD-PARTY-NOTICES.txt', 'docs/formats.md']) {
      assert.ok(files.includes(p), `${p} is packed`);
    }
    for (const b of Object.values(pkg.bin)) assert.ok(files.includes(b.replace(/^\.\//, '')), `bin ${b} is packed`);
    // The bundle (scripts/bundle.ts, run by prepare) is exactly the last build's output, so no
    // chunk of an earlier build is shipped, and it is made only of sources in this repository and
    // packages it carries, each named with its license in THIRD-PARTY-NOTICES.txt. A bundled
    // package is a devDependency: were it a dependency it would be installed twice (issue 19).
    const meta = JSON.parse(readFileSync(join(root, METAFILE), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    assert.deepEqual(files.filter((f) => f.startsWith('dist/bundle/') && f.endsWith('.js')).sort(), Object.keys(meta.outputs).sort(), 'packed bundle files are the last build\'s outputs');
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean; version?: string }> };
    const notices = readFileSync(join(root, NOTICES), 'utf8');
    for (const input of Object.keys(meta.inputs)) {
      assert.ok(existsSync(join(root, input)), `bundle input ${input} exists`);
      if (!input.includes('node_modules/')) {
        assert.match(input, /^src\/.+\.ts$/, `bundle input ${input} is a source file`);
        continue;
      }
      const dir = packageDirOf(input);
      const entry = lock.packages[dir];
      const name = dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
      assert.ok(entry && (entry.dev || entry.devOptional), `bundle input ${input}: ${name} is carried in the bundle, so it is a devDependency, not installed again`);
      assert.ok(!(name in pkg.dependencies) && !(name in pkg.optionalDependencies), `${name} is bundled and must not be a dependency`);
      assert.ok(notices.includes(`\n${name}@${entry.version} (`), `${name}@${entry.version} is in THIRD-PARTY-NOTICES.txt`);
    }

    // An empty project that depends on the tarball, locked to our runtime dependency tree.
    const app = join(dir, 'app');
    mkdirSync(app);
    const tgz = `file:../${info[0]!.filename}`;
    const packages: Record<string, unknown> = {
      '': { name: 'app', version: '1.0.0', dependencies: { 'dualstack-audit': tgz } },
      'node_modules/dualstack-audit': { version: pkg.version, resolved: tgz, license: pkg.license, dependencies: pkg.dependencies, optionalDependencies: pkg.optionalDependencies, bin: pkg.bin, engines: pkg.engines },
    };
    for (const [k, v] of Object.entries(lock.packages)) if (k !== '' && !v.dev) packages[k] = v;
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'dualstack-audit': tgz } }));
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }));
    // Without the optional live dependency first: an offline audit needs nothing but the bundle,
    // yaml and re2-wasm; a live audit says in one line what is missing.
    const inst = npm(['ci', '--offline', '--ignore-scripts', '--omit=optional'], app);
    assert.equal(inst.status, 0, `offline install from the npm cache failed:\n${inst.stderr}`);
    assert.ok(!existsSync(join(app, 'node_modules/typescript')), 'no dev dependencies installed');
    assert.ok(!existsSync(join(app, 'node_modules/@kubernetes/client-node')), '--omit=optional leaves client-node out');
    for (const b of ['commander', 'chalk', 'cli-table3', 'js-yaml', 'ipaddr.js']) assert.ok(!existsSync(join(app, 'node_modules', b)), `${b} is bundled, not installed`);
    const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
    assert.deepEqual(installed.sort(), ['dualstack-audit', ...Object.keys(pkg.dependencies)].sort(), 'only the package and its two external dependencies');

    const bin = join(app, 'node_modules/.bin/dualstack-audit');
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), pkg.version);
    const manifest = join(dir, 'svc.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n');
    const a = spawnSync(bin, ['-f', 'sarif', manifest], { encoding: 'utf8' });
    assert.equal(a.status, 1, a.stderr);
    assert.equal(JSON.parse(a.stdout).runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'service-single-stack'), true);
    // The text report loads chalk and cli-table3 from their own chunks.
    const t = spawnSync(bin, ['--color', 'always', manifest], { encoding: 'utf8' });
    assert.equal(t.status, 1, t.stderr);
    assert.match(t.stdout, /service-single-stack/);
    assert.match(t.stdout, /\u001b\[1m/, 'bold (chalk)');
    assert.match(t.stdout, /┌─/, 'a table (cli-table3)');
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
    const live = spawnSync(bin, ['--kubeconfig', kubeconfig], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(live.status, 2, live.stderr);
    assert.equal(live.stderr, `dualstack-audit: ${CLIENT_NODE_MISSING}\n`, 'one line, no stack trace');

    // With the optional dependency (a plain npm install): a live audit gets past loading it and
    // fails on the unreachable server instead.
    const full = npm(['ci', '--offline', '--ignore-scripts'], app);
    assert.equal(full.status, 0, full.stderr);
    assert.ok(existsSync(join(app, 'node_modules/@kubernetes/client-node')));
    const live2 = spawnSync(bin, ['--kubeconfig', kubeconfig, '--request-timeout', '5s'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(live2.status, 2, live2.stderr);
    assert.doesNotMatch(live2.stderr, /client-node/);
    assert.equal(live2.stderr.trim().split('\n').length, 1, live2.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

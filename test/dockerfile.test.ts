// The Dockerfile cannot be built here (no container daemon in CI), so its structure is checked:
// multi-stage, the final stage gets only the packed tarball from the build stage, runs as a
// non-root user, and every file the build stage copies exists in the repository; the build
// stage bundles with the same script and entry as `npm run build`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

interface Instr { op: string; args: string; line: number }

/** Dockerfile instructions: comments dropped, backslash continuations joined. */
function instructions(text: string): Instr[] {
  const out: Instr[] = [];
  let buf = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (buf === '' && (l === '' || l.startsWith('#'))) return;
    if (buf === '') start = i + 1;
    buf += `${l.replace(/\\$/, '')} `;
    if (!l.endsWith('\\')) {
      const m = /^(\S+)\s+(.*)$/.exec(buf.trim())!;
      out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start });
      buf = '';
    }
  });
  return out;
}

test('Dockerfile: multi-stage, the final stage holds only the packed bundle and runs as non-root', () => {
  const ins = instructions(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const froms = ins.map((x, i) => [x, i] as const).filter(([x]) => x.op === 'FROM');
  assert.equal(froms.length, 2, 'two stages');
  assert.match(froms[0]![0].args, /^node:20\S* AS build$/i);
  assert.match(froms[1]![0].args, /^node:20\S*$/, 'the final stage starts from a clean Node 20 image');
  const build = ins.slice(froms[0]![1], froms[1]![1]);
  const final = ins.slice(froms[1]![1]);

  // Build stage: copies files that exist, installs from the lockfile, bundles as npm run build does.
  for (const c of build.filter((x) => x.op === 'COPY')) {
    const parts = c.args.split(/\s+/);
    for (const src of parts.slice(0, -1)) assert.ok(existsSync(join(root, src)), `line ${c.line}: COPY ${src} exists`);
  }
  const runs = build.filter((x) => x.op === 'RUN').map((x) => x.args).join(' && ');
  assert.match(runs, /npm ci\b/);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } };
  const bundleCmd = /node --import tsx scripts\/bundle\.ts/.exec(pkg.scripts.build)?.[0];
  assert.ok(bundleCmd && runs.includes(bundleCmd), 'the same bundle command as npm run build');
  assert.match(runs, /npm pack --ignore-scripts/);

  // Final stage: nothing from the build context, only the tarball from the build stage.
  for (const c of final.filter((x) => x.op === 'COPY' || x.op === 'ADD')) {
    assert.match(c.args, /^--from=build \/tmp\/dualstack-audit\.tgz /, `line ${c.line}: only the tarball`);
  }
  assert.ok(final.some((x) => x.op === 'RUN' && /npm install -g .*\/tmp\/dualstack-audit\.tgz/.test(x.args)));
  const user = final.filter((x) => x.op === 'USER');
  assert.equal(user.length, 1);
  assert.doesNotMatch(user[0]!.args, /^(root|0)(:|$)/, 'non-root');
  const entry = final.find((x) => x.op === 'ENTRYPOINT')!;
  assert.ok(final.indexOf(user[0]!) < final.indexOf(entry), 'USER before ENTRYPOINT');
  const bin = JSON.parse(entry.args) as string[];
  const pkgBin = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
  assert.ok(bin[0]! in pkgBin, 'the entrypoint is the package bin');

  // .dockerignore keeps local builds and dependencies out of the context.
  const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  for (const p of ['node_modules/', 'dist/', '.git/']) assert.ok(ignore.includes(p), p);
});

// Directory walks (issue 20): a symbolic link to a directory outside the directories given is not
// followed (a link to / walked the whole file system), unless followSymlinks; --exclude globs leave
// paths out (kube-linter's ignorePaths), in linear time.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { compileExclude, segmentMatch } from '../../src/load/exclude.ts';

const base = mkdtempSync(join(tmpdir(), 'dsa-walk-'));
after(() => rmSync(base, { recursive: true, force: true }));
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const tree = join(base, 'tree');
const outside = join(base, 'outside');
mkdirSync(join(tree, 'apps', 'vendor'), { recursive: true });
mkdirSync(join(tree, 'apps', 'shop'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(tree, 'top.yaml'), cm('top'));
writeFileSync(join(tree, 'apps', 'shop', 'svc.yaml'), cm('shop'));
writeFileSync(join(tree, 'apps', 'shop', 'svc.test.yaml'), cm('shop-test'));
writeFileSync(join(tree, 'apps', 'vendor', 'v.yaml'), cm('vendor'));
writeFileSync(join(outside, 'far.yaml'), cm('far'));
symlinkSync(outside, join(tree, 'out-link'));
symlinkSync('/', join(tree, 'root-link'));
symlinkSync(join(tree, 'apps', 'shop'), join(tree, 'in-link'));

const names = (r: Awaited<ReturnType<typeof loadPaths>>): string[] => r.documents.map((d) => (d.object.metadata as { name: string }).name).sort();

test('links to directories outside the given roots are not followed; links inside are', async () => {
  const r = await loadPaths([tree]);
  assert.deepEqual(names(r), ['shop', 'shop-test', 'top', 'vendor']);
  const skipped = r.problems.filter((p) => /outside the audited directories: not followed/.test(p.message)).map((p) => p.file!.replace(/.*\//, '')).sort();
  assert.deepEqual(skipped, ['out-link', 'root-link']);
  assert.ok(r.problems.every((p) => !p.fatal));
});

test('a link outside is followed when its target is given too, or with followSymlinks', async () => {
  const both = await loadPaths([tree, outside]);
  assert.ok(names(both).includes('far'));
  assert.ok(!both.problems.some((p) => p.file?.endsWith('out-link')));
  // (root-link stays out: following it would walk the whole file system.)
  const tree2 = mkdtempSync(join(base, 'tree2-'));
  symlinkSync(outside, join(tree2, 'out-link'));
  const followed = await loadPaths([tree2], { followSymlinks: true });
  assert.deepEqual(names(followed), ['far']);
});

test('--exclude globs', async () => {
  const run = async (ex: string[]): Promise<string[]> => names(await loadPaths([tree], { exclude: ex }));
  assert.deepEqual(await run(['vendor']), ['shop', 'shop-test', 'top']);
  assert.deepEqual(await run(['*.test.yaml']), ['shop', 'top', 'vendor']);
  assert.deepEqual(await run(['apps/**']), ['shop', 'shop-test', 'top'], 'in-link still reaches apps/shop');
  assert.deepEqual(await run(['apps/**', 'in-link']), ['top']);
  assert.deepEqual(await run(['apps/*/svc.yaml', 'top.y?ml']), ['shop-test', 'vendor']);
  assert.deepEqual(await run(['**/shop/', 'in-link/']), ['top', 'vendor']);
  assert.deepEqual(await run(['top.yaml/']), ['shop', 'shop-test', 'top', 'vendor'], 'a trailing / matches directories only');
  assert.deepEqual(await run(['nothing']), ['shop', 'shop-test', 'top', 'vendor']);
});

test('exclude matching has no exponential case', () => {
  assert.ok(!segmentMatch(`${'*a'.repeat(200)}b`, 'a'.repeat(2000)));
  const m = compileExclude([`${'**/'.repeat(50)}x`])!;
  assert.equal(m(`${'d/'.repeat(200)}y`, false), false);
  assert.equal(m(`${'d/'.repeat(200)}x`, false), true);
});

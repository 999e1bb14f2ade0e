// No import cycles in src/ (issue 13): every relative import, static, dynamic (import()) or
// type-only, is an edge; a depth-first walk fails on the first edge back into the current path
// and names the whole cycle. The walk is small enough to keep here rather than add madge.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** Relative module specifiers of a TypeScript source: import/export ... from '...', import '...', import('...'). */
export function importsOf(text: string): string[] {
  // Comments would hide nothing real but could show example imports: drop them first.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const re = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(re)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** Every cycle found by a depth-first walk (one per back edge), as module paths relative to root. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const s = state.get(m);
      if (s === 'open') cycles.push([...path.slice(path.indexOf(m)), m]);
      else if (s === undefined) visit(m);
    }
    path.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

test('the import walk sees static, type-only, re-export and dynamic imports, and finds a cycle', () => {
  assert.deepEqual(importsOf([
    "import { a } from './a.ts';", "import type { B } from '../b.ts';", "export { c } from './c.ts';",
    "export * from './d.ts';", "import './e.ts';", "const f = await import('./f.ts');",
    "import {\n  g,\n  h,\n} from './gh.ts';", "import x from 'node:fs';", "// import { no } from './comment.ts';",
  ].join('\n')), ['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts', './f.ts', './gh.ts']);
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(findCycles(g), [['a', 'b', 'c', 'a']]);
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]])), []);
});

test('src/ has no import cycle', () => {
  const graph = new Map<string, string[]>();
  const files = sources(join(root, 'src'));
  assert.ok(files.length > 100, `only ${files.length} source files found`);
  for (const f of files) {
    const from = relative(root, f);
    const deps = [...new Set(importsOf(readFileSync(f, 'utf8')).map((s) => relative(root, resolve(dirname(f), s))))];
    for (const d of deps) assert.ok(files.includes(join(root, d)), `${from} imports ${d}, which is not a source file`);
    graph.set(from, deps);
  }
  const cycles = findCycles(graph);
  assert.deepEqual(cycles.map((c) => c.join(' -> ')), []);
});

// The CI docs stay working: every YAML block parses, config examples pass the config
// validator, the pre-commit hook matches the package's bin, and every dualstack-audit command
// line in the docs is accepted by the CLI's option parser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../src/engine/config.ts';
import { RULES } from '../src/rules/index.ts';

const root = new URL('..', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, root), 'utf8');
const blocks = (md: string, lang: string): string[] =>
  [...md.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

test('docs: YAML examples parse; config examples validate', () => {
  for (const file of ['docs/ci.md', 'docs/configuration.md']) {
    const ys = blocks(read(file), 'yaml');
    assert.ok(ys.length > 0, file);
    for (const y of ys) assert.doesNotThrow(() => parse(y), `${file}:\n${y}`);
  }
  const cfg = blocks(read('docs/configuration.md'), 'yaml').find((y) => y.startsWith('# .dualstack-audit.yaml'))!;
  const c = parseConfig(cfg, 'docs', new Set(RULES.map((r) => r.meta.id)));
  assert.equal(c.exemptions.length, 1);
  const gl = parse(blocks(read('docs/ci.md'), 'yaml').find((y) => y.startsWith('# .gitlab-ci.yml'))!);
  assert.equal(gl['dualstack-audit'].artifacts.reports.junit, 'dualstack-audit.xml');
  const gh = parse(blocks(read('docs/ci.md'), 'yaml').find((y) => y.startsWith('# .github/workflows'))!);
  assert.equal(gh.permissions['security-events'], 'write');
  assert.ok(gh.jobs.audit.steps.some((s: { uses?: string }) => s.uses?.startsWith('github/codeql-action/upload-sarif')));
});

test('docs: the pre-commit hook runs the package bin on YAML and JSON files', () => {
  const hooks = parse(read('.pre-commit-hooks.yaml')) as { id: string; entry: string; language: string; files: string }[];
  const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
  assert.equal(hooks[0]!.id, 'dualstack-audit');
  const [bin, ...args] = hooks[0]!.entry.split(' ');
  assert.ok(bin! in pkg.bin);
  // A commit may change only files without objects (test/pre-commit.test.ts): nothing to audit passes.
  assert.deepEqual(args, ['--allow-empty']);
  assert.equal(hooks[0]!.language, 'system', 'runs the installed bin: no registry at hook install time (test/pre-commit.test.ts)');
  const re = new RegExp(hooks[0]!.files);
  for (const f of ['k8s/a.yaml', 'b.yml', 'c.json']) assert.ok(re.test(f), f);
  assert.ok(!re.test('README.md'));
});

test('docs: every dualstack-audit command line in the docs runs', async () => {
  const { main } = await import('../src/cli/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'dsa-docs-'));
  const input = new URL('fixtures/reports/shop.yaml', root).pathname;
  try {
    const lines = ['docs/ci.md', 'docs/configuration.md']
      .flatMap((f) => read(f).split('\n'))
      .map((l) => /(?:npx (?:--yes )?)?dualstack-audit((?: -{1,2}[a-z][-a-z]*(?: [^\s`|&;#]+)?)+(?: [^\s`|&;#-][^\s`|&;#]*)?)/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined);
    assert.ok(lines.length >= 6, `found ${lines.length}`);
    for (const args of lines) {
      // Inputs become a fixture; files the command writes or reads go to a temp dir.
      const argv = args.trim().split(/\s+/).map((a, i, all) => {
        const prev = all[i - 1] ?? '';
        if (a.startsWith('-')) return a;
        if (/^(-o|--output|--write-baseline|--baseline|-c|--config)$/.test(prev)) return join(dir, a.replace(/\//g, '_'));
        if (prev.startsWith('-') && !/^(-q|--quiet|--verbose|--force)$/.test(prev)) return a;
        return input;
      });
      let err = '';
      const code = await main(['node', 'dualstack-audit', ...argv], {
        stdout: () => {}, stderr: (s) => { err += s; }, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: dir,
      });
      assert.ok(code === 0 || code === 1, `dualstack-audit${args} exited ${code}: ${err}`);
    }
    // The checker is real: an unknown option is a usage error.
    const bad = await main(['node', 'dualstack-audit', '--bogus', input], { stdout: () => {}, stderr: () => {}, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: dir });
    assert.equal(bad, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs: the GitHub workflow uses the action with inputs and outputs action.yml has', () => {
  const action = parse(read('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  const md = read('docs/ci.md');
  const gh = parse(blocks(md, 'yaml').find((y) => y.startsWith('# .github/workflows'))!);
  const steps = gh.jobs.audit.steps as { id?: string; uses?: string; with?: Record<string, unknown> }[];
  const audit = steps.find((s) => s.uses?.startsWith('dualstack-audit/dualstack-audit@'))!;
  assert.ok(audit, 'the workflow uses the action');
  assert.match(audit.uses!, /@[0-9a-f]{40}$/, 'pinned to a full commit SHA');
  for (const k of Object.keys(audit.with ?? {})) assert.ok(k in action.inputs, `input ${k} is in action.yml`);
  for (const m of md.matchAll(/steps\.audit\.outputs\.([\w-]+)/g)) assert.ok(m[1]! in action.outputs, `output ${m[1]} is in action.yml`);
  assert.deepEqual(Object.keys(action.outputs).sort(), ['gate', 'grade', 'sarif-file', 'score']);
});

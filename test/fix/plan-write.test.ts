// Which findings `fix` applies and why the rest are left (fix/plan.ts), and how a file is
// written back (load/write.ts): atomically, mode kept, a symlink followed, never over a file
// that changed since it was read, never a UTF-16 file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import { RULES } from '../../src/rules/index.ts';
import type { Report } from '../../src/engine/types.ts';
import { formatFixSummary, planFixes } from '../../src/fix/plan.ts';
import { readForFix, writeIfUnchanged } from '../../src/load/write.ts';

const NEEDS_VALUE = new Set(RULES.filter((r) => r.meta.needsValue).map((r) => r.meta.id));

async function audit(paths: string[], stdin = ''): Promise<Report> {
  const loaded = await loadPaths(paths, { readStdin: async () => new TextEncoder().encode(stdin) });
  const model = buildModel(loaded.documents, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
  return run(model, RULES, {
    locate: loaded.locator.locate,
    tool: { name: 'dualstack-audit', version: 'test' },
    target: { mode: 'files', sources: paths, clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
    problems: loaded.problems,
  });
}

const SVC = (name: string, extra = ''): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\n${extra}spec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n`;

test('plan: fixes planned per file; suggestions, Helm, stdin, suppressed and value-needing findings left with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-fix-plan-'));
  try {
    const file = join(dir, 'svc.yaml');
    writeFileSync(file, [
      SVC('plain'),
      SVC('ignored', '  annotations:\n    dualstack-audit.io/ignore: service-single-stack\n'),
      SVC('pinned').replace('spec:\n', 'spec:\n  ipFamilyPolicy: SingleStack\n'),
      SVC('lb').replace('spec:\n', 'spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n'),
    ].join('---\n'));
    const helm = `---\n# Source: shop/templates/svc.yaml\n${SVC('from-chart')}`;
    const report = await audit([file, '-'], helm);
    const plan = planFixes(report, { suggestions: false, needsValue: NEEDS_VALUE });
    const why = (name: string, rule = 'service-single-stack'): string[] => plan.left
      .filter((l) => report.findings[l.index]!.resource.name === name && report.findings[l.index]!.ruleId === rule)
      .map((l) => `${l.why}${l.detail ? `: ${l.detail}` : ''}`);
    assert.deepEqual([...plan.files.keys()], [report.findings.find((f) => f.resource.name === 'plain')!.location!.file]);
    assert.deepEqual(plan.files.values().next().value!.map((r) => r.resource.name), ['plain']);
    assert.deepEqual(why('pinned'), ['a suggestion (apply with --suggestions)']);
    assert.deepEqual(why('from-chart'), ['rendered by Helm: fix the chart template shop/templates/svc.yaml']);
    assert.deepEqual(why('lb', 'service-lb-source-ranges-single-family'), ['needs a value only a person knows']);
    assert.equal(why('ignored').length, 0);
    assert.ok(plan.suppressed >= 1);
    // With --suggestions, the pinned and LoadBalancer Services are planned too.
    const all = planFixes(report, { suggestions: true, needsValue: NEEDS_VALUE });
    assert.deepEqual(all.files.values().next().value!.map((r) => r.resource.name).sort(), ['lb', 'pinned', 'plain']);
    const summary = formatFixSummary({ report, plan, failed: [], fixed: 1, filesChanged: ['svc.yaml'], dryRun: true });
    assert.match(summary, /^1 file would change, 1 finding would be fixed, \d+ suppressed \(not fixed\)\n {2}svc\.yaml\n/);
    assert.match(summary, /rendered by Helm: 1\n {4}service-single-stack Service\/shop\/from-chart: fix the chart template shop\/templates\/svc\.yaml/);

    // stdin without Helm: nothing to write back to.
    const piped = await audit(['-'], SVC('piped'));
    const p2 = planFixes(piped, { suggestions: true, needsValue: NEEDS_VALUE });
    assert.equal(p2.files.size, 0);
    assert.ok(p2.left.some((l) => l.why === 'read from stdin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('write: atomic rename that keeps the mode and follows a symlink; a changed file is not overwritten', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-fix-write-'));
  try {
    const file = join(dir, 'svc.yaml');
    writeFileSync(file, 'a: 1\n');
    chmodSync(file, 0o640);
    const link = join(dir, 'link.yaml');
    symlinkSync('svc.yaml', link);
    const read = readForFix(link);
    assert.ok(!('error' in read));
    assert.equal(read.text, 'a: 1\n');
    assert.deepEqual(writeIfUnchanged(read, 'a: 2\n'), { ok: true });
    assert.equal(readFileSync(file, 'utf8'), 'a: 2\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.ok(statSync(link, { throwIfNoEntry: true }).isFile());
    // Changed since read: not overwritten, no temporary file left.
    const again = readForFix(file);
    assert.ok(!('error' in again));
    writeFileSync(file, 'a: 3\n');
    assert.deepEqual(writeIfUnchanged(again, 'a: 4\n'), { error: 'changed since it was read: not overwritten' });
    assert.equal(readFileSync(file, 'utf8'), 'a: 3\n');
    assert.deepEqual(readdirSync(dir).sort(), ['link.yaml', 'svc.yaml']);
    // A BOM is kept as text; UTF-16 and invalid UTF-8 are refused.
    writeFileSync(file, '\uFEFFa: 1\n');
    const bom = readForFix(file);
    assert.ok(!('error' in bom) && bom.text.startsWith('\uFEFF'));
    writeFileSync(file, Buffer.from('\uFEFFa: 1\n', 'utf16le'));
    assert.deepEqual(readForFix(file), { error: 'UTF-16 text: not edited' });
    writeFileSync(file, Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]));
    assert.deepEqual(readForFix(file), { error: 'not UTF-8 text: not edited' });
    assert.match((readForFix(join(dir, 'missing.yaml')) as { error: string }).error, /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Table runner for rules: YAML goes through the real loader (yaml/stream.ts via loadPaths on a
// temp file), the real model builder and the real engine, so line numbers are tested too.
// Checks: valid cases give no finding from the rule; invalid cases give exactly the listed
// findings (messageId, line, and optionally severity/resource/message substring); case names
// are unique; the model is frozen while rules run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel, type BuildOptions } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import type { Rule } from '../../src/rules/types.ts';
import type { Family, Severity } from '../../src/model/types.ts';
import type { Finding, Report } from '../../src/engine/types.ts';

export interface ExpectedFinding {
  readonly messageId: string;
  readonly line: number;
  readonly column?: number;
  readonly severity?: Severity;
  /** "Kind/namespace/name" or "Kind/name". */
  readonly resource?: string;
  /** A substring the rendered message must contain. */
  readonly includes?: string;
  /** A substring the finding's fix text (fix.summary) must contain. */
  readonly fix?: string;
}

export interface RuleCase {
  readonly name: string;
  readonly yaml: string;
  /** Target cluster Service families; default [IPv4, IPv6]. */
  readonly clusterFamilies?: readonly Family[];
  /** Extra options for the model builder. */
  readonly build?: Omit<BuildOptions, 'clusterFamilies'>;
}

export interface InvalidCase extends RuleCase {
  readonly findings: readonly ExpectedFinding[];
}

/** Audit a YAML text through loader, model and engine, with only `rules`. */
export async function auditYaml(yaml: string, rules: readonly Rule[], opts: { clusterFamilies?: readonly Family[]; build?: RuleCase['build']; live?: boolean } = {}): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-rule-'));
  try {
    const file = join(dir, 'case.yaml');
    writeFileSync(file, yaml);
    const loaded = await loadPaths([file]);
    const model = buildModel(loaded.documents, {
      ...(opts.build ?? {}),
      clusterFamilies: { families: opts.clusterFamilies ?? ['IPv4', 'IPv6'], from: 'flag' },
    });
    assert.ok(Object.isFrozen(model) && Object.isFrozen(model.resources), 'model must be frozen');
    return run(model, rules, {
      locate: loaded.locator.locate,
      only: rules.map((r) => r.meta.id),
      live: opts.live ?? false,
      resolve: true,
      tool: { name: 'dualstack-audit', version: 'test' },
      target: { mode: 'files', sources: [file], clusterFamilies: [...(opts.clusterFamilies ?? ['IPv4', 'IPv6'])], familiesFrom: 'flag' },
      problems: loaded.problems,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const refText = (f: Finding): string =>
  `${f.resource.kind}/${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;

export function ruleTester(rule: Rule, cases: { valid: readonly RuleCase[]; invalid: readonly InvalidCase[] }): void {
  const names = new Set<string>();
  for (const c of [...cases.valid, ...cases.invalid]) {
    assert.ok(!names.has(c.name), `duplicate case name: ${c.name}`);
    names.add(c.name);
  }
  assert.ok(cases.invalid.length > 0, `${rule.meta.id}: at least one invalid case`);
  assert.ok(cases.valid.length > 0, `${rule.meta.id}: at least one valid case`);

  for (const c of cases.valid) {
    test(`${rule.meta.id} valid: ${c.name}`, async () => {
      const report = await auditYaml(c.yaml, [rule], c);
      assert.deepEqual(report.problems.filter((p) => p.fatal), [], 'the YAML of a case must load');
      const mine = report.findings.filter((f) => f.ruleId === rule.meta.id);
      assert.deepEqual(mine.map((f) => `${f.location?.line}: ${f.message}`), []);
      const ev = report.evaluations.find((e) => e.ruleId === rule.meta.id);
      assert.ok(ev && ev.failed === 0);
    });
  }
  for (const c of cases.invalid) {
    test(`${rule.meta.id} invalid: ${c.name}`, async () => {
      const report = await auditYaml(c.yaml, [rule], c);
      assert.deepEqual(report.problems.filter((p) => p.fatal), [], 'the YAML of a case must load');
      const mine = report.findings.filter((f) => f.ruleId === rule.meta.id);
      assert.equal(mine.length, c.findings.length,
        `expected ${c.findings.length} finding(s), got:\n${mine.map((f) => `  ${f.location?.line} ${f.messageId}: ${f.message}`).join('\n')}`);
      c.findings.forEach((exp, i) => {
        const got = mine[i]!;
        assert.ok(exp.messageId in rule.meta.messages, `unknown messageId ${exp.messageId}`);
        assert.equal(got.messageId, exp.messageId, `finding ${i} messageId`);
        assert.equal(got.location?.line, exp.line, `finding ${i} line (${got.message})`);
        if (exp.column !== undefined) assert.equal(got.location?.column, exp.column, `finding ${i} column`);
        if (exp.severity) assert.equal(got.severity, exp.severity, `finding ${i} severity`);
        if (exp.resource) assert.equal(refText(got), exp.resource, `finding ${i} resource`);
        if (exp.includes) assert.ok(got.message.includes(exp.includes), `finding ${i} message should include ${JSON.stringify(exp.includes)}: ${got.message}`);
        if (exp.fix) assert.ok(got.fix?.summary.includes(exp.fix), `finding ${i} fix should include ${JSON.stringify(exp.fix)}: ${got.fix?.summary}`);
        assert.ok(!/\.$/.test(got.message), 'messages have no trailing period');
      });
    });
  }
}

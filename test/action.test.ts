// action.yml, run as the GitHub runner runs a composite action: each step's `run:` script with
// `bash --noprofile --norc -eo pipefail`, its `env:` with ${{ inputs.* }} and
// ${{ github.action_path }} substituted, GITHUB_OUTPUT and GITHUB_ENV files, the workspace as the
// working directory; then the action's outputs from the steps' outputs. Uses the built bin
// (npm run build), so the build step finds dist/bundle/ and does not install anything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

interface Step { name: string; id?: string; shell?: string; env?: Record<string, string>; run?: string; uses?: string }
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/** GITHUB_OUTPUT's syntax: name=value lines and name<<DELIMITER blocks. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(l);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else if (l.includes('=')) out[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  }
  return out;
}

function runAction(workspace: string, given: Record<string, string>): { outputs: Record<string, string>; failedStep?: string; code: number; log: string } {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;
  assert.equal(action.runs.using, 'composite');
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.inputs)) inputs[k] = given[k] ?? v.default ?? '';
  for (const k of Object.keys(given)) assert.ok(k in action.inputs, `unknown input ${k}`);
  const steps: Record<string, Record<string, string>> = {};
  const expr = (s: string): string => s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(e))) return inputs[m[1]!] ?? '';
    if (e === 'github.action_path') return root;
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e))) return steps[m[1]!]?.[m[2]!] ?? '';
    throw new Error(`expression the test runner does not know: ${e}`);
  });
  const tmp = mkdtempSync(join(tmpdir(), 'dsa-action-runner-'));
  let log = '';
  let failedStep: string | undefined;
  let code = 0;
  try {
    const githubEnv = join(tmp, 'env');
    writeFileSync(githubEnv, '');
    action.runs.steps.forEach((step, i) => {
      if (failedStep !== undefined) return;
      assert.ok(step.run !== undefined, `step ${step.name}: only run steps (no uses:), so the action needs nothing else`);
      assert.equal(step.shell, 'bash', `step ${step.name}: composite run steps must name their shell`);
      const script = join(tmp, `step${i}.sh`);
      const output = join(tmp, `output${i}`);
      writeFileSync(script, step.run!);
      writeFileSync(output, '');
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(String(v));
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: workspace, encoding: 'utf8', env: { ...env, GITHUB_OUTPUT: output, GITHUB_ENV: githubEnv, GITHUB_ACTION_PATH: root, GITHUB_WORKSPACE: workspace, CI: 'true', NO_COLOR: '1' },
      });
      log += `## ${step.name}\n${r.stdout}${r.stderr}`;
      if (step.id) steps[step.id] = readOutputs(output);
      if (r.status !== 0) {
        failedStep = step.name;
        code = r.status ?? 1;
      }
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.outputs)) outputs[k] = expr(v.value);
  return { outputs, ...(failedStep !== undefined ? { failedStep } : {}), code, log };
}

test('action.yml: audits, writes SARIF, sets score, grade and gate; fails the step on a failed gate', { skip: !existsSync(join(root, 'dist/bundle/cli.js')) && 'run npm run build first' }, () => {
  const ws = mkdtempSync(join(tmpdir(), 'dsa-action-ws-'));
  try {
    cpSync(join(root, 'fixtures/demo'), join(ws, 'k8s'), { recursive: true });
    const r = runAction(ws, { paths: 'k8s' });
    assert.equal(r.failedStep, 'Audit', r.log);
    assert.equal(r.code, 1, 'the gate failed: exit 1');
    // The outputs are what the CLI reports for the same input.
    const json = spawnSync(process.execPath, [join(root, 'bin/dualstack-audit.js'), '-f', 'json', 'k8s'], { cwd: ws, encoding: 'utf8' });
    const report = JSON.parse(json.stdout) as { score: { overall: number; grade: string }; findings: unknown[] };
    assert.deepEqual(r.outputs, { score: String(report.score.overall), grade: report.score.grade, gate: 'failed', 'sarif-file': 'dualstack-audit.sarif' });
    const sarif = JSON.parse(readFileSync(join(ws, 'dualstack-audit.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results.length, report.findings.length);
    assert.ok(sarif.runs[0].results.every((x: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }) =>
      x.locations[0]!.physicalLocation?.artifactLocation.uri.startsWith('k8s/')), 'repository-relative URIs');

    // --fail-on never: the step passes; more options and a second path pass through.
    writeFileSync(join(ws, 'extra.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: extra, namespace: x}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n');
    const never = runAction(ws, { paths: 'k8s\nextra.yaml', 'fail-on': 'never', 'sarif-file': 'out.sarif', args: '--rule service-single-stack' });
    assert.equal(never.failedStep, undefined, never.log);
    assert.equal(never.outputs.gate, 'passed');
    assert.equal(never.outputs['sarif-file'], 'out.sarif');
    const ran = JSON.parse(readFileSync(join(ws, 'out.sarif'), 'utf8')).runs[0];
    assert.deepEqual(ran.tool.driver.rules.map((x: { id: string }) => x.id), ['service-single-stack']);
    assert.ok(ran.results.some((x: { properties: { resource: string } }) => x.properties.resource === 'Service/x/extra'), 'the second path was audited');
    assert.match(never.outputs.score!, /^\d+(\.\d)?$/);

    // --min-score fails the step even with --fail-on never.
    const min = runAction(ws, { paths: 'k8s', 'fail-on': 'never', 'min-score': '99' });
    assert.equal(min.outputs.gate, 'failed');
    assert.equal(min.code, 1);

    // Nothing to audit: exit 2, gate "error", no score.
    const bad = runAction(ws, { paths: 'no-such-dir', 'sarif-file': 'bad.sarif' });
    assert.equal(bad.code, 2, bad.log);
    assert.equal(bad.outputs.gate, 'error');
    assert.equal(bad.outputs.score, '');
    assert.match(bad.log, /::error title=dualstack-audit::could not audit \(exit 2\)/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

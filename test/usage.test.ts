// Usage that points the way (issue 19), through the CLI's main(): the kubectl plugin's name in
// help, -f JSON, "did you mean" for rule ids and subcommands, the note when stdin is piped but
// no path was given, and --chart-root for Helm templates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';

async function cli(argv: string[], extra: Partial<CliIO> = {}, argv1 = 'dualstack-audit'): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', argv1, ...argv], {
    stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, readStdin: async () => new Uint8Array(), env: { NO_COLOR: '1' }, stdoutIsTTY: false, ...extra,
  });
  return { code, out, err };
}

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n';

test('help names the kubectl plugin when run as kubectl-dualstack_audit', async () => {
  const plugin = await cli(['--help'], {}, '/usr/local/bin/kubectl-dualstack_audit');
  assert.equal(plugin.code, 0);
  assert.match(plugin.out, /^Usage: kubectl dualstack-audit \[options\] \[command\] \[paths\.\.\.\]/);
  const plain = await cli(['--help'], {}, '/usr/local/bin/dualstack-audit');
  assert.match(plain.out, /^Usage: dualstack-audit /);
});

test('-f, --fail-on and --color take their values in any case; a wrong value suggests the nearest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-usage-'));
  try {
    writeFileSync(join(dir, 'svc.yaml'), SVC);
    const j = await cli(['-f', 'JSON', '--fail-on', 'NEVER', '--color', 'Never', join(dir, 'svc.yaml')]);
    assert.equal(j.code, 0, j.err);
    assert.equal(JSON.parse(j.out).schemaVersion, 1);
    const r = await cli(['rules', '-f', 'Markdown']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^#|\|/);
    const bad = await cli(['-f', 'jsno', join(dir, 'svc.yaml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Allowed choices are text, json, sarif, junit, markdown, html\. \(did you mean json\?\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('did you mean: misspelled rule ids (--rule, --disable-rule, --severity, explain) and subcommands', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-usage-'));
  try {
    writeFileSync(join(dir, 'svc.yaml'), SVC);
    const rule = await cli(['--rule', 'service-singel-stack', join(dir, 'svc.yaml')]);
    assert.equal(rule.code, 2);
    assert.equal(rule.err, 'dualstack-audit: --rule: unknown rule "service-singel-stack" (did you mean service-single-stack?) (see `dualstack-audit rules`)\n');
    const dis = await cli(['--disable-rule', 'dns-aaaa-coverag', join(dir, 'svc.yaml')]);
    assert.match(dis.err, /--disable-rule: unknown rule "dns-aaaa-coverag" \(did you mean dns-aaaa-coverage\?\)/);
    const sev = await cli(['--severity', 'servce-single-stack=low', join(dir, 'svc.yaml')]);
    assert.match(sev.err, /--severity: unknown rule "servce-single-stack" \(did you mean service-single-stack\?\)/);
    const ex = await cli(['explain', 'service-single-stak']);
    assert.equal(ex.code, 2);
    assert.equal(ex.err, 'dualstack-audit: unknown rule "service-single-stak" (did you mean service-single-stack?) (see `dualstack-audit rules`)\n');
    const none = await cli(['explain', 'no-such-thing-at-all']);
    assert.equal(none.err, 'dualstack-audit: unknown rule "no-such-thing-at-all" (see `dualstack-audit rules`)\n');
    // A mistyped subcommand is taken for a path that does not exist: the message says which command.
    const cmd = await cli(['expain', 'service-single-stack'], { cwd: dir });
    assert.equal(cmd.code, 2);
    assert.match(cmd.err, /no such file/);
    const cmd1 = await cli(['snapshto'], { cwd: dir });
    assert.match(cmd1.err, /\(did you mean snapshot \(a command\)\?\)\n$/);
    const path = await cli([join(dir, 'missing.yaml')]);
    assert.doesNotMatch(path.err, /did you mean/, 'a path is not a command');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no path with stdin piped: a note says the kube context is audited and how to audit stdin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-usage-'));
  try {
    const env = { NO_COLOR: '1', KUBECONFIG: join(dir, 'none'), HOME: dir };
    const piped = await cli([], { stdinIsPiped: true, env });
    assert.equal(piped.code, 2, 'no kubeconfig: could not audit');
    assert.match(piped.err, /^dualstack-audit: note: stdin is piped but no path was given, so this audits the current kube context; to audit what you piped in, pass - \(cat x\.yaml \| dualstack-audit -\)\n/);
    const tty = await cli([], { stdinIsPiped: false, env });
    assert.doesNotMatch(tty.err, /stdin is piped/);
    // With -, stdin is audited and there is no note.
    const dash = await cli(['-', '-f', 'json'], { stdinIsPiped: true, readStdin: async () => new TextEncoder().encode(SVC) });
    assert.equal(dash.code, 1, dash.err);
    assert.doesNotMatch(dash.err, /note/);
    assert.ok(JSON.parse(dash.out).findings.some((f: { ruleId: string }) => f.ruleId === 'service-single-stack'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--chart-root: Helm # Source names become repository paths in the reports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-usage-'));
  try {
    mkdirSync(join(dir, 'deploy/charts/my-app/templates'), { recursive: true });
    writeFileSync(join(dir, 'deploy/charts/my-app/Chart.yaml'), 'apiVersion: v2\nname: my-app\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'deploy/charts/my-app/templates/service.yaml'), '# template\n');
    writeFileSync(join(dir, 'rendered.yaml'), `---\n# Source: my-app/templates/service.yaml\n${SVC}`);
    const sarifOf = async (args: string[]) => {
      const r = await cli(['-f', 'sarif', ...args, join(dir, 'rendered.yaml')], { cwd: dir });
      assert.equal(r.code, 1, r.err);
      return JSON.parse(r.out).runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'service-single-stack');
    };
    // Searched under the working directory by default.
    const byCwd = await sarifOf([]);
    assert.equal(byCwd.locations[0].physicalLocation.artifactLocation.uri, `file://${join(dir, 'rendered.yaml')}`);
    assert.equal(byCwd.locations[0].physicalLocation.region.startLine, 7, '`type:` is line 7 of rendered.yaml');
    assert.equal(byCwd.relatedLocations[0].physicalLocation.artifactLocation.uri, 'deploy/charts/my-app/templates/service.yaml');
    const byRoot = await sarifOf(['--chart-root', 'deploy/charts']);
    assert.equal(byRoot.relatedLocations[0].physicalLocation.artifactLocation.uri, 'deploy/charts/my-app/templates/service.yaml');
    mkdirSync(join(dir, 'other'));
    const elsewhere = await sarifOf(['--chart-root', 'other']);
    assert.equal(elsewhere.relatedLocations[0].physicalLocation.artifactLocation.uri, 'my-app/templates/service.yaml', 'not found: the # Source name');
    const missing = await cli(['--chart-root', 'nope', join(dir, 'rendered.yaml')], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.equal(missing.err, 'dualstack-audit: --chart-root nope: no such directory\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every subcommand answers --help and usage errors through main(): exit code returned, output written through io', async () => {
  // A subcommand created before exitOverride() would call process.exit() and write to the real stdout.
  for (const sub of ['snapshot', 'plan', 'fix', 'init', 'rules', 'explain']) {
    const h = await cli([sub, '--help']);
    assert.equal(h.code, 0, `${sub} --help: ${h.err}`);
    assert.match(h.out, new RegExp(`^Usage: dualstack-audit ${sub} `), sub);
    const bad = await cli([sub, '--no-such-flag']);
    assert.equal(bad.code, 2, `${sub} --no-such-flag`);
    assert.match(bad.err, /^error: (unknown option '--no-such-flag'|required option)/, sub);
  }
});

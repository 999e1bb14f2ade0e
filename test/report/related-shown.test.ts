// A finding that stands for one cause on many Nodes (engine/fold.ts sameCause) lists the other
// rules' consequences, bounded, not one "Also" line per Node: with 150 Nodes one Markdown item
// outgrew a PR comment and the comment showed no finding at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.ts';
import { tempDir } from '../helpers/temp.ts';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: () => {}, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false };
  return { code: await main(['node', 'dualstack-audit', ...args], io), out };
}

test('JUnit testcase names are unique within a rule: a summary on a resource the rule also judges is numbered', async () => {
  const root = new URL('../../', import.meta.url).pathname;
  const junit = (await cli([join(root, 'fixtures/families'), '-f', 'junit', '--fail-on', 'never'])).out;
  const cases = [...junit.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.equal(new Set(cases).size, cases.length);
  assert.ok(cases.includes('dualstack-audit.services.service-ip-config-rejected Service/default/kubernetes #2'));
});

test('150 Nodes whose pod ranges share a low-entropy ULA prefix: the Markdown and HTML reports still show every finding', async () => {
  const dir = tempDir('dsa-related-');
  const nodes = Array.from({ length: 150 }, (_, i) =>
    `apiVersion: v1\nkind: Node\nmetadata: {name: n${i}, uid: u${i}, resourceVersion: "1"}\nspec:\n  podCIDRs: [10.244.${i}.0/24, "fd00:10:244:${i.toString(16)}::/64"]\n`).join('---\n');
  writeFileSync(join(dir, 'nodes.yaml'), nodes);
  writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n');

  const json = JSON.parse((await cli([dir, '-f', 'json', '--fail-on', 'never'])).out) as { findings: { ruleId: string; message: string; related?: unknown[] }[] };
  const ula = json.findings.filter((f) => f.ruleId === 'ula-low-entropy-global-id');
  assert.equal(ula.length, 1, 'one finding for the shared /48');
  assert.match(ula[0]!.message, /\(and on 149 more Nodes\)$/);
  assert.equal(ula[0]!.related?.length, 149, 'the JSON report keeps every folded Node');

  const md = (await cli([dir, '-f', 'markdown', '--fail-on', 'never'])).out;
  assert.match(md, /\*\*high\*\* `service-single-stack` · `Service\/shop\/web`/);
  assert.match(md, /`ula-low-entropy-global-id` · `Node\/n0`/);
  assert.doesNotMatch(md, /Also `ula-low-entropy-global-id`/);
  assert.doesNotMatch(md, /more findings not shown/);

  // JUnit: each Node's testcase fails with its own finding (the related entry), at its own line.
  const junit = (await cli([dir, '-f', 'junit', '--fail-on', 'never'])).out;
  const n5 = /<testcase classname="dualstack-audit\.addressing\.ula-low-entropy-global-id" name="Node\/n5" file="[^"]*nodes\.yaml" line="(\d+)"[^>]*>\s*<failure message="([^"]*)"/.exec(junit);
  assert.ok(n5, 'the testcase of Node/n5');
  assert.equal(Number(n5[1]), 5 * 6 + 5, 'the line of n5\'s podCIDRs');
  assert.match(n5[2]!, /^Node n5 /);

  const html = (await cli([dir, '-f', 'html', '--fail-on', 'never'])).out;
  assert.doesNotMatch(html, /Also ula-low-entropy-global-id/);
  assert.match(html, /service-single-stack/);
});

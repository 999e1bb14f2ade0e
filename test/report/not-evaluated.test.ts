// What could not be evaluated is in every format (issue 13), for the offline audit of a snapshot
// as for a live one: a snapshot whose read of Pods was forbidden goes through the CLI in each
// format, and each output names Pod, the reason, the grant and (where the format has room) the
// rules on Pods. The same cluster without the forbidden read shows none of it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { snapshotYaml } from '../../src/load/snapshot.ts';
import type { NotEvaluated } from '../../src/load/cluster.ts';
import { RULES } from '../../src/rules/index.ts';
import { cli, clusterState } from '../live/helpers.ts';
import { removeTempDir, tempDir } from '../helpers/temp.ts';

const POD: NotEvaluated = {
  kind: 'Pod', apiVersion: 'v1', reason: 'forbidden',
  message: 'pods is forbidden: User "system:serviceaccount:default:auditor" cannot list resource "pods" <at the cluster scope>',
  rbac: '{apiGroups: [""], resources: ["pods"], verbs: ["list"]}',
};

function writeSnapshot(dir: string, notEvaluated: readonly NotEvaluated[]): string {
  const objects = clusterState(0).filter((o) => !(notEvaluated.length > 0 && o.kind === 'Pod'));
  const file = join(dir, `snap-${notEvaluated.length}.yaml`);
  writeFileSync(file, snapshotYaml({ context: 'kind-dual-stack', server: 'https://127.0.0.1:6443', read: [], notEvaluated },
    objects.map((object) => ({ object })), { name: 'dualstack-audit', version: 'test' }));
  return file;
}

/** The rules that ran on a snapshot (live rules, not the manifest-only ones) and judge Pods. */
const podRules = (ran: readonly string[]): string[] => RULES.filter((r) => r.meta.scope.includes('Pod') && ran.includes(r.meta.id)).map((r) => r.meta.id);

test('an offline audit of a snapshot shows what was not evaluated in every format', async () => {
  const dir = tempDir('dsa-ne-');
  try {
    const snap = writeSnapshot(dir, [POD]);
    const clean = writeSnapshot(dir, []);
    const run = async (file: string, ...args: string[]): Promise<string> => {
      const r = await cli(['--fail-on', 'never', ...args, file], {}, dir);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };

    const json = JSON.parse(await run(snap, '-f', 'json')) as { target: { notEvaluated?: NotEvaluated[] }; rules: { id: string }[]; evaluations: { ruleId: string; notEvaluated: number }[] };
    assert.deepEqual(json.target.notEvaluated, [POD]);
    const rules = podRules(json.rules.map((r) => r.id));
    assert.ok(rules.includes('pod-single-stack'), rules.join(','));
    // The per-rule counts say the same: one evaluation not made per rule on Pods.
    assert.deepEqual(json.evaluations.filter((e) => e.notEvaluated > 0).map((e) => e.ruleId).sort(), [...rules].sort());

    const text = await run(snap, '--verbose');
    assert.match(text, /^Not evaluated \(1\): these kinds could not be read/m);
    assert.ok(text.includes(`  Pod (v1): forbidden: ${POD.message}\n    grant: ${POD.rbac}\n`), text.slice(0, 1500));
    assert.ok(text.includes(`    rules: ${rules.join(', ')}\n`));
    assert.ok(!(await run(snap)).includes('    rules: '), 'the rules are listed with --verbose only');

    const sarif = JSON.parse(await run(snap, '-f', 'sarif')) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string }; descriptor: { id: string }; properties: Record<string, unknown> }[] }[] }[] };
    const inv = sarif.runs[0]!.invocations[0]!;
    const notes = (inv.toolExecutionNotifications ?? []).filter((n) => n.descriptor.id === 'not-evaluated');
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.level, 'warning');
    assert.ok(notes[0]!.message.text.startsWith(`Not evaluated: Pod (v1): forbidden: ${POD.message}; grant: ${POD.rbac}`));
    assert.deepEqual(notes[0]!.properties, { kind: 'Pod', apiVersion: 'v1', reason: 'forbidden', rbac: POD.rbac, rules });
    assert.equal(inv.executionSuccessful, true, 'an unreadable kind is not a failed run');

    const xml = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' || n === 'testcase' })
      .parse(await run(snap, '-f', 'junit')) as { testsuites: { '@_skipped': string; '@_tests': string; testsuite: { '@_name': string; '@_tests': string; '@_skipped': string; testcase: { '@_classname': string; '@_name': string; skipped?: { '@_message': string } }[] }[] } };
    const skipped = xml.testsuites.testsuite.flatMap((s) => s.testcase.filter((c) => c['@_name'] === 'Pod (not evaluated)').map((c) => ({ suite: s['@_name'], c })));
    assert.deepEqual(skipped.map((x) => x.c['@_classname'].split('.').at(-1)).sort(), [...rules].sort());
    for (const { suite, c } of skipped) {
      assert.equal(c['@_classname'], `dualstack-audit.${suite}.${c['@_classname'].split('.').at(-1)}`);
      assert.equal(c.skipped?.['@_message'], `not evaluated: Pod (v1): forbidden: ${POD.message}; grant: ${POD.rbac}`);
    }
    // Counts include them: every suite's tests and skipped attributes add up to the totals.
    const sum = (k: '@_tests' | '@_skipped'): number => xml.testsuites.testsuite.reduce((a, s) => a + Number(s[k]), 0);
    assert.equal(sum('@_tests'), Number(xml.testsuites['@_tests']));
    assert.equal(sum('@_skipped'), Number(xml.testsuites['@_skipped']));
    assert.ok(Number(xml.testsuites['@_skipped']) >= rules.length);

    const md = await run(snap, '-f', 'markdown');
    assert.match(md, /^> \*\*Not evaluated \(1\)\*\*: these kinds could not be read/m);
    const mdItem = md.split('\n').find((l) => l.startsWith('- Pod (v1): forbidden: '));
    assert.ok(mdItem, md.slice(0, 1500));
    assert.ok(mdItem.includes('cannot list resource "pods" &lt;at the cluster scope&gt;'), 'manifest and server text is escaped');
    assert.ok(mdItem.includes(`grant: \`${POD.rbac}\``) && mdItem.includes('`pod-single-stack`'));
    assert.ok(md.indexOf('Not evaluated (1)') < md.indexOf('| phase |'), 'before the score table');

    const html = await run(snap, '-f', 'html');
    const section = /<h2 id="not-evaluated">Not evaluated \(1\)<\/h2>(.*?)<\/div>\n<h2>Phases<\/h2>/s.exec(html);
    assert.ok(section, 'the section sits above the phases');
    assert.ok(section[1]!.includes('Pod (v1): forbidden: pods is forbidden: User &quot;system:serviceaccount:default:auditor&quot; cannot list resource &quot;pods&quot; &lt;at the cluster scope&gt;'));
    assert.ok(section[1]!.includes('pod-single-stack'));

    // The control: the same cluster read in full says nothing of the kind in any format.
    for (const f of ['text', 'json', 'sarif', 'junit', 'markdown', 'html']) {
      const out = await run(clean, '-f', f, '--verbose');
      assert.doesNotMatch(out, /Not evaluated \(|not-evaluated|\(not evaluated\)|"notEvaluated": \[/, f);
    }
  } finally {
    removeTempDir(dir);
  }
});

// Every rule that declares a fix or a suggestion (RuleMeta.fixable) fixes its own documented bad
// example: audit it, apply the patches (suggestions too), re-audit: the rule's patched findings
// are gone, and the fixed text still parses. Rules without `fixable` never report a patch on
// their examples (the engine refuses one, run.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../src/rules/index.ts';
import { formatRef } from '../../src/model/types.ts';
import { fixText } from '../../src/fix/apply.ts';
import { auditYaml } from '../helpers/rule-tester.ts';
import type { Rule } from '../../src/rules/types.ts';

const SKIP_LIVE = (r: Rule): boolean => Boolean(r.meta.liveOnly);

/** Rules whose documented example shows a case without a patch: an example that has one. */
const EXAMPLES: Readonly<Record<string, string>> = {
  'cidr-nonstandard-form': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 2001:DB8:0:0::/64}   # upper case, uncompressed: a fix
    - ipBlock:
        cidr: 10.0.0.1/8                   # host bits: a suggestion
`,
};

for (const rule of RULES.filter((r) => r.meta.fixable && !SKIP_LIVE(r))) {
  test(`${rule.meta.id} (${rule.meta.fixable}): its bad example is fixed by its patch`, async () => {
    const text = EXAMPLES[rule.meta.id] ?? rule.meta.docs.bad;
    const report = await auditYaml(text, [rule]);
    const patched = report.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.fix?.patch && f.location);
    assert.ok(patched.length > 0, 'the example has a finding with a patch');
    for (const { f } of patched) assert.equal(f.fix!.kind, rule.meta.fixable === 'both' ? f.fix!.kind : rule.meta.fixable);
    const res = fixText(text, patched.map(({ f, i }) => ({ id: i, line: f.location!.line, resource: f.resource, patch: f.fix!.patch! })));
    assert.deepEqual(res.outcomes.filter((o) => !o.applied), []);
    assert.notEqual(res.text, text);
    const again = await auditYaml(res.text, [rule]);
    assert.deepEqual(again.problems, []);
    const key = (f: (typeof report.findings)[number]): string => `${formatRef(f.resource)} ${JSON.stringify(f.path)} ${f.messageId}`;
    const left = new Set(again.findings.map(key));
    for (const { f } of patched) assert.ok(!left.has(key(f)), `still reported: ${key(f)}\n${res.text}`);
  });
}

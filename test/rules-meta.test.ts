// The rule contract, checked over every rule: registry matches the folder, ids match file
// names, metadata complete, messages well formed, docs generated and current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { RULES } from '../src/rules/index.ts';
import { ruleDoc, rulesIndexDoc } from '../src/docs.ts';
import { examplePath, renderExamples, renderIndex, ruleFiles } from '../scripts/gen-rule-index.ts';
import { CATEGORIES, SEVERITIES } from '../src/model/types.ts';

const root = new URL('..', import.meta.url).pathname;

test('the registry lists every rule file, sorted, and is current', () => {
  assert.deepEqual(RULES.map((r) => `${r.meta.id}.ts`), ruleFiles());
  assert.equal(readFileSync(`${root}src/rules/index.ts`, 'utf8'), renderIndex(), 'run npm run gen');
  assert.equal(readFileSync(`${root}src/rules/examples.ts`, 'utf8'), renderExamples(), 'src/rules/examples.ts is current: run npm run gen');
});

for (const rule of RULES) {
  const m = rule.meta;
  test(`rule ${m.id}: metadata`, () => {
    assert.match(m.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(CATEGORIES.includes(m.category));
    assert.ok(SEVERITIES.includes(m.severity));
    assert.ok(m.title.length > 0 && !m.title.endsWith('.'));
    assert.ok(!/\(live\)/.test(m.title), 'liveOnly adds "(live)" to the title in the index; the title does not say it');
    assert.ok(m.scope.length > 0);
    assert.match(m.rationale, /\.$/, 'rationale is full sentences');
    assert.match(m.fix.summary, /\.$/, 'fix.summary is a full sentence');
    assert.ok(Object.keys(m.messages).length > 0);
    for (const [id, t] of Object.entries(m.messages)) assert.ok(!t.endsWith('.'), `message ${id} has no trailing period`);
    assert.ok(m.references.length > 0, 'cite a source');
    for (const n of ['bad', 'good'] as const) assert.ok(existsSync(`${root}${examplePath(m.id, n)}`), `${examplePath(m.id, n)} exists`);
    assert.ok(m.docs.bad.includes('kind:') && m.docs.good.includes('kind:'));
    assert.ok(existsSync(`${root}test/rules/${m.id}.test.ts`), `test/rules/${m.id}.test.ts exists`);
  });
  test(`rule ${m.id}: docs are current`, () => {
    assert.equal(readFileSync(`${root}docs/rules/${m.id}.md`, 'utf8'), ruleDoc(m), 'run npm run gen');
  });
}

// SEMANTICS*.md and DESIGN.md are the maintainers' notes, not shipped: rule text and docs cite the
// upstream sources (Kubernetes, CoreDNS, GKE, RFCs) those notes stand for.
const PRIVATE_NOTES = /SEMANTICS(-[A-Z]+)?\.md|DESIGN\.md/;
test('no rule metadata and no shipped doc names the maintainers\' notes (SEMANTICS*.md, DESIGN.md)', () => {
  for (const r of RULES) assert.doesNotMatch(JSON.stringify(r.meta), PRIVATE_NOTES, r.meta.id);
  const shipped = ['README.md', ...readdirSync(`${root}docs`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  assert.ok(shipped.length > 70, 'docs/ and docs/rules/ are read');
  for (const f of shipped) assert.doesNotMatch(readFileSync(`${root}${f}`, 'utf8'), PRIVATE_NOTES, f);
});

// A reference is something a reader can open: an https URL (optionally marked "(verify ...)"), an
// RFC, or a GitHub issue/PR as owner/repo#N. Free text after a URL ("validation.go (ValidateIPBlock)")
// breaks the link in the generated docs; say what to look for in docs.notes instead.
const REFERENCE = /^(https:\/\/\S+( \(verify[^)]*\))?|RFC \d+( section \d+(\.\d+)*)?|[\w.-]+\/[\w.-]+#\d+)$/;
test('every rule reference is an https URL, an RFC or an owner/repo#N issue, listed once', () => {
  for (const r of RULES) {
    for (const ref of r.meta.references) assert.match(ref, REFERENCE, `${r.meta.id}: ${ref}`);
    assert.equal(new Set(r.meta.references).size, r.meta.references.length, `${r.meta.id} lists a reference twice`);
  }
  assert.doesNotMatch('https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/v1 defaults (policyTypes)', REFERENCE);
  assert.doesNotMatch('GoogleCloudPlatform/magic-modules PR #7459', REFERENCE);
});

test('docs/rules.md is current', () => {
  assert.equal(readFileSync(`${root}docs/rules.md`, 'utf8'), rulesIndexDoc(RULES.map((r) => r.meta)), 'run npm run gen');
});

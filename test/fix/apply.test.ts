// The text edits of `dualstack-audit fix`: each JSON Patch operation changes only the edited
// node's lines, in the file's own layout; a file that does not parse is never edited; CRLF and a
// BOM are kept; and (property) random comments and blank lines around a Service never change a
// byte outside the fixed node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from '../helpers/fc.ts';
import { fixText, type FixRequest } from '../../src/fix/apply.ts';
import { unifiedDiff } from '../../src/fix/diff.ts';
import type { JsonPatchOp } from '../../src/rules/types.ts';

const SVC = { kind: 'Service', name: 'web' };
const req = (line: number, ...patch: JsonPatchOp[]): FixRequest => ({ id: line, line, resource: SVC, patch });
const POLICY: JsonPatchOp = { op: 'add', path: '/spec/ipFamilyPolicy', value: 'PreferDualStack' };

const SERVICE = `# the web tier
apiVersion: v1
kind: Service
metadata:
  name: web   # public
  annotations:
    a.example/x: "1"
    cloud.google.com/network-tier: Standard
spec:
  type: ClusterIP
  ports:
  - port: 80   # http
    name: http

  # end of spec
`;

/** Cases: patch -> the exact new text. */
const CASES: { name: string; text: string; patch: JsonPatchOp[]; want: string }[] = [
  {
    name: 'add a key at the end of a block map, before trailing comments and blank lines',
    text: SERVICE, patch: [POLICY],
    want: SERVICE.replace('    name: http\n', '    name: http\n  ipFamilyPolicy: PreferDualStack\n'),
  },
  {
    name: 'remove a pair: its line only',
    text: SERVICE, patch: [{ op: 'remove', path: '/metadata/annotations/cloud.google.com~1network-tier' }],
    want: SERVICE.replace('    cloud.google.com/network-tier: Standard\n', ''),
  },
  {
    name: 'replace a quoted scalar keeps its quotes',
    text: SERVICE, patch: [{ op: 'replace', path: '/metadata/annotations/a.example~1x', value: '2' }],
    want: SERVICE.replace('"1"', '"2"'),
  },
  {
    name: 'replace a plain scalar keeps the comment after it',
    text: SERVICE, patch: [{ op: 'replace', path: '/metadata/name', value: 'web' }, { op: 'replace', path: '/spec/ports/0/port', value: 8080 }],
    want: SERVICE.replace('- port: 80   # http', '- port: 8080   # http'),
  },
  {
    name: 'append to a block sequence at its indentation',
    text: SERVICE, patch: [{ op: 'add', path: '/spec/ports/-', value: { port: 443, name: 'https' } }],
    want: SERVICE.replace('    name: http\n', '    name: http\n  - port: 443\n    name: https\n'),
  },
  {
    name: 'remove the first key of a sequence item map: the next key moves up',
    text: SERVICE, patch: [{ op: 'remove', path: '/spec/ports/0/port' }],
    want: SERVICE.replace('  - port: 80   # http\n    name: http', '  - name: http'),
  },
  {
    name: 'add with missing parents creates them as a block map',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {}\n',
    patch: [{ op: 'add', path: '/metadata/annotations/cloud.google.com~1l4-rbs', value: 'enabled' }],
    want: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    cloud.google.com/l4-rbs: enabled\nspec: {}\n',
  },
  {
    name: 'flow collections are re-rendered in flow style, unpadded as written',
    text: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}], type: ClusterIP}  # flow\n',
    patch: [POLICY],
    want: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}], type: ClusterIP, ipFamilyPolicy: PreferDualStack}  # flow\n',
  },
  {
    name: 'a sequence level with its key (kubectl style) gets new items at that level',
    text: 'kind: Service\nmetadata:\n  name: web\nspec:\n  ipFamilies:\n  - IPv4\n',
    patch: [{ op: 'add', path: '/spec/ipFamilies/-', value: 'IPv6' }],
    want: 'kind: Service\nmetadata:\n  name: web\nspec:\n  ipFamilies:\n  - IPv4\n  - IPv6\n',
  },
  {
    name: 'removing the only key of a map leaves {}',
    text: 'kind: Service\nmetadata:\n  name: web\n  annotations:\n    x: y\nspec: {}\n',
    patch: [{ op: 'remove', path: '/metadata/annotations/x' }],
    want: 'kind: Service\nmetadata:\n  name: web\n  annotations: {}\nspec: {}\n',
  },
  {
    name: 'a literal block scalar is replaced as a literal block at its indentation',
    text: 'kind: Service\nmetadata:\n  name: web\ndata:\n  Corefile: |\n    .:53 {\n        kubernetes cluster.local in-addr.arpa\n    }\n# after\n',
    patch: [{ op: 'replace', path: '/data/Corefile', value: '.:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n}\n' }],
    want: 'kind: Service\nmetadata:\n  name: web\ndata:\n  Corefile: |\n    .:53 {\n        kubernetes cluster.local in-addr.arpa ip6.arpa\n    }\n# after\n',
  },
  {
    name: 'a file without a final newline',
    text: 'kind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP',
    patch: [POLICY],
    want: 'kind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  ipFamilyPolicy: PreferDualStack',
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const r = fixText(c.text, [req(1, ...c.patch)]);
    assert.deepEqual(r.outcomes, [{ id: 1, applied: true }]);
    assert.equal(r.text, c.want);
    // The same fix again changes nothing.
    assert.equal(fixText(r.text, [req(1, ...c.patch.filter((op) => op.op !== 'remove' && !op.path.endsWith('/-')))]).text, r.text);
  });
}

test('the finding line picks the document; other documents and separators stay byte-identical', () => {
  const other = '---\n# another\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n...\n';
  const text = `${SERVICE}${other}`;
  const r = fixText(text, [req(4, POLICY)]);
  assert.ok(r.text.endsWith(other));
  const r2 = fixText(text, [req(SERVICE.split('\n').length + 3, POLICY)]);
  assert.ok(r2.text.startsWith(SERVICE));
  assert.ok(r2.text.includes('  type: NodePort\n  ipFamilyPolicy: PreferDualStack\n...\n'));
});

test('a List item is found by the finding line, and checked by kind and name', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: api}\n  spec:\n    type: ClusterIP\n- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n  spec:\n    type: ClusterIP\n';
  const r = fixText(text, [req(12, POLICY)]);
  assert.equal(r.text, text.replace(/(\{name: web\}\n {2}spec:\n {4}type: ClusterIP\n)/, '$1    ipFamilyPolicy: PreferDualStack\n'));
  const wrong = fixText(text, [{ ...req(12, POLICY), resource: { kind: 'Service', name: 'gone' } }]);
  assert.equal(wrong.changed, false);
  assert.match((wrong.outcomes[0] as { reason: string }).reason, /Service\/gone is not at that place/);
});

test('a file with a parse error anywhere is not edited', () => {
  const text = `${SERVICE}---\nkind: ConfigMap\ndata: {a: [1, 2}\n`;
  const r = fixText(text, [req(4, POLICY)]);
  assert.equal(r.changed, false);
  assert.equal(r.text, text);
  assert.match(r.problem ?? '', /does not parse \(line 18/);
  assert.equal(r.outcomes[0]!.applied, false);
});

test('a kustomize-rendered object is not edited (config.kubernetes.io/origin)', () => {
  const text = 'kind: Service\nmetadata:\n  name: web\n  annotations:\n    config.kubernetes.io/origin: |\n      path: base/svc.yaml\nspec:\n  type: ClusterIP\n';
  const r = fixText(text, [req(1, POLICY)]);
  assert.equal(r.changed, false);
  assert.match((r.outcomes[0] as { reason: string }).reason, /rendered by kustomize .*base\/svc\.yaml/);
});

test('a fix that does not apply (replace of a missing field) is reported, not forced', () => {
  const r = fixText(SERVICE, [req(1, { op: 'replace', path: '/spec/loadBalancerClass', value: 'x' })]);
  assert.equal(r.changed, false);
  assert.match((r.outcomes[0] as { reason: string }).reason, /does not apply/);
});

test('CRLF line endings and a BOM are kept, and the diff applies with git apply', () => {
  const crlf = `\uFEFF${SERVICE.replace(/\n/g, '\r\n')}`;
  const r = fixText(crlf, [req(3, POLICY), req(3, { op: 'remove', path: '/metadata/annotations/cloud.google.com~1network-tier' })]);
  assert.ok(r.text.startsWith('\uFEFF'));
  assert.doesNotMatch(r.text, /[^\r]\n/);
  const lf = fixText(SERVICE, [req(3, POLICY), req(3, { op: 'remove', path: '/metadata/annotations/cloud.google.com~1network-tier' })]);
  assert.equal(r.text, `\uFEFF${lf.text.replace(/\n/g, '\r\n')}`);
  const dir = mkdtempSync(join(tmpdir(), 'dsa-fix-crlf-'));
  try {
    writeFileSync(join(dir, 'svc.yaml'), crlf);
    writeFileSync(join(dir, 'fix.diff'), unifiedDiff('svc.yaml', crlf, r.text));
    const check = spawnSync('git', ['apply', '--check', 'fix.diff'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unified diff: hunks, context, a missing final newline', () => {
  const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm';
  const b = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn';
  assert.equal(unifiedDiff('./x.yaml', a, b), [
    '--- a/x.yaml', '+++ b/x.yaml',
    '@@ -1,5 +1,5 @@', ' a', '-b', '+B', ' c', ' d', ' e',
    '@@ -10,4 +10,5 @@', ' j', ' k', ' l', '-m', '\\ No newline at end of file', '+m', '+n', '\\ No newline at end of file', '',
  ].join('\n'));
  assert.equal(unifiedDiff('x', a, a), '');
});

// Random comments, blank lines and indentation of comments around (and inside) a Service: the
// fix inserts one line, and removing that line gives back the original, byte for byte.
const blank = fc.constantFrom('', '   ', '\t');
const comment = fc.stringMatching(/^[ a-zA-Z0-9:#{}[\],'"-]{0,20}$/).map((s) => `# ${s}`);
const filler = fc.array(fc.oneof(blank, comment.chain((c) => fc.nat(6).map((n) => ' '.repeat(n) + c))), { maxLength: 3 });
const trailing = fc.option(comment.map((c) => `  ${c}`), { nil: '' });

test('property: comments and blank lines around a Service are never changed by the fix', () => {
  fc.assert(fc.property(fc.array(filler, { minLength: 12, maxLength: 12 }), fc.array(trailing, { minLength: 10, maxLength: 10 }), fc.boolean(), (fill, tails, crlf) => {
    const body = [
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  labels:', '    app: web', 'spec:', '  selector:', '    app: web', '  ports:', '  - port: 80',
    ];
    const lines: string[] = [];
    body.forEach((l, i) => {
      lines.push(...fill[i]!);
      lines.push(l + (l.endsWith(':') ? '' : tails[i % tails.length]!));
    });
    lines.push(...fill[11]!);
    const eol = crlf ? '\r\n' : '\n';
    const text = lines.join(eol) + eol;
    const r = fixText(text, [{ id: 0, line: 1, resource: SVC, patch: [POLICY] }]);
    assert.deepEqual(r.outcomes, [{ id: 0, applied: true }]);
    const added = `  ipFamilyPolicy: PreferDualStack${eol}`;
    const at = r.text.indexOf(added);
    assert.ok(at > 0, 'the new key is there');
    assert.equal(r.text.slice(0, at) + r.text.slice(at + added.length), text, 'nothing else changed');
    assert.equal(fixText(r.text, [{ id: 0, line: 1, resource: SVC, patch: [POLICY] }]).text, r.text, 'idempotent');
  }), { numRuns: 300 });
});

test('property: git apply turns a into b with the unified diff of random texts (documents, CRLF, no final newline)', () => {
  const line = fc.constantFrom('a', 'b', 'c', '---', '  x: 1', '# c', '', 'd\r');
  const text = fc.tuple(fc.array(line, { maxLength: 30 }), fc.boolean()).map(([ls, nl]) => (ls.length === 0 ? '' : ls.join('\n') + (nl ? '\n' : '')));
  const pairs = fc.sample(fc.tuple(text, text), { numRuns: 60 });
  const dir = mkdtempSync(join(tmpdir(), 'dsa-fix-diff-'));
  try {
    let patch = '';
    pairs.forEach(([a, b], i) => {
      writeFileSync(join(dir, `f${i}.txt`), a);
      patch += unifiedDiff(`f${i}.txt`, a, b);
    });
    writeFileSync(join(dir, 'all.diff'), patch);
    const r = spawnSync('git', ['apply', 'all.diff'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    pairs.forEach(([, b], i) => assert.equal(readFileSync(join(dir, `f${i}.txt`), 'utf8'), b, `f${i}.txt`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// End to end through main() with an injected io: suppression annotations, config exemptions,
// the config file (search, precedence, errors that name the key), baselines, init, formats.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { main, type CliIO } from '../src/cli/index.ts';

interface Run { code: number; out: string; err: string }

async function cli(cwd: string, args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    readStdin: async () => new Uint8Array(),
    env: {},
    stdoutIsTTY: false,
    cwd,
  };
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

const svc = (name: string, extra = '', annotations = ''): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
${annotations ? `  annotations:\n${annotations}` : ''}spec:
  type: LoadBalancer
  ${extra}selector: {app: ${name}}
  ports: [{port: 443}]
`;
const DUAL = 'ipFamilyPolicy: PreferDualStack\n  ';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-cli-ci-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

interface JFinding { ruleId: string; resource: { name: string }; related?: { ruleId: string }[]; suppressed?: { by: string; reason?: string }; fingerprint: string; location: { line: number } }
const json = (r: Run): { findings: JFinding[]; score: { overall: number }; unusedSuppressions?: { by: string; ruleId: string; message: string }[] } => JSON.parse(r.out);

test('an ignore annotation suppresses its rules on that resource: flagged in JSON, out of the gate, not out of the score', async () => {
  const dir = workspace({
    'k8s/app.yaml': [
      svc('web', DUAL),
      svc('legacy', '', '    dualstack-audit.io/ignore: "service-single-stack, dns-aaaa-coverage"\n    dualstack-audit.io/ignore-reason: "retired in Q3"\n'),
      svc('stale', DUAL, '    dualstack-audit.io/ignore: service-single-stack,no-such-rule\n'),
    ].join('---\n'),
  });
  try {
    const r = await cli(dir, [join(dir, 'k8s'), '-f', 'json']);
    assert.equal(r.code, 0, r.err);
    const rep = json(r);
    const legacy = rep.findings.filter((f) => f.resource.name === 'legacy');
    // dns-aaaa-coverage's finding is a consequence of service-single-stack's: folded into it (engine/fold.ts).
    assert.deepEqual(legacy.map((f) => f.ruleId), ['service-single-stack']);
    assert.deepEqual(legacy[0]!.related!.map((x) => x.ruleId), ['dns-aaaa-coverage']);
    for (const f of legacy) assert.deepEqual(f.suppressed, { by: 'annotation', reason: 'retired in Q3' });
    assert.equal(rep.findings.filter((f) => !f.suppressed).length, 0);
    assert.ok(rep.score.overall! < 100, 'suppressed evaluations stay in the score as not passed (issue 19)');
    const unused = rep.unusedSuppressions!.map((u) => `${u.by} ${u.ruleId}`).sort();
    assert.deepEqual(unused, ['annotation no-such-rule', 'annotation service-single-stack']);
    assert.match(rep.unusedSuppressions!.find((u) => u.ruleId === 'no-such-rule')!.message, /unknown rule "no-such-rule"/);

    const text = await cli(dir, [join(dir, 'k8s')]);
    assert.match(text.out, /Unused suppressions \(2\)\n {2}note {2}.*app\.yaml:\d+:\d+: dualstack-audit\.io\/ignore on Service\/shop\/stale /);
    assert.match(text.out, /1 suppressed/);

    // Without the annotation, the same Service fails the gate.
    writeFileSync(join(dir, 'k8s/app.yaml'), svc('legacy'));
    assert.equal((await cli(dir, [join(dir, 'k8s'), '-f', 'json'])).code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the config file is found upward and applies exemptions, rules, failOn and minScore; flags win', async () => {
  const dir = workspace({
    '.dualstack-audit.yaml': `failOn: medium
rules:
  service-load-balancer-ip-deprecated: off
exemptions:
  - rule: service-single-stack
    namespace: shop
    name: leg*
    reason: retired in Q3
  - rule: dns-aaaa-coverage
    name: nothing-matches
    reason: stale
`,
    'team/k8s/app.yaml': [svc('web', DUAL), svc('legacy')].join('---\n'),
  });
  try {
    const cwd = join(dir, 'team');
    const r = await cli(cwd, [join(cwd, 'k8s'), '-f', 'json']);
    const rep = json(r);
    const legacy = rep.findings.filter((f) => f.resource.name === 'legacy');
    assert.deepEqual(legacy.find((f) => f.ruleId === 'service-single-stack')!.suppressed, { by: 'config', reason: 'retired in Q3' });
    // dns-aaaa-coverage (medium) is not exempted: failOn medium from the config fails the gate.
    assert.ok(legacy.some((f) => f.ruleId === 'dns-aaaa-coverage' && !f.suppressed));
    assert.equal(r.code, 1);
    assert.ok(rep.unusedSuppressions!.some((u) => u.by === 'config' && u.message.startsWith('../.dualstack-audit.yaml: exemptions[1] (rule dns-aaaa-coverage, name nothing-matches) matched no finding')));
    // --fail-on on the command line wins over failOn in the file.
    assert.equal((await cli(cwd, [join(cwd, 'k8s'), '--fail-on', 'high'])).code, 0);
    // minScore from the file.
    writeFileSync(join(dir, '.dualstack-audit.yaml'), 'failOn: never\nminScore: 99.5\n');
    const low = await cli(cwd, [join(cwd, 'k8s')]);
    assert.equal(low.code, 1);
    assert.match(low.out, /below --min-score 99\.5/);
    // -c picks another file; a missing one is an error.
    writeFileSync(join(dir, 'team/other.yaml'), 'failOn: never\n');
    assert.equal((await cli(cwd, [join(cwd, 'k8s'), '-c', 'other.yaml'])).code, 0);
    const missing = await cli(cwd, [join(cwd, 'k8s'), '-c', 'nope.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^dualstack-audit: cannot read config nope\.yaml: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config error exits 2 and names the key path', async () => {
  const dir = workspace({ 'app.yaml': svc('web', DUAL) });
  try {
    const cases: [string, string][] = [
      ['rules:\n  foo: off\n', '.dualstack-audit.yaml: rules.foo: unknown rule (see `dualstack-audit rules`)'],
      ['exemptions:\n  - rule: service-single-stack\n', '.dualstack-audit.yaml: exemptions[0].reason: required: say why this exemption is acceptable'],
      ['minScore: lots\n', '.dualstack-audit.yaml: minScore: expected a number from 0 to 100 (got "lots")'],
    ];
    for (const [text, msg] of cases) {
      writeFileSync(join(dir, '.dualstack-audit.yaml'), text);
      const r = await cli(dir, [join(dir, 'app.yaml')]);
      assert.equal(r.code, 2);
      assert.equal(r.err, `dualstack-audit: ${msg}\n`);
      assert.equal(r.out, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('baseline: known findings survive moved lines; the gate fails only on new ones', async () => {
  const dir = workspace({ 'k8s/app.yaml': [svc('legacy'), svc('old-admin')].join('---\n') });
  try {
    const before = json(await cli(dir, [join(dir, 'k8s'), '-f', 'json', '--fail-on', 'never']));
    const w = await cli(dir, [join(dir, 'k8s'), '-f', 'json', '--write-baseline', 'baseline.json']);
    assert.equal(w.code, 0, 'the written baseline applies to the run that wrote it');
    // The baseline records the folded consequences too (engine/fold.ts), so they stay known.
    const recorded = before.findings.reduce((a, f) => a + 1 + (f.related?.length ?? 0), 0);
    assert.ok(recorded > before.findings.length);
    assert.match(w.err, new RegExp(`^Wrote baseline baseline\\.json: ${recorded} findings\\n`));
    const b = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    assert.equal(b.version, 1);
    assert.equal(b.findings.reduce((a: number, e: { count: number }) => a + e.count, 0), recorded);
    assert.ok(json(w).findings.every((f) => f.suppressed?.by === 'baseline'));

    // Same findings, moved down by comments and reordered: still known.
    writeFileSync(join(dir, 'k8s/app.yaml'), `# moved\n# down\n${[svc('old-admin'), svc('legacy')].join('---\n')}`);
    const same = await cli(dir, [join(dir, 'k8s'), '-f', 'json', '--baseline', 'baseline.json']);
    assert.equal(same.code, 0, same.out);
    const moved = json(same);
    assert.ok(moved.findings.every((f) => f.suppressed?.by === 'baseline'));
    assert.notDeepEqual(moved.findings.map((f) => f.location.line).sort(), before.findings.map((f) => f.location.line).sort());

    // A new Service with the same problem is new: the gate fails on it alone.
    writeFileSync(join(dir, 'k8s/app.yaml'), [svc('old-admin'), svc('legacy'), svc('brand-new')].join('---\n'));
    const r = await cli(dir, [join(dir, 'k8s'), '-f', 'json', '--baseline', 'baseline.json']);
    assert.equal(r.code, 1);
    const fresh = json(r).findings.filter((f) => !f.suppressed);
    assert.ok(fresh.length > 0);
    assert.ok(fresh.every((f) => f.resource.name === 'brand-new'));

    // Fixing a known finding leaves a stale baseline entry, reported as unused.
    writeFileSync(join(dir, 'k8s/app.yaml'), [svc('old-admin'), svc('legacy', DUAL)].join('---\n'));
    const fixed = json(await cli(dir, [join(dir, 'k8s'), '-f', 'json', '--baseline', 'baseline.json']));
    assert.ok(fixed.unusedSuppressions!.some((u) => u.by === 'baseline' && /no longer occurs/.test(u.message)));

    // A bad baseline is a usage error.
    writeFileSync(join(dir, 'bad.json'), '{"version": 2}');
    const bad = await cli(dir, [join(dir, 'k8s'), '--baseline', 'bad.json']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, 'dualstack-audit: baseline bad.json: version: expected 1 (got 2)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init writes a starter config the audit accepts, and does not overwrite it', async () => {
  const dir = workspace({ 'app.yaml': svc('web', DUAL) });
  try {
    const r = await cli(dir, ['init']);
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(join(dir, '.dualstack-audit.yaml')));
    assert.equal((await cli(dir, [join(dir, 'app.yaml')])).code, 0);
    const again = await cli(dir, ['init']);
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists \(use --force to overwrite it\)/);
    assert.equal((await cli(dir, ['init', '--force'])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-f sarif|junit|markdown|html through the CLI, to stdout and to -o', async () => {
  const dir = workspace({ 'app.yaml': svc('legacy') });
  try {
    const sarif = await cli(dir, [join(dir, 'app.yaml'), '-f', 'sarif']);
    assert.equal(sarif.code, 1);
    assert.equal(JSON.parse(sarif.out).version, '2.1.0');
    const junit = await cli(dir, [join(dir, 'app.yaml'), '-f', 'junit']);
    assert.equal(XMLValidator.validate(junit.out), true);
    const md = await cli(dir, [join(dir, 'app.yaml'), '-f', 'markdown']);
    assert.match(md.out, /^## Dual-stack readiness/);
    assert.match(md.out, /gate \*\*failed\*\*/);
    const html = await cli(dir, [join(dir, 'app.yaml'), '-f', 'html', '-o', join(dir, 'report.html')]);
    assert.equal(html.out, '');
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /^<!doctype html>/);
    const bad = await cli(dir, [join(dir, 'app.yaml'), '-f', 'pdf']);
    assert.equal(bad.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

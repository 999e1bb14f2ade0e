// SARIF: checked against the SARIF 2.1.0 JSON schema with ajv, and with Microsoft's own
// validator (@microsoft/sarif-multitool `validate`): no errors, no warnings. Its notes are
// argued away in docs/formats.md and pinned here, so a new kind of note fails the test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020.js';
import { formatSarif, FINGERPRINT_KEY } from '../../src/report/sarif.ts';
import { docsUrl } from '../../src/rules/types.ts';
import { fixtureReport, asLiveReport } from '../helpers/report-fixture.ts';
import type { Report } from '../../src/engine/types.ts';

const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-2.1.0.json', import.meta.url), 'utf8')) as object;

function schemaValidator(): (data: unknown) => string[] {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const isUri = (s: string): boolean => {
    try {
      return new URL(s).protocol.length > 1;
    } catch {
      return false;
    }
  };
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', (s: string) => {
    try {
      new URL(s, 'file:///base/');
      return !/[\s\\]/.test(s);
    } catch {
      return false;
    }
  });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s));
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const v = ajv.compile(schema);
  return (data) => (v(data) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** Microsoft's validator, run directly (its npm bin goes through a shell, which splits `;`). */
function multitool(): string | undefined {
  try {
    const bin = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** A live report whose read of Pods was forbidden: a not-evaluated notification. */
const unreadReport = (r: Report): Report => {
  const live = asLiveReport(r);
  return { ...live, target: { ...live.target, notEvaluated: [{ kind: 'Pod', apiVersion: 'v1', reason: 'forbidden', message: 'pods is forbidden', rbac: '{apiGroups: [""], resources: ["pods"], verbs: ["list"]}' }] } };
};

test('SARIF matches the SARIF 2.1.0 JSON schema, files, live and live with a kind not evaluated', async () => {
  const validate = schemaValidator();
  const report = await fixtureReport();
  for (const r of [report, asLiveReport(report), unreadReport(report)]) {
    const errors = validate(JSON.parse(formatSarif(r)));
    assert.deepEqual(errors, []);
  }
  // The validator is real: a wrong level and a missing message are caught.
  const bad = JSON.parse(formatSarif(report));
  bad.runs[0].results[0].level = 'fatal';
  delete bad.runs[0].results[1].message;
  assert.equal(validate(bad).length >= 2, true);
});

test('SARIF content: rules with help links, regions, logical locations, suppressions, fingerprints', async () => {
  const report = await fixtureReport();
  const log = JSON.parse(formatSarif(report));
  const run = log.runs[0];
  assert.equal(log.version, '2.1.0');
  const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.deepEqual(ids, report.rules.map((r) => r.id));
  for (const r of run.tool.driver.rules) assert.equal(r.helpUri, docsUrl(r.id));
  assert.equal(run.results.length, report.findings.length);

  const lb = run.results.find((r: { ruleId: string; properties: { resource: string } }) => r.ruleId === 'service-single-stack' && r.properties.resource === 'Service/shop/storefront');
  assert.ok(lb);
  assert.equal(lb.level, 'error');
  assert.equal(ids[lb.ruleIndex], 'service-single-stack');
  const pl = lb.locations[0].physicalLocation;
  assert.deepEqual(pl.artifactLocation, { uri: 'fixtures/reports/shop.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(pl.region, { startLine: 8, startColumn: 3 });
  assert.equal(lb.locations[0].logicalLocations[0].fullyQualifiedName, 'Service/shop/storefront');
  assert.match(lb.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}:1$/);

  const sup = run.results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
  assert.equal(sup.length, 1);
  assert.deepEqual(sup[0].suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'retired in Q3; <not> migrated & never will be' }]);

  const notes = run.invocations[0].toolExecutionNotifications;
  assert.ok(notes.some((n: { level: string; message: { text: string } }) => n.level === 'error' && /invalid YAML/.test(n.message.text)));
  assert.ok(notes.some((n: { descriptor: { id: string } }) => n.descriptor.id === 'unused-suppression'));

  // Live objects have no file: a logical location only.
  const live = JSON.parse(formatSarif(asLiveReport(report))).runs[0];
  for (const r of live.results) {
    assert.equal(r.locations[0].physicalLocation, undefined);
    assert.match(r.locations[0].logicalLocations[0].fullyQualifiedName, /^Service\//);
  }
});

test('SARIF passes Microsoft\'s SARIF validator with no errors or warnings', { timeout: 240_000 }, async (t) => {
  const bin = multitool();
  if (!bin) {
    t.skip('@microsoft/sarif-multitool is not installed for this platform');
    return;
  }
  const report = await fixtureReport();
  const dir = mkdtempSync(join(tmpdir(), 'dsa-sarif-'));
  try {
    const files = { files: join(dir, 'files.sarif'), live: join(dir, 'live.sarif'), unread: join(dir, 'unread.sarif'), broken: join(dir, 'broken.sarif') };
    writeFileSync(files.files, formatSarif(report));
    writeFileSync(files.live, formatSarif(asLiveReport(report)));
    writeFileSync(files.unread, formatSarif(unreadReport(report)));
    const broken = JSON.parse(formatSarif(report));
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    writeFileSync(files.broken, JSON.stringify(broken));
    const out = join(dir, 'validation.sarif');
    const r = spawnSync(bin, ['validate', '--level', 'Error;Warning;Note', '--log', 'ForceOverwrite', '-o', out, files.files, files.live, files.unread, files.broken],
      { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    assert.ok(existsSync(out), `the validator wrote no output: ${r.stdout}\n${r.stderr}`);
    const results = (JSON.parse(readFileSync(out, 'utf8')).runs[0].results ?? []) as {
      ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    const where = (x: (typeof results)[number]): string => x.locations[0]!.physicalLocation.artifactLocation.uri;
    const ours = results.filter((x) => !where(x).endsWith('broken.sarif'));
    const serious = ours.filter((x) => x.level === 'error' || x.level === 'warning');
    assert.deepEqual(serious.map((x) => `${x.ruleId} ${x.level} ${where(x)}`), []);
    // The notes we accept (docs/formats.md says why); anything else is new and needs a look.
    const accepted = new Set(['SARIF2002', 'SARIF2003', 'SARIF2006', 'SARIF2009', 'SARIF2010', 'SARIF2011']);
    assert.deepEqual([...new Set(ours.map((x) => x.ruleId))].filter((id) => !accepted.has(id)), []);
    // The validator does catch a broken log.
    assert.ok(results.some((x) => where(x).endsWith('broken.sarif') && x.level === 'error'), 'the validator must reject startLine 0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SARIF partialFingerprints: unique across files and within a file, stable across moved lines', async () => {
  // Every fixture of the repository at once: the same resources recur in several files.
  const all = await fixtureReport({}, ['fixtures']);
  const results = JSON.parse(formatSarif(all)).runs[0].results as { partialFingerprints: Record<string, string>; locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[];
  assert.ok(results.length > 100, `${results.length} results`);
  const byFp = new Map<string, string[]>();
  for (const r of results) {
    const fp = r.partialFingerprints[FINGERPRINT_KEY]!;
    byFp.set(fp, [...(byFp.get(fp) ?? []), r.locations[0]!.physicalLocation?.artifactLocation.uri ?? '-']);
  }
  assert.deepEqual([...byFp].filter(([, files]) => files.length > 1), [], 'no two results share a fingerprint');
  // The old recipe (the baseline fingerprint alone) did collide across files here.
  assert.ok(new Set(all.findings.map((f) => f.fingerprint)).size < all.findings.length, 'the fixture set has findings that only the file tells apart');

  // The same Service in two files, and twice in one file; then lines move.
  const dir = mkdtempSync(join(tmpdir(), 'dsa-sarif-fp-'));
  try {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n';
    writeFileSync(join(dir, 'a.yaml'), svc);
    writeFileSync(join(dir, 'b.yaml'), `${svc}---\n${svc}`);
    const fps = async (): Promise<Map<string, string[]>> => {
      const r = JSON.parse(formatSarif(await fixtureReport({}, [join(dir, 'a.yaml'), join(dir, 'b.yaml')]))).runs[0].results as typeof results;
      const m = new Map<string, string[]>();
      for (const x of r) {
        const uri = x.locations[0]!.physicalLocation!.artifactLocation.uri.replace(/.*\//, '');
        m.set(uri, [...(m.get(uri) ?? []), x.partialFingerprints[FINGERPRINT_KEY]!]);
      }
      return m;
    };
    const before = await fps();
    const flat = [...before.values()].flat();
    assert.equal(new Set(flat).size, flat.length, 'unique');
    assert.ok(before.get('b.yaml')!.some((f) => f.endsWith(':2')), 'the second copy in one file is numbered');
    writeFileSync(join(dir, 'a.yaml'), `# a comment\n\n${svc}`);
    assert.deepEqual((await fps()).get('a.yaml'), before.get('a.yaml'), 'moved lines keep the fingerprints');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

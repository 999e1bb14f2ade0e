// Property tests: random YAML through the loader, random Service specs through the model and
// every rule, random CIDR strings through emulate/ip. No input may throw, and every load problem
// names a file and a line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from '../helpers/fc.ts';
import jsyaml from 'js-yaml';
import { parseStream } from '../../src/yaml/stream.ts';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import { RULES } from '../../src/rules/index.ts';
import { resolveServiceFamilies } from '../../src/emulate/service-families.ts';
import { parseIP, parseCIDR, parseIPOrCIDR, familyOfIPOrCIDR, nonstandardForms } from '../../src/emulate/ip.ts';
import { classifyCIDR, classifyIP } from '../../src/model/address-ranges.ts';
import type { Family, InputDocument, LoadProblem } from '../../src/model/types.ts';

const FRAGMENTS = [
  'a', 'key', 'kind', 'apiVersion: v1\n', 'kind: Service\n', 'metadata:\n  name: x\n', 'spec:\n', '  ports:\n  - port: 80\n',
  ':', ': ', ' ', '  ', '\n', '\r\n', '\t', '- ', '-', '{', '}', '[', ']', ',', '&a ', '*a', '&b ', '*b', '!tag ', '!!str ', '!!binary ',
  '"', "'", '\\', '#', '# c\n', '|', '|-\n', '>', '---\n', '--- ', '...\n', '%YAML 1.2\n', '%TAG ! x\n', '<<: *a\n', '? ', '\u0000', '\ufeff',
  'é', '😀', '\u2028', '0x1F', '.inf', '~', 'null', 'true', '2020-01-01', '10.0.0.0/8', 'fd00::/64', '"\\u00e9"', "'it''s'",
];
const yamlText = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((a) => a.join(''));

function checkProblems(problems: readonly LoadProblem[]): void {
  for (const p of problems) {
    assert.ok(typeof p.file === 'string' && p.file !== '', `problem without a file: ${JSON.stringify(p)}`);
    assert.ok(typeof p.line === 'number' && Number.isInteger(p.line) && p.line >= 1, `problem without a line: ${JSON.stringify(p)}`);
    assert.ok(!p.message.includes('\n'), `multi-line message: ${JSON.stringify(p.message)}`);
  }
}

test('random YAML text: parseStream never throws and every problem has a file and a line', () => {
  fc.assert(fc.property(yamlText, (text) => {
    const r = parseStream(text, 'random.yaml');
    checkProblems(r.problems);
    const lines = text.split('\n').length;
    for (const p of r.problems) assert.ok(p.line! <= lines + 1, `line ${p.line} past the end (${lines} lines)`);
  }), { numRuns: 2000 });
});

test('random YAML files: load, model and every rule never throw; positions are inside the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-prop-'));
  try {
    await fc.assert(fc.asyncProperty(fc.array(yamlText, { minLength: 1, maxLength: 3 }), async (texts) => {
      const files = texts.map((t, i) => {
        const f = join(dir, `f${i}.yaml`);
        writeFileSync(f, t);
        return f;
      });
      const loaded = await loadPaths(files);
      checkProblems(loaded.problems);
      const model = buildModel(loaded.documents, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
      const report = run(model, RULES, {
        locate: loaded.locator.locate, live: false, resolve: false, tool: { name: 't', version: '0' },
        target: { mode: 'files', sources: files, clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
      });
      for (const f of report.findings) {
        if (!f.location) continue;
        const i = files.findIndex((x) => x.endsWith(f.location!.file));
        if (i >= 0) assert.ok(f.location.line >= 1 && f.location.line <= texts[i]!.split('\n').length, JSON.stringify(f.location));
      }
    }), { numRuns: 150 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- Services ------------------------------------------------------------------------------

const junk = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }));
const ipish = fc.oneof(
  fc.constantFrom('10.0.0.1', '10.96.0.10', 'fd00::1', '2001:db8::5', 'None', '', ' 10.0.0.1', '::ffff:10.0.0.1', '010.0.0.1', 'fe80::1%eth0', '1.2.3.4/32', '2001:db8::/64'),
  fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 10 }),
);
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });
const serviceSpec = fc.record({
  type: maybe(fc.oneof(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', ''), junk)),
  clusterIP: maybe(fc.oneof(ipish, junk)),
  clusterIPs: maybe(fc.oneof(fc.array(ipish, { maxLength: 3 }), junk)),
  ipFamilies: maybe(fc.oneof(fc.array(fc.constantFrom('IPv4', 'IPv6', 'ipv4', 'IPv5', ''), { maxLength: 3 }), junk)),
  ipFamilyPolicy: maybe(fc.oneof(fc.constantFrom('SingleStack', 'PreferDualStack', 'RequireDualStack', 'singlestack', ''), junk)),
  selector: maybe(fc.oneof(fc.dictionary(fc.constantFrom('app', 'tier'), fc.string({ maxLength: 4 }), { maxKeys: 2 }), junk)),
  externalIPs: maybe(fc.oneof(fc.array(ipish, { maxLength: 3 }), junk)),
  loadBalancerSourceRanges: maybe(fc.oneof(fc.array(ipish, { maxLength: 3 }), junk)),
  loadBalancerIP: maybe(ipish),
  externalName: maybe(fc.oneof(fc.domain(), junk)),
  ports: maybe(fc.oneof(fc.array(fc.record({ port: fc.oneof(fc.integer(), junk) }), { maxLength: 2 }), junk)),
}, { requiredKeys: [] });
const clusterFamilies = fc.constantFrom<Family[]>(['IPv4'], ['IPv6'], ['IPv4', 'IPv6'], ['IPv6', 'IPv4']);

test('random Service specs: the family algorithm and every rule never throw, and results are consistent', () => {
  fc.assert(fc.property(fc.array(serviceSpec, { minLength: 1, maxLength: 4 }), clusterFamilies, (specs, families) => {
    const docs: InputDocument[] = specs.map((spec, i) => ({
      source: { file: 'svc.yaml', doc: i },
      object: { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'ns', annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8, fd00::/8,bad' } }, spec: JSON.parse(JSON.stringify(spec)) as unknown },
    }));
    for (const d of docs) {
      const spec = d.object.spec as Record<string, unknown>;
      const r = resolveServiceFamilies({ ...spec, sourceRangesAnnotation: undefined } as Parameters<typeof resolveServiceFamilies>[0], families);
      if (r.ok && spec.type === 'ExternalName') {
        assert.deepEqual(r.ipFamilies, []); // no allocation for ExternalName
      } else if (r.ok) {
        assert.ok(r.ipFamilies.length >= 1 && r.ipFamilies.length <= 2);
        assert.equal(new Set(r.ipFamilies).size, r.ipFamilies.length);
        if (r.ipFamilyPolicy === 'SingleStack') assert.equal(r.ipFamilies.length, 1);
        if (r.ipFamilyPolicy === 'RequireDualStack') assert.equal(r.ipFamilies.length, 2);
        for (const f of r.ipFamilies) assert.ok(f === 'IPv4' || f === 'IPv6');
      } else {
        assert.ok(r.errors.length > 0);
      }
    }
    const model = buildModel(docs, { clusterFamilies: { families, from: 'flag' } });
    run(model, RULES, {
      live: false, resolve: false, tool: { name: 't', version: '0' },
      target: { mode: 'files', sources: ['svc.yaml'], clusterFamilies: [...families], familiesFrom: 'flag' },
    });
  }), { numRuns: 1500 });
});

// ---- CIDR strings ----------------------------------------------------------------------------

const cidrish = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.tuple(fc.ipV4(), fc.integer({ min: -2, max: 40 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: -2, max: 140 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.array(fc.integer({ min: -1, max: 999 }), { minLength: 1, maxLength: 6 }), fc.string({ maxLength: 4 })).map(([n, s]) => `${n.join('.')}${s}`),
  fc.tuple(fc.array(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 6 }), { minLength: 1, maxLength: 10 }), fc.constantFrom('', '/64', '/129', '%eth0', '/ 8', '/08')).map(([h, s]) => `${h.join(':')}${s}`),
  fc.constantFrom('0.0.0.0/0', '::/0', '::ffff:1.2.3.4/128', '1.2.3.4/33', '01.2.3.4/8', '1.2.3.4/', '/8', '::1/-1', 'fd00::/8', '3fff::/20', '2001:db8::/32', '10.0.0.0/8 ', '1e1.0.0.0/8'),
);

test('random CIDR and IP strings: emulate/ip never throws, and what it accepts is well-formed', () => {
  fc.assert(fc.property(cidrish, (s) => {
    const ip = parseIP(s);
    if (ip) {
      assert.ok(ip.family === 'IPv4' || ip.family === 'IPv6');
      assert.equal(ip.bytes.length, ip.family === 'IPv4' ? 4 : 16);
      classifyIP(ip);
    }
    for (const c of [parseCIDR(s), parseCIDR(s, { sloppy: true }), parseIPOrCIDR(s)]) {
      if (!c) continue;
      assert.ok(c.prefix >= 0 && c.prefix <= (c.family === 'IPv4' ? 32 : 128), `${s}: prefix ${c.prefix}`);
      classifyCIDR(c);
    }
    familyOfIPOrCIDR(s);
    nonstandardForms(s);
  }), { numRuns: 5000 });
});

test('random documents dumped by js-yaml come back equal through the loader', () => {
  fc.assert(fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 4 }), (values) => {
    const text = values.map((v) => jsyaml.dump(v)).join('---\n');
    const r = parseStream(text, 'rt.yaml');
    assert.deepEqual(r.problems, []);
    const got = r.documents.map((d) => d.value);
    const want = values.map((v) => JSON.parse(JSON.stringify(v)) as unknown).filter((v) => v !== null);
    // Compared as JSON: -0 and 0 are the same number to Kubernetes (the counterexample [[-0, {}]]).
    assert.equal(JSON.stringify(got.filter((v) => v !== null)), JSON.stringify(want));
  }), { numRuns: 500 });
});

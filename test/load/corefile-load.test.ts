// Corefiles in files: a `Corefile` file becomes a synthetic object whose positions are its own
// lines; a Corefile in a ConfigMap literal block scalar maps its lines to the YAML file's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';

test('a Corefile file found in a directory is read as a Corefile, lines are its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-cf-'));
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'Corefile'), '.:53 {\n  errors\n  forward . 8.8.8.8\n}\n');
    writeFileSync(join(dir, 'node.Corefile'), 'cluster.local {\n  forward . 10.96.0.10\n}\n');
    writeFileSync(join(dir, 'README'), 'not read');
    const loaded = await loadPaths([dir]);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.documents.map((d) => d.object.kind), ['Corefile', 'Corefile']);
    const model = buildModel(loaded.documents);
    assert.deepEqual(model.corefiles.map((c) => [c.ref.name, c.role, c.ref.namespace]), [['node.Corefile', 'file', undefined], ['Corefile', 'file', undefined]]);
    const src = model.corefiles[1]!.source!;
    const loc = loaded.locator.locate(src, ['data', 'Corefile'], 3);
    assert.equal(loc?.line, 3);
    assert.ok(loc?.file.endsWith('sub/Corefile'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Corefile in a ConfigMap literal block scalar: text line N is N lines below the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-cf-'));
  try {
    const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n    .:53 {\n        errors\n\n        template IN AAAA .\n    }\n  other: |-\n    x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: node-local-dns}\ndata: {Corefile: ".:53 {\\n  template IN AAAA .\\n}"}\n';
    writeFileSync(join(dir, 'cm.yaml'), yaml);
    const loaded = await loadPaths([join(dir, 'cm.yaml')]);
    const model = buildModel(loaded.documents);
    assert.deepEqual(model.corefiles.map((c) => c.role), ['cluster-dns', 'node-local-dns']);
    const [a, b] = model.corefiles;
    const tpl = a!.corefile.blocks[0]!.directives[1]!;
    assert.equal(tpl.line, 4);
    assert.equal(loaded.locator.locate(a!.source!, a!.path, tpl.line)?.line, 16, 'the template line of the file');
    assert.equal(loaded.locator.locate(a!.source!, a!.path)?.line, 12, 'without a text line: the key');
    // A flow (quoted) scalar: lines cannot be mapped, the key line is given.
    assert.equal(loaded.locator.locate(b!.source!, b!.path, 2)?.line, 24);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

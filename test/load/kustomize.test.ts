// Kustomize patch files are partial objects, not objects (load/kustomize.ts): not read, named in
// one problem per kustomization. The fixture layout is checked against the real kubectl: what it
// renders is what the problem tells the user to audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { tempDir } from '../helpers/temp.ts';

const root = new URL('../../', import.meta.url).pathname;
const FIXTURE = join(root, 'fixtures/kustomize');
const bin = join(root, 'bin/dualstack-audit.js');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const SVC = (name: string, spec = '  ipFamilyPolicy: PreferDualStack\n'): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const PATCH = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n';

function layout(files: Record<string, string>): string {
  const dir = tempDir('dsa-kustomize-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const names = (docs: readonly { source?: { file: string } }[]): string[] => [...new Set(docs.map((d) => d.source!.file.replace(/^.*?kustomize[^/]*\//, '')))].sort();

test('the fixture: patches are not read; one problem per kustomization, at its first patch, naming the command that renders it', async () => {
  const { documents, problems } = await loadPaths([FIXTURE]);
  assert.deepEqual(names(documents), [
    'base/deployment.yaml', 'base/kustomization.yaml', 'base/service.yaml',
    'components/ipv6/kustomization.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/settings.yaml',
  ]);
  assert.deepEqual(problems.map((p) => [p.file!.slice(p.file!.indexOf('kustomize/')), p.line, p.column, p.fatal]), [
    ['kustomize/components/ipv6/kustomization.yaml', 4, 11, false],
    ['kustomize/overlays/prod/kustomization.yaml', 10, 11, false],
  ]);
  assert.match(problems[0]!.message, /^1 kustomize patch not audited as object \(families\.yaml\): .* use this component; .*kubectl kustomize OVERLAY \| dualstack-audit -$/);
  // The inline JSON patch (`patch: |-`) names no file; the files under patches, patchesJson6902 and patchesStrategicMerge do.
  assert.match(problems[1]!.message, /^3 kustomize patches not audited as objects \(service-patch\.yaml, port-patch\.yaml, env\.yaml\): .*: kubectl kustomize \S*fixtures\/kustomize\/overlays\/prod \| dualstack-audit -$/);
  // No duplicate-object problem: the base's objects are defined once.
  assert.ok(!problems.some((p) => /defined (twice|\d+ times)/.test(p.message)));
});

test('the fixture through the CLI: no finding from a patch, exit 0; the rendered overlay (real kubectl) is audited whole', { skip: hasKubectl ? false : 'kubectl is not installed' }, () => {
  const files = spawnSync(process.execPath, [bin, FIXTURE, '-f', 'json'], { encoding: 'utf8' });
  assert.equal(files.status, 0, files.stderr);
  const report = JSON.parse(files.stdout) as { findings: { ruleId: string }[]; problems: { message: string }[] };
  assert.deepEqual(report.findings.map((f) => f.ruleId), []);
  assert.equal(report.problems.length, 2);

  // Before: the Service patch (no ipFamilyPolicy of its own) was a SingleStack LoadBalancer, a high finding.
  const patchAlone = spawnSync(process.execPath, [bin, join(FIXTURE, 'overlays/prod/service-patch.yaml'), join(FIXTURE, 'base'), '-f', 'json'], { encoding: 'utf8' });
  assert.equal(patchAlone.status, 0, patchAlone.stderr);
  assert.ok(!(JSON.parse(patchAlone.stdout) as { findings: { ruleId: string }[] }).findings.some((f) => f.ruleId === 'service-single-stack'));

  const rendered = spawnSync('kubectl', ['kustomize', join(FIXTURE, 'overlays/prod')], { encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  const applied = spawnSync(process.execPath, [bin, '-', '-f', 'json', '--fail-on', 'never'], { encoding: 'utf8', input: rendered.stdout });
  assert.equal(applied.status, 0, applied.stderr);
  const r = JSON.parse(applied.stdout) as { findings: { ruleId: string; resource: { kind: string; namespace: string; name: string } }[]; problems: unknown[] };
  // The overlay's env patch binds 0.0.0.0: found once the overlay is rendered; the merged Service is dual-stack.
  assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`), ['workload-ipv4-wildcard-bind Deployment/prod/web']);
  assert.deepEqual(r.problems, []);
});

test('a patch given on its own is named by the kustomization beside it', async () => {
  const dir = layout({ 'app/kustomization.yaml': 'resources: [svc.yaml]\npatches:\n  - path: patch.yaml\n', 'app/svc.yaml': SVC('web'), 'app/patch.yaml': PATCH });
  const { documents, problems, stats } = await loadPaths([join(dir, 'app/patch.yaml')]);
  assert.equal(documents.length, 0);
  assert.equal(stats.files, 0);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /^1 kustomize patch not audited as object \(patch\.yaml\)/);
  assert.equal(problems[0]!.line, 3);
});

test('a patch in another directory (../), a `Kustomization` file without extension, and more than five patches', async () => {
  const patches = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`patches/p${i}.yaml`, PATCH]));
  const list = [1, 2, 3, 4, 5, 6, 7].map((i) => `  - ../patches/p${i}.yaml\n`).join('');
  const dir = layout({ ...patches, 'overlay/Kustomization': `resources: [../base]\npatchesStrategicMerge:\n${list}`, 'base/svc.yaml': SVC('web') });
  const { documents, problems } = await loadPaths([dir]);
  assert.deepEqual(names(documents), ['base/svc.yaml']);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /^7 kustomize patches not audited as objects \(\.\.\/patches\/p1\.yaml, .*, \.\.\/patches\/p5\.yaml and 2 more\)/);
  assert.equal(problems[0]!.file!.endsWith('overlay/Kustomization'), true);
});

test('what is not a patch file is read: a file another kustomization lists as a resource, inline patches, URLs, an invalid kustomization', async () => {
  const dir = layout({
    // shared.yaml is a resource of `a` and a patch of `b`: an object.
    'a/kustomization.yaml': 'resources:\n  - ../shared.yaml\n  - https://example.com/x.yaml\n',
    'b/kustomization.yaml': 'patches:\n  - path: ../shared.yaml\npatchesStrategicMerge:\n  - |-\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\n',
    'shared.yaml': SVC('shared'),
    // Not YAML: reported where it is read as a manifest, and names no patch.
    'c/kustomization.yaml': 'patches: [\n',
    'c/patch.yaml': PATCH,
  });
  const { documents, problems } = await loadPaths([dir]);
  // (The kustomizations here have no apiVersion/kind: skipped as documents, as kustomize's defaults allow.)
  assert.deepEqual(names(documents), ['c/patch.yaml', 'shared.yaml']);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.ok(problems[0]!.fatal, 'the invalid kustomization.yaml is a parse problem of its own');
  assert.match(problems[0]!.file!, /c\/kustomization\.yaml$/);
});

test('the search for a kustomization above a patch given on its own stops at the repository root (.git)', async () => {
  const dir = layout({ 'kustomization.yaml': 'patches:\n  - path: repo/app/patch.yaml\n  - path: other/patch.yaml\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/app/patch.yaml': PATCH, 'other/patch.yaml': PATCH });
  const inRepo = await loadPaths([join(dir, 'repo/app/patch.yaml')]);
  assert.equal(inRepo.documents.length, 1, 'the kustomization above the repository is not consulted');
  assert.deepEqual(inRepo.problems, []);
  // The repository's root given as the directory to audit: the search starts there and stops.
  const cwd = process.cwd();
  try {
    process.chdir(join(dir, 'repo'));
    const root = await loadPaths(['.']);
    assert.equal(root.documents.length, 1);
    assert.deepEqual(root.problems, []);
  } finally {
    process.chdir(cwd);
  }
  const outside = await loadPaths([join(dir, 'other/patch.yaml')]);
  assert.equal(outside.documents.length, 0);
  assert.equal(outside.problems.length, 1);
});

test('--exclude leaves out an overlay: neither its kustomization nor its patches are read, and no problem names them', async () => {
  const { documents, problems } = await loadPaths([FIXTURE], { exclude: ['overlays/**', 'components/**'] });
  assert.deepEqual(names(documents), ['base/deployment.yaml', 'base/kustomization.yaml', 'base/service.yaml']);
  assert.deepEqual(problems, []);
});

// The pre-commit hook, installed and run by the real pre-commit (Debian's, from .ci/run) through
// `pre-commit try-repo` on a temporary git repository, offline: a `language: system` hook needs
// only the dualstack-audit on PATH (here the built bin/dualstack-audit.js; npm run build first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const havePreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const built = existsSync(join(root, 'dist/bundle/cli.js'));

const SINGLE = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n';
const DUAL = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancer\n  ipFamilyPolicy: PreferDualStack\n  ports: [{port: 443}]\n';

test('pre-commit try-repo: the hook installs offline, fails a commit with a single-stack Service and passes the fix', {
  skip: !havePreCommit ? 'pre-commit is not installed (apt-get install pre-commit; .ci/run does)' : !built ? 'run npm run build first' : false,
  timeout: 300_000,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-pre-commit-'));
  try {
    const repo = join(dir, 'repo');
    const bin = join(dir, 'bin');
    mkdirSync(join(repo, 'k8s'), { recursive: true });
    mkdirSync(bin);
    symlinkSync(join(root, 'bin/dualstack-audit.js'), join(bin, 'dualstack-audit'));
    const env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: dir, PRE_COMMIT_HOME: join(dir, 'cache'),
      GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1',
      // No network: any registry or remote access would fail fast.
      npm_config_offline: 'true', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9',
    };
    const git = (...a: string[]) => spawnSync('git', a, { cwd: repo, env, encoding: 'utf8' });
    assert.equal(git('init', '-q').status, 0);
    writeFileSync(join(repo, 'k8s/web.yaml'), SINGLE);
    writeFileSync(join(repo, 'values.yaml'), 'replicas: 2\n');
    writeFileSync(join(repo, 'README.md'), 'not audited\n');
    git('add', '.');
    const tryRepo = () => spawnSync('pre-commit', ['try-repo', root, 'dualstack-audit', '--all-files', '--verbose'], { cwd: repo, env, encoding: 'utf8', timeout: 240_000 });

    const bad = tryRepo();
    const out = bad.stdout + bad.stderr;
    assert.equal(bad.status, 1, out);
    assert.match(out, /dualstack-audit\.+Failed/);
    assert.match(out, /k8s\/web\.yaml/);
    assert.match(out, /service-single-stack/);
    // values.yaml is passed and skipped (no Kubernetes object); README.md is not passed.
    assert.match(out, / 2 files, 1 resource, 1 non-Kubernetes document skipped/);

    writeFileSync(join(repo, 'k8s/web.yaml'), DUAL);
    git('add', '.');
    const good = tryRepo();
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /dualstack-audit\.+Passed/);

    // A commit that changes only files without objects to audit: Helm values, and a kustomize
    // patch (a single-stack-looking Service that its overlay merges into a dual-stack base).
    mkdirSync(join(repo, 'overlay'));
    writeFileSync(join(repo, 'overlay/kustomization.yaml'), 'resources: [../k8s/web.yaml]\npatches:\n  - path: patch.yaml\n');
    writeFileSync(join(repo, 'overlay/patch.yaml'), SINGLE);
    git('add', '.');
    const some = spawnSync('pre-commit', ['try-repo', root, 'dualstack-audit', '--files', 'values.yaml', 'overlay/patch.yaml', '--verbose'], { cwd: repo, env, encoding: 'utf8', timeout: 240_000 });
    const someOut = some.stdout + some.stderr;
    assert.equal(some.status, 0, someOut);
    assert.match(someOut, /dualstack-audit\.+Passed/);
    assert.match(someOut, /1 kustomize patch not audited as object \(patch\.yaml\)/);
    assert.match(someOut, /Gate passed \(--allow-empty\): nothing to audit: no Kubernetes objects in the input \(1 file read, 1 document without apiVersion\/kind skipped\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

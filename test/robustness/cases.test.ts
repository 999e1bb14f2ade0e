// Hostile and unusual inputs, end to end through main() with an injected io (and, for the
// unreadable file, with the effective uid of an unprivileged user). Every case: the run does not crash,
// the bad input gets one clear one-line problem naming its file and line, and the good file next
// to it is still audited. docs/robustness.md lists these cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, statSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.ts';
import type { Report } from '../../src/engine/types.ts';


/** A LoadBalancer Service that is single-stack by default: service-single-stack reports it. */
const svc = (name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  type: LoadBalancer\n  selector:\n    app: ${name}\n  ports:\n  - port: 443\n`;

interface Run { code: number; report: Report; err: string; ms: number }

async function audit(cwd: string, args: string[]): Promise<Run> {
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
  const t0 = performance.now();
  const code = await main(['node', 'dualstack-audit', '-f', 'json', '--fail-on', 'never', ...args], io);
  const ms = performance.now() - t0;
  assert.equal(code, 0, `exit ${code}: ${err}`);
  return { code, report: JSON.parse(out) as Report, err, ms };
}

/** A directory with good.yaml (one Service) plus whatever the case writes. */
async function withCase(setup: (dir: string) => void, check: (r: Run, dir: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-robust-'));
  try {
    writeFileSync(join(dir, 'good.yaml'), svc('good'));
    setup(dir);
    const r = await audit(dir, [dir]);
    // Every problem names a file and a line, on one line.
    for (const p of r.report.problems) {
      assert.ok(p.file, `problem without a file: ${JSON.stringify(p)}`);
      assert.ok(typeof p.line === 'number' && p.line >= 1, `problem without a line: ${JSON.stringify(p)}`);
      assert.ok(!p.message.includes('\n'), `multi-line message: ${p.message}`);
    }
    // The rest of the input is audited.
    assert.ok(r.report.findings.some((f) => f.resource.name === 'good' && f.ruleId === 'service-single-stack'), 'good.yaml was not audited');
    check(r, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const problemFor = (r: Run, name: string): Report['problems'][number] => {
  const p = r.report.problems.find((x) => x.file?.endsWith(name));
  assert.ok(p, `no problem for ${name}: ${JSON.stringify(r.report.problems)}`);
  return p;
};
const lineOf = (r: Run, name: string, rule = 'service-single-stack'): number | undefined =>
  r.report.findings.find((f) => f.resource.name === name && f.ruleId === rule)?.location?.line;

test('a binary file is skipped with a message', () => withCase(
  (d) => writeFileSync(join(d, 'bin.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0xff])),
  (r) => {
    const p = problemFor(r, 'bin.yaml');
    assert.match(p.message, /binary file/);
    assert.equal(p.line, 1);
  },
));

test('invalid UTF-8, a recursive alias and a broken symbolic link are problems', () => withCase(
  (d) => {
    writeFileSync(join(d, 'latin1.yaml'), Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'));
    writeFileSync(join(d, 'cycle.yaml'), `${svc('before-cycle')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cycle\ndata: &x\n  self: *x\n`);
    symlinkSync('missing.yaml', join(d, 'broken.yaml'));
  },
  (r) => {
    assert.match(problemFor(r, 'latin1.yaml').message, /not valid UTF-8/);
    const cycle = problemFor(r, 'cycle.yaml');
    assert.match(cycle.message, /deeper than|ancestor/);
    assert.equal(cycle.line, 13);
    assert.ok(lineOf(r, 'before-cycle'));
    assert.match(problemFor(r, 'broken.yaml').message, /broken symbolic link/);
  },
));

test('an empty file and a file of comments only are not problems', () => withCase(
  (d) => {
    writeFileSync(join(d, 'empty.yaml'), '');
    writeFileSync(join(d, 'comments.yaml'), '# nothing\n---\n# here\n...\n');
  },
  (r) => assert.deepEqual(r.report.problems, []),
));

test('UTF-16 (both byte orders, with a BOM) and UTF-8 with a BOM are read, with the right lines', () => withCase(
  (d) => {
    const le = Buffer.from(`# utf-16le\n${svc('le')}`, 'utf16le');
    writeFileSync(join(d, 'le.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), le]));
    const be = Buffer.from(`# utf-16be\n${svc('be')}`, 'utf16le').swap16();
    writeFileSync(join(d, 'be.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    writeFileSync(join(d, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`# bom\n${svc('bom')}`)]));
    writeFileSync(join(d, 'nobom16.yaml'), Buffer.from(svc('nobom16'), 'utf16le'));
  },
  (r) => {
    // spec.type is on line 8 of each (a comment line, then the Service).
    for (const n of ['le', 'be', 'bom']) assert.equal(lineOf(r, n), 8, n);
    // UTF-16 without a BOM is recognised by its zero bytes.
    assert.equal(lineOf(r, 'nobom16'), 7);
  },
));

test('CRLF line ends give the same positions as LF', () => withCase(
  (d) => {
    const text = `# crlf\n${svc('one')}---\n\n${svc('two')}`;
    writeFileSync(join(d, 'lf.yaml'), text.replace(/name: (one|two)/g, 'name: lf-$1'));
    writeFileSync(join(d, 'crlf.yaml'), text.replace(/name: (one|two)/g, 'name: crlf-$1').replace(/\n/g, '\r\n'));
  },
  (r) => {
    const lf = r.report.findings.filter((f) => f.resource.name.startsWith('lf-')).map((f) => `${f.ruleId} ${f.resource.name.slice(3)} ${f.location?.line}:${f.location?.column}`).sort();
    const crlf = r.report.findings.filter((f) => f.resource.name.startsWith('crlf-')).map((f) => `${f.ruleId} ${f.resource.name.slice(5)} ${f.location?.line}:${f.location?.column}`).sort();
    assert.ok(lf.length >= 2);
    assert.deepEqual(crlf, lf);
    assert.equal(lineOf(r, 'crlf-two'), 21);
  },
));

test('a 50 MB file is read and audited', () => withCase(
  (d) => {
    const fd = openSync(join(d, 'big.yaml'), 'w');
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n');
    const line = `    ${'x'.repeat(95)}\n`;
    const block = line.repeat(10_000);
    for (let i = 0; i < 52; i++) writeSync(fd, block);
    writeSync(fd, `---\n${svc('after-big')}`);
    closeSync(fd);
  },
  (r) => {
    assert.deepEqual(r.report.problems, []);
    assert.equal(lineOf(r, 'after-big'), 520_007 + 7);
  },
));

test('a 10,000-document file is audited with exact lines at its end', () => withCase(
  (d) => {
    const docs: string[] = [];
    for (let i = 0; i < 10_000; i++) docs.push(svc(`s${i}`));
    writeFileSync(join(d, 'many.yaml'), docs.join('---\n'));
  },
  (r) => {
    assert.equal(r.report.findings.filter((f) => f.ruleId === 'service-single-stack').length, 10_001);
    // 12 lines per document (11 + the marker): document i starts on line 12 i + 1.
    assert.equal(lineOf(r, 's9999'), 12 * 9999 + 7);
  },
));

test('deep nesting (flow and block) is a problem for that document only', () => withCase(
  (d) => {
    writeFileSync(join(d, 'flow.yaml'), `${svc('before-flow')}---\nkey: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';
    for (let i = 1; i <= 1500; i++) block += `${' '.repeat(i)}k:\n`;
    writeFileSync(join(d, 'block.yaml'), `${block}${' '.repeat(1501)}v\n`);
  },
  (r) => {
    const flow = problemFor(r, 'flow.yaml');
    assert.match(flow.message, /nested too deeply|deeper than/);
    assert.equal(flow.line, 13);
    assert.ok(lineOf(r, 'before-flow'));
    const block = problemFor(r, 'block.yaml');
    assert.match(block.message, /nested too deeply|deeper than/);
    // The line where the nesting passes the limit (js-yaml's maxDepth, 100 levels).
    assert.equal(block.line, 104);
  },
));

test('a billion-laughs alias bomb stops fast', () => withCase(
  (d) => {
    let y = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i <= 9; i++) y += `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    writeFileSync(join(d, 'lol.yaml'), `${y}---\n${svc('after-lol')}`);
  },
  (r) => {
    const p = problemFor(r, 'lol.yaml');
    assert.match(p.message, /alias/);
    assert.equal(p.line, 1);
    assert.ok(lineOf(r, 'after-lol'));
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
  },
));

test('duplicate keys and tab indentation are problems at their line', () => withCase(
  (d) => {
    writeFileSync(join(d, 'dup.yaml'), `${svc('ok-dup')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: dup\n  name: dup2\n`);
    writeFileSync(join(d, 'tabs.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: tabbed\n');
  },
  (r) => {
    const dup = problemFor(r, 'dup.yaml');
    assert.match(dup.message, /duplicat/);
    assert.equal(dup.line, 17);
    assert.ok(lineOf(r, 'ok-dup'));
    const tabs = problemFor(r, 'tabs.yaml');
    assert.match(tabs.message, /tab/i);
    assert.equal(tabs.line, 4);
  },
));

test('symbolic link loops end the walk with a message', () => withCase(
  (d) => {
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'inner.yaml'), svc('inner'));
    symlinkSync('..', join(d, 'sub', 'up'));
    symlinkSync('self.yaml', join(d, 'self.yaml'));
    symlinkSync('b.yaml', join(d, 'a.yaml'));
    symlinkSync('a.yaml', join(d, 'b.yaml'));
  },
  (r) => {
    assert.match(problemFor(r, 'self.yaml').message, /symbolic link loop/);
    assert.match(problemFor(r, 'a.yaml').message, /symbolic link loop/);
    // The directory reached again through sub/up is not read twice.
    assert.equal(r.report.findings.filter((f) => f.resource.name === 'inner' && f.ruleId === 'service-single-stack').length, 1);
    assert.equal(r.report.findings.filter((f) => f.resource.name === 'good' && f.ruleId === 'service-single-stack').length, 1);
  },
));

test('a FIFO is skipped without blocking, in a directory and given by name', () => withCase(
  (d) => {
    const r = spawnSync('mkfifo', [join(d, 'pipe.yaml')]);
    assert.equal(r.status, 0, 'mkfifo failed');
  },
  async () => {
    // (the directory walk already ran in withCase)
  },
).then(async () => {
  const d = mkdtempSync(join(tmpdir(), 'dsa-fifo-'));
  try {
    spawnSync('mkfifo', [join(d, 'pipe.yaml')]);
    writeFileSync(join(d, 'good.yaml'), svc('good'));
    const r = await audit(d, [join(d, 'pipe.yaml'), join(d, 'good.yaml')]);
    const p = problemFor(r, 'pipe.yaml');
    assert.match(p.message, /not a regular file \(a FIFO\)/);
    assert.ok(lineOf(r, 'good'));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}));

test('an unreadable file (chmod 000) is a problem; as root, checked as an unprivileged user', async () => {
  const d = mkdtempSync(join(tmpdir(), 'dsa-perm-'));
  try {
    chmodSync(d, 0o755);
    writeFileSync(join(d, 'good.yaml'), svc('good'));
    writeFileSync(join(d, 'secret.yaml'), svc('secret'));
    chmodSync(join(d, 'secret.yaml'), 0o000);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      const r = await audit(d, [d]);
      assert.match(problemFor(r, 'secret.yaml').message, /cannot read: permission denied/);
      assert.ok(lineOf(r, 'good'));
      return;
    }
    // Root reads any file whatever its mode, so the run would read it: run it in-process with the
    // effective uid of nobody (65534), where permission checks apply, and back to root after. Not
    // a child process as nobody: that one had to load the checkout's modules, and failed with
    // ERR_MODULE_NOT_FOUND in a clone under a directory nobody cannot enter (mktemp -d is 700).
    // A first run as root loads every module the audit imports lazily, for the same reason.
    await audit(d, [join(d, 'good.yaml')]);
    // nobody must be able to reach the directory: the test run's private TMPDIR is mode 700.
    const parent = tmpdir();
    const parentMode = statSync(parent).mode & 0o7777;
    chmodSync(parent, parentMode | 0o111);
    let r: Run;
    process.seteuid!(65534);
    try {
      r = await audit(d, [d]);
    } finally {
      process.seteuid!(0);
      chmodSync(parent, parentMode);
    }
    const p = problemFor(r, 'secret.yaml');
    assert.match(p.message, /cannot read: permission denied/);
    assert.equal(p.line, 1);
    assert.ok(lineOf(r, 'good'));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

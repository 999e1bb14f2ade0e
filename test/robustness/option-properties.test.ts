// Property test (issue 20): random bytes and random YAML fed to EVERY file-taking input — manifest
// paths, stdin, -c, --baseline, --cloud-armor, --kubeconfig and plan --against — never crash,
// hang or flood the run: the CLI returns 0, 1 or 2, never an internal error or a stack trace; an
// exit 2 comes with exactly one line on stderr; input that cannot be text (bytes that are neither
// UTF-8 nor UTF-16, with a NUL) is always exit 2. Bounded by a generous timeout per run (a hang
// fails the test), never by a measured duration. No network: kubeconfig texts never name a server.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from '../helpers/fc.ts';
import { main, type CliIO } from '../../src/cli/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsa-optprop-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const good = join(dir, 'good.yaml');
writeFileSync(good, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: good\n  namespace: shop\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: a}\n  ports:\n  - port: 80\n');
const input = join(dir, 'input');

const FRAGMENTS = [
  'apiVersion: v1\n', 'kind: Config\n', 'kind: Service\n', 'kind: compute#securityPolicy\n', 'metadata:\n  name: x\n', 'rules:\n', '- ', 'version: 1\n',
  'findings:\n', 'exemptions:\n', 'contexts:\n', 'clusters:\n', 'users:\n', 'current-context: x\n', 'failOn: high\n', 'minScore: 5\n',
  ':', ': ', ' ', '  ', '\n', '\r\n', '\r', '\t', '{', '}', '[', ']', ',', '&a ', '*a', '!tag ', '"', "'", '#', '|', '>', '---\n', '...\n',
  '%YAML 1.2\n', '? ', '{{x}}: ', '~: ', '\u0000', '\ufeff', 'é', '😀', '\u001b[2J', '\u0007', '\n::error::x\n', '.inf', 'null', '5', '[1, 2]',
  '{"a": 1}', '{"b": [', 'srcIpRanges: ["*"]\n', 'priority: 1\n',
];
const yamlText = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 40 }).map((a) => Buffer.from(a.join('')));
const randomBytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
/** Not text in any encoding the reader takes: an invalid UTF-8 byte and a NUL, no BOM. */
const notText = fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.concat([Buffer.from([0x80, 0x00, 0xc3]), Buffer.from(b)]));

type Where = { name: string; args: (f: string) => string[]; stdin?: boolean };
const WHERE: Where[] = [
  { name: 'a manifest path', args: (f) => ['-f', 'json', f] },
  { name: 'stdin', args: () => ['-f', 'json', '-'], stdin: true },
  { name: '-c', args: (f) => ['-c', f, good] },
  { name: '--baseline', args: (f) => ['--baseline', f, good] },
  { name: '--cloud-armor', args: (f) => ['--cloud-armor', f, good] },
  { name: '--kubeconfig', args: (f) => ['--kubeconfig', f, '--request-timeout', '1s'] },
  { name: 'plan --against', args: (f) => ['plan', good, '--against', f] },
];

const BOUND_MS = 120_000;

async function run(args: string[], stdin: Buffer): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIO = {
    stdout: () => {}, stderr: (s) => { err += s; }, readStdin: async () => stdin, env: {}, stdoutIsTTY: false, cwd: dir,
  };
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`no answer within ${BOUND_MS} ms: ${args.join(' ')}`)), BOUND_MS); });
  try {
    const code = await Promise.race([main(['node', 'dualstack-audit', ...args], io), bound]);
    return { code, err };
  } finally {
    clearTimeout(timer);
  }
}

for (const w of WHERE) {
  test(`random bytes and YAML to ${w.name}: 0, 1 or 2, never a crash; exit 2 is one line`, { timeout: 20 * BOUND_MS }, async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(yamlText, randomBytes, notText), async (bytes) => {
      if (!w.stdin) writeFileSync(input, bytes);
      const r = await run(w.args(input), w.stdin ? bytes : Buffer.alloc(0));
      assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}`);
      assert.doesNotMatch(r.err, /internal error|\n\s+at .*:\d+:\d+/, r.err);
      if (r.code === 2) {
        const lines = r.err.trimEnd().split('\n');
        assert.equal(lines.length, 1, `not one line: ${JSON.stringify(r.err)}`);
        assert.match(lines[0]!, /^dualstack-audit: /);
      }
    }), { numRuns: 30 });
  });

  test(`bytes that are not text to ${w.name}: exit 2 with one line`, { timeout: 20 * BOUND_MS }, async () => {
    await fc.assert(fc.asyncProperty(notText, async (bytes) => {
      if (!w.stdin) writeFileSync(input, bytes);
      const r = await run(w.args(input), w.stdin ? bytes : Buffer.alloc(0));
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    }), { numRuns: 5 });
  });
}

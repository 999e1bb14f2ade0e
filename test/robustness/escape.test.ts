// Output escaping (issue 20): names and file names holding terminal sequences (ESC, OSC, BEL),
// line breaks and "\n::error::" reach no output raw: the text report shows them escaped, no line
// of any format is a GitHub Actions workflow command, JSON and SARIF keep the exact value.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.ts';
import { escapeControls, guardWorkflowCommands } from '../../src/report/escape.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsa-escape-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const evil = 'web\u001b[2J\u001b]0;pwned\u0007\r\n::error file=x::injected\u202e';
// A file name with an ESC sequence and a line break too (both are legal in Linux file names).
const fileName = 'svc\u001b[31m\n::warning::x.yaml';
writeFileSync(join(dir, fileName), `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${JSON.stringify(evil)}\n  namespace: shop\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 443\n`);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: dir };
  return { code: await main(['node', 'dualstack-audit', '--fail-on', 'never', ...args], io), out, err };
}

const noCommand = (text: string, what: string): void => {
  for (const line of text.split(/\r\n|\r|\n/)) assert.doesNotMatch(line, /^\s*::[A-Za-z][\w-]*[ :]/, `${what}: a workflow command line: ${JSON.stringify(line)}`);
};

for (const format of ['text', 'markdown', 'junit', 'html']) {
  test(`-f ${format}: no raw control characters, no workflow command`, async () => {
    const r = await run(['-f', format, '--verbose', '--color', 'never', dir]);
    assert.equal(r.code, 0, r.err);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.out, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202e]/, 'a raw control character');
    noCommand(r.out, format);
    noCommand(r.err, `${format} stderr`);
    if (format === 'text') {
      assert.ok(r.out.includes('web\\x1b[2J\\x1b]0;pwned\\a\\r\\n::error file=x::injected\\u202e'), 'the name is shown escaped');
      assert.ok(r.out.includes('svc\\x1b[31m\\n::warning::x.yaml'), 'the file name is shown escaped');
    }
  });
}

for (const format of ['json', 'sarif']) {
  test(`-f ${format}: the exact value, JSON-escaped`, async () => {
    const r = await run(['-f', format, dir]);
    assert.equal(r.code, 0, r.err);
    noCommand(r.out, format);
    assert.ok(JSON.stringify(JSON.parse(r.out)).includes(JSON.stringify(evil).slice(1, -1)));
  });
}

test('a usage error naming a hostile file is one escaped line', async () => {
  const r = await run(['-c', 'nope\u001b[2J\n::error::x.yaml', dir]);
  assert.equal(r.code, 2);
  assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  assert.ok(r.err.includes('nope\\x1b[2J\\n::error::x.yaml'));
});

test('escapeControls and guardWorkflowCommands', () => {
  assert.equal(escapeControls('a\tb'), 'a\tb');
  assert.equal(escapeControls('a\u0000\u009b\u2028'), 'a\\x00\\x9b\\u2028');
  assert.equal(guardWorkflowCommands('ok\n  ::error::x\n::set-output name=a::b\n::1 is an address\n'), 'ok\n  \\x3a:error::x\n\\x3a:set-output name=a::b\n::1 is an address\n');
});

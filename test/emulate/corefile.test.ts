import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile, tokenize, parseServerKey, zoneCovers, normalizeZone } from '../../src/emulate/corefile.ts';

test('tokenizer: comments, quotes across lines, escaped quotes, braces as whole tokens only', () => {
  const { tokens, problems } = tokenize('a "b c" # comment {\n"d\\"e\nf" {$ENV} }x\n');
  assert.deepEqual(tokens.map((t) => [t.text, t.line, t.quoted, t.env]), [
    ['a', 1, false, false], ['b c', 1, true, false], ['d"e\nf', 2, true, false], ['{$ENV}', 3, false, true], ['}x', 3, false, false],
  ]);
  assert.deepEqual(problems, []);
  assert.equal(tokenize('"open').problems[0]?.message, 'unterminated quoted string');
});

test('kubeadm-style Corefile: one server block, directive lines, nested blocks', () => {
  const cf = parseCorefile(`.:53 {
    errors
    health {
       lameduck 5s
    }
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
}
`);
  assert.deepEqual(cf.problems, []);
  assert.equal(cf.blocks.length, 1);
  const b = cf.blocks[0]!;
  assert.deepEqual(b.keys.map((k) => [k.zone, k.port]), [['.', '53']]);
  assert.deepEqual(b.directives.map((d) => [d.name, d.line, d.args.length]), [['errors', 2, 0], ['health', 3, 0], ['kubernetes', 6, 3], ['forward', 10, 2]]);
  const k = b.directives[2]!;
  assert.deepEqual(k.block?.map((d) => [d.name, d.args, d.line]), [['pods', ['insecure'], 7], ['fallthrough', ['in-addr.arpa', 'ip6.arpa'], 8]]);
});

test('several server blocks, several keys, commas, schemes, CIDR keys', () => {
  const cf = parseCorefile('cluster.local:53 in-addr.arpa, ip6.arpa {\n  forward . 10.0.0.10\n}\ntls://example.org:853 10.0.0.0/8 fd00::/8 {\n whoami\n}\n');
  assert.deepEqual(cf.problems, []);
  assert.deepEqual(cf.blocks.map((b) => b.keys.map((k) => k.zone)), [['cluster.local', 'in-addr.arpa', 'ip6.arpa'], ['example.org', '10.in-addr.arpa', 'd.f.ip6.arpa']]);
  assert.equal(cf.blocks[1]!.keys[0]!.scheme, 'tls');
  assert.equal(cf.blocks[1]!.keys[0]!.port, '853');
  assert.equal(cf.blocks[1]!.line, 4);
});

test('snippets are pasted by import with their own lines; file imports are recorded', () => {
  const cf = parseCorefile('(common) {\n  errors\n  cache 30\n}\n.:53 {\n  import common\n  import /etc/coredns/custom/*.override\n}\n');
  assert.deepEqual(cf.blocks[0]!.directives.map((d) => [d.name, d.line, d.fromSnippet]), [['errors', 2, 'common'], ['cache', 3, 'common'], ['import', 7, undefined]]);
  assert.deepEqual(cf.imports, [{ target: '/etc/coredns/custom/*.override', line: 7 }]);
});

test('placeholders of templates are flagged, never thrown on (coredns.yaml.sed, node-local-dns)', () => {
  const cf = parseCorefile('.:53 {\n  kubernetes CLUSTER_DOMAIN REVERSE_CIDRS {\n    fallthrough in-addr.arpa ip6.arpa\n  }\n  forward . __PILLAR__UPSTREAM__SERVERS__\n}STUBDOMAINS\n');
  const [k, f] = cf.blocks[0]!.directives;
  assert.equal(k!.placeholder, true);
  assert.equal(f!.placeholder, true);
  assert.deepEqual(cf.problems, [{ line: 6, message: 'unexpected "STUBDOMAINS" after "}"' }]);
});

test('broken Corefiles give problems with lines and never throw', () => {
  assert.deepEqual(parseCorefile('.:53 {\n  errors\n').problems, [{ line: 1, message: 'unclosed "{"' }]);
  assert.deepEqual(parseCorefile('}\n').problems, [{ line: 1, message: 'unexpected "}"' }]);
  const nobrace = parseCorefile('.:53\nerrors\nforward . 1.1.1.1\n');
  assert.equal(nobrace.blocks.length, 1, 'a single server block may omit braces');
  assert.deepEqual(nobrace.blocks[0]!.directives.map((d) => d.name), ['errors', 'forward']);
  for (const t of ['', '{', '{{{', '"', '.:53 { a { b { c', '} } }', '(x) {', 'import', '.:53 {\nimport\n}']) {
    assert.doesNotThrow(() => parseCorefile(t));
  }
});

test('server keys and zones', () => {
  assert.deepEqual(parseServerKey('dns://.:1053', 1), { raw: 'dns://.:1053', line: 1, scheme: 'dns', zone: '.', port: '1053' });
  assert.equal(parseServerKey('Cluster.Local.', 1).zone, 'cluster.local');
  assert.equal(normalizeZone('10.96.0.0/12'), '10.in-addr.arpa');
  assert.equal(normalizeZone('fd00:10:96::/112'), '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa');
  assert.ok(zoneCovers('.', 'cluster.local'));
  assert.ok(zoneCovers('local', 'cluster.local'));
  assert.ok(!zoneCovers('cluster.local', 'local'));
  assert.ok(!zoneCovers('example.com', 'cluster.local'));
});

test('property: any text made of Corefile characters parses without throwing, lines stay inside the text', async () => {
  const fc = (await import('../helpers/fc.ts')).default;
  const piece = fc.constantFrom('{', '}', '"', '\\"', '#', '\n', ' ', '\t', '.:53', 'cluster.local', 'template', 'IN', 'AAAA', 'import', '(s)', 's', '{$X}', '}X', 'fallthrough', ',', 'dns://', '10.0.0.0/8', 'fd00::/8');
  fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
    const text = parts.join('');
    const cf = parseCorefile(text);
    const lines = text.split('\n').length;
    const check = (ds: readonly { line: number; block?: readonly unknown[] }[]): void => {
      for (const d of ds) {
        assert.ok(d.line >= 1 && d.line <= lines, `line ${d.line} of ${lines}`);
        if (d.block) check(d.block as typeof ds);
      }
    };
    for (const b of cf.blocks) check(b.directives);
    for (const p of cf.problems) assert.ok(p.line >= 1 && p.line <= lines);
  }), { numRuns: 2000 });
});

test('bodyOf: directives without a server block (AKS *.override)', () => {
  const cf = parseCorefile('log\ntemplate ANY AAAA {\n  rcode NOERROR\n}\n', { bodyOf: '.:53' });
  assert.deepEqual(cf.problems, []);
  assert.deepEqual(cf.blocks.map((b) => [b.keys.map((k) => k.zone), b.directives.map((d) => [d.name, d.line])]), [[['.'], [['log', 1], ['template', 2]]]]);
});

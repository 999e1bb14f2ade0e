// The GKE platform layer end to end through the CLI: fixtures/gke-dual-stack holds one rollout
// with its GCP layer as Config Connector, gcloud describe output and a terraform show -json plan;
// each form must give the same findings, pointing into its own files. --platform and --gcp
// usage errors are one line and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main, type CliIO } from '../src/cli/index.ts';

const root = new URL('..', import.meta.url).pathname;
const F = join(root, 'fixtures/gke-dual-stack');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => { out += s; }, stderr: (s: string) => { err += s; },
    readStdin: async () => new Uint8Array(), env: {}, stdoutIsTTY: false, cwd: root,
  } as unknown as CliIO;
  const code = await main(['node', 'dualstack-audit', ...args], io);
  return { code, out, err };
}

interface JsonReport {
  target: { clusterFamilies: string[]; familiesFrom: string; familiesEvidence?: string[]; platform?: { name: string; from: string; evidence?: string[] } };
  findings: { ruleId: string; severity: string; resource: { kind: string; name: string }; location?: { file: string; line: number } }[];
}

const FORMS: Record<string, string[]> = {
  kcc: [join(F, 'k8s'), join(F, 'kcc')],
  gcloud: [join(F, 'k8s'), '--gcp', join(F, 'gcloud')],
  terraform: [join(F, 'k8s'), '--gcp', join(F, 'terraform/plan.json')],
};

// What the rollout still has to do (fixtures/gke-dual-stack/README.md), in every form.
const EXPECTED = [
  'gke-dpv2-observability-off low ContainerCluster',
  'gke-lb-legacy-ipv4-only low Service/hello',
  'gke-lb-subnet-ipv6-mismatch high Service/api',
  'gke-static-address-single-family medium Ingress/site',
  'gke-subnet-external-ipv6-exposure medium ContainerCluster',
  'gke-subnet-ula-not-enabled critical ComputeSubnetwork',
];

for (const [form, args] of Object.entries(FORMS)) {
  test(`gke-dual-stack as ${form}: the rollout's findings, lines in the ${form} files, platform and families inferred`, async () => {
    const r = await cli([...args, '-f', 'json']);
    assert.equal(r.code, 1, r.err);
    const rep = JSON.parse(r.out) as JsonReport;
    const gke = rep.findings.filter((f) => f.ruleId.startsWith('gke-'));
    const got = gke.map((f) => `${f.ruleId} ${f.severity} ${f.resource.kind}${f.resource.kind.startsWith('Container') || f.resource.kind.startsWith('Compute') ? '' : `/${f.resource.name}`}`).sort();
    assert.deepEqual(got, EXPECTED);
    for (const f of gke) {
      if (f.resource.kind.startsWith('Container') || f.resource.kind.startsWith('Compute')) {
        assert.ok(f.location!.file.includes(`/gke-dual-stack/${form}/`), `${f.ruleId} points into ${f.location!.file}`);
        assert.ok(f.location!.line > 1, `${f.ruleId} names a line`);
      } else {
        assert.ok(f.location!.file.includes('/gke-dual-stack/k8s/'));
      }
    }
    // No guessed Ingress finding next to the fact (folded into gke-static-address-single-family).
    assert.ok(!rep.findings.some((f) => f.ruleId === 'gke-ingress-ipv4-only-frontend'));
    assert.equal(rep.target.platform?.name, 'gke');
    assert.equal(rep.target.platform?.from, 'inferred');
    assert.match(rep.target.platform!.evidence![0]!, /^ContainerCluster shop \(/);
    assert.deepEqual(rep.target.clusterFamilies, ['IPv4', 'IPv6']);
    assert.equal(rep.target.familiesFrom, 'inferred');
    assert.match(rep.target.familiesEvidence![0]!, /stack type IPV4_IPV6 at .*:\d+$/);
  });
}

test('--platform: the guide\'s LoadBalancer alone is judged as GKE only when the platform is; the text report says why', async () => {
  const hello = join(F, 'k8s/hello-lb.yaml');
  const plain = await cli([hello, '-f', 'json', '--rule', 'gke-lb-legacy-ipv4-only']);
  const rep = JSON.parse(plain.out) as JsonReport;
  assert.deepEqual(rep.findings, []);
  assert.deepEqual(rep.target.platform, { name: 'generic', from: 'default' });
  const gke = await cli([hello, '--platform', 'gke', '--rule', 'gke-lb-legacy-ipv4-only', '--fail-on', 'never']);
  assert.match(gke.out, /gke-lb-legacy-ipv4-only/);
  assert.match(gke.out, /Platform gke \(from --platform\)/);
});

test('--platform and --gcp usage errors: one line, exit 2', async () => {
  const bad = await cli([join(F, 'k8s'), '--platform', 'aks']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--platform must be one of gke\|generic \(got "aks"\)/);
  const notGcp = await cli([join(F, 'k8s'), '--gcp', join(F, 'k8s/web-lb.yaml')]);
  assert.equal(notGcp.code, 2);
  assert.match(notGcp.err, /web-lb\.yaml:1: --gcp: no GCP resource in the file/);
  assert.equal(notGcp.err.trim().split('\n').length, 1);
  const missing = await cli([join(F, 'k8s'), '--gcp', join(F, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.json: --gcp: cannot read/);
});

test('every human-readable format and SARIF say which platform was judged and why', async () => {
  const args = [...FORMS.kcc!, '--fail-on', 'never'];
  const md = await cli([...args, '-f', 'markdown']);
  assert.match(md.out, /^Platform: gke \(inferred from .+\)$/m);
  const html = await cli([...args, '-f', 'html']);
  assert.match(html.out, /<div class="meta">Platform gke \(inferred from [^<]+\)<\/div>/);
  const sarif = JSON.parse((await cli([...args, '-f', 'sarif'])).out) as { runs: { properties: { platform?: { name: string; from: string } } }[] };
  assert.deepEqual({ name: sarif.runs[0]!.properties.platform?.name, from: sarif.runs[0]!.properties.platform?.from }, { name: 'gke', from: 'inferred' });
  const text = await cli([...args, '--platform', 'generic']);
  assert.match(text.out, /^Platform generic \(from --platform\)$/m);
  const flagged = await cli([...args, '--platform', 'generic', '-f', 'markdown']);
  assert.match(flagged.out, /^Platform: generic \(from --platform\)$/m);
});

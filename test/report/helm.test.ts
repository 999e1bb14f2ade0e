// Helm locations (issue 19): `# Source:` names are chart-relative; they resolve to the
// template's path in the repository (charts found by Chart.yaml under a root), and rendered line
// numbers are reported as such: SARIF puts the region on the rendered file and the template in
// relatedLocations; text, Markdown and HTML say the line is of the rendered output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmTemplateResolver } from '../../src/load/helm-charts.ts';
import { resolveHelmTemplates } from '../../src/report/helm.ts';
import { formatSarif } from '../../src/report/sarif.ts';
import { formatMarkdown } from '../../src/report/markdown.ts';
import { formatText, plainStyle, plainTable } from '../../src/report/text.ts';
import { fixtureReport } from '../helpers/report-fixture.ts';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n';

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-helm-'));
  const file = (p: string, text: string): void => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  file('charts/my-app/Chart.yaml', 'apiVersion: v2\nname: my-app\nversion: 1.0.0\n');
  file('charts/my-app/templates/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n');
  file('charts/my-app/charts/redis/Chart.yaml', 'name: redis\n');
  file('charts/my-app/charts/redis/templates/svc.yaml', '# subchart template\n');
  // The directory name is not the chart name: Chart.yaml decides.
  file('deploy/helm/shop-chart/Chart.yaml', 'apiVersion: v2\nname: "shop"\n');
  file('deploy/helm/shop-chart/templates/api.yaml', '# api\n');
  // Two charts of one name: ambiguous.
  file('a/twin/Chart.yaml', 'name: twin\n');
  file('a/twin/templates/x.yaml', '#\n');
  file('b/twin/Chart.yaml', 'name: twin\n');
  file('b/twin/templates/x.yaml', '#\n');
  file('node_modules/pkg/Chart.yaml', 'name: hidden\n');
  file('node_modules/pkg/templates/x.yaml', '#\n');
  // The rendered output, as `helm template` writes it.
  file('rendered.yaml', `---\n# Source: my-app/templates/other.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n# Source: my-app/templates/service.yaml\n${SVC}`);
  return dir;
}

test('helm: chart-relative # Source names resolve through Chart.yaml names under the root', () => {
  const dir = repo();
  try {
    const resolve = helmTemplateResolver(dir, dir);
    assert.equal(resolve('my-app/templates/service.yaml'), 'charts/my-app/templates/service.yaml');
    assert.equal(resolve('my-app/charts/redis/templates/svc.yaml'), 'charts/my-app/charts/redis/templates/svc.yaml', 'an unpacked subchart');
    assert.equal(resolve('shop/templates/api.yaml'), 'deploy/helm/shop-chart/templates/api.yaml');
    assert.equal(resolve('my-app/templates/missing.yaml'), undefined);
    assert.equal(resolve('twin/templates/x.yaml'), undefined, 'two charts named twin: ambiguous');
    assert.equal(resolve('hidden/templates/x.yaml'), undefined, 'node_modules is not searched');
    // Paths are relative to the base (the working directory), the root may be a subdirectory.
    assert.equal(helmTemplateResolver(join(dir, 'charts'), join(dir, 'charts'))('my-app/templates/service.yaml'), 'my-app/templates/service.yaml');
    assert.equal(helmTemplateResolver(join(dir, 'deploy'), dir)('shop/templates/api.yaml'), 'deploy/helm/shop-chart/templates/api.yaml');
    assert.equal(helmTemplateResolver(join(dir, 'nope'), dir)('my-app/templates/service.yaml'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('helm: SARIF region on the rendered file, the template as a related location; reports call the line rendered', async () => {
  const dir = repo();
  try {
    const rendered = join(dir, 'rendered.yaml');
    const raw = await fixtureReport({}, [rendered]);
    const report = resolveHelmTemplates(raw, helmTemplateResolver(dir, dir));
    const f = report.findings.find((x) => x.ruleId === 'service-single-stack')!;
    assert.equal(f.location!.file, 'charts/my-app/templates/service.yaml');
    assert.equal(f.location!.rendered!.file, rendered);
    // `type: LoadBalancer` is line 14 of rendered.yaml (the ConfigMap document and the Source comment come first).
    assert.equal(f.location!.rendered!.line, 14);
    assert.ok(f.location!.line < f.location!.rendered!.line, 'the old line counted from the document start');

    const result = JSON.parse(formatSarif(report)).runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'service-single-stack');
    const pl = result.locations[0].physicalLocation;
    assert.equal(pl.artifactLocation.uri, `file://${rendered}`);
    assert.deepEqual(pl.region, { startLine: 14, startColumn: 3 });
    assert.equal(result.relatedLocations.length, 1);
    assert.deepEqual(result.relatedLocations[0].physicalLocation, { artifactLocation: { uri: 'charts/my-app/templates/service.yaml', uriBaseId: '%SRCROOT%' } });
    assert.match(result.relatedLocations[0].message.text, /rendered output/);

    const text = formatText(report, { style: plainStyle, table: plainTable, verbose: false });
    assert.match(text, /charts\/my-app\/templates\/service\.yaml\n {4}14:3 /);
    assert.match(text, /\(line 14 of the rendered output .*rendered\.yaml, not of the template\)/);
    assert.match(formatMarkdown(report), /`charts\/my-app\/templates\/service\.yaml` \(rendered `.*rendered\.yaml:14`\)/);

    // From stdin there is no rendered artifact: the template alone, without a region.
    const piped = { ...report, findings: report.findings.map((x) => (x.location?.rendered ? { ...x, location: { ...x.location, rendered: { ...x.location.rendered, file: '<stdin>' } } } : x)) };
    const r2 = JSON.parse(formatSarif(piped)).runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'service-single-stack');
    assert.deepEqual(r2.locations[0].physicalLocation, { artifactLocation: { uri: 'charts/my-app/templates/service.yaml', uriBaseId: '%SRCROOT%' } });
    assert.equal(r2.relatedLocations, undefined);
    // Unresolved names stay chart-relative.
    const same = resolveHelmTemplates(raw, () => undefined);
    assert.equal(same, raw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The observability model: scrape jobs from prometheus.yml text with lines inside the text,
// additionalScrapeConfigs Secrets (stringData, base64 data, absent), operator CRs and roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildObservabilityModel, scrapeJobsOfText } from '../../src/model/observability.ts';
import type { InputDocument } from '../../src/model/types.ts';

const doc = (object: Record<string, unknown>): InputDocument => ({ object });
const promYml = `global: {scrape_interval: 15s}
scrape_configs:
- job_name: pods
  kubernetes_sd_configs:
  - role: pod
  relabel_configs:
  - action: keep
    source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
    regex: "true"
  - source_labels: [__address__]
    target_label: __address__
  static_configs:
  - targets: [10.0.0.1:9100]
`;

test('prometheus.yml in a ConfigMap: jobs, roles, defaults and lines inside the text', () => {
  const m = buildObservabilityModel([doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { 'prometheus.yml': promYml } })]);
  assert.equal(m.jobs.length, 1);
  const j = m.jobs[0]!;
  assert.equal(j.name, 'pods');
  assert.deepEqual(j.roles, ['pod']);
  assert.deepEqual(j.relabels.map((r) => [r.action, r.regex, r.replacement, r.separator, r.textLine]), [['keep', 'true', '$1', ';', 7], ['replace', '(.*)', '$1', ';', 10]]);
  assert.deepEqual(j.staticTargets.map((t) => [t.text, t.textLine]), [['10.0.0.1:9100', 13]]);
  assert.equal(j.textLine, 3);
});

test('additionalScrapeConfigs: read from the Secret in the input (base64 data), else marked not found; Secrets are never required', () => {
  const prom = doc({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'mon' }, spec: { serviceDiscoveryRole: 'EndpointSlice', additionalScrapeConfigs: { name: 'extra', key: 'a.yaml' } } });
  const list = '- job_name: extra\n  kubernetes_sd_configs: [{role: endpoints}]\n';
  const secret = doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'extra', namespace: 'mon' }, data: { 'a.yaml': Buffer.from(list).toString('base64') } });
  const withSecret = buildObservabilityModel([prom, secret]);
  assert.equal(withSecret.prometheuses[0]!.additional!.found, true);
  assert.deepEqual(withSecret.jobs.map((j) => [j.origin, j.name, j.textLine]), [['additionalScrapeConfigs', 'extra', undefined]]);
  const without = buildObservabilityModel([prom]);
  assert.equal(without.prometheuses[0]!.additional!.found, false);
  assert.equal(without.jobs.length, 0);
});

test('ServiceMonitors take the Prometheus CR discovery role; PodMonitors are pod role; a broken prometheus.yml is unparsed, not a crash', () => {
  const m = buildObservabilityModel([
    doc({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 's', namespace: 'a' }, spec: { selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'm', relabelings: [{ sourceLabels: ['__address__'], targetLabel: '__address__' }] }] } }),
    doc({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'p' }, spec: { podMetricsEndpoints: [{ port: 'm' }] } }),
    doc({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s' }, spec: { serviceDiscoveryRole: 'EndpointSlice' } }),
    doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, data: { 'prometheus.yml': 'scrape_configs:\n  - job_name: [unclosed\n' } }),
  ]);
  assert.deepEqual(m.jobs.map((j) => [j.origin, j.roles[0], j.selector?.namespaces]), [['ServiceMonitor', 'endpointslice', ['a']], ['PodMonitor', 'pod', ['default']]]);
  assert.equal(m.jobs[0]!.relabels[0]!.path.join('.'), 'spec.endpoints.0.relabelings.0');
  assert.equal(m.unparsed.length, 1);
});

// The fast reader (js-yaml with positions from its parse events) must give what yaml's Document
// API gives: the same values (yaml's core schema for plain scalars) and the same lines.
const owner = { ref: { kind: 'ConfigMap', apiVersion: 'v1', name: 'p', namespace: 'x' }, labels: {}, annotations: {} } as never;
const fastCases: Record<string, string> = {
  'comments, blank lines and an item on the line after its dash': `# head
scrape_configs:   # the jobs

-   # a comment after the dash
  job_name: a
  relabel_configs:
    # between items
    - source_labels: [__address__]   # trailing
      target_label: __address__

    -
      regex: '(.+)'
      replacement: "$1:9102"
  static_configs:
  - targets:
    - 'a:1'
    -   "b:2"   # c
    - c:3
- job_name: b
  static_configs: [{targets: ['10.0.0.1:9100', 10.0.0.2:9100]}]
`,
  'flow sequences, block scalars and a document start': `---
scrape_configs:
- job_name: c
  metric_relabel_configs:
  - regex: |
      multi
  - replacement: >-
      folded
      text
    separator: ':'
  static_configs:
  - targets: [ 'x:1',
      "y:2", z:3 ]
`,
  'plain scalars resolved as yaml 1.2 core does': `scrape_configs:
- job_name: 0o17
  relabel_configs:
  - {regex: 0x1F, replacement: 1e3, separator: .5, target_label: __address__}
  - regex: +.5
    replacement: 1_000
    separator: 2020-01-01
  - regex: True
    replacement: .inf
    separator: ~
  - regex: 010
    replacement: 1.
    action: yes
`,
  'non-string targets before string ones (lines follow the string index)': `scrape_configs:
- job_name: d
  static_configs:
  - targets:
    - 1
    - null
    - 'a:1'
    - b:2
`,
  'an additionalScrapeConfigs list and CRLF line ends': '- job_name: e\r\n  relabel_configs:\r\n  - regex: (.*)\r\n    target_label: x\r\n',
};

for (const [name, text] of Object.entries(fastCases)) {
  test(`fast prometheus.yml reader equals yaml's: ${name}`, () => {
    const fast = scrapeJobsOfText(owner, text);
    const slow = scrapeJobsOfText(owner, text, true);
    assert.equal(fast.fast, true);
    assert.equal(slow.fast, false);
    assert.ok(slow.jobs.length > 0);
    assert.deepEqual(fast, { ...slow, fast: true });
  });
}

test('texts with anchors, tags, duplicate keys or YAML errors go to yaml (same jobs, same errors)', () => {
  for (const text of [
    'scrape_configs:\n- &j {job_name: a}\n- *j\n',
    'scrape_configs:\n- job_name: !!str 1\n',
    'scrape_configs:\n- job_name: a\n  job_name: b\n',
    'scrape_configs:\n- job_name: [a\n',
    '%YAML 1.1\n---\nscrape_configs:\n- job_name: 010\n',
  ]) {
    const fast = scrapeJobsOfText(owner, text);
    assert.equal(fast.fast, false, text);
    assert.deepEqual(fast, scrapeJobsOfText(owner, text, true));
  }
  assert.equal(scrapeJobsOfText(owner, 'scrape_configs:\n- job_name: [a\n').unparsed.length, 1);
});

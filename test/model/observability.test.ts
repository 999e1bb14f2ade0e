// The observability model: scrape jobs from prometheus.yml text with lines inside the text,
// additionalScrapeConfigs Secrets (stringData, base64 data, absent), operator CRs and roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildObservabilityModel, scrapeJobsOfText } from '../../src/model/observability.ts';
import type { InputDocument } from '../../src/model/types.ts';
import { mulberry32 } from '../helpers/random.ts';

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

test('generated prometheus.yml texts: the fast reader gives what yaml gives, or declines', () => {
  const rnd = mulberry32(9);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const scalars = ['foo', "'a:1'", '"b:2"', '10.0.0.1:9100', "'[::1]:9090'", '1_000', '0o17', '0x1F', '+.5', '1e3', 'true', 'yes', 'null', '~', '', "''",
    '2020-01-01', '|\n  block\n', '>-\n  folded\n  more\n', '"esc\\tx"', '$1:$2', '([^:]+)(?::\\d+)?;(\\d+)', '[a, b]', '{a: b}', 'a # c', 'x!y', 'a&b', '010', '.inf', 'True'];
  const cmt = (): string => (rnd() < 0.2 ? ` # ${pick(['c', 'x: y', '- z'])}` : '');
  const blank = (): string => (rnd() < 0.15 ? pick(['\n', '\n# comment\n', '\n   \n']) : '');
  const indentScalar = (v: string, ind: string): string => v.replace(/\n/g, `\n${ind}`);
  const relabel = (ind: string): string => {
    const keys = ['source_labels', 'regex', 'replacement', 'target_label', 'action', 'separator'].filter(() => rnd() < 0.6);
    if (keys.length === 0) return pick(['{}', 'x', 'null']);
    return keys.map((k, i) => `${i === 0 ? '' : ind}${k}:${k === 'source_labels'
      ? (rnd() < 0.5 ? ' [__address__, __meta_kubernetes_pod_ip]' : `\n${ind}- __address__${cmt()}\n${ind}- ${pick(['a', "'b'", '1'])}`)
      : ` ${indentScalar(pick(scalars), ind + '  ')}`}${cmt()}`).join('\n');
  };
  const seqOf = (ind: string, n: number, item: (ind: string) => string): string => {
    if (rnd() < 0.2) return ` [${Array.from({ length: n }, () => pick(["'a:1'", 'b:2', '"c"', '1', 'null'])).join(', ')}]`;
    const sub = ind + pick(['', '  ']);
    return `\n${Array.from({ length: n }, () => `${blank()}${sub}-${pick([' ', '  ', `\n${sub}  `])}${item(`${sub}  `)}${cmt()}`).join('\n')}`;
  };
  const job = (ind: string): string => {
    const parts = [`job_name: ${pick(['a', "'b'", '1', 'null'])}${cmt()}`];
    if (rnd() < 0.7) parts.push(`kubernetes_sd_configs:${seqOf(ind, 1 + Math.floor(rnd() * 2), () => `role: ${pick(['pod', 'Endpoints', 'node'])}`)}`);
    if (rnd() < 0.8) parts.push(`relabel_configs:${cmt()}${seqOf(ind, Math.floor(rnd() * 4), relabel)}`);
    if (rnd() < 0.3) parts.push(`metric_relabel_configs:${seqOf(ind, Math.floor(rnd() * 3), relabel)}`);
    if (rnd() < 0.5) parts.push(`static_configs:${seqOf(ind, 1 + Math.floor(rnd() * 2), (i) => `targets:${seqOf(i, Math.floor(rnd() * 4), () => pick(scalars.slice(0, 12)))}`)}`);
    return parts.sort(() => rnd() - 0.5).join(`\n${ind}`);
  };
  let fast = 0;
  for (let k = 0; k < 400; k++) {
    const jobs = seqOf('', Math.floor(rnd() * 4), job);
    let text = rnd() < 0.15 ? jobs.replace(/^\n/, '') : `${pick(['', '---\n', '# header\n', 'global:\n  scrape_interval: 15s\n'])}scrape_configs:${cmt()}${jobs}\n`;
    if (rnd() < 0.1) text = text.replace(/\n/g, '\r\n');
    const a = scrapeJobsOfText(owner, text);
    const b = scrapeJobsOfText(owner, text, true);
    if (a.fast) fast++;
    assert.deepEqual({ ...a, fast: false }, b, text);
  }
  assert.ok(fast > 150, `the fast reader took only ${fast} of 400 texts`);
});

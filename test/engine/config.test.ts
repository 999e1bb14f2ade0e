// Config validation: every key, and an error that names the file and the key path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError, STARTER_CONFIG } from '../../src/engine/config.ts';
import { RULES } from '../../src/rules/index.ts';

const known = new Set(RULES.map((r) => r.meta.id));
const F = '.dualstack-audit.yaml';
const parse = (text: string) => parseConfig(text, F, known);
const error = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail(`expected a ConfigError for:\n${text}`);
};

test('a full config is read', () => {
  const c = parse(`
clusterFamilies: [IPv6, IPv4]
failOn: medium
minScore: 85.5
rules:
  service-single-stack: off
  dns-aaaa-coverage: low
  service-hardcoded-cluster-ip: {enabled: true, severity: info}
  service-external-ips-family: on
exemptions:
  - rule: service-single-stack
    kind: Service
    namespace: legacy-*
    reason: " retired "
  - {rule: "*", name: debug, reason: a debugging aid}
`);
  assert.deepEqual(c, {
    rules: {
      'service-single-stack': { enabled: false },
      'dns-aaaa-coverage': { enabled: true, severity: 'low' },
      'service-hardcoded-cluster-ip': { enabled: true, severity: 'info' },
      'service-external-ips-family': { enabled: true },
    },
    clusterFamilies: ['IPv6', 'IPv4'],
    exemptions: [
      { rule: 'service-single-stack', kind: 'Service', namespace: 'legacy-*', reason: 'retired' },
      { rule: '*', name: 'debug', reason: 'a debugging aid' },
    ],
    failOn: 'medium',
    minScore: 85.5,
  });
  assert.deepEqual(parse('clusterFamilies: ipv4').clusterFamilies, ['IPv4']);
  assert.deepEqual(parse(''), { rules: {}, exemptions: [] });
});

test('the starter file from `init` is valid as written', () => {
  const c = parse(STARTER_CONFIG);
  assert.equal(c.failOn, 'high');
  // And with its examples uncommented.
  let inExample = false;
  const uncommented = STARTER_CONFIG.split('\n').map((line) => {
    if (line === 'rules: {}' || line === 'exemptions: []') {
      inExample = true;
      return line.replace(/ (\{\}|\[\])$/, '');
    }
    if (line === '') inExample = false;
    if (inExample && line.startsWith('#  ')) return line.slice(1);
    return line.replace(/^# (clusterFamilies|minScore|platform):/, '$1:');
  }).join('\n');
  const u = parse(uncommented);
  assert.equal(u.minScore, 80);
  assert.equal(u.platform, 'gke');
  assert.equal(u.rules['service-single-stack']?.severity, 'high');
  assert.equal(u.exemptions.length, 1);
});

test('errors name the file and the key path', () => {
  const cases: [string, string][] = [
    ['platform: aks', `${F}: platform: expected gke or generic (got "aks")`],
    ['rules: {foo: off}', `${F}: rules.foo: unknown rule (see \`dualstack-audit rules\`)`],
    ['rules: {service-single-stack: loud}', `${F}: rules.service-single-stack: expected one of critical, high, medium, low, info (got "loud")`],
    ['rules: {service-single-stack: {enabled: yes}}', `${F}: rules.service-single-stack.enabled: expected true or false (got "yes")`],
    ['rules: {service-single-stack: {level: low}}', `${F}: rules.service-single-stack.level: unknown key (allowed: enabled, severity)`],
    ['fail-on: high', `${F}: fail-on: unknown key (did you mean failOn?)`],
    ['colour: red', `${F}: colour: unknown key (allowed: rules, clusterFamilies, exemptions, failOn, minScore, allowPartial, platform)`],
    ['failOn: sometimes', `${F}: failOn: expected one of critical, high, medium, low, info, never (got "sometimes")`],
    ['minScore: 101', `${F}: minScore: expected a number from 0 to 100 (got 101)`],
    ['minScore: "80"', `${F}: minScore: expected a number from 0 to 100 (got "80")`],
    ['clusterFamilies: [IPv4, IPv4]', `${F}: clusterFamilies: expected ipv4, ipv6, ipv4,ipv6 or ipv6,ipv4 (a string or a list, primary first; got ["IPv4","IPv4"])`],
    ['exemptions: {rule: x}', `${F}: exemptions: expected a list of {rule, kind?, namespace?, name?, reason}`],
    ['exemptions: [{rule: nope, reason: r}]', `${F}: exemptions[0].rule: unknown rule "nope" (see \`dualstack-audit rules\`)`],
    ['exemptions: [{rule: "*", reason: r}, {rule: service-single-stack}]', `${F}: exemptions[1].reason: required: say why this exemption is acceptable`],
    ['exemptions: [{rule: "*", reason: r, namespaces: [a]}]', `${F}: exemptions[0].namespaces: unknown key (did you mean namespace?)`],
    ['- a list', `${F}: expected a mapping of rules, clusterFamilies, exemptions, failOn, minScore, allowPartial, platform (got a list)`],
  ];
  for (const [text, msg] of cases) assert.equal(error(text), msg, text);
  assert.match(error('rules:\n  a: [unclosed\n'), /^\.dualstack-audit\.yaml:\d+: invalid YAML: /);
  assert.match(error('failOn: high\nfailOn: low\n'), /invalid YAML: .*[Mm]ap keys must be unique/);
});

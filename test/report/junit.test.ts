// JUnit: well-formed (fast-xml-parser's validator), a suite per phase, a testcase per
// evaluation, failures with message and file:line, suppressed evaluations skipped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatJunit, formatJunitChunks } from '../../src/report/junit.ts';
import { escapeOutput } from '../../src/report/escape.ts';
import { fixtureReport, asLiveReport } from '../helpers/report-fixture.ts';
import type { Report } from '../../src/engine/types.ts';
import { CATEGORIES } from '../../src/model/types.ts';

const parse = (xml: string): { testsuites: { testsuite: Suite[]; '@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string } } =>
  new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml);

interface Case { '@_classname': string; '@_name': string; '@_file'?: string; '@_line'?: string; failure?: { '@_message': string; '#text': string }; skipped?: { '@_message': string }; error?: unknown }
interface Suite { '@_name': string; '@_tests': string; '@_failures': string; testcase: Case[] }

test('JUnit is well-formed XML with a suite per phase and a testcase per evaluation', async () => {
  const report = await fixtureReport();
  const xml = formatJunit(report);
  assert.equal(XMLValidator.validate(xml), true);
  assert.notEqual(XMLValidator.validate(xml.replace('</testsuites>', '</testsuite>')), true, 'the validator rejects broken XML');
  const doc = parse(xml);
  const suites = doc.testsuites.testsuite;
  const phases = suites.map((s) => s['@_name']);
  // Phases in migration order (other rules may add phases), input problems last.
  const expected = [...CATEGORIES.filter((c) => report.results!.some((e) => e.category === c)), 'input'];
  assert.deepEqual(phases, expected);
  assert.ok(phases.includes('services') && phases.includes('dns'));
  const evals = report.results!;
  const cases = suites.filter((s) => s['@_name'] !== 'input').flatMap((s) => s.testcase);
  assert.equal(cases.length, evals.length);
  assert.equal(Number(doc.testsuites['@_failures']), evals.filter((e) => e.failed).length);
  assert.equal(Number(doc.testsuites['@_skipped']), 1);
  assert.equal(Number(doc.testsuites['@_errors']), 1);

  const lb = cases.find((c) => c['@_classname'] === 'dualstack-audit.services.service-single-stack' && c['@_name'] === 'Service/shop/storefront');
  assert.ok(lb?.failure);
  assert.equal(lb.failure['@_message'], report.findings.find((f) => f.ruleId === 'service-single-stack' && f.resource.name === 'storefront')!.message);
  assert.match(lb.failure['#text'], /^fixtures\/reports\/shop\.yaml:8:3 high service-single-stack: /);
  assert.equal(lb['@_file'], 'fixtures/reports/shop.yaml');
  assert.equal(lb['@_line'], '8');

  const passed = cases.find((c) => c['@_classname'].endsWith('service-single-stack') && c['@_name'] === 'Service/shop/cart');
  assert.ok(passed && !passed.failure && !passed.skipped);
  const sup = cases.find((c) => c.skipped);
  assert.equal(sup?.skipped?.['@_message'], 'suppressed by annotation: retired in Q3; <not> migrated & never will be');
  const input = suites.find((s) => s['@_name'] === 'input')!;
  assert.match(input.testcase[0]!['@_name'], /^fixtures\/reports\/broken\.yaml:5/);
});

test('JUnit escapes markup and drops characters XML cannot carry', async () => {
  const report = await fixtureReport();
  const nasty = 'a ]]> <b>&amp; "q" \u0001 \uD800 end';
  const r: Report = { ...asLiveReport(report), findings: report.findings.map((f) => ({ ...f, message: nasty })) };
  const xml = formatJunit(r);
  assert.equal(XMLValidator.validate(xml), true);
  const doc = parse(xml);
  const failure = doc.testsuites.testsuite.flatMap((s) => s.testcase).find((c) => c.failure)!.failure!;
  assert.equal(failure['@_message'].includes('<b>'), true);
  assert.equal(failure['@_message'].includes('\u0001'), false);
});

test('JUnit in pieces: each piece whole lines, escaped as the whole report would be (control characters, workflow commands)', async () => {
  const report = await fixtureReport();
  // A message whose second line would be a GitHub workflow command, and a control character.
  const r: Report = { ...report, findings: report.findings.map((f, i) => (i % 2 === 0 ? { ...f, message: `${f.message}\n::error::x \u0007` } : f)) };
  const chunks = [...formatJunitChunks(r)];
  assert.ok(chunks.length > 20);
  for (const c of chunks) assert.ok(c.endsWith('\n'), JSON.stringify(c.slice(-40)));
  const xml = chunks.join('');
  assert.equal(xml, formatJunit(r));
  assert.doesNotMatch(xml, /^\s*::error/m);
  assert.doesNotMatch(xml, /\u0007/);
  // Escaping the pieces is escaping the whole: unescaped pieces would be changed by escaping again only where escapeOutput acts.
  assert.equal(escapeOutput(xml), xml);
  assert.equal(XMLValidator.validate(xml), true);
});

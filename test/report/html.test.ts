// HTML: rendered in headless Chromium (Debian's chromium, driven by playwright-core): no
// console errors, no request leaves the file, the filters work, and a screenshot is taken.
// Skipped (with a message) only when /usr/bin/chromium is absent; .ci/run installs it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatHtml, htmlEscape } from '../../src/report/html.ts';
import { fixtureReport } from '../helpers/report-fixture.ts';
import type { Report } from '../../src/engine/types.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

test('HTML is self-contained and escapes report text', async () => {
  const report = await fixtureReport();
  const evil: Report = { ...report, findings: report.findings.map((f, i) => (i === 0 ? { ...f, message: '</script><img src=x onerror=alert(1)>' } : f)) };
  const html = formatHtml(evil);
  assert.ok(!/<(script|link|img|iframe)[^>]+(src|href)=/i.test(html), 'no external resources');
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes(htmlEscape('</script><img src=x onerror=alert(1)>')));
  assert.equal((html.match(/<script>/g) ?? []).length, 1);
});

test('HTML renders in headless Chromium without console errors or requests, and filters', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run this test`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const report = await fixtureReport();
  const dir = mkdtempSync(join(tmpdir(), 'dsa-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, formatHtml(report, { gate: { passed: false, reasons: ['1 finding at or above high'] } }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => { if (r.url() !== pathToFileURL(file).href) requests.push(r.url()); });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const total = report.findings.length;
    const active = report.findings.filter((f) => !f.suppressed).length;
    const visible = (): Promise<number> => page.locator('#findings tbody tr:not([hidden])').count();
    assert.equal(await page.locator('#findings tbody tr').count(), total);
    assert.equal(await visible(), active, 'suppressed rows start hidden');
    assert.equal(await page.locator('#count').textContent(), `${active} of ${total} findings shown`);
    await page.check('#showsup');
    assert.equal(await visible(), total);
    await page.fill('#q', 'storefront');
    assert.equal(await visible(), report.findings.filter((f) => f.resource.name === 'storefront').length);
    await page.fill('#q', '');
    await page.selectOption('#sev', '1');
    assert.equal(await visible(), report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length);
    await page.selectOption('#sev', '4');
    await page.selectOption('#phase', 'dns');
    assert.equal(await visible(), report.findings.filter((f) => f.category === 'dns').length);
    await page.selectOption('#phase', '');

    assert.equal(await page.locator('svg.gauge').count(), 1);
    assert.ok(await page.locator('#phases .phase[data-phase="services"] .bar span').count() === 1);
    const shot = process.env.DSA_SCREENSHOT ?? join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    assert.ok(png.length > 10_000 && png.subarray(1, 4).toString() === 'PNG', 'a real screenshot');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);

    // The harness does catch a broken page: a console error, a thrown error, a blocked request.
    const broken = join(dir, 'broken.html');
    writeFileSync(broken, formatHtml(report).replace('<script>', '<script>console.error("bad");</script><img src="https://example.invalid/x.png"><script>null.x;'));
    const caught: string[] = [];
    const page2 = await browser.newPage();
    page2.on('console', (m) => { if (m.type() === 'error') caught.push(m.text()); });
    page2.on('pageerror', (e) => caught.push(e.message));
    await page2.goto(pathToFileURL(broken).href, { waitUntil: 'load' });
    assert.ok(caught.some((c) => c === 'bad'), caught.join('\n'));
    assert.ok(caught.some((c) => /null/.test(c)), caught.join('\n'));
    assert.ok(caught.some((c) => /Content Security Policy|img-src/.test(c)), `the CSP blocks the image: ${caught.join('\n')}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HTML table in Chromium at 1280 px and 390 px: severities in order, sortable columns, filters, no horizontal overflow', { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run this test`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const { htmlRowOrder } = await import('../../src/report/html.ts');
  const { SEVERITIES } = await import('../../src/model/types.ts');
  // Every fixture at once: many findings of every severity, long resource names and paths.
  const report = await fixtureReport({}, ['fixtures']);
  const sevs = new Set(report.findings.map((f) => f.severity));
  assert.ok(report.findings.length > 100 && sevs.size >= 4, `${report.findings.length} findings, ${sevs.size} severities`);
  // The report's own order mixes severities (by phase and file): the table must not.
  const reportRanks = report.findings.map((f) => SEVERITIES.indexOf(f.severity));
  assert.ok(reportRanks.some((r, i) => i > 0 && r < reportRanks[i - 1]!), 'the fixture would show a high after a medium unsorted');
  assert.deepEqual(htmlRowOrder(report.findings).map((f) => SEVERITIES.indexOf(f.severity)), [...reportRanks].sort((a, b) => a - b));

  const dir = mkdtempSync(join(tmpdir(), 'dsa-html-table-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, formatHtml(report));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.check('#showsup');
      const col = (i: number): Promise<string[]> => page.$$eval('#findings tbody tr:not([hidden])', (rs, n) => rs.map((r) => (r as HTMLTableRowElement).cells[n]!.textContent ?? ''), i);
      const sevRanks = (): Promise<number[]> => page.$$eval('#findings tbody tr:not([hidden])', (rs) => rs.map((r) => Number((r as HTMLElement).dataset.sev)));

      // No horizontal scrolling of the page, and every row fits the window.
      const fit = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
        widest: Math.max(...Array.from(document.querySelectorAll('#findings tbody tr, .phase, .filters')).map((e) => e.getBoundingClientRect().right)),
      }));
      assert.ok(fit.scroll <= fit.inner, `${width} px: page is ${fit.scroll} px wide`);
      assert.ok(fit.widest <= fit.inner, `${width} px: an element ends at ${fit.widest} px`);

      // First order: most severe first.
      const first = await sevRanks();
      assert.deepEqual(first, [...first].sort((a, b) => a - b), `${width} px: severities in order`);

      if (width === 1280) {
        // Sort by rule, then reverse; by location (file, then line as a number); back to severity.
        await page.click('#findings th[data-key="rule"] button');
        assert.equal(await page.getAttribute('#findings th[data-key="rule"]', 'aria-sort'), 'ascending');
        const rules = await col(2);
        assert.deepEqual(rules, [...rules].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        await page.click('#findings th[data-key="rule"] button');
        assert.equal(await page.getAttribute('#findings th[data-key="rule"]', 'aria-sort'), 'descending');
        assert.deepEqual(await col(2), [...rules].reverse().sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
        await page.click('#findings th[data-key="loc"] button');
        const locs = await page.$$eval('#findings tbody tr', (rs) => rs.map((r) => [(r as HTMLElement).dataset.file ?? '', Number((r as HTMLElement).dataset.line)] as [string, number]));
        for (let i = 1; i < locs.length; i++) {
          const [fa, la] = locs[i - 1]!;
          const [fb, lb] = locs[i]!;
          assert.ok(fa < fb || (fa === fb && la <= lb), `location order at row ${i}: ${fa}:${la} then ${fb}:${lb}`);
        }
        await page.click('#findings th[data-key="sev"] button');
        await page.click('#findings th[data-key="sev"] button');
        const desc = await sevRanks();
        assert.deepEqual(desc, [...desc].sort((a, b) => b - a), 'severity descending (least severe first)');
        // Filters still apply to sorted rows.
        await page.selectOption('#sev', '1');
        assert.equal((await sevRanks()).length, report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length);
        assert.ok((await sevRanks()).every((r) => r <= 1));
      } else {
        // Narrow: rows are cards with their column names; the filters still work.
        assert.equal(await page.locator('#findings thead').isVisible(), false);
        const label = await page.$eval('#findings tbody tr td[data-label="Rule"]', (e) => getComputedStyle(e, '::before').content);
        assert.equal(label, '"Rule: "');
        await page.fill('#q', 'storefront');
        assert.equal(await page.locator('#findings tbody tr:not([hidden])').count(), report.findings.filter((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name} ${f.location?.file ?? ''} ${f.message}`.toLowerCase().includes('storefront')).length);
        await page.screenshot({ path: join(dir, 'narrow.png'), fullPage: false });
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

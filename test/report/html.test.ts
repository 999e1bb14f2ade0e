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

/**
 * Metrics of the analyst's own, in Chromium against the e2e host: defining one in Settings (and being told
 * what to fix when a definition cannot work), running detection, opening the incident it found and seeing
 * its chart, then removing it. No request leaves loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Host } from './host/host';
import { launchChromium } from './support/browser';
import { screenshotPath, testHost } from './support/host';
import { offLoopback } from './support/requests';
import { watchedPage } from './support/watched-page';

const LONG = { timeout: 180_000 };
const WORKSPACE = 'custom.fscope';

let host: Host;
let browser: Browser;
let page: Page;
let seen: string[];
let blocked: string[];
let violations: () => Promise<string[]>;
let pageErrors: string[];

before(async () => {
  host = await testHost();
  // Two weeks: a count's seasonal baseline needs one; seed 3 cuts Germany off on its eighth day.
  await host.api.workspace.createDemo(path.join(host.workspaceDir, WORKSPACE), {
    days: 14,
    sessionsPerDay: 12_000,
    seed: 3,
  });
  browser = await launchChromium();
  ({ page, blocked, seen, violations, pageErrors } = await watchedPage(browser, host.origin));
});
after(async () => {
  await browser?.close();
  await host?.close();
});

const nav = (view: string) =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true });

test(
  'defines a metric of its own in Settings, and is told what to fix when it cannot work',
  LONG,
  async () => {
    await page.goto(`${host.origin}/?workspace=${WORKSPACE}#token=${host.token}`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor(LONG);
    await nav('Settings').click();
    const panel = page.getByRole('region', { name: 'Your own metrics' });
    await panel.waitFor(LONG);
    await panel.getByText('None yet.').waitFor();
    const form = page.getByRole('form', { name: 'Define a metric' });
    await form.getByLabel('Name').fill('de_views');
    await form.getByLabel('Event types (comma-separated)').fill('page_veiw');
    await form.getByLabel('Only in cohort (optional)').fill('country=DE');
    await form.getByLabel('Bad news when it goes').selectOption('down');
    await form.getByRole('button', { name: 'Define metric' }).click();
    const refused = form.getByRole('alert');
    await refused.waitFor();
    assert.match(await refused.innerText(), /no event type "page_veiw"\. Its event types are: .*page_view/);
    await page.screenshot({ path: screenshotPath('16-custom-metric-refused'), fullPage: true });

    await form.getByLabel('Event types (comma-separated)').fill('page_view');
    await form.getByRole('button', { name: 'Define metric' }).click();
    await form.getByRole('status').filter({ hasText: 'Defined de_views' }).waitFor();
    const table = panel.getByRole('table', { name: 'Your own metrics' });
    await table.waitFor();
    assert.match(await table.innerText(), /de_views\s+Count of page_view where country=DE\s+down/);
    await page.screenshot({ path: screenshotPath('16-custom-metric-defined'), fullPage: true });
  },
);

test('detection watches it: its incident opens with a chart of the metric', LONG, async () => {
  await nav('Incidents').click();
  await page.getByRole('button', { name: 'Run detection' }).first().click();
  await page
    .getByRole('status')
    .filter({ hasText: /Found \d+ incidents/ })
    .waitFor(LONG);
  const list = page.getByRole('listbox', { name: 'Incidents' });
  const option = list.getByRole('option').filter({ hasText: 'de_views' }).first();
  await option.waitFor(LONG);
  await option.dblclick();
  await page
    .getByRole('heading', { name: /de_views fell in country DE|de_views fell in .*DE/ })
    .waitFor(LONG);
  await page.getByRole('figure').first().locator('canvas').waitFor(LONG);
  await page.screenshot({ path: screenshotPath('17-custom-metric-incident'), fullPage: true });
  // Its replay runs the same detector over the same series.
  await page.getByRole('button', { name: 'Replay as it happened' }).click();
  const position = page.getByLabel('Replay position');
  await position.waitFor(LONG);
  await position.fill((await position.getAttribute('max')) ?? '1');
  await page.locator('tr.fired').first().waitFor(LONG);
  await page.screenshot({ path: screenshotPath('17b-custom-metric-replay'), fullPage: true });
});

test(
  "its incident's cohort is broken down by the visit dimensions, counted from the events",
  LONG,
  async () => {
    await nav('Incidents').click();
    const option = page
      .getByRole('listbox', { name: 'Incidents' })
      .getByRole('option')
      .filter({ hasText: 'de_views' });
    await option.first().dblclick();
    await page.getByRole('button', { name: 'Explore this cohort', disabled: false }).click(LONG);
    const path_ = page.getByRole('navigation', { name: 'Drill-down' });
    await path_.waitFor(LONG);
    assert.match(await path_.innerText(), /country\s*=\s*DE/);
    const breakdown = page.getByRole('listbox', { name: 'Breakdown' });
    await breakdown.getByRole('option').first().waitFor(LONG);
    const shown = await breakdown.innerText();
    // Broken down by the first dimension the cohort leaves free (device): desktop, mobile and tablet rows.
    for (const device of ['desktop', 'mobile', 'tablet']) assert.match(shown, new RegExp(device));
    // Two of them compared over time: the metric's own series within each.
    await page.getByLabel(/^Compare .*mobile$/).check();
    await page.getByLabel(/^Compare .*desktop$/).check();
    const compared = page.getByRole('figure', { name: /device=mobile vs\. .*device=desktop/ }).first();
    await compared.locator('canvas').waitFor(LONG);
    await page.screenshot({ path: screenshotPath('17c-custom-metric-cohorts'), fullPage: true });
  },
);

test('removes it', LONG, async () => {
  await nav('Settings').click();
  const panel = page.getByRole('region', { name: 'Your own metrics' });
  await panel.getByRole('button', { name: 'Remove de_views' }).click();
  await panel.getByText('None yet.').waitFor();
  const catalog = await host.api.metrics.catalog(path.join(host.workspaceDir, WORKSPACE));
  assert.ok(!catalog.some((m) => m.name === 'de_views'));
});

test('the pages made no request outside loopback and broke no rule of the CSP', async () => {
  assert.ok(seen.length > 0);
  assert.deepEqual(offLoopback(seen), []);
  assert.deepEqual(blocked, []);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(pageErrors, []);
});

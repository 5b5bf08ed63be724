/**
 * Issue 6's end-to-end story, in Chromium against the e2e host: a first-time user creates the demo workspace,
 * opens the top incident, sees its chart and attribution, marks it, replays it, drills into a cohort, exports
 * a masked report, and imports a file with a malformed row and sees the rejection. The whole run is recorded: the last test
 * shows the page made no request outside loopback and broke no rule of its CSP.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Host } from './host/host';
import { launchChromium } from './support/browser';
import type { PageWindow } from './support/page-types';
import { screenshotPath, testHost } from './support/host';
import { offLoopback } from './support/requests';
import { watchedPage } from './support/watched-page';

/** A week (the demo's minimum) of a small store keeps the run short; detection still finds the injected incidents. */
const DEMO_DAYS = '7';
const DEMO_SESSIONS_PER_DAY = '10000';
const LONG = { timeout: 120_000 };

let host: Host;
let browser: Browser;
let page: Page;
let blocked: string[];
let seen: string[];
let violations: () => Promise<string[]>;
let pageErrors: string[];

before(async () => {
  host = await testHost();
  browser = await launchChromium();
  ({ page, blocked, seen, violations, pageErrors } = await watchedPage(browser, host.origin));
});
after(async () => {
  await browser?.close();
  await host?.close();
});

function nav(view: string) {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true });
}

test(
  'a first-time user creates the demo workspace in one click and lands on the Overview',
  LONG,
  async () => {
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Try it on a demo store' }).waitFor();
    await page.screenshot({ path: screenshotPath('01-workspaces') });
    await page.getByLabel('Days of data').fill(DEMO_DAYS);
    await page.getByLabel('Sessions a day').fill(DEMO_SESSIONS_PER_DAY);
    await page.getByRole('button', { name: 'Create demo workspace' }).click();
    await page.getByRole('progressbar').first().waitFor();
    await page.getByRole('heading', { name: 'Overview' }).waitFor(LONG);
    assert.match((await page.locator('.workspace-path').textContent()) ?? '', /demo\.fscope$/);
    assert.ok(
      fs.existsSync(path.join(host.workspaceDir, 'demo.fscope')),
      'the demo is in the workspace folder',
    );
    await page.getByRole('figure', { name: 'Incidents over the period' }).locator('canvas').waitFor(LONG);
    await page.getByRole('group', { name: 'Sessions' }).filter({ hasText: /\d/ }).waitFor(LONG);
    assert.match(await page.getByRole('group', { name: 'Open incidents' }).innerText(), /\d+/);
    await page.screenshot({ path: screenshotPath('02-overview'), fullPage: true });
  },
);

test(
  'opens the top incident from the Overview and sees its chart, attribution and evidence',
  LONG,
  async () => {
    const top = page
      .getByRole('region', { name: 'Open incidents to look at first' })
      .getByRole('button')
      .first();
    await top.waitFor(LONG);
    const title = (await top.textContent()) ?? '';
    await top.click();
    await page.getByRole('heading', { name: 'What explains it' }).waitFor(LONG);
    const chart = page
      .getByRole('figure')
      .filter({ has: page.locator('canvas') })
      .first();
    await chart.waitFor(LONG);
    assert.ok(title.length > 0);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), / (fell|rose) in /);
    const attribution = page.getByRole('region', { name: 'What explains it' });
    assert.match(await attribution.innerText(), /Explains|No narrower cohort/);
    // The engine's evidence, each line with its own explanation.
    const evidence = page.getByRole('region', { name: 'Why: evidence, best first' });
    await evidence
      .locator('.evidence-line')
      .first()
      .or(evidence.getByText('No evidence found'))
      .waitFor(LONG);
    assert.doesNotMatch(await evidence.innerText(), /could not be computed/);
    await page.screenshot({ path: screenshotPath('06-incident'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      chart.getByRole('button', { name: /as SVG$/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^incident-.+\.svg$/);
    assert.match(fs.readFileSync(await download.path(), 'utf8'), /^<svg/);
  },
);

test('marks the incident as a true alarm with a note; the verdict is stored', LONG, async () => {
  const verdict = page.getByRole('region', { name: /Your verdict/ });
  await verdict.getByLabel('Note (optional)').fill('Checked with the payments team');
  await verdict.getByRole('button', { name: 'True alarm' }).click();
  await verdict.getByRole('heading').filter({ hasText: 'True alarm' }).waitFor();
  const workspace = path.join(host.workspaceDir, 'demo.fscope');
  const labelled = (await host.api.incidents.list(workspace)).filter((i) => i.status === 'true_alarm');
  assert.equal(labelled.length, 1);
  assert.equal(labelled[0]?.note, 'Checked with the payments team');
});

test('replays the incident: no detector has fired before the onset, one has by the end', LONG, async () => {
  await page.getByRole('button', { name: 'Replay as it happened' }).click();
  const position = page.getByLabel('Replay position');
  await position.waitFor(LONG);
  await position.fill('1');
  assert.equal(await page.locator('tr.fired').count(), 0, 'nothing fired at the start of the window');
  await page.getByLabel('Speed').selectOption('32');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const playedTo = Number(await position.inputValue());
  assert.ok(playedTo > 1, `playing moved the replay (at ${playedTo})`);
  await position.fill((await position.getAttribute('max')) ?? '1');
  await page.screenshot({ path: screenshotPath('07-replay'), fullPage: true });
  // An incident localised to a combined cohort was raised on a wider one: the replay offers it.
  const wider = page.locator('.wider-cohorts button').first();
  if ((await page.locator('tr.fired').count()) === 0 && (await wider.count()) > 0) {
    await wider.click();
    await position.waitFor(LONG);
    await position.fill((await position.getAttribute('max')) ?? '1');
    await page.screenshot({ path: screenshotPath('07-replay-wider-cohort'), fullPage: true });
  }
  const fired = page.locator('tr.fired').first();
  await fired.waitFor();
  assert.match(await fired.innerText(), /\d+ (min|h)/, 'with its time to detect');
});

test('drills into a cohort, from the incident down one more dimension', LONG, async () => {
  await nav('Incidents').click();
  const list = page.getByRole('listbox', { name: 'Incidents' });
  await list.waitFor(LONG);
  // Keyboard: the list takes focus, arrows move, Enter opens. A category's incident has no visit dimensions to
  // drill into (its button is disabled): the next incident then.
  const explore = page.getByRole('button', { name: 'Explore this cohort' });
  for (let down = 1; ; down++) {
    await list.waitFor(LONG);
    await list.focus();
    for (let k = 0; k < down; k++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await explore.waitFor(LONG);
    if (await explore.isEnabled()) break;
    assert.ok(down < 6, 'an incident of a visit cohort among the first six');
    await page.getByRole('button', { name: '← All incidents' }).click();
  }
  await explore.click();
  const path_ = page.getByRole('navigation', { name: 'Drill-down' });
  await path_.waitFor(LONG);
  const levels = await path_.getByRole('button').count();
  const breakdown = page.getByRole('listbox', { name: 'Breakdown' });
  await breakdown.getByRole('option').first().dblclick();
  await page.waitForFunction(
    (before) =>
      ((globalThis as unknown as PageWindow).document.body.textContent?.match(/›/g)?.length ?? 0) >= before,
    levels,
  );
  assert.equal(await path_.getByRole('button').count(), levels + 1, 'one level deeper');
  assert.match(await path_.innerText(), /=/);
  await page.getByRole('heading', { name: 'Funnel' }).waitFor();
  await page.screenshot({ path: screenshotPath('08-cohorts'), fullPage: true });
});

test('exports a masked report of the incident and finds it in the audit log', LONG, async () => {
  await nav('Incidents').click();
  await page.getByRole('listbox', { name: 'Incidents' }).getByRole('option').first().dblclick();
  await page.getByRole('button', { name: 'Export a report' }).click();
  await page.getByRole('button', { name: 'Export masked report' }).click();
  const written = page.getByRole('region', { name: 'Report written' });
  await written.waitFor(LONG);
  const file = (await written.locator('code').first().textContent()) ?? '';
  assert.ok(file.startsWith(host.workspaceDir) && file.endsWith('.html'), file);
  assert.match(fs.readFileSync(file, 'utf8'), /<html/i);
  const log = page.getByRole('listbox', { name: 'Export audit log' });
  await log.waitFor();
  assert.match(await log.innerText(), /written/);
  await page.screenshot({ path: screenshotPath('09-reports'), fullPage: true });
});

test('imports a file with a malformed row and sees the rejected row with its reason', LONG, async () => {
  const file = path.join(host.workspaceDir, 'events-with-a-bad-row.csv');
  fs.writeFileSync(
    file,
    [
      'event_time,event_name,user_id,session_id,device,price',
      '2026-10-05T10:00:00Z,view_item,u1,s1,mobile,3.50',
      '2026-10-05T10:00:05Z,add_to_cart,u1,s1,mobile,3.50',
      '2026-10-05T10:01:00Z,view_item,u2,s2,desktop',
      '2026-10-05T10:02:00Z,view_item,u3,s3,desktop,9.00',
      '',
    ].join('\n'),
  );
  await nav('Import').click();
  await page.getByLabel('Files to import (one path per line)').fill(path.basename(file));
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('region', { name: /^Preview of/ }).waitFor();
  assert.match(await page.getByRole('region', { name: /^Preview of/ }).innerText(), /CSV[\s\S]*clickstream/);
  await page.screenshot({ path: screenshotPath('03-import-preview'), fullPage: true });
  await page.getByRole('button', { name: /^Import this file/ }).click();
  await page.getByRole('heading', { name: 'Result' }).waitFor(LONG);
  assert.equal(await page.getByTestId('rows-imported').textContent(), '3');
  assert.equal(await page.getByTestId('rows-rejected').textContent(), '1');
  const rejected = page.getByRole('listbox', { name: 'Rejected rows' });
  assert.match(await rejected.innerText(), /4\s+expected 6 fields, found 5/);
  assert.doesNotMatch(await rejected.innerText(), /u2/, 'the user id is masked in the excerpt');
  await page.screenshot({ path: screenshotPath('04-import-result'), fullPage: true });
});

test('a long import shows its progress in rows/s and Cancel rolls it back', LONG, async () => {
  const file = path.join(host.workspaceDir, 'big-export.csv');
  const rows = ['event_time,event_name,user_id,session_id,device,price'];
  const start = Date.UTC(2026, 9, 6);
  for (let i = 0; i < 300_000; i++)
    rows.push(
      `${new Date(start + i * 1000).toISOString()},view_item,u${i % 5000},s${i % 20000},mobile,${i % 90}.5`,
    );
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  const before = (await host.api.workspace.info(path.join(host.workspaceDir, 'demo.fscope'))).events;

  await page.getByRole('button', { name: 'Import more files' }).click();
  await page.getByLabel('Files to import (one path per line)').fill(path.basename(file));
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('button', { name: /^Import this file/ }).click();
  const panel = page.getByRole('region', { name: 'Importing' });
  await page.waitForFunction(
    () =>
      Number(
        (globalThis as unknown as PageWindow).document.body.textContent
          ?.match(/([\d,]+) rows\/s/)?.[1]
          ?.replace(/,/g, '') ?? 0,
      ) > 0,
    undefined,
    LONG,
  );
  assert.match(await panel.innerText(), /Rows read\s+[\d,]+/);
  await page.screenshot({ path: screenshotPath('05-import-progress') });
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Not imported: cancelled').waitFor(LONG);
  const after = (await host.api.workspace.info(path.join(host.workspaceDir, 'demo.fscope'))).events;
  assert.equal(after, before, 'the cancelled file left no event behind');
});

test('the page made no request outside loopback and broke no rule of its CSP', async () => {
  assert.ok(seen.length > 0, 'requests were recorded');
  assert.ok(
    seen.some((url) => url.startsWith('ws://127.0.0.1:')),
    'the API socket was recorded',
  );
  assert.deepEqual(offLoopback(seen), [], 'every request went to 127.0.0.1');
  assert.deepEqual(blocked, [], 'nothing had to be cancelled');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(pageErrors, []);
});

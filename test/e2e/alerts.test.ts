/**
 * Issue 7's alerts in Chromium against the e2e host: the analyst adds a rule, runs detection and finds the new
 * incidents in the inbox, exports a masked digest as an e-mail draft and as JSON, edits the playbook of an
 * incident's kind and sees the edited steps in the incident detail. No request leaves loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Host } from './host/host';
import { launchChromium } from './support/browser';
import { screenshotPath, testHost } from './support/host';
import { offLoopback } from './support/requests';
import { watchedPage } from './support/watched-page';
import { parseEml } from '../integration/support/eml';

const LONG = { timeout: 180_000 };
const WORKSPACE = 'alerts.fscope';
const STEPS = [
  'Tell the owning team in the #incidents channel.',
  'Compare with the same hours of last week.',
];

let host: Host;
let browser: Browser;
let page: Page;
let seen: string[];
let blocked: string[];
let violations: () => Promise<string[]>;
let pageErrors: string[];

before(async () => {
  host = await testHost();
  // A week of a small store, imported but not yet searched: the first detection run happens in the page.
  await host.api.workspace.createDemo(path.join(host.workspaceDir, WORKSPACE), {
    days: 7,
    sessionsPerDay: 8000,
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
const tab = (name: string) =>
  page.getByRole('tablist', { name: 'Alerts sections' }).getByRole('tab', { name });

test('adds an alert rule in the rules editor', LONG, async () => {
  await page.goto(`${host.origin}/?workspace=${WORKSPACE}#token=${host.token}`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor(LONG);
  await nav('Alerts').click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'No alert yet' }).waitFor();
  await tab('Rules').click();
  await page.getByRole('listitem', { name: 'Rule Critical incidents' }).waitFor();
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const editor = page.getByRole('form', { name: 'New rule' });
  await editor.getByLabel('Rule name').fill('Everything, for the growth team');
  await editor.getByLabel('Minimum severity').selectOption('low');
  await editor.getByLabel('Quiet hours').check();
  await editor.getByLabel('From').fill('22:00');
  await editor.getByLabel('To').fill('07:00');
  await page.screenshot({ path: screenshotPath('10-alert-rule-editor'), fullPage: true });
  await editor.getByRole('button', { name: 'Save rule' }).click();
  const rule = page.getByRole('listitem', { name: 'Rule Everything, for the growth team' });
  await rule.waitFor();
  assert.match(await rule.innerText(), /low or worse · all metrics · any cohort · quiet 22:00–07:00/);

  // A cohort line that is not dimension=value is refused with what to write.
  await page.getByRole('button', { name: 'Add a rule' }).click();
  await page.getByRole('form', { name: 'New rule' }).getByLabel('Rule name').fill('Broken');
  await page.getByLabel('All metrics').uncheck();
  await page.getByRole('group', { name: 'Metrics of the rule' }).getByLabel('Checkout conversion').check();
  await page.getByLabel('Cohorts (one filter per line; empty for any cohort)').fill('iOS');
  await page.getByRole('button', { name: 'Save rule' }).click();
  assert.match(await page.getByRole('alert').innerText(), /dimension=value/);
  await page.screenshot({ path: screenshotPath('10b-alert-rule-refused'), fullPage: true });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.screenshot({ path: screenshotPath('11-alert-rules'), fullPage: true });
  const rules = await host.api.alerts.listRules(path.join(host.workspaceDir, WORKSPACE));
  assert.deepEqual(
    rules.map((r) => r.name),
    ['Critical incidents', 'Everything, for the growth team'],
  );
});

test('runs detection and finds the new incidents in the inbox, unread', LONG, async () => {
  await tab('Inbox').click();
  await page.getByRole('button', { name: 'Run detection' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /Found \d+ incidents/ })
    .waitFor(LONG);
  const inbox = page.getByRole('list', { name: 'Alert inbox' });
  await inbox.waitFor(LONG);
  const unread = inbox.getByRole('listitem', { name: /^Unread: / });
  assert.ok((await unread.count()) > 0, 'new incidents are filed unread');
  assert.match(await inbox.innerText(), /rule “Everything, for the growth team”/);
  assert.match(
    await page
      .getByRole('status')
      .filter({ hasText: /unread of/ })
      .innerText(),
    /^(\d+) unread of \1$/,
  );
  await page.screenshot({ path: screenshotPath('12-alert-inbox'), fullPage: true });
});

test('exports the unread alerts as a masked e-mail draft and as JSON', LONG, async () => {
  await page.getByLabel('To', { exact: true }).fill('Growth team <growth@shop.example>');
  await page.getByLabel('Write the digest to').fill('digest.eml');
  await page.getByRole('button', { name: 'Export digest' }).click();
  const written = page.getByRole('region', { name: 'Digest written' });
  await written.waitFor(LONG);
  const file = path.join(host.workspaceDir, 'digest.eml');
  assert.equal(await written.locator('code').first().textContent(), file);
  const eml = parseEml(fs.readFileSync(file, 'utf8'));
  assert.equal(eml.headers.get('to'), 'Growth team <growth@shop.example>');
  assert.deepEqual(
    eml.parts.map((p) => p.contentType),
    ['text/plain', 'text/html'],
  );
  assert.doesNotMatch(eml.parts[1]?.body ?? '', /https?:|src=|href=/);
  await page.screenshot({ path: screenshotPath('13-alert-digest'), fullPage: true });

  await page.getByLabel('Format').selectOption('json');
  await page.getByLabel('Write the digest to').fill('digest.json');
  await page.getByRole('button', { name: 'Export digest' }).click();
  await page.getByRole('region', { name: 'Digest written' }).filter({ hasText: 'JSON' }).waitFor(LONG);
  const json = JSON.parse(fs.readFileSync(path.join(host.workspaceDir, 'digest.json'), 'utf8')) as {
    alerts: unknown[];
  };
  assert.ok(json.alerts.length > 0);
  const audit = await host.api.reports.audit(path.join(host.workspaceDir, WORKSPACE));
  assert.deepEqual(
    audit.map((e) => path.basename(e.file)),
    ['digest.eml', 'digest.json'],
  );
});

test('edits the playbook of an incident from its detail and sees the edited steps there', LONG, async () => {
  const first = page.getByRole('list', { name: 'Alert inbox' }).getByRole('listitem').first();
  const title = (await first.getByRole('button').first().innerText()).replace(/^● /, '');
  await first.getByRole('button').first().click();
  const playbook = page.getByRole('region', { name: 'What to do: playbook' });
  await playbook.getByRole('list', { name: 'Playbook steps' }).waitFor(LONG);
  assert.match(
    await page.getByRole('heading', { level: 1 }).innerText(),
    new RegExp(title.split(' in ')[0] ?? ''),
  );
  assert.match(await playbook.innerText(), /built-in/);

  await playbook.getByRole('button', { name: 'Edit this playbook' }).click();
  await page.getByRole('heading', { name: 'Playbooks' }).waitFor();
  await page.getByLabel('Steps, one per line').fill(STEPS.join('\n'));
  await page.getByRole('button', { name: 'Save steps' }).click();
  await page.getByRole('status').filter({ hasText: 'your steps saved' }).waitFor();
  await page.screenshot({ path: screenshotPath('14-playbook-editor'), fullPage: true });

  await tab('Inbox').click();
  const opened = page.getByRole('list', { name: 'Alert inbox' }).getByRole('listitem').first();
  assert.doesNotMatch(
    (await opened.getAttribute('aria-label')) ?? '',
    /^Unread/,
    'opening it marked it read',
  );
  await opened.getByRole('button').first().click();
  const steps = page
    .getByRole('region', { name: 'What to do: playbook' })
    .getByRole('list', { name: 'Playbook steps' });
  await steps.waitFor(LONG);
  assert.deepEqual(await steps.getByRole('listitem').allInnerTexts(), STEPS);
  assert.match(
    await page.getByRole('region', { name: 'What to do: playbook' }).innerText(),
    /edited for this workspace/,
  );
  await page.screenshot({ path: screenshotPath('15-incident-playbook'), fullPage: true });
});

test('the alerts pages made no request outside loopback and broke no rule of the CSP', async () => {
  assert.ok(seen.length > 0);
  assert.deepEqual(offLoopback(seen), []);
  assert.deepEqual(blocked, []);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(pageErrors, []);
});

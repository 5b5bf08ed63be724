import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { Host } from './host/host';
import { appContext, launchChromium } from './support/browser';
import { testHost } from './support/host';
import type { PageWindow } from './support/page-types';
import { recordRequests } from './support/requests';

const EXTERNAL = 'external.example';
let host: Host;
let browser: Browser;
/** A server that stands in for the outside world: a navigation that got out would show up as a hit. */
let canary: http.Server;
const canaryHits: string[] = [];
let canaryUrl = '';

before(async () => {
  host = await testHost();
  canary = http.createServer((req, res) => {
    canaryHits.push(req.url ?? '');
    res.end('<h1>outside</h1>');
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.2', resolve));
  canaryUrl = `http://${EXTERNAL}:${(canary.address() as AddressInfo).port}/`;
  browser = await launchChromium({ [EXTERNAL]: '127.0.0.2' });
});
after(async () => {
  await browser?.close();
  canary?.close();
  await host?.close();
});

test('the canary is reachable when nothing blocks it (so a zero count below means something)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${canaryUrl}control`);
  assert.equal(await page.textContent('h1'), 'outside');
  assert.ok(canaryHits.includes('/control'));
  await context.close();
});

test('the page has no Node: window.require, process, module and Buffer are undefined', async () => {
  const { context } = await appContext(browser, host.origin);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
  const globals = await page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    return ['require', 'process', 'module', 'Buffer', 'global'].map((name) => [name, typeof w[name]]);
  });
  assert.deepEqual(globals, [
    ['require', 'undefined'],
    ['process', 'undefined'],
    ['module', 'undefined'],
    ['Buffer', 'undefined'],
    ['global', 'undefined'],
  ]);
  assert.equal(
    await page.evaluate(() => typeof (globalThis as unknown as PageWindow).funnelscope?.workspace.open),
    'function',
  );
  await context.close();
});

test('navigation to an external URL is not performed: links and window.open are refused, other attempts cancelled', async () => {
  const { context, blocked } = await appContext(browser, host.origin);
  const page = await context.newPage();
  const seen = await recordRequests(page);
  await page.goto(host.url);
  await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
  await page.evaluate(() =>
    (globalThis as unknown as PageWindow).funnelscope?.workspace.info('nothing.fscope').catch(() => null),
  );

  // A link to the outside, as a compromised or careless piece of content might render: the app cancels the click.
  await page.evaluate((href) => {
    const { document } = globalThis as unknown as PageWindow;
    const a = document.createElement('a');
    a.href = href;
    a.textContent = 'outside link';
    document.body.append(a);
  }, `${canaryUrl}link`);
  await page.getByText('outside link').click();
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as PageWindow).open('https://example.com/')),
    null,
  );

  // Script navigation cannot be stopped by the page itself; the session cancels it (Electron: will-navigate).
  await page
    .evaluate((href) => (globalThis as unknown as PageWindow).location.assign(href), `${canaryUrl}script`)
    .catch(() => undefined);
  await page.waitForTimeout(500);

  assert.deepEqual(
    canaryHits.filter((path) => path !== '/control' && path !== '/favicon.ico'),
    [],
    'the outside server was never reached',
  );
  assert.ok(page.url().startsWith(host.origin), `still on the app, not ${page.url()}`);
  assert.ok(await page.getByRole('heading', { name: 'Workspaces' }).isVisible(), 'the app still works');
  assert.equal(context.pages().length, 1, 'no new window');
  assert.deepEqual(
    blocked.map((u) => new URL(u).hostname),
    [EXTERNAL],
    'only the scripted navigation reached the session filter, and it was cancelled',
  );
  assert.ok(
    seen.some((u) => u.startsWith(`ws://127.0.0.1`)),
    'the API socket is recorded too',
  );
  await context.close();
});

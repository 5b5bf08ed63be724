import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { chromiumPath } from './chromium';

/**
 * Chromium with its own background traffic (updates, safe browsing, sync) off, and host names that do not
 * resolve except loopback and the ones a test maps (to a canary server on another loopback address).
 */
export async function launchChromium(mapHosts: Record<string, string> = {}): Promise<Browser> {
  const rules = [
    ...Object.entries(mapHosts).map(([name, address]) => `MAP ${name} ${address}`),
    'MAP * ~NOTFOUND',
    'EXCLUDE 127.0.0.1',
  ];
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-domain-reliability',
      `--host-resolver-rules=${rules.join(', ')}`,
    ],
  });
}

/**
 * A context that behaves like the app's Electron session: every request that is not the host's own is
 * cancelled (main/security.ts decideRequest does the same) and listed in `blocked`.
 */
export async function appContext(
  browser: Browser,
  origin: string,
): Promise<{ context: BrowserContext; blocked: string[] }> {
  const context = await browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const blocked: string[] = [];
  const own = new URL(origin);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === own.host && url.protocol === 'http:') return route.continue();
    blocked.push(url.href);
    // A navigation answered "204 No Content" is not committed: the window stays on the app, as with Electron's
    // will-navigate being prevented. Anything else is simply cancelled.
    if (route.request().isNavigationRequest()) return route.fulfill({ status: 204 });
    return route.abort('blockedbyclient');
  });
  return { context, blocked };
}

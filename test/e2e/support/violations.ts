import type { Page } from 'playwright-core';

interface ViolationWindow {
  __cspViolations?: string[];
  addEventListener(
    type: string,
    listener: (event: { violatedDirective: string; blockedURI: string }) => void,
  ): void;
}

/**
 * Collects Content-Security-Policy violations of the page (an init script runs before the app, outside the
 * page's CSP), so a test can show the app works under its policy rather than merely loading.
 */
export async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = globalThis as unknown as ViolationWindow;
    w.__cspViolations = [];
    w.addEventListener('securitypolicyviolation', (event) =>
      w.__cspViolations?.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (globalThis as unknown as ViolationWindow).__cspViolations ?? []);
}

import type { Browser, Page } from 'playwright-core';
import { appContext } from './browser';
import { recordRequests } from './requests';
import { watchCspViolations } from './violations';

/** A page of the app in a context like Electron's session, with everything the no-leak tests check recorded. */
export interface WatchedPage {
  page: Page;
  /** Requests the context cancelled (not the app's own). */
  blocked: string[];
  /** Every request the page made. */
  seen: string[];
  violations: () => Promise<string[]>;
  pageErrors: string[];
}

export async function watchedPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const app = await appContext(browser, origin);
  const page = await app.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    page,
    blocked: app.blocked,
    seen: await recordRequests(page),
    violations: await watchCspViolations(page),
    pageErrors,
  };
}

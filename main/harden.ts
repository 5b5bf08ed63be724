/**
 * Wires the pure decisions of security.ts to Electron's hooks. Nothing here decides anything itself.
 */
import fs from 'node:fs/promises';
import { protocol, shell, type Session, type WebContents } from 'electron';
import { appResponseHeaders, resolveAppFile } from './app-protocol';
import {
  APP_SCHEME,
  decidePermission,
  decideRequest,
  describeUrl,
  isAllowedExternal,
  isAllowedNavigation,
} from './security';

export type Log = (message: string) => void;

/**
 * Declares app:// before the app is ready: `standard` gives it real origins (so 'self', relative URLs and
 * localStorage work), `secure` makes it a secure context like https (crypto.randomUUID, no mixed content).
 * No CSP bypass, and no `corsEnabled`: the page's module scripts are same-origin and need none, and leaving it
 * unset keeps app:// unreadable from any other origin.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the renderer folder on app://funnelscope/, read-only, with the CSP on every response. */
export function serveRenderer(session: Session, root: string): void {
  const notFound = () => new Response('Not found', { status: 404, headers: appResponseHeaders('404.txt') });
  session.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, root);
    if (!file || request.method !== 'GET') return notFound();
    try {
      return new Response(await fs.readFile(file), { status: 200, headers: appResponseHeaders(file) });
    } catch {
      if (!file.endsWith('index.html')) return notFound();
      // A development checkout where Vite has not built the page yet: say so in the window.
      const hint = `The app's page is not built (${file} is missing): run "npx vite build --config renderer/vite.config.ts", then start again.`;
      return new Response(hint, { status: 503, headers: appResponseHeaders('hint.txt') });
    }
  });
}

/**
 * The session's guarantees: every request that is not the app's own is cancelled and logged, permissions
 * are refused, downloads other than the page's own data (exported charts and reports) are cancelled, and
 * the spell checker is off because it would download dictionaries.
 */
export function hardenSession(session: Session, log: Log): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const decision = decideRequest(details.url);
    if (decision.action === 'cancel')
      log(`Blocked a ${details.resourceType} request to ${describeUrl(details.url)}: ${decision.reason}.`);
    callback({ cancel: decision.action === 'cancel' });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = decidePermission(permission);
    if (!granted) log(`Refused the permission "${permission}".`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission) => decidePermission(permission));
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.on('will-download', (event, item) => {
    if (decideRequest(item.getURL()).action === 'cancel') {
      log(`Blocked a download from ${describeUrl(item.getURL())}.`);
      event.preventDefault();
    }
  });
}

/** The one way to open something outside the app: documentation pages, checked first, in the browser. */
export function openExternalSafely(url: string, log: Log): boolean {
  if (!isAllowedExternal(url)) {
    log(`Refused to open ${describeUrl(url)} outside the app: not a documentation page.`);
    return false;
  }
  // Checked on the line above by isAllowedExternal: https documentation hosts only.
  void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  return true;
}

/**
 * Every page (the window and anything it might create): no navigation away from the app, no redirects out
 * of it, no new windows (a documentation link opens in the browser instead), no <webview>.
 */
export function hardenContents(contents: WebContents, log: Log): void {
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    if (!openExternalSafely(event.url, () => undefined))
      log(`Blocked navigation to ${describeUrl(event.url)}.`);
  });
  contents.on('will-redirect', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log(`Blocked a redirect to ${describeUrl(event.url)}.`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!openExternalSafely(url, () => undefined)) log(`Blocked a new window for ${describeUrl(url)}.`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>.');
  });
}

/**
 * Every security decision of the app shell as a small pure function, so each one is unit-tested without
 * Electron (test/unit/security.test.ts). `harden.ts` only wires them to Electron's hooks.
 *
 * The renderer is served from a custom `app://funnelscope/` origin rather than file://, because:
 * - with file://, 'self' in the CSP and the same-origin policy cover every file on the disk, so a compromised
 *   page could read any file; app:// serves dist/renderer and nothing else (see app-protocol.ts);
 * - file:// responses carry no headers, so the CSP could only be a <meta> tag the page itself controls;
 *   our protocol handler puts the CSP on every response, where the page cannot remove it;
 * - the app's own requests are then told apart from every other request by origin alone.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'funnelscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The only sites the app may open, in the user's browser: documentation. */
export const DOCUMENTATION_HOSTS: readonly string[] = ['docs.funnelscope.app'];
export const DOCUMENTATION_URL = 'https://docs.funnelscope.app/';

/**
 * The Content-Security-Policy of every app response. React and ECharts need no eval and Vite's CSS is a file,
 * so scripts and style sheets come from the app only. Inline style *attributes* are allowed because ECharts
 * writes its tooltips as HTML with style attributes; they cannot run code, and with images, fonts and
 * connections limited to the app there is nowhere for CSS to send data. data:/blob: images are the chart
 * pictures the app exports itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of the app itself: app://funnelscope/…, with no credentials or port. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** The URL the window loads; the renderer reads the open workspace from the `workspace` query parameter. */
export function appUrl(workspace?: string): string {
  const url = new URL('/index.html', APP_ORIGIN);
  if (workspace) url.searchParams.set('workspace', workspace);
  return url.toString();
}

export type RequestDecision = { action: 'allow' } | { action: 'cancel'; reason: string };

/**
 * Decides every request of the session. Only the app's own resources load; data: and blob: URLs are made
 * in memory by the page itself (a blob must belong to the app's origin); the DevTools front end is bundled
 * with Electron (and DevTools exist only in development builds). Everything else, including file:// and any
 * network scheme, is cancelled: no byte leaves the machine.
 */
export function decideRequest(url: string): RequestDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  const parsed = parse(url);
  if (!parsed) return { action: 'cancel', reason: 'not a valid URL' };
  if (parsed.protocol === 'data:' || parsed.protocol === 'devtools:') return { action: 'allow' };
  if (parsed.protocol === 'blob:' && isAppUrl(url.slice('blob:'.length))) return { action: 'allow' };
  return { action: 'cancel', reason: `${parsed.protocol} is not the app's own origin` };
}

/**
 * What the log says about a refused URL: scheme and host only. A path or query string could carry data the
 * page tried to send, and the log must not become the leak.
 */
export function describeUrl(url: string): string {
  const parsed = parse(url);
  if (!parsed) return '(invalid URL)';
  if (parsed.host) return `${parsed.protocol}//${parsed.host}`;
  return `${parsed.protocol}…`;
}

/** In-window navigation (and redirects) may only go to the app's own pages. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** The one check before `shell.openExternal`: https documentation pages only, nothing else. */
export function isAllowedExternal(url: string, hosts: readonly string[] = DOCUMENTATION_HOSTS): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === 'https:' &&
    hosts.includes(parsed.hostname) &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Permission requests and checks (camera, notifications from the page, clipboard reading, geolocation,
 * HID, …): all refused. The app's desktop notifications come from the main process, which needs none.
 */
export function decidePermission(_permission: string): boolean {
  return false;
}

/** The frame an IPC message came from, as far as the check needs it. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** IPC is answered only for the app's own top-level page, never for a sub-frame or a foreign page. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return Boolean(frame && frame.parent === null && isAppUrl(frame.url));
}

import type { Page } from 'playwright-core';

/**
 * Every request a page starts, seen twice: by Playwright (`request`, `websocket`) and by the DevTools
 * protocol's network domain, which also sees what Playwright's routing does not (e.g. WebSocket handshakes).
 */
export async function recordRequests(page: Page): Promise<string[]> {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => urls.push(event.request.url));
  cdp.on('Network.webSocketCreated', (event) => urls.push(event.url));
  return urls;
}

/** URLs that would leave the machine: anything but loopback 127.0.0.1 (data: and blob: are made in memory). */
export function offLoopback(urls: readonly string[]): string[] {
  return urls.filter((raw) => {
    const url = new URL(raw);
    if (url.protocol === 'data:') return false;
    if (url.protocol === 'blob:') return new URL(raw.slice('blob:'.length)).hostname !== '127.0.0.1';
    return url.hostname !== '127.0.0.1';
  });
}

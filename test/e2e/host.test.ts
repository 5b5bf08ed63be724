import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import WebSocket from 'ws';
import type { Host } from './host/host';
import { API_PATH, type HostMessage } from './host/protocol';
import { testHost } from './support/host';

let host: Host;
before(async () => {
  host = await testHost();
});
after(async () => {
  await host.close();
});

function wsUrl(token?: string): string {
  return `ws://127.0.0.1:${new URL(host.origin).port}${API_PATH}${token === undefined ? '' : `?token=${token}`}`;
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function connectStatus(url: string, origin = host.origin): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${host.origin}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

async function call(method: string, args: unknown[]): Promise<HostMessage> {
  const ws = new WebSocket(wsUrl(host.token), { origin: host.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const reply = new Promise<HostMessage>((resolve) =>
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as HostMessage;
      if (message.type !== 'progress') resolve(message);
    }),
  );
  ws.send(JSON.stringify({ type: 'call', id: 1, method, args }));
  const message = await reply;
  ws.close();
  return message;
}

test('a connection without the run token, with a wrong one, or from another origin is refused', async () => {
  assert.equal(await connectStatus(wsUrl()), 401);
  assert.equal(await connectStatus(wsUrl('not-the-token')), 401);
  assert.equal(await connectStatus(wsUrl(host.token), 'http://evil.example'), 403);
  assert.equal(await connectStatus(wsUrl(host.token)), 101);
});

test('calls cross as JSON and errors come back as {code, message}', async () => {
  const missing = await call('workspace.info', ['does-not-exist.fscope']);
  assert.equal(missing.type, 'error');
  assert.ok(
    missing.type === 'error' && missing.error.code === 'WORKSPACE_NOT_FOUND',
    JSON.stringify(missing),
  );
  const unknown = await call('fs.readFile', ['/etc/passwd']);
  assert.ok(unknown.type === 'error' && unknown.error.code === 'BAD_ARGUMENT', JSON.stringify(unknown));
  const opened = await call('workspace.open', ['empty.fscope', { create: true, timeZone: 'UTC' }]);
  assert.equal(opened.type, 'result', JSON.stringify(opened));
  assert.ok(
    opened.type === 'result' && (opened.value as { path: string }).path.startsWith(host.workspaceDir),
  );
});

test('the page is served with the CSP, and only to its own loopback address', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, new RegExp(`connect-src ws://127\\.0\\.0\\.1:${new URL(host.origin).port}(;|$)`));
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.doesNotMatch(page.body, new RegExp(host.token), 'the token is not in the served page');
  assert.equal((await get('/', { Host: 'rebound.example:80' })).status, 421);
  assert.equal((await get('/..%2f..%2fpackage.json')).status, 404);
});

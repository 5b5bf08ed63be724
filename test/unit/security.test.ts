import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  appUrl,
  CONTENT_SECURITY_POLICY,
  decidePermission,
  decideRequest,
  describeUrl,
  isAllowedExternal,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
} from '../../main/security';
import { appResponseHeaders, mimeType, resolveAppFile } from '../../main/app-protocol';

test('only app://funnelscope URLs are the app', () => {
  assert.ok(isAppUrl('app://funnelscope/index.html'));
  assert.ok(isAppUrl('app://funnelscope/assets/index-abc.js?x=1#top'));
  for (const url of [
    'app://other/index.html',
    'app://funnelscope.evil.com/index.html',
    'app://user:pw@funnelscope/index.html',
    'app://funnelscope:8080/index.html',
    'file:///work/dist/renderer/index.html',
    'https://funnelscope/index.html',
    'http://127.0.0.1/',
    'not a url',
    '',
  ])
    assert.equal(isAppUrl(url), false, url);
});

test('the window URL carries the workspace as a query parameter', () => {
  assert.equal(appUrl(), 'app://funnelscope/index.html');
  const url = new URL(appUrl('/home/ana/Q3 drop.fscope'));
  assert.ok(isAppUrl(url.toString()));
  assert.equal(url.searchParams.get('workspace'), '/home/ana/Q3 drop.fscope');
});

test('every request that is not the app own is cancelled', () => {
  assert.deepEqual(decideRequest('app://funnelscope/assets/app.css'), { action: 'allow' });
  assert.deepEqual(decideRequest('data:image/png;base64,AAAA'), { action: 'allow' });
  assert.deepEqual(decideRequest('blob:app://funnelscope/1b7c1a4e-0000'), { action: 'allow' });
  assert.deepEqual(decideRequest('devtools://devtools/bundled/inspector.html'), { action: 'allow' });
  for (const url of [
    'https://example.com/collect?u=1',
    'http://localhost:5173/',
    'ws://127.0.0.1:9000/',
    'file:///etc/passwd',
    'blob:https://example.com/uuid',
    'ftp://example.com/',
    'chrome-extension://abc/x.js',
    'app://elsewhere/x',
    '::::',
  ]) {
    const decision = decideRequest(url);
    assert.equal(decision.action, 'cancel', url);
  }
});

test('a refused URL is logged without its path or query', () => {
  assert.equal(describeUrl('https://tracker.example.com/pixel?email=a@b.c'), 'https://tracker.example.com');
  assert.equal(describeUrl('file:///home/ana/secret.csv'), 'file:…');
  assert.equal(describeUrl('nonsense'), '(invalid URL)');
});

test('the CSP allows the app only: no eval, no inline script, no remote origin', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name as string, values];
    }),
  );
  assert.deepEqual(directives.get('default-src'), ["'self'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('style-src'), ["'self'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('base-uri'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe-eval'));
  assert.ok(!/script-src[^;]*unsafe-inline/.test(CONTENT_SECURITY_POLICY));
  assert.ok(!/https?:|wss?:|\*/.test(CONTENT_SECURITY_POLICY), 'no remote origin or wildcard');
});

test('navigation and redirects stay inside the app', () => {
  assert.ok(isAllowedNavigation('app://funnelscope/index.html?workspace=%2Fa.fscope'));
  assert.equal(isAllowedNavigation('https://docs.funnelscope.app/'), false);
  assert.equal(isAllowedNavigation('file:///tmp/dropped.csv'), false);
});

test('external links: https documentation only', () => {
  assert.ok(isAllowedExternal('https://docs.funnelscope.app/import#mapping'));
  for (const url of [
    'http://docs.funnelscope.app/',
    'https://docs.funnelscope.app.evil.com/',
    'https://evil.com/?docs.funnelscope.app',
    'https://user@docs.funnelscope.app/',
    'https://docs.funnelscope.app:8443/',
    'file:///etc/passwd',
    'smb://host/share',
    'javascript:alert(1)',
    'ms-msdt:/id',
  ])
    assert.equal(isAllowedExternal(url), false, url);
  assert.ok(isAllowedExternal('https://example.org/', ['example.org']));
});

test('every permission is refused', () => {
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid'])
    assert.equal(decidePermission(permission), false);
});

test('IPC is answered for the app top-level frame only', () => {
  assert.ok(isTrustedSender({ url: 'app://funnelscope/index.html', parent: null }));
  assert.equal(isTrustedSender({ url: 'app://funnelscope/index.html', parent: {} }), false);
  assert.equal(isTrustedSender({ url: 'https://example.com/', parent: null }), false);
  assert.equal(isTrustedSender(null), false);
});

test('app:// serves files of the renderer folder only', () => {
  const root = path.resolve('/opt/funnelscope/dist/renderer');
  assert.equal(resolveAppFile('app://funnelscope/index.html', root), path.join(root, 'index.html'));
  assert.equal(resolveAppFile('app://funnelscope/', root), path.join(root, 'index.html'));
  assert.equal(resolveAppFile('app://funnelscope/incidents/42', root), path.join(root, 'index.html'));
  assert.equal(
    resolveAppFile('app://funnelscope/assets/index-x1.js?v=2', root),
    path.join(root, 'assets/index-x1.js'),
  );
  assert.equal(resolveAppFile('app://funnelscope/a%20b.png', root), path.join(root, 'a b.png'));
  for (const url of [
    'app://funnelscope/../../etc/passwd',
    'app://funnelscope/%2e%2e/%2e%2e/etc/passwd',
    'app://funnelscope/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://funnelscope/..%5c..%5csecret.txt',
    'app://funnelscope/x%00.js',
    'app://funnelscope/%E0%A4%A',
    'app://other/index.html',
    'file:///opt/funnelscope/dist/renderer/index.html',
  ]) {
    const file = resolveAppFile(url, root);
    assert.ok(file === null || file.startsWith(root + path.sep), `${url} → ${file}`);
  }
  assert.equal(resolveAppFile('app://funnelscope/assets/..%2f..%2f..%2fetc%2fpasswd', root), null);
});

test('app responses carry the CSP and an exact content type', () => {
  const headers = appResponseHeaders('/r/assets/index.js');
  assert.equal(headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
  assert.equal(headers['Content-Type'], 'text/javascript; charset=utf-8');
  assert.equal(headers['X-Content-Type-Options'], 'nosniff');
  assert.equal(mimeType('x.CSS'), 'text/css; charset=utf-8');
  assert.equal(mimeType('x.unknown'), 'application/octet-stream');
});

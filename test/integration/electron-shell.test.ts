/**
 * The Electron shell (main/index.ts and main/preload.ts) run under Node with a recording stand-in for the
 * `electron` module, since the Electron binary cannot be downloaded here: window, session hooks, app://
 * protocol, IPC from the preload's bridge through the real worker pool, and a quit in the middle of an import.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { FunnelscopeApi } from '../../shared/api';
import { API_METHODS } from '../../shared/api-methods';
import type { ImportProgress } from '../../shared/ingest';
import { CONTENT_SECURITY_POLICY } from '../../main/security';
import { PDF_PARTITION, PRINT_OPTIONS } from '../../main/pdf-print';
import { REES46, tempDir } from './helpers';

register('./support/electron-hook.mjs', import.meta.url);
const fake = await import('./support/fake-electron');
const { recorded } = fake;

const root = tempDir('fscope-shell-');
const workspace = path.join(root, 'shell.fscope');

/** An app folder as the bundle lays it out: renderer files, and workers that run the TypeScript sources. */
function layOutApp(): void {
  const dist = path.join(root, 'app', 'dist');
  fs.mkdirSync(path.join(dist, 'renderer', 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(dist, 'renderer', 'index.html'),
    '<!doctype html><script src="./assets/app.js"></script>',
  );
  fs.writeFileSync(path.join(dist, 'renderer', 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(dist, 'package.json'), '{"type":"module"}');
  const tsx = import.meta.resolve('tsx/esm/api');
  for (const name of ['writer.worker', 'reader.worker']) {
    const source = pathToFileURL(path.resolve('workers', `${name}.ts`)).href;
    fs.writeFileSync(
      path.join(dist, `${name}.js`),
      `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});\n`,
    );
  }
  fake.app.appPath = path.join(root, 'app');
  fake.app.userData = path.join(root, 'userData');
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

layOutApp();
process.argv.push(`--workspace=${workspace}`);
await import('../../main/index');
fake.app.ready();
await until(() => recorded.windows.length === 1, 'the window');
await import('../../main/preload');
const bridge = recorded.exposed.funnelscope as FunnelscopeApi;
const window = recorded.windows[0] as InstanceType<typeof fake.BrowserWindow>;

test('before ready: sandbox for every renderer, app:// as a standard secure scheme, single instance', () => {
  assert.equal(recorded.sandboxEnabled, true);
  assert.deepEqual(recorded.privilegedSchemes, [
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  assert.deepEqual(recorded.singleInstanceData, { workspace });
});

test('one isolated, sandboxed window on the app page named by --workspace', () => {
  const prefs = window.options.webPreferences as Record<string, unknown>;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.spellcheck, false);
  assert.equal(prefs.preload, path.join(root, 'app', 'dist', 'main', 'preload.cjs'));
  const url = new URL(window.url);
  assert.equal(`${url.protocol}//${url.host}${url.pathname}`, 'app://funnelscope/index.html');
  assert.equal(url.searchParams.get('workspace'), workspace);
});

test('the preload exposes the contract and the dialogs, and every method has its IPC handler', () => {
  const exposed = Object.entries(bridge).flatMap(([group, methods]) =>
    Object.keys(methods as object).map((name) => `${group}.${name}`),
  );
  assert.deepEqual(exposed.sort(), [...API_METHODS].sort());
  assert.deepEqual(Object.keys(recorded.exposed).sort(), ['funnelscope', 'funnelscopeDialogs']);
  for (const method of API_METHODS) assert.ok(recorded.ipcHandlers.has(`fs:${method}`), method);
});

test('app:// serves the renderer folder with the CSP, and nothing outside it', async () => {
  const handler = recorded.protocolHandlers.get('app');
  assert.ok(handler);
  const page = await handler(new Request('app://funnelscope/index.html?workspace=x'));
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const script = await handler(new Request('app://funnelscope/assets/app.js'));
  assert.equal(await script.text(), 'console.log("app")');
  for (const url of [
    'app://funnelscope/%2e%2e/%2e%2e/userData/recent-workspaces.json',
    'app://funnelscope/none.js',
  ])
    assert.equal((await handler(new Request(url))).status, 404, url);
});

test('the session cancels foreign requests, refuses permissions, keeps the spell checker off', () => {
  const decide = (url: string) => {
    let cancel: boolean | undefined;
    recorded.beforeRequest?.(
      { url, resourceType: 'xhr' } as never,
      ((r: { cancel: boolean }) => (cancel = r.cancel)) as never,
    );
    return cancel;
  };
  assert.equal(decide('app://funnelscope/assets/app.js'), false);
  assert.equal(decide('https://example.com/beacon'), true);
  assert.equal(decide('file:///etc/passwd'), true);
  let granted: boolean | undefined;
  recorded.permissionRequest?.({} as never, 'media' as never, ((g: boolean) => (granted = g)) as never);
  assert.equal(granted, false);
  assert.equal(recorded.permissionCheck?.({} as never, 'clipboard-read' as never), false);
  assert.equal(recorded.spellChecker, false);
});

test('navigation away and new windows are denied; documentation opens in the browser', () => {
  const navigate = (url: string) => {
    const event = {
      url,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    window.webContents.emit('will-navigate', event);
    return event.defaultPrevented;
  };
  assert.equal(navigate('https://evil.example/'), true);
  assert.equal(navigate('app://funnelscope/index.html'), false);
  const open = window.webContents.windowOpenHandler;
  assert.deepEqual(open?.({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(open?.({ url: 'https://docs.funnelscope.app/import' }), { action: 'deny' });
  assert.deepEqual(recorded.openedExternally, ['https://docs.funnelscope.app/import']);
});

test('calls cross from the bridge to the engine: create, import with progress, errors as {code, message}', async () => {
  const info = await bridge.workspace.open(workspace, { create: true, timeZone: 'UTC' });
  assert.equal(info.path, workspace);
  const seen: ImportProgress[] = [];
  const [result] = await bridge.ingest.importFiles(
    workspace,
    [REES46],
    {},
    { jobId: 'first', onProgress: (p) => seen.push(p) },
  );
  assert.ok(result && 'rowsImported' in result && result.rowsImported === 1000);
  assert.ok(seen.length > 0, 'progress reached the page');
  assert.equal(fake.ipcRenderer.listenerCount('fs:progress:first'), 0);

  await assert.rejects(bridge.workspace.info(path.join(root, 'missing.fscope')), (error: unknown) => {
    assert.ok(!(error instanceof Error));
    assert.equal((error as { code: string }).code, 'WORKSPACE_NOT_FOUND');
    return true;
  });

  // The opened workspace is remembered, its secret kept encrypted in user data, no key file beside it.
  const recent = JSON.parse(fs.readFileSync(path.join(root, 'userData', 'recent-workspaces.json'), 'utf8'));
  assert.equal(recent.recent[0].path, workspace);
  assert.deepEqual(recorded.recentDocuments, [workspace]);
  assert.equal(fs.readdirSync(path.join(root, 'userData', 'workspace-keys')).length, 1);
  assert.ok(!fs.existsSync(`${workspace}.key`));
  const menu = JSON.stringify(recorded.menu);
  assert.ok(menu.includes('shell.fscope'), 'the recent workspace is in the menu');
});

test('a page that is not the app gets no answer', async () => {
  fake.renderer.frame = { url: 'https://evil.example/', parent: null };
  try {
    await assert.rejects(bridge.workspace.info(workspace), (error: { message: string }) =>
      /not the app's own/.test(error.message),
    );
  } finally {
    fake.renderer.frame = null;
  }
});

test('a PDF report is printed by Electron in a hidden, sandboxed window of an offline session of its own', async () => {
  const out = path.join(root, 'report.pdf');
  const result = await bridge.reports.export(workspace, { template: 'executive', format: 'pdf', out });
  assert.equal(result.files[0]?.file, out);
  assert.match(fs.readFileSync(out, 'latin1'), /^%PDF-1\.7\n% fake print of \d+ characters/);
  const [print] = recorded.printed;
  assert.ok(print, 'printToPDF was called, not a separate Chromium');
  assert.deepEqual(print.options, PRINT_OPTIONS);
  assert.match(print.html, /Executive incident report/);
  assert.match(print.url, /^file:\/\/.*funnelscope-pdf-[^/]+\/report\.html$/);
  assert.ok(!fs.existsSync(new URL(print.url)), 'the temporary page is removed');
  const prefs = print.windowOptions.webPreferences as Record<string, unknown>;
  assert.equal(print.windowOptions.show, false);
  for (const [key, value] of Object.entries({
    javascript: false,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webviewTag: false,
    devTools: false,
  }))
    assert.equal(prefs[key], value, key);
  assert.equal(prefs.preload, undefined, 'no preload: the print window has no bridge');
  const printing = recorded.partitions.get(PDF_PARTITION);
  assert.equal(prefs.session, printing);
  assert.ok(printing?.decide('https://fonts.example.com/x.woff2'), 'the network is refused');
  assert.ok(printing?.decide(print.url), 'the page is refused once printed');
  assert.equal(printing?.spellChecker, false);
  assert.equal(recorded.windows.length, 1, 'the print window is gone');
  const audit = await bridge.reports.audit(workspace);
  assert.equal(audit.at(-1)?.sha256, result.files[0]?.sha256);
});

test('alerts after detection raise a desktop notification as the rules say', async () => {
  const demo = path.join(root, 'alerts.fscope');
  await bridge.workspace.createDemo(demo, { days: 8, seed: 9, sessionsPerDay: 600 });
  // Quiet around the clock except one minute: nothing is shown, the inbox still fills.
  const { timeZone } = await bridge.settings.get(demo);
  const now = new Date();
  const minute = (d: Date) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(d);
  const quiet = await bridge.alerts.saveRule(demo, {
    name: 'All, quietly',
    enabled: true,
    minSeverity: 'low',
    metrics: 'all',
    cohorts: 'any',
    quietHours: {
      from: minute(new Date(now.getTime() - 3_600_000)),
      to: minute(new Date(now.getTime() + 3_600_000)),
    },
  });
  const before = recorded.notifications.length;
  await bridge.detection.run(demo, { sensitivity: 'high' });
  const inbox = await bridge.alerts.inbox(demo);
  assert.ok(
    inbox.some((e) => e.ruleId === quiet.id),
    'the quiet rule filed its alerts',
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const critical = inbox.filter((e) => e.ruleName === 'Critical incidents');
  assert.equal(
    recorded.notifications.length - before,
    critical.length > 0 ? 1 : 0,
    'only the default critical rule may notify; the quiet one held back',
  );

  // Without quiet hours the new incidents of a fresh workspace notify (a re-run here would find none new).
  const fresh = path.join(root, 'alerts-2.fscope');
  await bridge.workspace.createDemo(fresh, { days: 8, seed: 9, sessionsPerDay: 600 });
  await bridge.alerts.saveRule(fresh, { ...quiet, id: undefined, quietHours: null });
  await bridge.detection.run(fresh, { sensitivity: 'high' });
  await until(() => recorded.notifications.length > before + (critical.length > 0 ? 1 : 0), 'a notification');
  const notice = recorded.notifications.at(-1);
  assert.match(notice?.title ?? '', /^(A new alert|\d+ new alerts) in alerts-2\.fscope$/);
  assert.match(notice?.body ?? '', /^(Critical|High|Medium|Low): .+ (fell|rose) for /);

  // Notifications turned off in Settings: nothing, whatever the rules say.
  const count = recorded.notifications.length;
  const third = path.join(root, 'alerts-3.fscope');
  await bridge.workspace.createDemo(third, { days: 8, seed: 9, sessionsPerDay: 600 });
  await bridge.settings.update(third, { notifications: false });
  await bridge.alerts.saveRule(third, { ...quiet, id: undefined, quietHours: null });
  await bridge.detection.run(third, { sensitivity: 'high' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok((await bridge.alerts.inbox(third)).length > 0);
  assert.equal(recorded.notifications.length, count);
});

test('quitting mid-import cancels the job, rolls it back, checkpoints the workspace and quits', async () => {
  const big = path.join(root, 'big.csv');
  const rows = ['event_time,event_name,user_id,session_id,device,price'];
  for (let i = 0; i < 300_000; i++) rows.push(`2026-10-05T10:00:00Z,view_item,u${i},s${i},mobile,${i % 90}`);
  fs.writeFileSync(big, `${rows.join('\n')}\n`);

  recorded.messageBoxResponse = 1; // "Cancel it and quit"
  let asked = false;
  const job = bridge.ingest.importFiles(
    workspace,
    [big],
    {},
    {
      jobId: 'big',
      onProgress: (p) => {
        if (!asked && p.phase === 'importing' && p.rowsRead > 0) {
          asked = true;
          fake.app.quit();
        }
      },
    },
  );
  // Each file is its own transaction: the cancelled one comes back as a failed file, nothing of it kept.
  const [cancelled] = await job;
  assert.ok(cancelled && 'error' in cancelled && cancelled.error.code === 'CANCELLED');
  await until(() => recorded.quitted, 'the app to quit');
  assert.match(String((recorded.messageBoxes[0] as { message: string }).message), /A job is still running/);

  const db = new Database(workspace, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(db.prepare('SELECT COUNT(*) FROM sources').pluck().get(), 1);
  } finally {
    db.close();
  }
  const wal = `${workspace}-wal`;
  assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'the WAL was checkpointed at close');
  assert.equal(recorded.windows.length, 0, 'the window closed once the engine had stopped');
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * The Electron main process: thin by design (DESIGN.md). It owns the window, menu, dialogs, notifications
 * and security hooks, and routes the renderer's calls to the worker pool; it never runs SQL itself.
 */
import path from 'node:path';
import { app, dialog, ipcMain, Menu, Notification, safeStorage, session } from 'electron';
import type { BrowserWindow } from 'electron';
import type { ApiMethodPath } from '../shared/api-methods';
import type { AlertEntry } from '../shared/alerts';
import type { WorkspaceInfo } from '../shared/workspace';
import { EnginePool } from '../workers/pool/pool';
import { Activity } from './activity';
import { createApi } from './api';
import { secondInstanceWorkspace, workspaceFromArgv, type SecondInstanceData } from './args';
import { nativeDialogs } from './dialogs';
import {
  hardenContents,
  hardenSession,
  openExternalSafely,
  registerAppScheme,
  serveRenderer,
} from './harden';
import { bindIpc } from './ipc';
import { callApi } from './ipc-dispatch';
import { menuTemplate } from './menu';
import { electronPdfPrinter } from './electron-pdf';
import { alertNotice } from './notifications';
import { appPaths } from './paths';
import { RecentStore } from './recent';
import { AppSecrets } from './secrets';
import { appUrl, DOCUMENTATION_URL } from './security';
import { quitPrompt, shutdown, type QuitChoice } from './shutdown';
import { createMainWindow } from './window';

const log = (message: string) => console.log(`[funnelscope] ${message}`);
const development = !app.isPackaged;

// Before `ready`: every renderer sandboxed, whatever a window asks for; app:// declared as a secure origin.
app.enableSandbox();
registerAppScheme();

let pendingWorkspace = workspaceFromArgv(process.argv, process.cwd());
const lockData: SecondInstanceData = { workspace: pendingWorkspace };
if (!app.requestSingleInstanceLock(lockData)) app.quit();
else start();

function start(): void {
  const paths = appPaths(app.getAppPath());
  const activity = new Activity();
  let window: BrowserWindow | null = null;
  let quitState: 'running' | 'asking' | 'stopping' | 'done' = 'running';
  let pool: EnginePool | undefined;
  let api: ReturnType<typeof createApi>;
  let recent: RecentStore;

  function showWorkspace(workspace: string | null): void {
    if (!window) {
      window = createMainWindow({ preload: paths.preload, url: appUrl(workspace ?? undefined), development });
      window.on('closed', () => (window = null));
      // On Windows and Linux closing the window quits; quitting first asks about running jobs.
      window.on('close', (event) => {
        if (process.platform !== 'darwin' && quitState !== 'done') {
          event.preventDefault();
          app.quit();
        }
      });
      // A crashed page is reloaded, but not in a loop: at most once every 10 seconds.
      let lastReload = 0;
      window.webContents.on('render-process-gone', (_event, details) => {
        if (details.reason === 'clean-exit') return;
        const again = Date.now() - lastReload > 10_000;
        log(`The page stopped (${details.reason})${again ? '; reloading it' : ''}.`);
        if (!again) return;
        lastReload = Date.now();
        window?.reload();
      });
      return;
    }
    if (window.isMinimized()) window.restore();
    window.focus();
    // The renderer opens the workspace named in its address (`?workspace=`) and shows any error itself.
    if (workspace) void window.loadURL(appUrl(workspace));
  }

  function rebuildMenu(): void {
    const template = menuTemplate(
      { platform: process.platform, appName: app.name, recent: recent.list, development },
      {
        openWorkspace: () =>
          void dialogs.openWorkspace().then((file) => {
            if (file) showWorkspace(file);
          }),
        createWorkspace: () =>
          void dialogs.createWorkspace().then((file) => (file ? createWorkspace(file) : undefined)),
        openRecent: (file) => showWorkspace(file),
        clearRecent: () => {
          recent.clear();
          app.clearRecentDocuments();
          rebuildMenu();
        },
        openDocumentation: () => openExternalSafely(DOCUMENTATION_URL, log),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  async function createWorkspace(file: string): Promise<void> {
    try {
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      await callApi(api, activity, 'workspace.open', [file, { create: true, timeZone }]);
      showWorkspace(file);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('The workspace could not be created', message);
    }
  }

  function remember(workspace: string): void {
    recent.add(workspace);
    app.addRecentDocument(workspace);
    rebuildMenu();
  }

  /** After a detection run filed new alerts: a desktop notification if the rules and settings allow one. */
  async function notifyAlerts(workspace: string, alerts: AlertEntry[]): Promise<void> {
    const [settings, rules] = await Promise.all([
      api.settings.get(workspace),
      api.alerts.listRules(workspace),
    ]);
    const notice = alertNotice(alerts, rules, {
      enabled: settings.notifications,
      windowFocused: window?.isFocused() ?? false,
      workspaceName: path.basename(workspace),
      timeZone: settings.timeZone,
      now: Date.now(),
    });
    if (!notice || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    notification.on('click', () => showWorkspace(null));
    notification.show();
  }

  function onSuccess(method: ApiMethodPath, args: readonly unknown[], value: unknown): void {
    if (method === 'workspace.open' || method === 'workspace.createDemo')
      remember(method === 'workspace.open' ? (value as WorkspaceInfo).path : (args[0] as string));
  }

  const dialogs = nativeDialogs(() => window);

  app.on('second-instance', (_event, argv, cwd, data) =>
    showWorkspace(secondInstanceWorkspace(data, argv, cwd)),
  );
  // macOS: a workspace file double-clicked in the Finder.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (app.isReady()) showWorkspace(file);
    else pendingWorkspace = file;
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && !window) showWorkspace(null);
  });

  app.on('before-quit', (event) => {
    // Before the engine exists there is nothing to close.
    if (quitState === 'done' || !pool) return;
    const engine = pool;
    event.preventDefault();
    if (quitState !== 'running') return;
    quitState = 'asking';
    void (async () => {
      const choice = await askBeforeQuit();
      if (choice === 'stay') {
        quitState = 'running';
        return;
      }
      quitState = 'stopping';
      await shutdown(
        {
          runningJobs: () => activity.runningJobs(),
          cancelJob: (jobId) => api.jobs.cancel(jobId),
          idle: () => activity.idle(),
          openWorkspaces: () => activity.openWorkspaces(),
          closeWorkspace: (workspace) => engine.closeWorkspace(workspace),
          closePool: () => engine.close(),
          log,
        },
        {
          cancelJobs: choice === 'cancel',
          settleMs: choice === 'wait' ? 24 * 3600_000 : 15_000,
          closeMs: 15_000,
        },
      );
      quitState = 'done';
      app.quit();
    })();
  });

  async function askBeforeQuit(): Promise<QuitChoice> {
    const prompt = quitPrompt(activity.runningJobs().length);
    if (!prompt) return 'cancel';
    const { choices, ...box } = prompt;
    const options = { type: 'question' as const, noLink: true, ...box };
    const { response } = window
      ? await dialog.showMessageBox(window, options)
      : await dialog.showMessageBox(options);
    return choices[response] ?? 'stay';
  }

  void app.whenReady().then(() => {
    const userData = app.getPath('userData');
    const engine = new EnginePool({
      workerDirectory: paths.workers,
      onWorkerCrash: (crash) =>
        log(`Engine thread ${crash.worker} died (${JSON.stringify(crash)}); restarting it.`),
    });
    const secrets = new AppSecrets({
      cipher: safeStorage,
      directory: path.join(userData, 'workspace-keys'),
      log,
    });
    pool = engine;
    api = createApi({
      pool: engine,
      secrets,
      // PDFs are printed by Electron itself, in a hidden offline window, rather than by a separate Chromium.
      printPdf: electronPdfPrinter(log),
      onAlerts: (workspace, alerts) =>
        void notifyAlerts(workspace, alerts).catch((error) => log(`No notification: ${String(error)}`)),
    });
    recent = new RecentStore(path.join(userData, 'recent-workspaces.json'));

    hardenSession(session.defaultSession, log);
    serveRenderer(session.defaultSession, paths.renderer);
    bindIpc(ipcMain, { api, activity, dialogs, log, onSuccess });
    rebuildMenu();
    showWorkspace(pendingWorkspace);
    pendingWorkspace = null;
  });
}

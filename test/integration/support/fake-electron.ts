/**
 * A stand-in for the `electron` module, for running main/index.ts and main/preload.ts under Node where the
 * Electron binary cannot be downloaded. It implements just the calls the shell makes, records them, and
 * wires ipcRenderer to ipcMain with structured cloning, as Electron's IPC does. The test reaches it through
 * a module hook (electron-hook.mjs) that resolves `electron` to this file.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

type AnyFn = (...args: never[]) => unknown;
type Listener = (...args: unknown[]) => void;

function preventable(extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export const recorded = {
  sandboxEnabled: false,
  privilegedSchemes: [] as unknown[],
  singleInstanceData: undefined as unknown,
  windows: [] as BrowserWindow[],
  menu: null as unknown,
  ipcHandlers: new Map<string, AnyFn>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  beforeRequest: null as null | AnyFn,
  permissionRequest: null as null | AnyFn,
  permissionCheck: null as null | AnyFn,
  spellChecker: true,
  sessionEvents: new EventEmitter(),
  exposed: {} as Record<string, unknown>,
  openedExternally: [] as string[],
  notifications: [] as { title: string; body: string }[],
  recentDocuments: [] as string[],
  messageBoxes: [] as unknown[],
  /** Index of the button the next message boxes answer with. */
  messageBoxResponse: 0,
  errorBoxes: [] as string[],
  quitted: false,
  /** Sessions made with session.fromPartition, by partition name. */
  partitions: new Map<string, FakeSession>(),
  /** Every webContents.printToPDF: the options, the page it printed, its window's options, the HTML it read. */
  printed: [] as { options: unknown; url: string; windowOptions: Record<string, unknown>; html: string }[],
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Funnelscope';
  appPath = '';
  userData = '';
  private readyFlag = false;
  private resolveReady: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));

  /** Test hook: the app becomes ready. */
  ready(): void {
    this.readyFlag = true;
    this.resolveReady();
  }
  enableSandbox() {
    recorded.sandboxEnabled = true;
  }
  requestSingleInstanceLock(data: unknown) {
    recorded.singleInstanceData = data;
    return true;
  }
  whenReady() {
    return this.readyPromise;
  }
  isReady() {
    return this.readyFlag;
  }
  getAppPath() {
    return this.appPath;
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`fake electron: no path ${name}`);
    return this.userData;
  }
  addRecentDocument(file: string) {
    recorded.recentDocuments.push(file);
  }
  clearRecentDocuments() {
    recorded.recentDocuments.length = 0;
  }
  quit() {
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    for (const window of [...recorded.windows]) window.close();
    recorded.quitted = true;
  }
}

export const app = new FakeApp();

/** A session of its own (session.fromPartition): records its hooks so a test can call them. */
export class FakeSession {
  beforeRequest: null | ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) =
    null;
  permissionRequest: null | AnyFn = null;
  permissionCheck: null | AnyFn = null;
  spellChecker = true;
  constructor(readonly options: unknown) {}
  webRequest = {
    onBeforeRequest: (listener: NonNullable<FakeSession['beforeRequest']>) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: AnyFn) {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: AnyFn) {
    this.permissionCheck = handler;
  }
  setSpellCheckerEnabled(enabled: boolean) {
    this.spellChecker = enabled;
  }
  /** What the session decides for a URL, as Chromium would ask it. */
  decide(url: string): boolean {
    let cancel = false;
    this.beforeRequest?.({ url }, (r) => (cancel = r.cancel));
    return cancel;
  }
}

class FakeWebContents extends EventEmitter {
  url = '';
  owner: BrowserWindow | null = null;
  windowOpenHandler: null | ((details: { url: string }) => { action: string }) = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  get mainFrame() {
    return { url: this.url, parent: null };
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    const copy = structuredClone(payload);
    this.sent.push({ channel, payload: copy });
    rendererEvents.emit(channel, {}, copy);
  }
  isDestroyed() {
    return false;
  }
  reload() {}
  /** A PDF whose text says which page it printed; the page must be a file the session allows. */
  async printToPDF(options: unknown) {
    const windowOptions = this.owner?.options ?? {};
    const prefs = (windowOptions.webPreferences ?? {}) as { session?: FakeSession };
    if (prefs.session?.decide(this.url)) throw new Error(`the print session refused ${this.url}`);
    const html = fs.readFileSync(fileURLToPath(this.url), 'utf8');
    recorded.printed.push({ options, url: this.url, windowOptions, html });
    return Buffer.from(`%PDF-1.7\n% fake print of ${html.length} characters\n%%EOF\n`, 'latin1');
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  private focused = false;
  closed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    this.webContents.owner = this;
    recorded.windows.push(this);
    app.emit('web-contents-created', preventable(), this.webContents);
  }
  get url() {
    return this.webContents.url;
  }
  loadURL(url: string) {
    this.webContents.url = url;
    return Promise.resolve();
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {
    this.focused = true;
  }
  isFocused() {
    return this.focused;
  }
  show() {}
  reload() {}
  destroy() {
    this.closed = true;
    recorded.windows.splice(recorded.windows.indexOf(this), 1);
    this.emit('closed');
  }
  close() {
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.closed = true;
    recorded.windows.splice(recorded.windows.indexOf(this), 1);
    this.emit('closed');
  }
}

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    recorded.privilegedSchemes.push(...schemes);
  },
};

export const session = {
  fromPartition(partition: string, options?: unknown) {
    let made = recorded.partitions.get(partition);
    if (!made) recorded.partitions.set(partition, (made = new FakeSession(options)));
    return made;
  },
  defaultSession: {
    webRequest: {
      onBeforeRequest(listener: AnyFn) {
        recorded.beforeRequest = listener;
      },
    },
    protocol: {
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        recorded.protocolHandlers.set(scheme, handler);
      },
    },
    setPermissionRequestHandler(handler: AnyFn) {
      recorded.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: AnyFn) {
      recorded.permissionCheck = handler;
    },
    setDevicePermissionHandler() {},
    setSpellCheckerEnabled(enabled: boolean) {
      recorded.spellChecker = enabled;
    },
    on(event: string, listener: Listener) {
      recorded.sessionEvents.on(event, listener);
    },
  },
};

export const ipcMain = {
  handle(channel: string, handler: AnyFn) {
    if (recorded.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
    recorded.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    recorded.ipcHandlers.delete(channel);
  },
};

/** The frame the fake renderer's calls come from; by default the window's page. */
export const renderer = {
  frame: null as null | { url: string; parent: unknown },
};

const rendererEvents = new EventEmitter();

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]) {
    const handler = recorded.ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const contents = recorded.windows[0]?.webContents;
    const event = { senderFrame: renderer.frame ?? contents?.mainFrame ?? null, sender: contents };
    const result = await (handler as (...a: unknown[]) => unknown)(event, ...structuredClone(args));
    return structuredClone(result);
  },
  on(channel: string, listener: Listener) {
    rendererEvents.on(channel, listener);
  },
  removeListener(channel: string, listener: Listener) {
    rendererEvents.removeListener(channel, listener);
  },
  listenerCount(channel: string) {
    return rendererEvents.listenerCount(channel);
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    recorded.exposed[key] = api;
  },
};

export const Menu = {
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu(menu: unknown) {
    recorded.menu = menu;
  },
};

export const dialog = {
  async showOpenDialog() {
    return { canceled: true, filePaths: [] };
  },
  async showSaveDialog() {
    return { canceled: true };
  },
  async showMessageBox(...args: unknown[]) {
    recorded.messageBoxes.push(args.at(-1));
    return { response: recorded.messageBoxResponse };
  },
  showErrorBox(title: string, content: string) {
    recorded.errorBoxes.push(`${title}: ${content}`);
  },
};

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(private readonly options: { title: string; body: string }) {
    super();
  }
  show() {
    recorded.notifications.push(this.options);
  }
}

export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (text: string) => Buffer.from(`enc:${[...text].reverse().join('')}`),
  decryptString: (data: Buffer) => [...data.toString().slice(4)].reverse().join(''),
};

export const shell = {
  async openExternal(url: string) {
    recorded.openedExternally.push(url);
  },
};

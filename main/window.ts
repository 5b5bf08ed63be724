import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  preload: string;
  url: string;
  development: boolean;
}

/**
 * The one window. Its web preferences are written out in full, inline (Electronegativity reads them here),
 * even where they are Electron's defaults: the page is isolated and sandboxed, has no Node, no <webview>, no
 * spell checker (it downloads dictionaries), and DevTools only in development.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 960,
    minHeight: 620,
    show: false,
    title: 'Funnelscope',
    webPreferences: {
      // The typed contract only (main/preload.ts): contextBridge, no Node.
      preload: options.preload /* eng-disable PRELOAD_JS_CHECK */,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: options.development,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}

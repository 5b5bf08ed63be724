/**
 * Prints a report's HTML with Electron's own Chromium: a hidden, sandboxed window without JavaScript, in a
 * session of its own that loads the report's temporary file and nothing else. The decisions are in
 * pdf-print.ts; this file only makes the Electron calls.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, type Session } from 'electron';
import type { PdfPrinter } from '../workers/pool/protocol';
import type { Log } from './harden';
import { decidePdfRequest, PDF_PARTITION, PRINT_OPTIONS } from './pdf-print';

/** The print session, hardened once: every request decided by decidePdfRequest, no permission, no spell checker. */
function printSession(allowedPages: Set<string>, log: Log): Session {
  const printing = session.fromPartition(PDF_PARTITION, { cache: false });
  printing.webRequest.onBeforeRequest((details, callback) => {
    const decision = decidePdfRequest(details.url, allowedPages);
    if (decision.action === 'cancel') log(`Blocked a request while printing a report: ${decision.reason}.`);
    callback({ cancel: decision.action === 'cancel' });
  });
  printing.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  printing.setPermissionCheckHandler(() => false);
  printing.setSpellCheckerEnabled(false);
  return printing;
}

export function electronPdfPrinter(log: Log): PdfPrinter {
  const allowedPages = new Set<string>();
  let printing: Session | null = null;
  return async (html) => {
    printing ??= printSession(allowedPages, log);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'funnelscope-pdf-'));
    const file = path.join(dir, 'report.html');
    await fs.writeFile(file, html, { mode: 0o600 });
    const page = pathToFileURL(file).href;
    allowedPages.add(page);
    const window = new BrowserWindow({
      show: false,
      webPreferences: {
        session: printing,
        // The report is static HTML and SVG: no script runs, so none is allowed.
        javascript: false,
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
        devTools: false,
      },
    });
    try {
      await window.loadURL(page);
      return new Uint8Array(await window.webContents.printToPDF(PRINT_OPTIONS));
    } finally {
      allowedPages.delete(page);
      window.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}

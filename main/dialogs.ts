import {
  dialog,
  type BrowserWindow,
  type OpenDialogOptions,
  type OpenDialogReturnValue,
  type SaveDialogOptions,
} from 'electron';
import { withWorkspaceExtension } from './args';
import type { FileDialogs } from './ipc-protocol';

const WORKSPACE_FILTER = { name: 'Funnelscope workspace', extensions: ['fscope'] };
/** The formats the importer reads (shared/ingest.ts FORMATS), plain or gzip-compressed. */
const DATA_FILTER = {
  name: 'Event and metric data',
  extensions: ['csv', 'tsv', 'txt', 'json', 'jsonl', 'ndjson', 'parquet', 'gz'],
};

function showOpen(parent: BrowserWindow | null, options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
  return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
}

/** The native dialogs, attached to the window when there is one. */
export function nativeDialogs(parent: () => BrowserWindow | null): FileDialogs {
  return {
    async openWorkspace() {
      const result = await showOpen(parent(), {
        title: 'Open workspace',
        properties: ['openFile'],
        filters: [WORKSPACE_FILTER, { name: 'All files', extensions: ['*'] }],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async createWorkspace() {
      const options: SaveDialogOptions = {
        title: 'New workspace',
        buttonLabel: 'Create',
        defaultPath: 'investigation.fscope',
        filters: [WORKSPACE_FILTER],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = parent();
      const result = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : withWorkspaceExtension(result.filePath);
    },
    async chooseImportFiles() {
      const result = await showOpen(parent(), {
        title: 'Import data',
        buttonLabel: 'Import',
        properties: ['openFile', 'multiSelections'],
        filters: [DATA_FILTER, { name: 'All files', extensions: ['*'] }],
      });
      return result.canceled ? [] : result.filePaths;
    },
  };
}

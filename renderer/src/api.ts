/**
 * The renderer's only door to the engine: `window.funnelscope`, the typed contract of shared/api.ts. It is put
 * there by the Electron preload or by the e2e host's client script; this module does not know which.
 */
import type { FunnelscopeApi } from '../../shared/api';
import { toErrorShape, type ErrorShape } from '../../shared/errors';

/** Native file dialogs, when the shell offers them (Electron may; a browser cannot yield a file path). */
export interface FileDialogs {
  openWorkspace(): Promise<string | null>;
  createWorkspace(): Promise<string | null>;
  chooseImportFiles(): Promise<string[]>;
}

declare global {
  interface Window {
    funnelscope?: FunnelscopeApi;
    funnelscopeDialogs?: FileDialogs;
  }
}

export function api(): FunnelscopeApi {
  const bridge = window.funnelscope;
  if (!bridge)
    throw Object.assign(new Error('The engine is not connected: this page was opened outside Funnelscope.'), {
      code: 'INTERNAL',
    });
  return bridge;
}

export function fileDialogs(): FileDialogs | null {
  return window.funnelscopeDialogs ?? null;
}

/** Whatever a call rejected with, as `{code, message, details}`. */
export function errorShape(error: unknown): ErrorShape {
  return toErrorShape(error);
}

/** An id by which `jobs.cancel` can stop a job this renderer started. */
export function newJobId(kind: string): string {
  return `${kind}-${crypto.randomUUID()}`;
}

/**
 * The sandboxed preload: it puts exactly the typed contract on `window.funnelscope` (and the native file
 * dialogs on `window.funnelscopeDialogs`) and nothing else. ipcRenderer itself never reaches the page, and the
 * IPC event objects are dropped before a payload is handed over. Bundled to CommonJS with only `electron`
 * left to require, as a sandboxed preload must be.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildBridge, buildDialogBridge, type BridgeTransport } from './bridge';

const transport: BridgeTransport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args),
  listen(channel, listener) {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
};

contextBridge.exposeInMainWorld('funnelscope', buildBridge(transport));
contextBridge.exposeInMainWorld('funnelscopeDialogs', buildDialogBridge(transport));

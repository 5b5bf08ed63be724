import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API_METHODS } from '../shared/api-methods';
import { toErrorShape, type ErrorShape } from '../shared/errors';
import { dispatch, type DispatchContext } from './ipc-dispatch';
import {
  DIALOG_METHODS,
  dialogChannel,
  methodChannel,
  progressChannel,
  type Envelope,
  type FileDialogs,
} from './ipc-protocol';
import { describeUrl, isTrustedSender } from './security';

export type IpcContext = Omit<DispatchContext, 'sendProgress'> & {
  dialogs: FileDialogs;
  log(message: string): void;
};

const REFUSED: ErrorShape = {
  code: 'INTERNAL',
  message: "Refused a call from a page that is not the app's own.",
};

function trusted(event: IpcMainInvokeEvent, context: IpcContext, channel: string): boolean {
  if (isTrustedSender(event.senderFrame)) return true;
  context.log(`Refused ${channel} from ${describeUrl(event.senderFrame?.url ?? '')}.`);
  return false;
}

/**
 * Binds every method of the contract (from the runtime list) to its own `ipcMain.handle` channel, and the
 * file dialogs to theirs. Each handler answers only the app's own top-level page; progress of a job goes back
 * to the page that started it. Returns the function that removes the handlers.
 */
export function bindIpc(ipcMain: IpcMain, context: IpcContext): () => void {
  const channels: string[] = [];
  for (const method of API_METHODS) {
    const channel = methodChannel(method);
    channels.push(channel);
    ipcMain.handle(channel, (event, ...args: unknown[]): Promise<Envelope<unknown>> | Envelope<unknown> => {
      if (!trusted(event, context, channel)) return { ok: false, error: REFUSED };
      const sendProgress = (jobId: string, progress: unknown) => {
        if (!event.sender.isDestroyed()) event.sender.send(progressChannel(jobId), progress);
      };
      return dispatch({ ...context, sendProgress }, method, args);
    });
  }
  for (const name of DIALOG_METHODS) {
    const channel = dialogChannel(name);
    channels.push(channel);
    ipcMain.handle(channel, async (event): Promise<Envelope<unknown>> => {
      if (!trusted(event, context, channel)) return { ok: false, error: REFUSED };
      try {
        return { ok: true, value: await context.dialogs[name]() };
      } catch (error) {
        return { ok: false, error: toErrorShape(error) };
      }
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}

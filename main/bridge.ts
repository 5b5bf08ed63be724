import type { FunnelscopeApi, JobOptions } from '../shared/api';
import { API_METHODS } from '../shared/api-methods';
import {
  DIALOG_METHODS,
  dialogChannel,
  jobArgumentIndex,
  methodChannel,
  progressChannel,
  unwrap,
  type FileDialogs,
  type JobWire,
} from './ipc-protocol';

/** What the bridge needs from ipcRenderer; a fake in the unit tests. */
export interface BridgeTransport {
  invoke(channel: string, args: unknown[]): Promise<unknown>;
  /** Subscribes to a channel; returns the unsubscribe function. */
  listen(channel: string, listener: (payload: unknown) => void): () => void;
}

let jobCounter = 0;

/** A job id unique within this page; the main process keys jobs by it for `jobs.cancel`. */
export function newJobId(): string {
  jobCounter += 1;
  return `job-${Date.now().toString(36)}-${jobCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

type Caller = (...args: unknown[]) => Promise<unknown>;

function caller(method: (typeof API_METHODS)[number], transport: BridgeTransport): Caller {
  const channel = methodChannel(method);
  const jobIndex = jobArgumentIndex(method);
  if (jobIndex === undefined) return async (...args) => unwrap(await transport.invoke(channel, args));
  return async (...args) => {
    const job = (args[jobIndex] ?? {}) as JobOptions<unknown>;
    const wire: JobWire = { jobId: job.jobId ?? newJobId(), progress: typeof job.onProgress === 'function' };
    const sent = [...args];
    while (sent.length < jobIndex) sent.push(undefined);
    sent[jobIndex] = wire;
    const onProgress = job.onProgress;
    const stop = onProgress
      ? transport.listen(progressChannel(wire.jobId), (payload) => onProgress(payload))
      : undefined;
    try {
      return unwrap(await transport.invoke(channel, sent));
    } finally {
      stop?.();
    }
  };
}

/**
 * The contract as the renderer sees it, built from the runtime method list so that it exposes exactly the
 * methods of `FunnelscopeApi`, each one call on its own channel. Failures reject with `{code, message,
 * details}` (a plain object: see ipc-protocol.ts).
 */
export function buildBridge(transport: BridgeTransport): FunnelscopeApi {
  const api: Record<string, Record<string, Caller>> = {};
  for (const method of API_METHODS) {
    const [group, name] = method.split('.') as [string, string];
    (api[group] ??= {})[name] = caller(method, transport);
  }
  return api as unknown as FunnelscopeApi;
}

/** The file dialogs as the renderer sees them, one channel each. */
export function buildDialogBridge(transport: BridgeTransport): FileDialogs {
  const dialogs: Record<string, Caller> = {};
  for (const name of DIALOG_METHODS)
    dialogs[name] = async () => unwrap(await transport.invoke(dialogChannel(name), []));
  return dialogs as unknown as FileDialogs;
}

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { toErrorShape } from '../../shared/errors';

/**
 * Exposes an API object on this worker thread. Errors are converted to the plain `{code, message, details}`
 * shape before they cross, because comlink would keep only the message of an Error instance.
 */
export function exposeApi<T extends object>(api: T): void {
  if (!parentPort) throw new Error('exposeApi must run inside a worker thread');
  const guarded = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api)) {
    if (typeof fn !== 'function') continue;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => unknown).apply(api, args);
      } catch (error) {
        throw toErrorShape(error);
      }
    };
  }
  Comlink.expose(guarded, nodeEndpoint(parentPort));
}

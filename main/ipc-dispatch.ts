import type { FunnelscopeApi, JobOptions } from '../shared/api';
import type { ApiMethodPath } from '../shared/api-methods';
import { FunnelscopeError, toErrorShape } from '../shared/errors';
import type { Activity } from './activity';
import { isApiMethod, isJobWire, jobArgumentIndex, type Envelope } from './ipc-protocol';

/** No method of the contract takes more; a longer list is not from the preload. */
const MAX_ARGUMENTS = 6;

export interface DispatchContext {
  api: FunnelscopeApi;
  activity: Activity;
  /** Sends one progress report of a job to the page that started it. */
  sendProgress(jobId: string, progress: unknown): void;
  /** Told of every successful call (desktop notifications look at detection runs). */
  onSuccess?(method: ApiMethodPath, args: readonly unknown[], value: unknown): void;
}

/** Calls one method of the contract, recorded in `activity`. Also used for the main process's own calls. */
export function callApi(
  api: FunnelscopeApi,
  activity: Activity,
  method: ApiMethodPath,
  args: unknown[],
  jobId?: string,
): Promise<unknown> {
  const [group, name] = method.split('.') as [keyof FunnelscopeApi, string];
  const target = api[group] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  return activity.track(
    method,
    args,
    () => (target[name] as (...a: unknown[]) => Promise<unknown>)(...args),
    jobId,
  );
}

/** A job method's wire argument turned back into JobOptions whose progress goes to the page. */
function jobOptions(method: string, wire: unknown, context: DispatchContext): JobOptions<unknown> {
  if (!isJobWire(wire))
    throw new FunnelscopeError('BAD_ARGUMENT', `${method} was called without a valid job id.`);
  if (context.activity.hasJob(wire.jobId))
    throw new FunnelscopeError('BAD_ARGUMENT', `A job with the id ${wire.jobId} is already running.`);
  const options: JobOptions<unknown> = { jobId: wire.jobId };
  if (wire.progress) options.onProgress = (progress) => context.sendProgress(wire.jobId, progress);
  return options;
}

/**
 * Handles one IPC call: checks its shape, rebuilds a job's progress callback, runs it, and answers with an
 * envelope; nothing thrown escapes, so every failure reaches the page as `{code, message, details}`.
 */
export async function dispatch(
  context: DispatchContext,
  method: string,
  args: unknown,
): Promise<Envelope<unknown>> {
  try {
    if (!isApiMethod(method)) throw new FunnelscopeError('BAD_ARGUMENT', `Unknown method ${method}.`);
    if (!Array.isArray(args) || args.length > MAX_ARGUMENTS)
      throw new FunnelscopeError('BAD_ARGUMENT', `${method} was called with malformed arguments.`);
    const call = [...(args as unknown[])];
    const jobIndex = jobArgumentIndex(method);
    let jobId: string | undefined;
    if (jobIndex !== undefined) {
      const options = jobOptions(method, call[jobIndex], context);
      call[jobIndex] = options;
      jobId = options.jobId;
    }
    const value = await callApi(context.api, context.activity, method, call, jobId);
    try {
      context.onSuccess?.(method, call, value);
    } catch {
      // An observer's failure (a notification that could not be shown) must not fail the call.
    }
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}

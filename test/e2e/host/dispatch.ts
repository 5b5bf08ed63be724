import type { FunnelscopeApi, JobOptions } from '../../../shared/api';
import { API_METHODS, JOB_METHODS } from '../../../shared/api-methods';
import { FunnelscopeError, toErrorShape } from '../../../shared/errors';
import type { CallMessage, HostMessage } from './protocol';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

function isCall(value: unknown): value is CallMessage {
  if (!value || typeof value !== 'object') return false;
  const m = value as Partial<CallMessage>;
  return m.type === 'call' && Number.isInteger(m.id) && typeof m.method === 'string' && Array.isArray(m.args);
}

/** The method named by a message, only if the contract lists it (never an arbitrary property of `api`). */
function methodOf(api: FunnelscopeApi, message: CallMessage): AnyMethod {
  if (!API_METHODS.includes(message.method))
    throw new FunnelscopeError('BAD_ARGUMENT', `Unknown method "${message.method}".`);
  const [group, name] = message.method.split('.') as [keyof FunnelscopeApi, string];
  const fn = (api[group] as unknown as Record<string, AnyMethod>)[name];
  if (typeof fn !== 'function')
    throw new FunnelscopeError('INTERNAL', `${message.method} is not implemented.`);
  return fn.bind(api[group]);
}

/** Rebuilds the `JobOptions` argument of a job method: its progress callback becomes progress messages. */
function withJob(message: CallMessage, send: (m: HostMessage) => void): unknown[] {
  const args = [...message.args];
  if (!message.job || !JOB_METHODS.includes(message.method)) return args;
  const { index, jobId, progress } = message.job;
  if (!Number.isInteger(index) || index < 0 || index > 8)
    throw new FunnelscopeError('BAD_ARGUMENT', 'Bad job argument position.');
  const job: JobOptions<unknown> = {};
  if (typeof jobId === 'string') job.jobId = jobId;
  if (progress) job.onProgress = (p) => send({ type: 'progress', id: message.id, progress: p });
  while (args.length < index) args.push(undefined);
  args[index] = job;
  return args;
}

/**
 * Runs one call message against the contract and answers with a result or `{code, message, details}`.
 * `prepare` lets the host adjust arguments (typed relative paths) before the call.
 */
export async function dispatch(
  api: FunnelscopeApi,
  raw: unknown,
  send: (m: HostMessage) => void,
  prepare: (message: CallMessage, args: unknown[]) => unknown[] = (_m, args) => args,
): Promise<void> {
  if (!isCall(raw)) return;
  try {
    const method = methodOf(api, raw);
    const value = await method(...prepare(raw, withJob(raw, send)));
    send({ type: 'result', id: raw.id, value: value ?? null });
  } catch (error) {
    send({ type: 'error', id: raw.id, error: toErrorShape(error) });
  }
}

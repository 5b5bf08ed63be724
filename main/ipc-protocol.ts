/**
 * The wire format between the preload and the main process, shared by both sides (no Electron import, so the
 * sandboxed preload bundle and the unit tests can load it).
 *
 * - One `ipcMain.handle` channel per contract method: `fs:<group>.<method>`.
 * - Results come back as an envelope, because Electron turns an error thrown by a handler into a bare
 *   message and loses its `code`.
 * - A job method's callback cannot cross IPC: the preload sends `{jobId, progress}` in its place and listens
 *   on `fs:progress:<jobId>`, where the main process sends each progress report.
 */
import type { FunnelscopeApi, JobOptions } from '../shared/api';
import { API_METHODS, JOB_METHODS, type ApiMethodPath } from '../shared/api-methods';
import type { ErrorShape } from '../shared/errors';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** What replaces a job method's `JobOptions` on the wire. */
export interface JobWire {
  jobId: string;
  /** Whether the caller listens to progress (no messages are sent otherwise). */
  progress: boolean;
}

export function methodChannel(method: ApiMethodPath): string {
  return `fs:${method}`;
}

export function progressChannel(jobId: string): string {
  return `fs:progress:${jobId}`;
}

type MethodOf<P> = P extends `${infer G extends keyof FunnelscopeApi}.${infer N}`
  ? N extends keyof FunnelscopeApi[G]
    ? FunnelscopeApi[G][N]
    : never
  : never;
type Params<P> = Required<Parameters<Extract<MethodOf<P>, (...args: never[]) => unknown>>>;

/**
 * Where each job method takes its `JobOptions`. The type below fails to compile if a position does not hold a
 * JobOptions; a unit test checks the keys against JOB_METHODS.
 */
export const JOB_ARGUMENT = {
  'workspace.createDemo': 2,
  'ingest.importFiles': 3,
  'detection.run': 2,
} as const satisfies Partial<Record<ApiMethodPath, number>>;

type JobArgumentsAreJobOptions = {
  [M in keyof typeof JOB_ARGUMENT]: Params<M>[(typeof JOB_ARGUMENT)[M]] extends JobOptions<infer _P>
    ? true
    : never;
};
const jobArgumentsChecked: JobArgumentsAreJobOptions = {
  'workspace.createDemo': true,
  'ingest.importFiles': true,
  'detection.run': true,
};
void jobArgumentsChecked;

export function jobArgumentIndex(method: string): number | undefined {
  return (JOB_ARGUMENT as Partial<Record<string, number>>)[method];
}

export function isApiMethod(method: string): method is ApiMethodPath {
  return (API_METHODS as readonly string[]).includes(method);
}

export function isJobMethod(method: string): boolean {
  return (JOB_METHODS as readonly string[]).includes(method);
}

const JOB_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export function isJobWire(value: unknown): value is JobWire {
  if (!value || typeof value !== 'object') return false;
  const { jobId, progress } = value as Record<string, unknown>;
  return typeof jobId === 'string' && JOB_ID.test(jobId) && typeof progress === 'boolean';
}

export function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (!value || typeof value !== 'object' || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  return (
    value.ok === false &&
    'error' in value &&
    Boolean(value.error) &&
    typeof (value.error as ErrorShape).code === 'string' &&
    typeof (value.error as ErrorShape).message === 'string'
  );
}

/**
 * The value of an envelope, or a rejection with the plain `{code, message, details}` object. A plain object
 * rather than an Error because contextBridge copies an Error with its message only, dropping `code`.
 */
export function unwrap<T>(envelope: unknown): T {
  if (!isEnvelope(envelope))
    throw { code: 'INTERNAL', message: 'The app sent a malformed reply.' } satisfies ErrorShape;
  if (envelope.ok) return envelope.value as T;
  throw envelope.error;
}

/**
 * Native file dialogs, exposed beside the contract as `window.funnelscopeDialogs` (the renderer's optional
 * `FileDialogs`): a sandboxed page cannot learn a file's path any other way. They return what the user
 * picked, or null / [] when the dialog was cancelled.
 */
export interface FileDialogs {
  openWorkspace(): Promise<string | null>;
  createWorkspace(): Promise<string | null>;
  chooseImportFiles(): Promise<string[]>;
}

export const DIALOG_METHODS = [
  'openWorkspace',
  'createWorkspace',
  'chooseImportFiles',
] as const satisfies readonly (keyof FileDialogs)[];

export function dialogChannel(name: keyof FileDialogs): string {
  return `fs-dialog:${name}`;
}

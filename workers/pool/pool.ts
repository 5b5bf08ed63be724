import os from 'node:os';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { FunnelscopeError, fromErrorShape, type ErrorShape } from '../../shared/errors';
import { CancelToken } from './cancel';
import { spawnWorker } from './spawn';
import type { ReaderApi, WriterApi } from './protocol';

function isErrorShape(value: unknown): value is ErrorShape {
  return Boolean(value && typeof value === 'object' && 'code' in value && 'message' in value);
}

type WorkerName = 'writer.worker' | 'reader.worker';

/** What the pool reports when a worker thread dies; the app logs it. */
export interface WorkerCrash {
  worker: WorkerName;
  outOfMemory: boolean;
  exitCode: number | null;
  error: string | null;
}

/** The message an interrupted call rejects with: what happened, what it did to the data, what to do. */
export function crashMessage(crash: WorkerCrash, memoryLimitMb: number): string {
  const what =
    crash.worker === 'writer.worker' ? 'The engine thread that writes the workspace' : 'A query thread';
  const cause = crash.outOfMemory
    ? `ran out of memory (limit ${memoryLimitMb} MB)`
    : crash.error
      ? `crashed (${crash.error})`
      : `stopped unexpectedly (exit code ${crash.exitCode ?? 'unknown'})`;
  const consequence =
    crash.worker === 'writer.worker'
      ? 'What it had not committed was rolled back, so the workspace is as it was before that step.'
      : 'Nothing was changed.';
  return `${what} ${cause} and has been restarted. ${consequence} Run the job again${crash.outOfMemory ? ' with a smaller file or period' : ''}.`;
}

/** Heap limit of each engine thread: an out-of-memory job kills its thread, never the app. */
export function defaultMemoryLimitMb(totalBytes = os.totalmem()): number {
  const quarter = Math.floor(totalBytes / 4 / 2 ** 20);
  return Math.max(1024, Math.min(4096, quarter));
}

/** A worker thread with a typed comlink proxy, whose death rejects the calls in flight instead of hanging them. */
class EngineWorker<Api> {
  readonly worker: Worker;
  readonly api: Comlink.Remote<Api>;
  private readonly death: Promise<never>;
  /** Set as soon as the thread is known to be dying, so no new call is sent to it. */
  dead = false;
  /** Stopped on purpose by the pool: its exit is not a crash. */
  private stopping = false;

  constructor(
    readonly name: WorkerName,
    options: WorkerOptions,
    directory: string | undefined,
    memoryLimitMb: number,
    onCrash: (crash: WorkerCrash) => void,
  ) {
    this.worker = directory ? new Worker(join(directory, `${name}.js`), options) : spawnWorker(name, options);
    this.api = Comlink.wrap<Api>(nodeEndpoint(this.worker));
    let failure: Error | null = null;
    this.death = new Promise<never>((_, reject) => {
      // An uncaught error (including ERR_WORKER_OUT_OF_MEMORY) comes first, then the exit.
      this.worker.once('error', (error) => {
        failure = error;
        this.dead = true;
      });
      this.worker.once('exit', (exitCode) => {
        this.dead = true;
        const code = failure && 'code' in failure ? String(failure.code) : '';
        const crash: WorkerCrash = {
          worker: name,
          outOfMemory: code === 'ERR_WORKER_OUT_OF_MEMORY',
          exitCode,
          error: failure && code !== 'ERR_WORKER_OUT_OF_MEMORY' ? failure.message : null,
        };
        if (!this.stopping) onCrash(crash);
        reject(new FunnelscopeError('WORKER_CRASHED', crashMessage(crash, memoryLimitMb), { ...crash }));
      });
    });
    this.death.catch(() => undefined);
  }

  /** Runs a call, turning worker-side `{code, message}` throws into FunnelscopeError. */
  async call<T>(invoke: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T> {
    try {
      return await Promise.race([invoke(this.api), this.death]);
    } catch (error) {
      if (isErrorShape(error) && !(error instanceof Error)) throw fromErrorShape(error);
      throw error;
    }
  }

  /** Stops the thread on purpose (pool shutdown): not reported as a crash. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.dead) return;
    this.api[Comlink.releaseProxy]();
    await this.worker.terminate();
  }

  /** Kills the thread as a crash would (tests). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * One worker slot: a thread that died is replaced by a fresh one at the next call. The restart is lazy so
 * that a thread that cannot start (a broken install) fails each call once instead of looping; the new
 * thread reopens each workspace's connection at its first call that names it.
 */
class Slot<Api> {
  private current: EngineWorker<Api>;

  constructor(private readonly spawn: () => EngineWorker<Api>) {
    this.current = spawn();
  }

  get worker(): EngineWorker<Api> {
    if (this.current.dead) this.current = this.spawn();
    return this.current;
  }

  /** The current thread if it is alive, without starting one. */
  get alive(): EngineWorker<Api> | null {
    return this.current.dead ? null : this.current;
  }

  call<T>(invoke: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T> {
    return this.worker.call(invoke);
  }
}

export interface Job<T> {
  result: Promise<T>;
  cancel(): void;
}

export interface PoolOptions {
  readers?: number;
  /** Folder of the bundled `*.worker.js` files; by default they are found beside this module. */
  workerDirectory?: string;
  /** Heap limit of each engine thread in MB (default: a quarter of the machine's memory, 1–4 GB). */
  memoryLimitMb?: number;
  /** Called when a worker thread dies other than by `close()`; the thread is restarted at its next call. */
  onWorkerCrash?: (crash: WorkerCrash) => void;
}

/**
 * One writer worker (the only write connection) and a few read-only workers, as in Signal Desktop's SQL
 * worker pool. The calling thread only routes. A worker that crashes or runs out of memory rejects its
 * calls in flight with WORKER_CRASHED and is replaced; SQLite rolls back the transaction the dead thread
 * had open (better-sqlite3 closes a thread's connections when the thread is torn down).
 */
export class EnginePool {
  private readonly writer: Slot<WriterApi>;
  private readonly readers: Slot<ReaderApi>[];
  private next = 0;
  private closed = false;

  constructor(options: PoolOptions = {}) {
    const count = options.readers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    const memoryLimitMb = options.memoryLimitMb ?? defaultMemoryLimitMb();
    // A larger young generation halves garbage-collection time on the import's short-lived row arrays.
    const workerOptions = {
      resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, maxYoungGenerationSizeMb: 64 },
    };
    const onCrash = options.onWorkerCrash ?? (() => undefined);
    const spawn = <Api>(name: WorkerName) =>
      new EngineWorker<Api>(name, workerOptions, options.workerDirectory, memoryLimitMb, onCrash);
    this.writer = new Slot(() => spawn<WriterApi>('writer.worker'));
    this.readers = Array.from({ length: count }, () => new Slot(() => spawn<ReaderApi>('reader.worker')));
  }

  private open(): void {
    if (this.closed) throw new FunnelscopeError('INTERNAL', 'The engine has shut down; restart the app.');
  }

  write<T>(invoke: (api: Comlink.Remote<WriterApi>) => Promise<T>): Promise<T> {
    this.open();
    return this.writer.call(invoke);
  }

  read<T>(invoke: (api: Comlink.Remote<ReaderApi>) => Promise<T>): Promise<T> {
    this.open();
    const reader = this.readers[this.next++ % this.readers.length] as Slot<ReaderApi>;
    return reader.call(invoke);
  }

  /** A long writer job with a cancel flag the worker polls between batches. */
  writeJob<T>(invoke: (api: Comlink.Remote<WriterApi>, cancel: SharedArrayBuffer) => Promise<T>): Job<T> {
    const token = new CancelToken();
    return { result: this.write((api) => invoke(api, token.buffer)), cancel: () => token.cancel() };
  }

  /** Wraps a progress callback so it can be called from a worker. */
  static callback<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return Comlink.proxy(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    const alive = [this.writer.alive, ...this.readers.map((r) => r.alive)];
    await Promise.all(alive.map((w) => w?.stop()));
  }

  /**
   * Closes the workspace connections cleanly (checkpointing the WAL) before the workers stop. A thread that
   * died holds no connection, so it is not restarted just to close one.
   */
  async closeWorkspace(path: string): Promise<void> {
    await Promise.all(this.readers.map((r) => r.alive?.call((api) => api.close(path))));
    await this.writer.alive?.call((api) => api.close(path));
  }

  /** Test hook: kills the writer thread as a crash would, whatever it is doing. */
  async debugTerminateWriter(): Promise<void> {
    await this.writer.alive?.kill();
  }
}

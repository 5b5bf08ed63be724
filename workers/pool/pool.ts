import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { FunnelscopeError, fromErrorShape, type ErrorShape } from '../../shared/errors';
import { CancelToken } from './cancel';
import { spawnWorker } from './spawn';
import type { ReaderApi, WriterApi } from './protocol';

function isErrorShape(value: unknown): value is ErrorShape {
  return Boolean(value && typeof value === 'object' && 'code' in value && 'message' in value);
}

/** A worker thread with a typed comlink proxy, whose death rejects the calls in flight instead of hanging them. */
class EngineWorker<Api> {
  readonly worker: Worker;
  readonly api: Comlink.Remote<Api>;
  private death: Promise<never>;
  exited = false;

  constructor(readonly name: string) {
    // A larger young generation halves garbage-collection time on the import's short-lived row arrays.
    const options = { resourceLimits: { maxOldGenerationSizeMb: 4096, maxYoungGenerationSizeMb: 64 } };
    this.worker = spawnWorker(name, options);
    this.api = Comlink.wrap<Api>(nodeEndpoint(this.worker));
    this.death = new Promise<never>((_, reject) => {
      this.worker.once('error', (error) =>
        reject(
          new FunnelscopeError(
            'WORKER_CRASHED',
            `The ${name} worker crashed: ${error.message}. The job was rolled back.`,
          ),
        ),
      );
      this.worker.once('exit', (code) => {
        this.exited = true;
        reject(
          new FunnelscopeError(
            'WORKER_CRASHED',
            `The ${name} worker stopped (exit code ${code}). The job was rolled back; run it again.`,
          ),
        );
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

  async terminate(): Promise<void> {
    this.api[Comlink.releaseProxy]();
    await this.worker.terminate();
  }
}

export interface Job<T> {
  result: Promise<T>;
  cancel(): void;
}

export interface PoolOptions {
  readers?: number;
}

/**
 * One writer worker (the only write connection) and a few read-only workers, as in Signal Desktop's SQL
 * worker pool. The calling thread only routes.
 */
export class EnginePool {
  private readonly writer: EngineWorker<WriterApi>;
  private readonly readers: EngineWorker<ReaderApi>[];
  private next = 0;

  constructor(options: PoolOptions = {}) {
    const count = options.readers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    this.writer = new EngineWorker<WriterApi>('writer.worker');
    this.readers = Array.from({ length: count }, () => new EngineWorker<ReaderApi>('reader.worker'));
  }

  write<T>(invoke: (api: Comlink.Remote<WriterApi>) => Promise<T>): Promise<T> {
    return this.writer.call(invoke);
  }

  read<T>(invoke: (api: Comlink.Remote<ReaderApi>) => Promise<T>): Promise<T> {
    const reader = this.readers[this.next++ % this.readers.length] as EngineWorker<ReaderApi>;
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
    await Promise.all([this.writer, ...this.readers].map((w) => (w.exited ? undefined : w.terminate())));
  }

  /** Closes the workspace connections cleanly (checkpointing the WAL) before the workers stop. */
  async closeWorkspace(path: string): Promise<void> {
    await Promise.all(this.readers.map((r) => r.call((api) => api.close(path))));
    await this.writer.call((api) => api.close(path));
  }
}

import { DIMENSIONS } from '../../../shared/events';
import { FunnelscopeError, fromErrorShape } from '../../../shared/errors';
import type { RejectedRow } from '../../../shared/ingest';
import { spawnWorker } from '../../pool/spawn';
import { BatchInsert } from '../../store/batch-insert';
import type { Dictionary } from '../../store/dictionary';
import type { Db } from '../../store/workspace';
import type { CancelCheck } from '../read/types';
import type { EncodeInit, EncodeMessage } from './protocol';

export interface PipelineCallbacks {
  onRejected(row: RejectedRow): void;
  onProgress(rowsRead: number, bytesRead: number): void;
  isCancelled: CancelCheck;
}

export interface PipelineResult {
  rowsRead: number;
  timeFrom: number;
  timeTo: number;
}

const DICTIONARY_COLUMNS = new Map<string, string>([
  ['type_id', 'event_type'],
  ...DIMENSIONS.map((d) => [d, d] as [string, string]),
]);

/**
 * The writer side of a two-thread import: an encode worker does the parsing, pseudonymising and encoding while
 * this thread maps the worker's local string ids to workspace ids and inserts, inside the caller's transaction.
 */
export function importViaEncodeWorker(
  db: Db,
  sourceId: number,
  dictionary: Dictionary,
  init: EncodeInit,
  callbacks: PipelineCallbacks,
): Promise<PipelineResult> {
  const worker = spawnWorker('encode.worker', {
    workerData: init,
    resourceLimits: { maxOldGenerationSizeMb: 2048, maxYoungGenerationSizeMb: 64 },
  });
  /** Per dictionary column: local id → workspace id. */
  const global = new Map<string, number[]>();
  let insert: BatchInsert | undefined;
  let columnDictionaries: (number[] | undefined)[] = [];
  let result: PipelineResult = {
    rowsRead: 0,
    timeFrom: Number.POSITIVE_INFINITY,
    timeTo: Number.NEGATIVE_INFINITY,
  };

  const apply = (message: Extract<EncodeMessage, { type: 'batch' }>) => {
    for (const [dim, localId, value] of message.strings) {
      let ids = global.get(dim);
      if (!ids) global.set(dim, (ids = []));
      ids[localId] = dictionary.id(dim, value);
    }
    if (!insert) throw new Error('encode worker sent rows before its columns');
    const width = columnDictionaries.length;
    const { data, rows } = message;
    for (let r = 0; r < rows; r++) {
      const p = insert.buffer;
      const o = insert.offset;
      const base = r * width;
      for (let c = 0; c < width; c++) {
        const value = data[base + c] as number;
        if (value !== value) p[o + c] = null;
        else {
          const ids = columnDictionaries[c];
          p[o + c] = ids ? ids[value] : value;
        }
      }
      insert.commitRow();
    }
    for (const row of message.rejected) callbacks.onRejected(row);
    result = { rowsRead: message.rowsRead, timeFrom: message.timeFrom, timeTo: message.timeTo };
    callbacks.onProgress(message.rowsRead, message.bytesRead);
  };

  return new Promise<PipelineResult>((resolve, reject) => {
    let settled = false;
    const finish = (failure: Error | null) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      let error = failure;
      if (!error) {
        try {
          insert?.flush();
        } catch (flushError) {
          error = flushError instanceof Error ? flushError : new Error(String(flushError));
        }
      }
      if (error) reject(error);
      else resolve(result);
    };
    worker.on('message', (message: EncodeMessage) => {
      if (settled) return;
      try {
        if (callbacks.isCancelled()) {
          finish(new FunnelscopeError('CANCELLED', 'Import cancelled; nothing from this file was kept.'));
          return;
        }
        switch (message.type) {
          case 'columns':
            insert = new BatchInsert(db, 'events', message.columns, { source_id: sourceId });
            columnDictionaries = message.columns.map((column) => {
              const dim = DICTIONARY_COLUMNS.get(column);
              if (!dim) return undefined;
              let ids = global.get(dim);
              if (!ids) global.set(dim, (ids = []));
              return ids;
            });
            break;
          case 'batch':
            apply(message);
            worker.postMessage({ type: 'ack' });
            break;
          case 'done':
            finish(null);
            break;
          case 'error':
            finish(fromErrorShape(message.error));
            break;
        }
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
    worker.once('error', (error) =>
      finish(new FunnelscopeError('WORKER_CRASHED', `The encode worker crashed: ${error.message}`)),
    );
    worker.once('exit', (code) =>
      finish(new FunnelscopeError('WORKER_CRASHED', `The encode worker stopped (exit code ${code}).`)),
    );
  });
}

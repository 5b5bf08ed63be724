import type { RawReject, RecordBatch } from './types';

/**
 * Batches hold at most this many records, and text batches also at most about BATCH_WEIGHT bytes of heap (the
 * records of a batch are alive until the consumer is done with it; past a few MB they outlive V8's young
 * generation and the GC cost of a 1M-row CSV import triples). For typical event exports (100–200 characters per
 * row) that is about 5,000 rows.
 */
export const BATCH_SIZE = 20_000;
export const BATCH_WEIGHT = 3 * 1024 * 1024;
/** Parquet rows are decoded by hyparquet a row group (or 65,536 rows) at a time; they are handed out in this many. */
export const PARQUET_BATCH_SIZE = 10_000;
/** Estimated heap bytes of one record beyond its characters: the row array, and per field a string header. */
export const RECORD_OVERHEAD = 160;
export const FIELD_OVERHEAD = 32;
export const RAW_LIMIT = 500;

export function cutRaw(raw: string): string {
  return raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw;
}

/** Collects records, their lines and rejects, and cuts them into batches of bounded size. */
export class Batcher {
  records: unknown[] = [];
  lines: number[] = [];
  rejected: RawReject[] = [];
  /** Estimated heap bytes of what is collected (added to by the reader). */
  weight = 0;

  constructor(
    readonly maxRecords: number,
    readonly maxWeight = Infinity,
  ) {}

  get size(): number {
    return this.records.length + this.rejected.length;
  }

  get full(): boolean {
    return this.records.length + this.rejected.length >= this.maxRecords || this.weight >= this.maxWeight;
  }

  reject(line: number, reason: string, raw: string): void {
    this.rejected.push({ line, reason, raw: cutRaw(raw) });
  }

  /** Takes everything collected, or one batch's worth when far more than that has piled up. */
  take(bytesRead: number): RecordBatch {
    const n = this.records.length;
    if (n < this.maxRecords * 2) {
      const batch = { records: this.records, lines: this.lines, rejected: this.rejected, bytesRead };
      this.records = [];
      this.lines = [];
      this.rejected = [];
      this.weight = 0;
      return batch;
    }
    const size = this.maxRecords;
    const batch = {
      records: this.records.slice(0, size),
      lines: this.lines.slice(0, size),
      rejected: this.rejected,
      bytesRead,
    };
    this.records = this.records.slice(size);
    this.lines = this.lines.slice(size);
    this.rejected = [];
    this.weight = (this.weight * (n - size)) / n;
    return batch;
  }
}

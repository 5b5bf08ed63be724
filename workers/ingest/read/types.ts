import type { FileFormat } from '../../../shared/ingest';

/** Checked between batches; a set flag stops the work and rolls back. */
export type CancelCheck = () => boolean;

export interface RawReject {
  /** 1-based physical line in the (decompressed) file where the record starts; row number for Parquet. */
  line: number;
  reason: string;
  /** The raw text of the record, cut to 500 characters (it is masked before it is stored). */
  raw: string;
}

export interface RecordBatch {
  /** CSV/TSV: string[] per record (header order). JSONL/Parquet: flattened objects keyed by dot path. */
  records: unknown[];
  /** Start line (or row number) of each record, parallel to `records`. */
  lines: number[];
  /** Records the reader itself could not parse (wrong field count, bad JSON, unterminated quote). */
  rejected: RawReject[];
  /** Compressed bytes consumed so far (for progress against the file size). */
  bytesRead: number;
}

export interface OpenedFile {
  path: string;
  format: FileFormat;
  compression: 'none' | 'gzip';
  delimiter?: string;
  /** CSV header, or the union of flattened keys seen in the sample, in first-seen order. */
  columns: string[];
  /** The first records (up to 1,000) as column → value, for detection and preview. */
  sample: Record<string, unknown>[];
  bytesTotal: number;
  /** A fast getter for one column of a record of this file. */
  accessor(column: string): (record: unknown) => unknown;
  /** Streams every record from the start of the file (the sample included), in bounded memory. */
  batches(isCancelled: CancelCheck): AsyncIterable<RecordBatch>;
}

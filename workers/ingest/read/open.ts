import fs from 'node:fs';
import Papa from 'papaparse';
import { FunnelscopeError } from '../../../shared/errors';
import { BATCH_SIZE, BATCH_WEIGHT, PARQUET_BATCH_SIZE } from './batcher';
import { readCsv } from './csv';
import type { CsvDialect, CsvHeader } from './csv';
import { Utf8Decoder } from './decode';
import { readJsonl } from './jsonl';
import { gunzipToTemporary, openParquet, readParquet, removeTemporary, schemaColumns } from './parquet';
import type { ParquetFile } from './parquet';
import {
  SNIFF_BYTES,
  checkText,
  contentExtension,
  detectCompression,
  detectTextKind,
  isParquet,
  sniffDelimiter,
  sniffNewline,
} from './sniff';
import { displayName, fsError, readHead, readRawBytes } from './source';
import type { Compression } from './source';
import type { CancelCheck, OpenedFile, RecordBatch } from './types';

export type { OpenedFile } from './types';

/** Records read at open time for detection and preview. */
export const SAMPLE_SIZE = 1000;

export interface OpenOptions {
  /** Delimiter of a delimited text file; overrides sniffing. `\t` may also be written as `tab` or `\\t`. */
  delimiter?: string;
}

const DELIMITED_EXTENSIONS = new Set(['', 'csv', 'tsv', 'tab', 'txt', 'psv', 'dsv', 'dat']);

function emptyError(file: string, what: string): FunnelscopeError {
  return new FunnelscopeError(
    'FILE_EMPTY',
    `${displayName(file)} ${what}. Check the export and import a file with data.`,
    {
      path: file,
    },
  );
}

function normaliseDelimiter(delimiter: string): string {
  const d = delimiter === 'tab' || delimiter === '\\t' ? '\t' : delimiter;
  if (d.length === 0 || (Papa.BAD_DELIMITERS as readonly string[]).some((bad) => d.includes(bad)))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `"${delimiter}" cannot be used as a delimiter (it must not be empty, a quote or a line break). Use e.g. "," ";" "|" or "tab".`,
      { delimiter },
    );
  return d;
}

/** The first up-to-`limit` records of a stream, and whether the stream ended. The stream is closed afterwards. */
async function collectSample(
  batches: AsyncGenerator<RecordBatch>,
  limit: number,
): Promise<{ records: unknown[]; rejected: number; ended: boolean }> {
  const records: unknown[] = [];
  let rejected = 0;
  for await (const batch of batches) {
    rejected += batch.rejected.length;
    for (const record of batch.records) {
      if (records.length >= limit) break;
      records.push(record);
    }
    if (records.length >= limit) return { records, rejected, ended: false };
  }
  return { records, rejected, ended: true };
}

const neverCancelled: CancelCheck = () => false;

/**
 * Opens an exported event file: detects gzip, the format (CSV/TSV/other delimiters, JSON Lines, Parquet) and the
 * encoding, reads a sample, and returns a reader that streams every record in bounded memory.
 */
export async function openFile(file: string, options: OpenOptions = {}): Promise<OpenedFile> {
  const stat = await fs.promises.stat(file).catch((error: unknown) => Promise.reject(fsError(error, file)));
  if (stat.isDirectory()) throw fsError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), file);
  if (stat.size === 0) throw emptyError(file, 'is empty (0 bytes)');
  const bytesTotal = stat.size;
  const rawHead = await readRawBytes(file, 0, 16);
  const compression = detectCompression(rawHead, file);
  const ext = contentExtension(file);

  if (compression === 'none' && isParquet(rawHead))
    return openParquetFile(file, await openParquet(file, file), 'none', bytesTotal);

  const { head, complete } = await readHead(file, compression, SNIFF_BYTES);
  if (compression === 'gzip' && isParquet(head)) {
    const temporary = await gunzipToTemporary(file);
    try {
      return await openParquetFile(file, await openParquet(temporary, file), 'gzip', bytesTotal);
    } catch (error) {
      removeTemporary(temporary);
      throw error;
    }
  }
  if (head.length === 0) throw emptyError(file, 'is empty (the compressed data holds no bytes)');
  if (ext === 'parquet' || ext === 'pq')
    throw new FunnelscopeError(
      'FORMAT_UNKNOWN',
      `${displayName(file)} is named like a Parquet file but does not start with the Parquet signature "PAR1". The file is damaged or misnamed; export it again.`,
      { path: file },
    );
  checkText(head, file);

  // Decode the head strictly (an encoding problem at the start fails here, at open).
  const decoder = new Utf8Decoder(file, compression === 'gzip');
  const text = decoder.decode(head) + (complete ? decoder.end() : '');
  if (complete && text.trim() === '') throw emptyError(file, 'is empty (it holds only blank lines)');

  const kind = detectTextKind(text, file);
  if (kind === 'jsonl') return openJsonl(file, compression, bytesTotal);

  const newline = sniffNewline(text);
  const delimiter = options.delimiter
    ? normaliseDelimiter(options.delimiter)
    : sniffDelimiter(text, newline, complete, ext);
  return openDelimited(file, compression, bytesTotal, { delimiter, newline }, ext);
}

async function openDelimited(
  file: string,
  compression: Compression,
  bytesTotal: number,
  dialect: CsvDialect,
  ext: string,
): Promise<OpenedFile> {
  let header: CsvHeader | null = null;
  const sample = await collectSample(
    readCsv(file, compression, dialect, {
      batchSize: SAMPLE_SIZE,
      isCancelled: neverCancelled,
      onHeader: (h) => (header = h),
    }),
    SAMPLE_SIZE,
  );
  const found = header as CsvHeader | null;
  if (found === null) throw emptyError(file, 'is empty (it holds only blank lines)');
  if (sample.ended && sample.records.length === 0 && sample.rejected === 0)
    throw emptyError(file, 'has a header but no rows');
  const columns = found.columns;
  if (columns.length === 1 && !DELIMITED_EXTENSIONS.has(ext))
    throw new FunnelscopeError(
      'FORMAT_UNKNOWN',
      `The format of ${displayName(file)} is not recognised: it is not Parquet or JSON Lines, and no delimiter (, ; | or tab) splits its lines into columns. Export the data as CSV, JSON Lines or Parquet.`,
      { path: file },
    );
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c, i));
  return {
    path: file,
    format: dialect.delimiter === '\t' ? 'tsv' : 'csv',
    compression,
    delimiter: dialect.delimiter,
    columns,
    sample: sample.records.map((record) => {
      const row = record as string[];
      const object: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) object[columns[i] as string] = row[i];
      return object;
    }),
    bytesTotal,
    accessor(column: string) {
      const i = index.get(column);
      if (i === undefined) return () => undefined;
      return (record: unknown) => (record as string[])[i];
    },
    batches(isCancelled: CancelCheck) {
      return readCsv(file, compression, dialect, {
        batchSize: BATCH_SIZE,
        batchWeight: BATCH_WEIGHT,
        isCancelled,
      });
    },
  };
}

function objectColumns(records: unknown[], seed: string[] = []): string[] {
  const columns = new Set(seed);
  // A null struct flattens to its own name; that is not a column when the schema lists the struct's fields.
  const prefixes = new Set<string>();
  for (const column of seed) {
    const parts = column.split('.');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  for (const record of records)
    for (const key of Object.keys(record as Record<string, unknown>))
      if (!prefixes.has(key)) columns.add(key);
  return [...columns];
}

function objectAccessor(column: string): (record: unknown) => unknown {
  return (record: unknown) => (record as Record<string, unknown>)[column];
}

async function openJsonl(file: string, compression: Compression, bytesTotal: number): Promise<OpenedFile> {
  const sample = await collectSample(
    readJsonl(file, compression, { batchSize: SAMPLE_SIZE, isCancelled: neverCancelled }),
    SAMPLE_SIZE,
  );
  if (sample.ended && sample.records.length === 0 && sample.rejected === 0)
    throw emptyError(file, 'is empty (it holds only blank lines)');
  return {
    path: file,
    format: 'jsonl',
    compression,
    columns: objectColumns(sample.records),
    sample: sample.records as Record<string, unknown>[],
    bytesTotal,
    accessor: objectAccessor,
    batches(isCancelled: CancelCheck) {
      return readJsonl(file, compression, { batchSize: BATCH_SIZE, batchWeight: BATCH_WEIGHT, isCancelled });
    },
  };
}

async function openParquetFile(
  file: string,
  pq: ParquetFile,
  compression: Compression,
  bytesTotal: number,
): Promise<OpenedFile> {
  if (pq.numRows === 0) throw emptyError(file, 'has a Parquet schema but no rows');
  const sample = await collectSample(
    readParquet(pq, file, {
      batchSize: SAMPLE_SIZE,
      isCancelled: neverCancelled,
      limit: SAMPLE_SIZE,
      bytesTotal,
    }),
    SAMPLE_SIZE,
  );
  let current: ParquetFile | null = pq;
  return {
    path: file,
    format: 'parquet',
    compression,
    columns: objectColumns(sample.records, schemaColumns(pq.metadata)),
    sample: sample.records as Record<string, unknown>[],
    bytesTotal,
    accessor: objectAccessor,
    batches(isCancelled: CancelCheck) {
      return (async function* () {
        // A gzipped file's temporary copy is removed after a full pass; a second pass decompresses it again.
        if (compression === 'gzip' && current === null) {
          const temporary = await gunzipToTemporary(file);
          current = await openParquet(temporary, file).catch((error: unknown) => {
            removeTemporary(temporary);
            throw error;
          });
        }
        const active = current as ParquetFile;
        try {
          yield* readParquet(active, file, { batchSize: PARQUET_BATCH_SIZE, isCancelled, bytesTotal });
        } finally {
          if (compression === 'gzip') {
            removeTemporary(active.localPath);
            current = null;
          }
        }
      })();
    },
  };
}

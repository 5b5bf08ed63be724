import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { FunnelscopeError } from '../../../shared/errors';
import { Batcher } from './batcher';
import { normaliseRecord } from './flatten';
import { displayName, fsError, gzipError, readRawBytes } from './source';
import type { CancelCheck, RecordBatch } from './types';

/**
 * Rows are read a whole row group at a time (hyparquet decodes column chunks; reading a slice of a group costs
 * nearly as much as the whole group, so slicing small multiplies the work). Only huge groups are cut.
 */
const MAX_ROWS_PER_READ = 1_048_576;

export interface ParquetFile {
  /** The file hyparquet reads: the original, or a decompressed temporary copy of a gzipped Parquet file. */
  localPath: string;
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  numRows: number;
}

function damaged(file: string, error: unknown): FunnelscopeError {
  if (error instanceof FunnelscopeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = displayName(file);
  if (/unsupported|not supported/i.test(message))
    return new FunnelscopeError(
      'FORMAT_UNKNOWN',
      `${name} uses a Parquet feature Funnelscope cannot read (${message}). Re-export it with Snappy, gzip or zstd compression and no encryption, or as CSV.`,
      { path: file },
    );
  return new FunnelscopeError(
    'FILE_TRUNCATED',
    `${name} could not be read as Parquet (${message}); the file is damaged or incomplete. Download or export it again.`,
    { path: file },
  );
}

/** Reads and checks the footer. A missing `PAR1` at the end means the file was cut off. */
export async function openParquet(localPath: string, file: string): Promise<ParquetFile> {
  const size = (await fs.promises.stat(localPath).catch((e: unknown) => Promise.reject(fsError(e, file))))
    .size;
  const tail = size >= 12 ? await readRawBytes(localPath, size - 4, 4) : Buffer.alloc(0);
  if (tail.toString('latin1') !== 'PAR1')
    throw new FunnelscopeError(
      'FILE_TRUNCATED',
      `${displayName(file)} starts like a Parquet file but its end (the footer) is missing — the file is truncated. Download or export it again.`,
      { path: file },
    );
  const buffer = await asyncBufferFromFile(localPath);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw damaged(file, error);
  }
  return { localPath, buffer, metadata, numRows: Number(metadata.num_rows) };
}

/** Column paths from the schema: struct fields as dot paths; lists (and legacy repeated fields) as one column. */
export function schemaColumns(metadata: FileMetaData): string[] {
  const out: string[] = [];
  const walk = (node: SchemaTree, prefix: string) => {
    for (const child of node.children) {
      const { element } = child;
      const name = prefix === '' ? element.name : `${prefix}.${element.name}`;
      const kind = element.logical_type?.type ?? element.converted_type;
      // Map keys and parsed JSON/BSON/VARIANT fields are data, not schema: they come from the sample.
      if (
        kind === 'MAP' ||
        kind === 'MAP_KEY_VALUE' ||
        kind === 'JSON' ||
        kind === 'BSON' ||
        kind === 'VARIANT'
      )
        continue;
      if (child.children.length === 0 || kind === 'LIST' || element.repetition_type === 'REPEATED')
        out.push(name);
      else walk(child, name);
    }
  };
  walk(parquetSchema(metadata), '');
  return out;
}

export interface ParquetReadOptions {
  batchSize: number;
  isCancelled: CancelCheck;
  /** Stop after this many rows (the sample). */
  limit?: number;
  bytesTotal: number;
  onDone?: () => void;
}

/** Streams rows (flattened) one row group at a time. Line = row number. */
export async function* readParquet(
  pq: ParquetFile,
  file: string,
  options: ParquetReadOptions,
): AsyncGenerator<RecordBatch> {
  const { batchSize, isCancelled, bytesTotal } = options;
  const end = Math.min(pq.numRows, options.limit ?? Infinity);
  const out = new Batcher(batchSize);
  const progress = (done: number) =>
    pq.numRows === 0 ? bytesTotal : Math.round((bytesTotal * done) / pq.numRows);
  let groupStart = 0;
  for (const group of pq.metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    for (let from = groupStart; from < Math.min(groupEnd, end); from += MAX_ROWS_PER_READ) {
      if (isCancelled()) return;
      const to = Math.min(from + MAX_ROWS_PER_READ, groupEnd, end);
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({
          file: pq.buffer,
          metadata: pq.metadata,
          rowStart: from,
          rowEnd: to,
          compressors,
          rowFormat: 'object',
        });
      } catch (error) {
        throw damaged(file, error);
      }
      for (let i = 0; i < rows.length; i++) {
        out.records.push(normaliseRecord(rows[i] as Record<string, unknown>));
        out.lines.push(from + i + 1);
        if (out.records.length >= batchSize) {
          yield out.take(progress(from + i + 1));
          if (isCancelled()) return;
        }
      }
    }
    groupStart = groupEnd;
    if (groupStart >= end) break;
  }
  if (out.size > 0) yield out.take(progress(end));
}

const temporaryFiles = new Set<string>();
let exitHookInstalled = false;

function removeTemporaryFiles(): void {
  for (const file of temporaryFiles) {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // best effort at exit
    }
  }
  temporaryFiles.clear();
}

export function removeTemporary(file: string): void {
  temporaryFiles.delete(file);
  fs.rmSync(file, { force: true });
}

/** Parquet needs random access, so a gzipped Parquet file is decompressed to a temporary file first. */
export async function gunzipToTemporary(file: string): Promise<string> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeTemporaryFiles);
  }
  const target = path.join(
    os.tmpdir(),
    `funnelscope-${process.pid}-${randomBytes(6).toString('hex')}.parquet`,
  );
  temporaryFiles.add(target);
  try {
    await pipeline(fs.createReadStream(file), zlib.createGunzip(), fs.createWriteStream(target));
  } catch (error) {
    removeTemporary(target);
    throw gzipError(error, file);
  }
  return target;
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FunnelscopeError } from '../../shared/errors';
import type { ImportOptions, ImportProgress, ImportSummary, RejectedRow } from '../../shared/ingest';
import { Dictionary, PseudonymKeys } from '../store/dictionary';
import { getSetting, type Db } from '../store/workspace';
import { sourceSummary } from '../store/sources';
import { createPseudonymizer, createPseudonymKeys } from '../mask/pseudonym';
import { assertTimeZone, detectTimeFormat, makeTimeParser } from './timestamps';
import { detectMapping } from './detect';
import { PRESETS, presetByName } from './presets';
import { openFile } from './read/open';
import type { CancelCheck } from './read/types';
import { createEncoder } from './encoders';
import { RejectMasker } from './reject-mask';
import { importViaEncodeWorker } from './pipeline/apply';
import { encodeBatches } from './encode-loop';
import { planPii } from './pii-plan';

export interface ImportContext {
  secret: Uint8Array;
  /**
   * Whether event files are encoded on a second thread while this one inserts. 'auto' does it for files
   * large enough to repay the worker's start-up.
   */
  pipeline?: 'auto' | 'always' | 'never';
  onProgress?: (progress: ImportProgress) => void;
  isCancelled: CancelCheck;
}

const SUMMARY_REJECTS = 1000;
const PIPELINE_MIN_BYTES = 8 << 20;
const PROGRESS_INTERVAL_MS = 100;

/** FUNNELSCOPE_IMPORT_PIPELINE=always|never|auto: lets tests and benchmarks choose the path. */
function pipelineFromEnvironment(): 'auto' | 'always' | 'never' {
  const value = process.env.FUNNELSCOPE_IMPORT_PIPELINE;
  return value === 'always' || value === 'never' ? value : 'auto';
}

function cancelled(): FunnelscopeError {
  return new FunnelscopeError('CANCELLED', 'Import cancelled; nothing from this file was kept.');
}

async function sha256(
  file: string,
  size: number,
  ctx: ImportContext,
  report: (bytes: number) => void,
): Promise<string> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    if (ctx.isCancelled()) throw cancelled();
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes === size || bytes % (32 << 20) < 1 << 20) report(bytes);
  }
  return hash.digest('hex');
}

function reasonClass(reason: string): string {
  return reason.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
}

export async function importFile(
  db: Db,
  file: string,
  options: ImportOptions,
  ctx: ImportContext,
): Promise<ImportSummary> {
  const started = Date.now();
  if (options.preset && !presetByName(options.preset))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `Unknown preset "${options.preset}". Presets: ${PRESETS.map((p) => p.name).join(', ')}.`,
    );
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new FunnelscopeError('FILE_NOT_FOUND', `${file} does not exist or cannot be read. Check the path.`);
  }
  if (!stat.isFile()) throw new FunnelscopeError('FILE_NOT_FOUND', `${file} is not a file.`);
  const fileName = path.basename(file);
  const progress: ImportProgress = {
    file: fileName,
    phase: 'hashing',
    bytesRead: 0,
    bytesTotal: stat.size,
    rowsRead: 0,
    rowsRejected: 0,
    rowsPerSecond: 0,
  };
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!ctx.onProgress || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    progress.rowsPerSecond = seconds > 0 ? Math.round(progress.rowsRead / seconds) : 0;
    ctx.onProgress({ ...progress });
  };

  const digest = await sha256(file, stat.size, ctx, (bytes) => {
    progress.bytesRead = bytes;
    report();
  });
  const existing = db.prepare('SELECT id FROM sources WHERE sha256 = ?').pluck().get(digest) as
    number | undefined;
  if (existing !== undefined) {
    const summary = sourceSummary(db, existing);
    return { ...summary, file, status: 'already_imported', durationMs: Date.now() - started };
  }

  progress.phase = 'inspecting';
  progress.bytesRead = 0;
  report(true);
  const opened = await openFile(
    file,
    options.mapping?.delimiter ? { delimiter: options.mapping.delimiter } : {},
  );
  const detected = detectMapping(opened, options);
  const mapping = detected.mapping;
  const notes = [...detected.notes];
  const timeZone = options.timeZone ?? mapping.timeZone ?? getSetting(db, 'time_zone') ?? 'UTC';
  assertTimeZone(timeZone);
  mapping.timeZone = timeZone;
  const timeColumn = Object.entries(mapping.columns).find(([, r]) => r.role === 'time')?.[0] as string;
  if (!mapping.timeFormat || mapping.timeFormat === 'auto') {
    mapping.timeFormat = detectTimeFormat(opened.sample.map((r) => r[timeColumn]));
    notes.push(
      `Times in "${timeColumn}" read as ${mapping.timeFormat}; times without a zone are in ${timeZone}.`,
    );
  }
  const { findings, maskedColumns } = planPii(mapping, opened.columns, opened.sample);
  const identifierColumns = Object.entries(mapping.columns)
    .filter(([, r]) => r.role === 'identifier')
    .map(([c]) => c);
  if (identifierColumns.length > 0)
    notes.push(
      `Identifiers never stored raw: ${identifierColumns.join(', ')} (keyed pseudonyms or dropped).`,
    );
  const sensitiveColumns = new Set([
    ...identifierColumns,
    ...maskedColumns,
    ...findings.map((f) => f.column),
  ]);
  const masker = new RejectMasker(opened, sensitiveColumns);

  // PseudonymKeys caches raw value → id, so the pseudonymiser's own memo would only double the memory.
  const pseudonymise = createPseudonymizer(ctx.secret, { memo: false });
  const rejected: RejectedRow[] = [];
  const rejectedReasons: Record<string, number> = {};
  let rowsRead = 0;
  let rowsRejected = 0;

  db.exec('BEGIN IMMEDIATE');
  try {
    const rowidBefore =
      (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM events').pluck().get() as number) ?? 0;
    const sourceId = Number(
      db
        .prepare(
          `INSERT INTO sources (file_name, sha256, format, compression, shape, preset, mapping, rows_read, rows_imported,
             rows_rejected, notes, pii, imported_at) VALUES (?, ?, ?, ?, ?, ?, '{}', 0, 0, 0, '[]', '[]', ?)`,
        )
        .run(fileName, digest, opened.format, opened.compression, mapping.shape, detected.preset, Date.now())
        .lastInsertRowid,
    );
    const insertReject = db.prepare(
      'INSERT INTO rejected_rows (source_id, line, reason, excerpt) VALUES (?, ?, ?, ?)',
    );
    const reject = (line: number, reason: string, excerpt: string) => {
      rowsRejected++;
      const key = reasonClass(reason);
      rejectedReasons[key] = (rejectedReasons[key] ?? 0) + 1;
      insertReject.run(sourceId, line, reason, excerpt);
      if (rejected.length < SUMMARY_REJECTS) rejected.push({ line, reason, excerpt });
    };
    const showProgress = (read: number, bytes: number) => {
      progress.rowsRead = read;
      progress.rowsRejected = rowsRejected;
      progress.bytesRead = bytes;
      report();
    };
    const dictionary = new Dictionary(db);
    const eventShape =
      mapping.shape === 'clickstream' || mapping.shape === 'segment' || mapping.shape === 'orders';
    const mode = ctx.pipeline ?? pipelineFromEnvironment();
    const pipelined =
      eventShape && (mode === 'always' || (mode === 'auto' && stat.size >= PIPELINE_MIN_BYTES));
    progress.phase = 'importing';
    let timeFrom = Number.POSITIVE_INFINITY;
    let timeTo = Number.NEGATIVE_INFINITY;
    if (pipelined) {
      const result = await importViaEncodeWorker(
        db,
        sourceId,
        dictionary,
        {
          file,
          ...(mapping.delimiter ? { delimiter: mapping.delimiter } : {}),
          mapping,
          timeZone,
          maskedColumns: [...maskedColumns],
          sensitiveColumns: [...sensitiveColumns],
          secret: ctx.secret,
        },
        {
          isCancelled: ctx.isCancelled,
          onRejected: (row) => reject(row.line, row.reason, row.excerpt),
          onProgress: showProgress,
        },
      );
      rowsRead = result.rowsRead;
      timeFrom = result.timeFrom;
      timeTo = result.timeTo;
    } else {
      const encoder = createEncoder({
        db,
        sourceId,
        file: opened,
        mapping,
        dictionary,
        keys: new PseudonymKeys(createPseudonymKeys(ctx.secret)),
        pseudonymise,
        parseTime: makeTimeParser(mapping.timeFormat, timeZone),
        maskedColumns,
      });
      for await (const batch of encodeBatches(opened, encoder, masker, ctx.isCancelled)) {
        if (ctx.isCancelled()) throw cancelled();
        for (const row of batch.rejected) reject(row.line, row.reason, row.excerpt);
        rowsRead = batch.rowsRead;
        showProgress(batch.rowsRead, batch.bytesRead);
      }
      if (ctx.isCancelled()) throw cancelled();
      encoder.flush();
      timeFrom = encoder.timeFrom;
      timeTo = encoder.timeTo;
    }
    const rowsImported = rowsRead - rowsRejected;
    if (rowsImported === 0) {
      const first = rejected
        .slice(0, 3)
        .map((r) => `line ${r.line}: ${r.reason}`)
        .join('; ');
      throw new FunnelscopeError(
        'NO_VALID_ROWS',
        `None of the ${rowsRead} rows of ${fileName} could be imported (${first}). Nothing was kept; check the preset or pass --mapping.`,
        { rejectedReasons },
      );
    }
    progress.phase = 'finishing';
    report(true);
    const rowids = db
      .prepare('SELECT MIN(rowid) AS first, MAX(rowid) AS last FROM events WHERE rowid > ?')
      .get(rowidBefore) as {
      first: number | null;
      last: number | null;
    };
    const spanFrom = Number.isFinite(timeFrom) ? timeFrom : null;
    const spanTo = Number.isFinite(timeTo) ? timeTo : null;
    db.prepare(
      `UPDATE sources SET mapping = ?, rows_read = ?, rows_imported = ?, rows_rejected = ?, notes = ?, pii = ?,
         time_from = ?, time_to = ?, first_rowid = ?, last_rowid = ? WHERE id = ?`,
    ).run(
      JSON.stringify(mapping),
      rowsRead,
      rowsImported,
      rowsRejected,
      JSON.stringify(notes),
      JSON.stringify(findings),
      spanFrom,
      spanTo,
      rowids.first,
      rowids.last,
      sourceId,
    );
    db.exec('COMMIT');
    rejected.sort((a, b) => a.line - b.line);
    return {
      file,
      sourceId,
      status: 'imported',
      sha256: digest,
      format: opened.format,
      compression: opened.compression,
      shape: mapping.shape,
      preset: detected.preset,
      rowsRead,
      rowsImported,
      rowsRejected,
      rejected,
      rejectedReasons,
      timeSpan: spanFrom !== null && spanTo !== null ? { from: spanFrom, to: spanTo } : null,
      pii: findings,
      notes,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

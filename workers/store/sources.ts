import type { ImportSummary, Mapping, PiiFinding, RejectedRow } from '../../shared/ingest';
import type { SourceInfo } from '../../shared/workspace';
import type { Db } from './workspace';

interface SourceRow {
  id: number;
  file_name: string;
  sha256: string;
  format: SourceInfo['format'];
  compression: SourceInfo['compression'];
  shape: SourceInfo['shape'];
  preset: string;
  mapping: string;
  rows_read: number;
  rows_imported: number;
  rows_rejected: number;
  notes: string;
  pii: string;
  time_from: number | null;
  time_to: number | null;
  imported_at: number;
}

function toSourceInfo(row: SourceRow): SourceInfo {
  return {
    id: row.id,
    fileName: row.file_name,
    sha256: row.sha256,
    format: row.format,
    compression: row.compression,
    shape: row.shape,
    preset: row.preset,
    mapping: JSON.parse(row.mapping) as Mapping,
    rowsRead: row.rows_read,
    rowsImported: row.rows_imported,
    rowsRejected: row.rows_rejected,
    importedAt: row.imported_at,
  };
}

export function listSources(db: Db): SourceInfo[] {
  return (db.prepare('SELECT * FROM sources ORDER BY id').all() as SourceRow[]).map(toSourceInfo);
}

export function rejectedRows(db: Db, sourceId: number, limit = 1000, offset = 0): RejectedRow[] {
  return db
    .prepare(
      'SELECT line, reason, excerpt FROM rejected_rows WHERE source_id = ? ORDER BY line LIMIT ? OFFSET ?',
    )
    .all(sourceId, limit, offset) as RejectedRow[];
}

/** The summary of an import as recorded, for a re-import of the same file (which changes nothing). */
export function sourceSummary(db: Db, sourceId: number): Omit<ImportSummary, 'status' | 'durationMs'> {
  const row = db.prepare('SELECT * FROM sources WHERE id = ?').get(sourceId) as SourceRow;
  const reasons = db
    .prepare('SELECT reason, COUNT(*) AS n FROM rejected_rows WHERE source_id = ? GROUP BY reason')
    .all(sourceId) as { reason: string; n: number }[];
  return {
    file: row.file_name,
    sourceId,
    sha256: row.sha256,
    format: row.format,
    compression: row.compression,
    shape: row.shape,
    preset: row.preset,
    rowsRead: row.rows_read,
    rowsImported: row.rows_imported,
    rowsRejected: row.rows_rejected,
    rejected: rejectedRows(db, sourceId),
    rejectedReasons: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    timeSpan:
      row.time_from !== null && row.time_to !== null ? { from: row.time_from, to: row.time_to } : null,
    pii: JSON.parse(row.pii) as PiiFinding[],
    notes: [
      `Already imported as source #${sourceId} on ${new Date(row.imported_at).toISOString()}; nothing changed.`,
      ...(JSON.parse(row.notes) as string[]),
    ],
  };
}

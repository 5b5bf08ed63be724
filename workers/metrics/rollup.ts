import { SESSION_DIMENSIONS, type Dimension } from '../../shared/events';
import { EVENT_MEASURES } from '../../shared/metrics';
import type { Db } from '../store/workspace';
import type { Grouping } from './groupings';

/** The fine cube of a period, column by column, ready to be rolled up into any visit-dimension cohort. */
export interface CubeTable {
  bucketMs: number;
  /** First bucket (epoch ms) and number of buckets of the period. */
  start: number;
  length: number;
  /** 1 where the workspace holds any event in the bucket; 0 is a gap (missing data, not zero). */
  present: Uint8Array;
  rows: number;
  bucketIndex: Int32Array;
  dims: Record<string, Int32Array>;
  measures: Record<string, Float64Array>;
}

export interface CohortSeries {
  /** `dim=value` pairs sorted by dimension name, joined by `&` ('' is all traffic). */
  key: string;
  cohort: Record<string, string>;
  /** Per measure, one value per bucket of the table. */
  series: Record<string, Float64Array>;
  totals: Record<string, number>;
}

export function loadCube(db: Db, range: { from?: number; to?: number } = {}): CubeTable {
  const bucketMs =
    Number(db.prepare("SELECT value FROM settings WHERE key = 'cube_bucket_minutes'").pluck().get() ?? 60) *
    60_000;
  const where = 'WHERE bucket >= ? AND bucket <= ?';
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  const span = db
    .prepare(`SELECT MIN(bucket) AS lo, MAX(bucket) AS hi, COUNT(*) AS n FROM cube ${where}`)
    .get(from, to) as {
    lo: number | null;
    hi: number | null;
    n: number;
  };
  const start = span.lo ?? 0;
  const length = span.hi === null ? 0 : (span.hi - start) / bucketMs + 1;
  const table: CubeTable = {
    bucketMs,
    start,
    length,
    present: new Uint8Array(length),
    rows: span.n,
    bucketIndex: new Int32Array(span.n),
    dims: Object.fromEntries(SESSION_DIMENSIONS.map((d) => [d, new Int32Array(span.n)])),
    measures: Object.fromEntries(EVENT_MEASURES.map((m) => [m, new Float64Array(span.n)])),
  };
  const rows = db.prepare(`SELECT * FROM cube ${where} ORDER BY bucket`).raw().iterate(from, to) as Iterable<
    number[]
  >;
  // Column order of the table: bucket, the visit dimensions, the measures.
  const dimColumns = SESSION_DIMENSIONS.map((d) => table.dims[d] as Int32Array);
  const measureColumns = EVENT_MEASURES.map((m) => table.measures[m] as Float64Array);
  let r = 0;
  for (const row of rows) {
    const index = ((row[0] as number) - start) / bucketMs;
    table.bucketIndex[r] = index;
    table.present[index] = 1;
    for (let d = 0; d < dimColumns.length; d++) (dimColumns[d] as Int32Array)[r] = row[1 + d] as number;
    for (let m = 0; m < measureColumns.length; m++)
      (measureColumns[m] as Float64Array)[r] = row[1 + dimColumns.length + m] as number;
    r++;
  }
  return table;
}

/** Names of dimension ids, for cohort labels. */
export function dimensionNames(db: Db): Map<number, string> {
  return new Map(
    (db.prepare('SELECT id, value FROM dim_values').raw().all() as [number, string][]).map(([id, value]) => [
      id,
      value,
    ]),
  );
}

export function cohortKey(cohort: Record<string, string>): string {
  return Object.keys(cohort)
    .sort()
    .map((d) => `${d}=${cohort[d]}`)
    .join('&');
}

/** The rows of the fine cube that make up each cohort of a grouping. */
interface CohortRows {
  cohort: Record<string, string>;
  rows: number[];
  sessions: number;
}

const rowIndexCache = new WeakMap<CubeTable, Map<string, CohortRows[]>>();

/** Groups the table's rows by cohort of a grouping, once per table and grouping. */
function cohortRows(table: CubeTable, grouping: Grouping, names: Map<number, string>): CohortRows[] {
  let byGrouping = rowIndexCache.get(table);
  if (!byGrouping) rowIndexCache.set(table, (byGrouping = new Map()));
  const cached = byGrouping.get(grouping.key);
  if (cached) return cached;
  const dims = grouping.dims.map((d) => table.dims[d as Dimension] as Int32Array);
  const sessions = table.measures.sessions as Float64Array;
  const byKey = new Map<string, CohortRows>();
  for (let r = 0; r < table.rows; r++) {
    let key = '';
    let complete = true;
    for (const column of dims) {
      const id = column[r] as number;
      if (id === 0) {
        complete = false;
        break;
      }
      key += `${id},`;
    }
    if (!complete) continue;
    let entry = byKey.get(key);
    if (!entry) {
      const cohort: Record<string, string> = {};
      grouping.dims.forEach((d, i) => (cohort[d] = names.get((dims[i] as Int32Array)[r] as number) ?? '?'));
      entry = { cohort, rows: [], sessions: 0 };
      byKey.set(key, entry);
    }
    entry.rows.push(r);
    entry.sessions += sessions[r] as number;
  }
  const out = [...byKey.values()];
  byGrouping.set(grouping.key, out);
  return out;
}

/**
 * Sums the fine cube into one series per cohort of a grouping (rows whose value of a grouping dimension is
 * missing belong to no cohort of that grouping). Cohorts with fewer than `minSessions` sessions, or that
 * `accept` turns down, are left out.
 */
export function rollUp(
  table: CubeTable,
  grouping: Grouping,
  measures: readonly string[],
  names: Map<number, string>,
  minSessions = 0,
  accept: (cohort: Record<string, string>) => boolean = () => true,
): CohortSeries[] {
  const out: CohortSeries[] = [];
  for (const { cohort, rows, sessions } of cohortRows(table, grouping, names)) {
    if (sessions < minSessions || !accept(cohort)) continue;
    const series: Record<string, Float64Array> = {};
    const totals: Record<string, number> = {};
    for (const m of measures) {
      const source = table.measures[m] as Float64Array;
      const values = new Float64Array(table.length);
      let sum = 0;
      for (const r of rows) {
        const v = source[r] as number;
        const b = table.bucketIndex[r] as number;
        values[b] = (values[b] as number) + v;
        sum += v;
      }
      series[m] = values;
      totals[m] = sum;
    }
    out.push({ key: cohortKey(cohort), cohort, series, totals });
  }
  return out;
}

import type { CustomMetric } from '../../shared/custom-metrics';
import { FunnelscopeError } from '../../shared/errors';
import type { BreakdownQuery, BreakdownRow, Cohort } from '../../shared/explore';
import { metricByName, metricValue, type MetricDefinition } from '../../shared/metrics';
import { selectorSumsBy } from '../metrics/custom-metrics';
import type { Db } from '../store/workspace';
import { fromEventCube, tableMeasures } from './catalog';
import { checkSessionDimension, cubeCohortFilter } from './cohort-filter';
import { checkWindow } from './window';

/** One cohort's sums over one window. */
interface Sums {
  ids: number[];
  numerator: number;
  denominator: number;
  sessions: number;
}

interface Window {
  from: number;
  to: number;
}

function checkDimensions(query: BreakdownQuery): string[] {
  const dims = query.dimensions ?? [];
  if (!Array.isArray(dims) || dims.length < 1 || dims.length > 2 || new Set(dims).size !== dims.length)
    throw new FunnelscopeError('BAD_ARGUMENT', 'A breakdown is by one dimension or by two different ones.', {
      dimensions: dims,
    });
  dims.forEach(checkSessionDimension);
  const min = query.minSessions ?? 0;
  if (typeof min !== 'number' || !(min >= 0))
    throw new FunnelscopeError('BAD_ARGUMENT', 'minSessions is a number of sessions, 0 or more.', {
      minSessions: min,
    });
  return dims;
}

/**
 * The fine cube summed per value (pair) of the dimensions over a window. Rows without a value of a
 * breakdown dimension belong to no cohort of it, as in detection's roll-up. One plain aggregate per window
 * (a range of the primary key) is faster in SQLite than one pass with CASE over both windows.
 */
function eventSums(db: Db, metric: MetricDefinition, dims: string[], within: Cohort, window: Window): Sums[] {
  const filter = cubeCohortFilter(db, within);
  // Column names come from the catalog and the fixed dimension list, never from the caller.
  const rows = db
    .prepare(
      `SELECT ${dims.join(', ')}, TOTAL(${metric.numerator}), TOTAL(${metric.denominator ?? '0'}), TOTAL(sessions)
       FROM cube
       WHERE bucket >= ? AND bucket < ? AND ${dims.map((d) => `${d} != 0`).join(' AND ')} AND ${filter.sql}
       GROUP BY ${dims.join(', ')}`,
    )
    .raw()
    .all(window.from, window.to, ...filter.params) as number[][];
  const k = dims.length;
  return rows.map((r) => ({
    ids: r.slice(0, k),
    numerator: r[k] as number,
    denominator: r[k + 1] as number,
    sessions: r[k + 2] as number,
  }));
}

/** Imported tables: per value of one dimension, from cube_measures (they carry no sessions). */
function tableSums(db: Db, metric: MetricDefinition, dims: string[], within: Cohort, window: Window): Sums[] {
  if (dims.length !== 1 || Object.keys(within).length > 0)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `${metric.label} comes from an imported table, which is broken down by one dimension at a time and not within a cohort.`,
      { metric: metric.name },
    );
  const measures = tableMeasures(db);
  const num = measures.get(metric.numerator)?.id ?? -1;
  const den = metric.denominator === undefined ? -1 : (measures.get(metric.denominator)?.id ?? -1);
  const rows = db
    .prepare(
      `SELECT value, TOTAL(CASE WHEN measure_id = @num THEN amount END),
         TOTAL(CASE WHEN measure_id = @den THEN amount END)
       FROM cube_measures
       WHERE measure_id IN (@num, @den) AND dim = @dim AND bucket >= @from AND bucket < @to
       GROUP BY value`,
    )
    .raw()
    .all({ num, den, dim: dims[0], ...window }) as number[][];
  return rows.map((r) => ({
    ids: [r[0] as number],
    numerator: r[1] as number,
    denominator: r[2] as number,
    sessions: 0,
  }));
}

/** Sessions per value (pair) of the dimensions within a cohort: the volume beside a metric of one's own. */
function sessionsBy(db: Db, dims: string[], within: Cohort, window: Window): Map<string, number> {
  const sessions = metricByName('sessions') as MetricDefinition;
  return new Map(eventSums(db, sessions, dims, within, window).map((s) => [s.ids.join(','), s.sessions]));
}

/**
 * A metric of the analyst's own, counted from the events per value (pair) of the dimensions: its numerator
 * (and denominator) selectors within the cohort, beside the cohort's sessions from the cube.
 */
function customSums(
  db: Db,
  metric: MetricDefinition,
  dims: string[],
  within: Cohort,
  window: Window,
): Sums[] {
  const own = metric.custom as CustomMetric;
  const numerator = selectorSumsBy(db, own.numerator, within, dims, window, own.sumOf);
  const denominator = own.denominator ? selectorSumsBy(db, own.denominator, within, dims, window) : null;
  const sessions = sessionsBy(db, dims, within, window);
  const keys = new Set([...numerator.keys(), ...(denominator?.keys() ?? [])]);
  return [...keys].map((key) => ({
    ids: (numerator.get(key) ?? denominator?.get(key))?.ids ?? [],
    numerator: numerator.get(key)?.value ?? 0,
    denominator: denominator?.get(key)?.value ?? 0,
    sessions: sessions.get(key) ?? 0,
  }));
}

/** Whether the workspace holds any data of the metric in [from, to): else "previous" is unknown, not 0. */
function hasData(db: Db, metric: MetricDefinition, from: number, to: number): boolean {
  // A metric of one's own is counted from the events, which the cube covers bucket by bucket.
  if (fromEventCube(metric) || metric.custom)
    return (
      db
        .prepare('SELECT EXISTS (SELECT 1 FROM cube WHERE bucket >= ? AND bucket < ?)')
        .pluck()
        .get(from, to) === 1
    );
  const id = tableMeasures(db).get(metric.numerator)?.id ?? -1;
  return (
    db
      .prepare(
        "SELECT EXISTS (SELECT 1 FROM cube_measures WHERE measure_id = ? AND dim = '' AND value = 0 AND bucket >= ? AND bucket < ?)",
      )
      .pluck()
      .get(id, from, to) === 1
  );
}

function names(db: Db, ids: number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  const rows = db
    .prepare(`SELECT id, value FROM dim_values WHERE id IN (${unique.map(() => '?').join(', ')})`)
    .raw()
    .all(...unique) as [number, string][];
  return new Map(rows);
}

/**
 * One row per value (or value pair) of the dimensions with data in the window, most sessions first, with
 * the same metric over the window of equal length just before. Ratios are Σ numerator / Σ denominator.
 * The minimum volume applies to sessions, which only event metrics have.
 */
export function breakdown(db: Db, metric: MetricDefinition, query: BreakdownQuery): BreakdownRow[] {
  checkWindow(query);
  const dims = checkDimensions(query);
  const within = query.within ?? {};
  const sumsOf = metric.custom ? customSums : fromEventCube(metric) ? eventSums : tableSums;
  const current = sumsOf(db, metric, dims, within, query);
  const previousWindow = { from: query.from - (query.to - query.from), to: query.from };
  const previousKnown = hasData(db, metric, previousWindow.from, previousWindow.to);
  const previous = new Map(
    (previousKnown ? sumsOf(db, metric, dims, within, previousWindow) : []).map((s) => [s.ids.join(','), s]),
  );
  const minSessions = fromEventCube(metric) || metric.custom ? (query.minSessions ?? 0) : 0;
  const label = names(
    db,
    current.flatMap((s) => s.ids),
  );
  return current
    .filter((s) => s.sessions >= minSessions)
    .map((s) => {
      const cohort: Cohort = { ...within };
      dims.forEach((d, i) => (cohort[d] = label.get(s.ids[i] as number) ?? String(s.ids[i])));
      const before = previous.get(s.ids.join(','));
      return {
        cohort,
        value: metricValue(metric, s.numerator, s.denominator),
        numerator: s.numerator,
        denominator: metric.kind === 'ratio' ? s.denominator : null,
        sessions: s.sessions,
        // A cohort absent from a window that holds data had none of it: 0 for a count, no rate for a ratio.
        previous: previousKnown
          ? metricValue(metric, before?.numerator ?? 0, before?.denominator ?? 0)
          : null,
      };
    })
    .sort((a, b) => b.sessions - a.sessions || b.numerator - a.numerator);
}

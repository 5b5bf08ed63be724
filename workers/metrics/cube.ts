import { DIMENSIONS, PRODUCT_DIMENSIONS, SESSION_DIMENSIONS } from '../../shared/events';
import { EVENT_ONLY_MEASURES, SESSION_MEASURES } from '../../shared/metrics';
import type { Db } from '../store/workspace';
import { getSetting, setSetting } from '../store/workspace';

export const BUCKET_CHOICES_MINUTES = [1, 5, 15, 60] as const;
/** The smallest bucket whose typical all-traffic bucket holds this many sessions (or events) is chosen. */
const MIN_TYPICAL_VOLUME = 30;

export interface CubeBuildSummary {
  bucketMinutes: number;
  rebuilt: boolean;
  sourcesAdded: number;
  rows: number;
  durationMs: number;
}

const EVENT_TYPES = [
  'page_view',
  'view_item',
  'add_to_cart',
  'begin_checkout',
  'purchase',
  'error',
  'payment_failed',
];
type TypeIds = Record<string, number>;

function typeIds(db: Db): TypeIds {
  const select = db.prepare("SELECT id FROM dim_values WHERE dim = 'event_type' AND value = ?").pluck();
  return Object.fromEntries(EVENT_TYPES.map((t) => [t, (select.get(t) as number | undefined) ?? -1]));
}

/**
 * Chooses the bucket from the data's volume: the smallest of 1, 5, 15, 60 minutes in which the average
 * all-traffic bucket holds at least 30 sessions (or events when there are no sessions). The `bucket_minutes`
 * setting overrides it.
 */
export function chooseBucketMinutes(db: Db): number {
  const override = Number(getSetting(db, 'bucket_minutes'));
  if ((BUCKET_CHOICES_MINUTES as readonly number[]).includes(override)) return override;
  const span = db
    .prepare(
      'SELECT MIN(ts) AS lo, MAX(ts) AS hi, COUNT(DISTINCT session_key) AS s, COUNT(*) AS n FROM events',
    )
    .get() as { lo: number | null; hi: number | null; s: number; n: number };
  if (span.lo === null || span.hi === null) return 60;
  const volume = span.s > 0 ? span.s : span.n;
  const minutes = Math.max(1, (span.hi - span.lo) / 60_000);
  for (const choice of BUCKET_CHOICES_MINUTES)
    if ((volume / minutes) * choice >= MIN_TYPICAL_VOLUME) return choice;
  return 60;
}

const addUp = (measures: readonly string[]) => measures.map((m) => `${m} = ${m} + excluded.${m}`).join(', ');

function eventMeasures(t: TypeIds): string {
  return [
    `SUM(e.type_id = ${t.page_view})`,
    `SUM(e.type_id = ${t.purchase})`,
    `TOTAL(CASE WHEN e.type_id = ${t.purchase} THEN e.revenue END)`,
    `SUM(e.type_id = ${t.error})`,
    `SUM(e.type_id = ${t.payment_failed})`,
    'TOTAL(e.latency_ms)',
    'COUNT(e.latency_ms)',
  ].join(', ');
}

interface SourceRange {
  id: number;
  first: number;
  last: number;
}

function addEventSource(db: Db, source: SourceRange, bucketMs: number, t: TypeIds): void {
  // With a single MIN() aggregate, SQLite takes the bare columns from the row holding the minimum: a session's
  // dimensions are those of its first event.
  db.prepare(
    `INSERT INTO sessions (source_id, session_key, start_ts, ${SESSION_DIMENSIONS.join(', ')},
       has_view, has_add_to_cart, has_checkout, has_purchase)
     SELECT ?, session_key, MIN(ts), ${SESSION_DIMENSIONS.join(', ')},
       MAX(type_id = ?), MAX(type_id = ?), MAX(type_id = ?), MAX(type_id = ?)
     FROM events WHERE rowid BETWEEN ? AND ? AND session_key IS NOT NULL GROUP BY session_key`,
  ).run(source.id, t.view_item, t.add_to_cart, t.begin_checkout, t.purchase, source.first, source.last);

  const dims = SESSION_DIMENSIONS.join(', ');
  const dimsOrZero = (alias: string) =>
    SESSION_DIMENSIONS.map((d) => `COALESCE(${alias}.${d}, 0)`).join(', ');
  db.prepare(
    `INSERT INTO cube (bucket, ${dims}, ${SESSION_MEASURES.join(', ')})
     SELECT s.start_ts - s.start_ts % ${bucketMs} AS b, ${dimsOrZero('s')}, COUNT(*), SUM(s.has_view),
       SUM(s.has_add_to_cart), SUM(s.has_checkout), SUM(s.has_purchase)
     FROM sessions s WHERE s.source_id = ? GROUP BY 1, ${SESSION_DIMENSIONS.map((_, i) => i + 2).join(', ')}
     ON CONFLICT DO UPDATE SET ${addUp(SESSION_MEASURES)}`,
  ).run(source.id);
  db.prepare(
    `INSERT INTO cube (bucket, ${dims}, ${EVENT_ONLY_MEASURES.join(', ')})
     SELECT e.ts - e.ts % ${bucketMs} AS b, ${dimsOrZero('e')}, ${eventMeasures(t)}
     FROM events e WHERE e.rowid BETWEEN ? AND ? GROUP BY 1, ${SESSION_DIMENSIONS.map((_, i) => i + 2).join(', ')}
     ON CONFLICT DO UPDATE SET ${addUp(EVENT_ONLY_MEASURES)}`,
  ).run(source.first, source.last);

  // A product cohort has no session of its own: its visits are the sessions with an event of that product.
  const distinctSessions = (type: string) =>
    `COUNT(DISTINCT CASE WHEN e.type_id = ${t[type]} THEN e.session_key END)`;
  const measures = [...EVENT_ONLY_MEASURES, ...SESSION_MEASURES];
  for (const dim of PRODUCT_DIMENSIONS.filter((d) => d !== 'product')) {
    db.prepare(
      `INSERT INTO cube_products (bucket, dim, value, ${measures.join(', ')})
       SELECT e.ts - e.ts % ${bucketMs} AS b, '${dim}', e.${dim}, ${eventMeasures(t)}, COUNT(DISTINCT e.session_key),
         ${['view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map(distinctSessions).join(', ')}
       FROM events e WHERE e.rowid BETWEEN ? AND ? AND e.${dim} IS NOT NULL GROUP BY 1, 3
       ON CONFLICT DO UPDATE SET ${addUp(measures)}`,
    ).run(source.first, source.last);
  }
}

/** The spacing of a pre-aggregated table: its smallest step between consecutive times, at least the cube's bucket. */
function tableBucketMs(db: Db, sourceId: number, bucketMs: number): number {
  const times = db
    .prepare('SELECT DISTINCT ts FROM metric_values WHERE source_id = ? ORDER BY ts LIMIT 1000')
    .pluck()
    .all(sourceId) as number[];
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++)
    step = Math.min(step, (times[i] as number) - (times[i - 1] as number));
  return Number.isFinite(step) ? Math.max(bucketMs, step) : bucketMs;
}

function addMetricSource(db: Db, sourceId: number, bucketMs: number): number {
  const spacing = tableBucketMs(db, sourceId, bucketMs);
  const groupings = [{ dim: '', column: '0' }];
  for (const d of DIMENSIONS) {
    const used = db
      .prepare(`SELECT 1 FROM metric_values WHERE source_id = ? AND ${d} IS NOT NULL LIMIT 1`)
      .get(sourceId);
    if (used) groupings.push({ dim: d, column: d });
  }
  for (const g of groupings)
    db.prepare(
      `INSERT INTO cube_measures (measure_id, dim, value, bucket, amount)
       SELECT measure_id, '${g.dim}', ${g.column}, ts - ts % ${spacing} AS b, TOTAL(value)
       FROM metric_values WHERE source_id = ? AND ${g.column === '0' ? '1' : `${g.column} IS NOT NULL`}
       GROUP BY measure_id, 3, b
       ON CONFLICT DO UPDATE SET amount = amount + excluded.amount`,
    ).run(sourceId);
  return spacing;
}

/**
 * Extends the cube with the sources it does not hold yet, in one transaction. When the chosen bucket changes
 * (more data, or the `bucket_minutes` setting) the cube is rebuilt from scratch.
 */
export function buildCube(db: Db): CubeBuildSummary {
  const started = Date.now();
  const bucketMinutes = chooseBucketMinutes(db);
  const bucketMs = bucketMinutes * 60_000;
  const types = typeIds(db);
  let rebuilt = false;
  let sourcesAdded = 0;
  db.transaction(() => {
    if (getSetting(db, 'cube_bucket_minutes') !== String(bucketMinutes)) {
      db.exec(
        'DELETE FROM cube; DELETE FROM cube_products; DELETE FROM cube_measures; DELETE FROM cube_sources; DELETE FROM sessions;',
      );
      setSetting(db, 'cube_bucket_minutes', String(bucketMinutes));
      rebuilt = true;
    }
    const pending = db
      .prepare(
        `SELECT id, shape, first_rowid AS first, last_rowid AS last FROM sources
         WHERE id NOT IN (SELECT source_id FROM cube_sources) ORDER BY id`,
      )
      .all() as { id: number; shape: string; first: number | null; last: number | null }[];
    const done = db.prepare('INSERT INTO cube_sources (source_id, bucket_ms) VALUES (?, ?)');
    for (const source of pending) {
      let spacing = bucketMs;
      if (source.shape === 'metric_table') spacing = addMetricSource(db, source.id, bucketMs);
      else if (source.first !== null && source.last !== null)
        addEventSource(db, { id: source.id, first: source.first, last: source.last }, bucketMs, types);
      done.run(source.id, spacing);
      sourcesAdded++;
    }
  })();
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    bucketMinutes,
    rebuilt,
    sourcesAdded,
    rows:
      count('SELECT COUNT(*) FROM cube') +
      count('SELECT COUNT(*) FROM cube_products') +
      count('SELECT COUNT(*) FROM cube_measures'),
    durationMs: Date.now() - started,
  };
}

import type { Cohort } from '../../shared/explore';
import type { MetricDefinition } from '../../shared/metrics';
import type { CustomMetric } from '../../shared/custom-metrics';
import { selectorSums } from '../metrics/custom-metrics';
import type { Db } from '../store/workspace';
import { fromEventCube, tableMeasures } from './catalog';
import { PRODUCT_DIMENSIONS } from '../../shared/events';
import { cubeCohortFilter, dimensionValueId, measureCohortFilter } from './cohort-filter';

/** Bucket starts in [from, to) (epoch ms); open ends reach the data's first and last bucket. */
export interface BucketRange {
  from?: number;
  to?: number;
}

/**
 * A metric's measures for one cohort, bucket by bucket from the first bucket holding data to the last one.
 * A bucket in which the workspace holds no data at all is a gap (present = 0): missing, not zero. A bucket
 * with data but none for this cohort is a real zero.
 */
export interface BucketData {
  bucketMs: number;
  start: number;
  length: number;
  present: Uint8Array;
  numerator: Float64Array;
  /** Ratios only. */
  denominator: Float64Array | null;
}

const NO_END = Number.MAX_SAFE_INTEGER;

function emptyData(bucketMs: number, ratio: boolean): BucketData {
  return {
    bucketMs,
    start: 0,
    length: 0,
    present: new Uint8Array(0),
    numerator: new Float64Array(0),
    denominator: ratio ? new Float64Array(0) : null,
  };
}

/** Lays the summed rows out on the bucket grid spanned by the present buckets. */
function layOut(
  bucketMs: number,
  presentBuckets: number[],
  sums: Iterable<[number, number, number]>,
  ratio: boolean,
): BucketData {
  if (presentBuckets.length === 0) return emptyData(bucketMs, ratio);
  const start = presentBuckets[0] as number;
  const length = ((presentBuckets[presentBuckets.length - 1] as number) - start) / bucketMs + 1;
  const data: BucketData = {
    bucketMs,
    start,
    length,
    present: new Uint8Array(length),
    numerator: new Float64Array(length),
    denominator: ratio ? new Float64Array(length) : null,
  };
  for (const b of presentBuckets) data.present[(b - start) / bucketMs] = 1;
  for (const [bucket, numerator, denominator] of sums) {
    const i = (bucket - start) / bucketMs;
    if (i < 0 || i >= length) continue;
    data.numerator[i] = numerator;
    if (data.denominator) data.denominator[i] = denominator;
  }
  return data;
}

export function cubeBucketMs(db: Db): number {
  const minutes = db.prepare("SELECT value FROM settings WHERE key = 'cube_bucket_minutes'").pluck().get();
  return Number(minutes ?? 60) * 60_000;
}

/**
 * The buckets of the fine cube that hold any row, found by hopping along its primary key (one index seek
 * per bucket) rather than scanning every row.
 */
function cubeBuckets(db: Db, from: number, to: number): number[] {
  return db
    .prepare(
      `WITH RECURSIVE b(x) AS (
         SELECT MIN(bucket) FROM cube WHERE bucket >= ?
         UNION ALL
         SELECT (SELECT MIN(bucket) FROM cube WHERE bucket > x) FROM b WHERE x < ?
       ) SELECT x FROM b WHERE x IS NOT NULL AND x < ?`,
    )
    .pluck()
    .all(from, to, to) as number[];
}

/** A cohort of one product dimension (a category, a brand): its own rows of the cube, not visit rows. */
function productCohort(cohort: Cohort): [string, string] | null {
  const entries = Object.entries(cohort);
  const [entry] = entries;
  return entries.length === 1 && entry && PRODUCT_CUBE_DIMENSIONS.includes(entry[0]) ? entry : null;
}

const PRODUCT_CUBE_DIMENSIONS: readonly string[] = PRODUCT_DIMENSIONS.filter((d) => d !== 'product');

function eventBuckets(db: Db, metric: MetricDefinition, cohort: Cohort, range: BucketRange): BucketData {
  const bucketMs = cubeBucketMs(db);
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? NO_END;
  const present = cubeBuckets(db, from, to);
  const ratio = metric.denominator !== undefined;
  // Column names come from the catalog (EVENT_MEASURES), never from the caller.
  const denominator = metric.denominator ?? '0';
  const product = productCohort(cohort);
  if (product) {
    const [dim, value] = product;
    const sums = db
      .prepare(
        `SELECT bucket, TOTAL(${metric.numerator}), TOTAL(${denominator}) FROM cube_products
         WHERE dim = ? AND value = ? AND bucket >= ? AND bucket < ? GROUP BY bucket`,
      )
      .raw()
      .iterate(dim, dimensionValueId(db, dim, value), from, to) as Iterable<[number, number, number]>;
    return layOut(bucketMs, present, sums, ratio);
  }
  const filter = cubeCohortFilter(db, cohort);
  const sums = db
    .prepare(
      `SELECT bucket, TOTAL(${metric.numerator}), TOTAL(${denominator}) FROM cube
       WHERE bucket >= ? AND bucket < ? AND ${filter.sql} GROUP BY bucket`,
    )
    .raw()
    .iterate(from, to, ...filter.params) as Iterable<[number, number, number]>;
  return layOut(bucketMs, present, sums, ratio);
}

/** Imported tables: the cohort's amounts of the metric's measures, re-bucketed at the tables' spacing. */
function tableBuckets(db: Db, metric: MetricDefinition, cohort: Cohort, range: BucketRange): BucketData {
  const measures = tableMeasures(db);
  const numerator = measures.get(metric.numerator);
  const denominator = metric.denominator === undefined ? undefined : measures.get(metric.denominator);
  const ratio = metric.denominator !== undefined;
  if (!numerator || (ratio && !denominator)) return emptyData(3_600_000, ratio);
  const bucketMs = Math.max(numerator.bucketMs, denominator?.bucketMs ?? 0);
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? NO_END;
  const ids = [numerator.id, denominator?.id ?? numerator.id];
  const inRange = (b: number) => b >= from && b < to;
  const present = (
    db
      .prepare(
        `SELECT DISTINCT bucket - bucket % ? AS b FROM cube_measures
         WHERE measure_id IN (?, ?) AND dim = '' AND value = 0 ORDER BY b`,
      )
      .pluck()
      .all(bucketMs, ...ids) as number[]
  ).filter(inRange);
  const filter = measureCohortFilter(db, cohort);
  const sums = (
    db
      .prepare(
        `SELECT bucket - bucket % ? AS b, TOTAL(CASE WHEN measure_id = ? THEN amount END),
           TOTAL(CASE WHEN measure_id = ? THEN amount END)
         FROM cube_measures WHERE measure_id IN (?, ?) AND ${filter.sql} GROUP BY b`,
      )
      .raw()
      .all(bucketMs, ...ids, ...ids, ...filter.params) as [number, number, number][]
  ).filter(([b]) => inRange(b));
  return layOut(bucketMs, present, sums, ratio);
}

export function loadMetricBuckets(
  db: Db,
  metric: MetricDefinition,
  cohort: Cohort = {},
  range: BucketRange = {},
): BucketData {
  if (metric.custom) return customBuckets(db, metric.custom, cohort, range);
  return fromEventCube(metric)
    ? eventBuckets(db, metric, cohort, range)
    : tableBuckets(db, metric, cohort, range);
}

/** A metric the analyst defined: its events counted (or summed) per bucket of the event cube's grid. */
function customBuckets(db: Db, metric: CustomMetric, cohort: Cohort, range: BucketRange): BucketData {
  const bucketMs = cubeBucketMs(db);
  const window = { from: range.from ?? Number.MIN_SAFE_INTEGER, to: range.to ?? NO_END };
  const present = cubeBuckets(db, window.from, window.to);
  const numerator = selectorSums(db, metric.numerator, cohort, bucketMs, window, metric.sumOf);
  const denominator = metric.denominator
    ? selectorSums(db, metric.denominator, cohort, bucketMs, window)
    : null;
  const buckets = new Set([...numerator.keys(), ...(denominator?.keys() ?? [])]);
  const sums = [...buckets].map(
    (b) => [b, numerator.get(b) ?? 0, denominator?.get(b) ?? 0] as [number, number, number],
  );
  return layOut(bucketMs, present, sums, denominator !== null);
}

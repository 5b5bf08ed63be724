import {
  createCountDetector,
  createMeanDetector,
  createRatioDetector,
  FALSE_ALARM_RATE,
  type BaselineKind,
  type BucketScore,
  type Sensitivity,
} from '../detect';
import { EVENT_GROUPINGS } from '../metrics/groupings';
import { rollUp, type CohortSeries, type CubeTable } from '../metrics/rollup';

/** The event metrics watched per cohort, with the detector each needs. */
export const WATCHED_METRICS = [
  { metric: 'sessions', kind: 'count', numerator: 'sessions', family: 'traffic', watch: 'both' },
  { metric: 'orders', kind: 'count', numerator: 'orders', family: 'revenue', watch: 'both' },
  {
    metric: 'add_to_cart_rate',
    kind: 'ratio',
    numerator: 'sessions_with_add_to_cart',
    denominator: 'sessions',
    family: 'funnel',
    watch: 'down',
  },
  {
    metric: 'begin_checkout_rate',
    kind: 'ratio',
    numerator: 'sessions_with_checkout',
    denominator: 'sessions_with_add_to_cart',
    family: 'funnel',
    watch: 'down',
  },
  {
    metric: 'checkout_conversion',
    kind: 'ratio',
    numerator: 'sessions_with_purchase',
    denominator: 'sessions_with_checkout',
    family: 'funnel',
    watch: 'down',
  },
  {
    metric: 'conversion_rate',
    kind: 'ratio',
    numerator: 'sessions_with_purchase',
    denominator: 'sessions',
    family: 'funnel',
    watch: 'down',
  },
  { metric: 'errors', kind: 'count', numerator: 'errors', family: 'backend', watch: 'up' },
  {
    metric: 'payment_failures',
    kind: 'count',
    numerator: 'payment_failures',
    family: 'backend',
    watch: 'up',
  },
  // A mean over the checkouts of a bucket: a payment step that hangs shows in its latency within minutes.
  {
    metric: 'checkout_latency_ms',
    kind: 'mean',
    numerator: 'latency_ms_sum',
    denominator: 'latency_ms_count',
    family: 'backend',
    watch: 'up',
  },
] as const;
export type WatchedMetric = (typeof WATCHED_METRICS)[number];

/**
 * A series counted from the events rather than read from the cube, scanned like the built-in metrics: a metric
 * of the analyst's own (shared/custom-metrics.ts), or an event type an export brings beyond the canonical ones
 * (a symptom, like errors). Its counts are under the `numerator` (and `denominator`) keys of its one cohort.
 */
export interface CustomSeriesMetric {
  metric: string;
  kind: 'count' | 'ratio';
  numerator: string;
  denominator?: string;
  family: 'custom' | 'backend';
  watch: 'up' | 'down' | 'both';
}

/** Any metric a series is scanned for. */
export type SeriesMetric = WatchedMetric | CustomSeriesMetric;

export const MEASURES = [
  ...new Set([
    ...WATCHED_METRICS.flatMap((m) => ('denominator' in m ? [m.numerator, m.denominator] : [m.numerator])),
    'revenue',
  ]),
];

/** One scored bucket that passed the pre-filter (p ≤ q): a candidate anomaly before the correction. */
export interface Candidate {
  series: number;
  bucket: number;
  pValue: number;
  score: number;
  direction: 'up' | 'down';
  expected: number;
  observed: number;
  /** Ratios: the denominator of the bucket (to turn a rate gap into lost conversions). */
  trials: number;
  /** Where the detector's accumulated evidence says the shift began and stopped growing (bucket indices). */
  onset: number;
  peak: number;
}

export interface ScannedSeries {
  metric: SeriesMetric;
  cohort: CohortSeries;
  level: number;
  /** A product cohort (a category): corrected in its own family, see ScanResult.testedProducts. */
  product?: boolean;
}

export interface ScanResult {
  series: ScannedSeries[];
  candidates: Candidate[];
  /** Per bucket, how many visit-cohort series were scored in it (m of the Benjamini–Hochberg correction). */
  tested: Int32Array;
  /**
   * The same for the product cohorts, per product dimension (category, brand): each a family of its own, so
   * that watching brands makes neither the visit cohorts' correction nor the categories' stricter (and so
   * their incidents later) than before.
   */
  testedProducts: Record<string, Int32Array>;
}

/** The correction family of a series: 'visit', or the product dimension of a product cohort. */
export function familyOf(series: ScannedSeries): string {
  return series.product === true ? (Object.keys(series.cohort.cohort)[0] ?? 'product') : 'visit';
}

export interface ScanOptions {
  sensitivity: Sensitivity;
  /** Per-metric overrides of `sensitivity`. */
  metricSensitivity?: Record<string, Sensitivity>;
  /** Pre-filter and false-discovery rate of the correction across series, at `sensitivity`. */
  q: number;
  /**
   * A cohort is watched from the bucket at which it has seen this many sessions: decided from the past only,
   * so that which cohorts are tested in a bucket (and so the correction) does not depend on later data.
   */
  minSessions: number;
  /**
   * Product cohorts (a category's visits: the sessions with an event of it), watched like the visit cohorts;
   * the sessions that see a category are in several of them, so they are tested on their own.
   */
  productCohorts?: CohortSeries[];
  /**
   * Series counted from the events (an export's own event types, `event-types.ts`), scanned with the visit
   * cohorts: all-traffic counts, one test each per bucket.
   */
  eventSeries?: { cohort: CohortSeries; metric: CustomSeriesMetric }[];
  /** Told before each grouping is scanned (`done` of `total` groupings); may throw to stop the scan. */
  onGrouping?: (done: number, total: number, dims: readonly string[]) => void;
}

/** One bucket's verdict of a series: expected and observed in the metric's unit, and a p-value. */
export interface BucketVerdict {
  expected: number;
  observed: number;
  trials: number;
  pValue: number;
  score: number;
  direction: 'up' | 'down';
  /** The detector's band at its sensitivity, in the metric's unit (a count, or a rate for ratios). */
  lower: number;
  upper: number;
  /** Which baseline scored the bucket ('level' before a seasonal profile exists; always 'level' for ratios). */
  baselineKind: BaselineKind;
  /** Whether the detector's own alarm fired at its sensitivity (before any correction across series). */
  alarm: boolean;
  /** Bucket at which the run carrying the evidence began, and at which it peaked (`bucket` for one bucket). */
  onset: number;
  peak: number;
}

/** A detector's score of bucket `b` as the verdict of a series: its evidence's p-value, in the metric's unit. */
function verdictOf(score: BucketScore, b: number, observed: number, trials: number): BucketVerdict {
  return {
    expected: score.expected,
    observed,
    trials,
    pValue: score.evidencePValue,
    score: score.score,
    direction: score.direction,
    lower: score.lower,
    upper: score.upper,
    baselineKind: score.baseline,
    alarm: score.alarm,
    onset: score.onset ?? b,
    peak: score.peak ?? b,
  };
}

/** Runs the metric's online detector over a cohort's series and calls `visit` for every scored bucket. */
export function runSeries(
  table: CubeTable,
  cohort: CohortSeries,
  metric: SeriesMetric,
  sensitivity: Sensitivity,
  visit: (bucket: number, verdict: BucketVerdict) => void,
  until = table.length,
): void {
  const numerator = cohort.series[metric.numerator] as Float64Array;
  if (metric.kind === 'count') {
    const detector = createCountDetector({ bucketMinutes: table.bucketMs / 60_000, sensitivity });
    for (let b = 0; b < until; b++) {
      const count = table.present[b] ? (numerator[b] as number) : null;
      const score = detector.push({ time: table.start + b * table.bucketMs, count });
      if (!score || count === null) continue;
      visit(b, verdictOf(score, b, count, 0));
    }
    return;
  }
  const denominator = cohort.series[metric.denominator ?? ''] as Float64Array;
  if (metric.kind === 'mean') {
    runMeanSeries(table, numerator, denominator, sensitivity, visit, until);
    return;
  }
  const detector = createRatioDetector({ sensitivity });
  for (let b = 0; b < until; b++) {
    const present = table.present[b] === 1;
    const trials = present ? (denominator[b] as number) : null;
    const successes = present ? (numerator[b] as number) : null;
    const score = detector.push({ time: table.start + b * table.bucketMs, successes, trials });
    if (!score || trials === null || successes === null) continue;
    visit(b, verdictOf(score, b, successes, trials));
  }
}

/**
 * A mean (latency over checkouts) with the mean detector: `expected` is the baseline mean, `trials` the
 * bucket's observations and `observed` their sum, so that expected × trials − observed is in the sum's unit
 * as an episode's shortfall wants.
 */
function runMeanSeries(
  table: CubeTable,
  sums: Float64Array,
  counts: Float64Array,
  sensitivity: Sensitivity,
  visit: (bucket: number, verdict: BucketVerdict) => void,
  until: number,
): void {
  const detector = createMeanDetector({ sensitivity });
  for (let b = 0; b < until; b++) {
    const present = table.present[b] === 1;
    const count = present ? (counts[b] as number) : null;
    const sum = present ? (sums[b] as number) : null;
    const score = detector.push({ time: table.start + b * table.bucketMs, sum, count });
    if (!score || count === null || sum === null) continue;
    visit(b, verdictOf(score, b, sum, count));
  }
}

/**
 * How much more often a metric at `level` may alarm than one at the run's `base` level: the ratio of their
 * per-series false-alarm rates (the weight of weighted Benjamini–Hochberg).
 */
export function sensitivityWeight(level: Sensitivity, base: Sensitivity): number {
  return FALSE_ALARM_RATE[level] / FALSE_ALARM_RATE[base];
}

/** The first bucket at which a cohort has seen `minSessions` sessions (the length when it never does). */
function watchedFrom(table: CubeTable, cohort: CohortSeries, minSessions: number): number {
  const sessions = cohort.series.sessions as Float64Array;
  for (let b = 0, seen = 0; b < table.length; b++) {
    if (seen >= minSessions) return b;
    seen += sessions[b] as number;
  }
  return table.length;
}

/** A week of buckets averaging under one event an hour has no daily cycle worth the name. */
const QUIET_PER_HOUR = 1;
const WEEK_MS = 7 * 86_400_000;

/**
 * Per bucket, whether the week before it (a full week of history) held under one event an hour of the series:
 * such a series is watched from its level alone (its seasonal profile, all zeros, never becomes usable).
 */
function quietBefore(table: CubeTable, counts: Float64Array | undefined): Uint8Array | null {
  if (!counts) return null;
  const week = Math.round(WEEK_MS / table.bucketMs);
  const limit = (QUIET_PER_HOUR * WEEK_MS) / 3_600_000;
  const quiet = new Uint8Array(table.length);
  let sum = 0;
  for (let b = 0; b < table.length; b++) {
    if (b >= week) {
      quiet[b] = sum < limit ? 1 : 0;
      sum -= counts[b - week] as number;
    }
    sum += counts[b] as number;
  }
  return quiet;
}

/**
 * A category's own funnel (viewed it, added it to a cart, bought it) is what an out-of-stock or a wrong price
 * breaks; its visit counts follow the campaigns and promos already watched in the visit cohorts.
 */
const PRODUCT_METRICS = WATCHED_METRICS.filter((m) => m.family === 'funnel');

/**
 * Watches all traffic and every single-dimension cohort. Pairs and triples are not tested one by one: that
 * would spend the false-discovery budget on noise; narrowing an incident down to them is attribution's job.
 */
export function scanCohorts(table: CubeTable, names: Map<number, string>, options: ScanOptions): ScanResult {
  const series: ScannedSeries[] = [];
  const candidates: Candidate[] = [];
  const tested = new Int32Array(table.length);
  const testedProducts: Record<string, Int32Array> = {};
  const watched = EVENT_GROUPINGS.filter((g) => g.level === 'session' && g.dims.length <= 1);
  const products = options.productCohorts ?? [];
  const steps = watched.length + (products.length > 0 ? 1 : 0);
  const scan = (cohort: CohortSeries, level: number, metrics: readonly SeriesMetric[], product = false) => {
    const from = watchedFrom(table, cohort, options.minSessions);
    const dim = Object.keys(cohort.cohort)[0] ?? 'product';
    const counter = product ? (testedProducts[dim] ??= new Int32Array(table.length)) : tested;
    for (const metric of metrics) {
      const quiet = metric.kind === 'count' ? quietBefore(table, cohort.series[metric.numerator]) : null;
      const id = series.length;
      series.push(product ? { metric, cohort, level, product } : { metric, cohort, level });
      const sensitivity = options.metricSensitivity?.[metric.metric] ?? options.sensitivity;
      const weight = sensitivityWeight(sensitivity, options.sensitivity);
      runSeries(table, cohort, metric, sensitivity, (b, original) => {
        // Weighted Benjamini–Hochberg: p / w against the common q, so a metric set to a higher
        // sensitivity passes the correction with weaker evidence, and a lower one needs stronger.
        const verdict =
          weight === 1 ? original : { ...original, pValue: Math.min(1, original.pValue / weight) };
        if (b < from) return;
        // A level-only baseline (the first days, or a profile without events) cannot tell the daily cycle from
        // an anomaly in a count, unless the week before had next to nothing to cycle (an out_of_stock event).
        if (metric.kind === 'count' && verdict.baselineKind === 'level' && !quiet?.[b]) return;
        counter[b] = (counter[b] as number) + 1;
        if (verdict.pValue > options.q) return;
        if (metric.watch !== 'both' && verdict.direction !== metric.watch) return;
        candidates.push({ series: id, bucket: b, ...verdict });
      });
    }
  };
  for (const [index, grouping] of watched.entries()) {
    options.onGrouping?.(index, steps, grouping.dims);
    for (const cohort of rollUp(table, grouping, MEASURES, names, options.minSessions))
      scan(cohort, grouping.dims.length, WATCHED_METRICS);
  }
  for (const { cohort, metric } of options.eventSeries ?? []) scan(cohort, 0, [metric]);
  if (products.length > 0) {
    options.onGrouping?.(watched.length, steps, [...new Set(products.flatMap((p) => Object.keys(p.cohort)))]);
    for (const cohort of products)
      if ((cohort.totals.sessions ?? 0) >= options.minSessions) scan(cohort, 1, PRODUCT_METRICS, true);
  }
  return { series, candidates, tested, testedProducts };
}

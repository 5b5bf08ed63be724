import { createCountDetector, createRatioDetector, type BucketScore, type Sensitivity } from '../detect';
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
] as const;
export type WatchedMetric = (typeof WATCHED_METRICS)[number];

const MEASURES = [
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
}

export interface ScannedSeries {
  metric: WatchedMetric;
  cohort: CohortSeries;
  level: number;
}

export interface ScanResult {
  series: ScannedSeries[];
  candidates: Candidate[];
  /** Per bucket, how many series were scored in it (m of the Benjamini–Hochberg correction). */
  tested: Int32Array;
}

export interface ScanOptions {
  sensitivity: Sensitivity;
  /** Pre-filter and false-discovery rate of the correction across series. */
  q: number;
  /**
   * A cohort is watched from the bucket at which it has seen this many sessions: decided from the past only,
   * so that which cohorts are tested in a bucket (and so the correction) does not depend on later data.
   */
  minSessions: number;
}

/**
 * Runs the online detectors over every watched metric of every cohort with enough volume. Each detector sees
 * the buckets in order and scores a bucket from the buckets before it only.
 */
export function scanCohorts(table: CubeTable, names: Map<number, string>, options: ScanOptions): ScanResult {
  const series: ScannedSeries[] = [];
  const candidates: Candidate[] = [];
  const tested = new Int32Array(table.length);
  const bucketMinutes = table.bucketMs / 60_000;
  for (const grouping of EVENT_GROUPINGS) {
    if (grouping.level !== 'session') continue;
    for (const cohort of rollUp(table, grouping, MEASURES, names, options.minSessions)) {
      // Sessions seen before each bucket: the cohort is tested from the first bucket where this reaches the floor.
      const sessions = cohort.series.sessions as Float64Array;
      let watchedFrom = table.length;
      for (let b = 0, seen = 0; b < table.length; b++) {
        if (seen >= options.minSessions) {
          watchedFrom = b;
          break;
        }
        seen += sessions[b] as number;
      }
      for (const metric of WATCHED_METRICS) {
        const id = series.length;
        series.push({ metric, cohort, level: grouping.dims.length });
        const keep = (score: BucketScore | null, b: number, observed: number, trials: number) => {
          if (!score || b < watchedFrom) return;
          tested[b] = (tested[b] as number) + 1;
          if (score.pValue > options.q) return;
          if (metric.watch !== 'both' && score.direction !== metric.watch) return;
          candidates.push({
            series: id,
            bucket: b,
            pValue: score.pValue,
            score: score.score,
            direction: score.direction,
            expected: score.expected,
            observed,
            trials,
          });
        };
        const numerator = cohort.series[metric.numerator] as Float64Array;
        if (metric.kind === 'count') {
          const detector = createCountDetector({ bucketMinutes, sensitivity: options.sensitivity });
          for (let b = 0; b < table.length; b++) {
            const time = table.start + b * table.bucketMs;
            const count = table.present[b] ? (numerator[b] as number) : null;
            keep(detector.push({ time, count }), b, count ?? 0, 0);
          }
        } else {
          const denominator = cohort.series[metric.denominator] as Float64Array;
          const detector = createRatioDetector({ sensitivity: options.sensitivity });
          for (let b = 0; b < table.length; b++) {
            const time = table.start + b * table.bucketMs;
            const present = table.present[b] === 1;
            const trials = present ? (denominator[b] as number) : null;
            const successes = present ? (numerator[b] as number) : null;
            keep(detector.push({ time, successes, trials }), b, successes ?? 0, trials ?? 0);
          }
        }
      }
    }
  }
  return { series, candidates, tested };
}

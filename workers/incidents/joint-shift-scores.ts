/**
 * The scoring half of joint-shifts.ts: per large cohort, an online Isolation Forest over its funnel residuals,
 * its conformal p-values accumulated by an e-value CUSUM, corrected across cohorts per bucket.
 */
import crypto from 'node:crypto';
import { benjaminiHochbergAmong, OnlineIsolationForest, type Sensitivity } from '../detect';
import { EVENT_GROUPINGS } from '../metrics/groupings';
import { rollUp, type CohortSeries, type CubeTable } from '../metrics/rollup';
import { ResidualFunnel } from './funnel-residuals';

const VECTOR_MEASURES = [
  'sessions',
  'page_views',
  'sessions_with_add_to_cart',
  'sessions_with_checkout',
  'sessions_with_purchase',
  'orders',
  'revenue',
];

/**
 * A bucket with fewer visits is missing to the forest: its vector is mostly counting noise (one purchase more
 * or less moves a step by a factor), which the forest would learn as normal and then flag at random.
 */
export const MIN_BUCKET_SESSIONS = 20;
const TREES = 50;
const DAY_MS = 86_400_000;

export interface Scored {
  series: number;
  bucket: number;
  pValue: number;
  /** The bucket at which the evidence run carrying this one began, and the one at which it peaked so far. */
  onset: number;
  peak: number;
}

function seedOf(key: string): number {
  return crypto.createHash('sha256').update(key).digest().readUInt32LE(0) || 1;
}

/** The forest's window in buckets: four days of history, at least 512 and at most 2016 vectors. */
export function forestShape(bucketMs: number) {
  const perDay = Math.round(DAY_MS / bucketMs);
  const window = Math.min(2016, Math.max(512, 4 * perDay));
  return {
    window,
    minHistory: Math.min(window, Math.max(256, 2 * perDay)),
    refitEvery: Math.max(48, perDay),
  };
}

/** The large cohorts (all traffic and single dimension values) whose typical bucket has enough visits. */
export function vectorCohorts(table: CubeTable, names: Map<number, string>): CohortSeries[] {
  let present = 0;
  for (let b = 0; b < table.length; b++) present += table.present[b] as number;
  if (present === 0) return [];
  return EVENT_GROUPINGS.filter((g) => g.level === 'session' && g.dims.length <= 1).flatMap((grouping) =>
    rollUp(table, grouping, VECTOR_MEASURES, names, MIN_BUCKET_SESSIONS * present),
  );
}

/**
 * p-to-e calibrator e = κ·p^(κ−1) (Vovk and Wang, 2021): for a valid p-value E[e] ≤ 1, so the product of a
 * run's e-values is a test supermartingale and the chart below has the CUSUM charts' calibration.
 */
const KAPPA = 0.25;

/**
 * Scores every cohort's vectors online and keeps the buckets that survive the correction across cohorts.
 *
 * One bucket's forest p-value rarely says much: a change of one step by a few standard errors (bots adding
 * a third to the views of a visit) isolates a vector no better than the counting noise of the other steps
 * does now and then. What a change does is keep the p-values low bucket after bucket, so they are
 * accumulated: S_t = max(0, S_{t−1} + ln e_t) with e_t the calibrated e-value of p_t. Under no change the
 * increments drift down (E[ln e] = ln κ + 1 − κ = −0.64), and, as for the ratio charts (calibrate.ts),
 * P(S_t ≥ s) ≤ e^{−s}: e^{−S} is the bucket's p-value, and the bucket after the chart last stood at 0 is
 * where the shift began.
 */
export function scoreJointShifts(
  table: CubeTable,
  cohorts: readonly CohortSeries[],
  sensitivity: Sensitivity,
  q: number,
): Scored[] {
  const shape = forestShape(table.bucketMs);
  const tested = new Int32Array(table.length);
  const candidates: Scored[] = [];
  cohorts.forEach((cohort, series) => {
    const forest = new OnlineIsolationForest({
      ...shape,
      trees: TREES,
      sensitivity,
      seed: seedOf(cohort.key),
    });
    const residuals = new ResidualFunnel(Math.round(DAY_MS / table.bucketMs));
    const s = cohort.series;
    let chart = 0;
    let onset = 0;
    let peak = 0;
    let top = 0;
    for (let b = 0; b < table.length; b++) {
      const sessions = (s.sessions as Float64Array)[b] as number;
      if (table.present[b] !== 1 || sessions < MIN_BUCKET_SESSIONS) {
        // A missing bucket neither adds evidence nor resets it, and is not learnt.
        forest.push(null);
        continue;
      }
      const counts: Record<string, number> = {};
      for (const m of VECTOR_MEASURES) counts[m] = (s[m] as Float64Array)[b] as number;
      const score = forest.push(residuals.push(counts));
      if (!score) continue;
      if (chart === 0) {
        onset = b;
        top = 0;
      }
      chart = Math.max(0, chart + Math.log(KAPPA) + (KAPPA - 1) * Math.log(score.pValue));
      if (chart > top) {
        top = chart;
        peak = b;
      }
      tested[b] = (tested[b] as number) + 1;
      const pValue = Math.min(1, Math.exp(-chart));
      if (pValue <= q) candidates.push({ series, bucket: b, pValue, onset, peak });
    }
  });
  const byBucket = new Map<number, Scored[]>();
  for (const c of candidates) {
    const list = byBucket.get(c.bucket);
    if (list) list.push(c);
    else byBucket.set(c.bucket, [c]);
  }
  return [...byBucket].flatMap(([bucket, list]) => benjaminiHochbergAmong(list, tested[bucket] as number, q));
}

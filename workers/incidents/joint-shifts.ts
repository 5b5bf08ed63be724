/**
 * The multivariate pass of detection: an online Isolation Forest over each large cohort's funnel vectors
 * (funnel-vector.ts), for a change of the funnel's shape that no single metric's detector raised, such as
 * bot traffic arriving inside ordinary visits (views per visit up, every later step flat).
 *
 * Its p-values are corrected across cohorts per bucket (Benjamini–Hochberg, a family of its own), and what
 * remains is reported only where nothing else was: a joint shift that overlaps an incident of a cohort
 * sharing its visitors is that incident seen once more. The metric of the report is the funnel step that
 * moved most against its trailing level, so the chart, replay and report of the incident read a metric of
 * the catalog.
 */
import crypto from 'node:crypto';
import type { Incident } from '../../shared/incidents';
import { OnlineIsolationForest, type Sensitivity } from '../detect';
import { EVENT_GROUPINGS } from '../metrics/groupings';
import { rollUp, type CohortSeries, type CubeTable } from '../metrics/rollup';
import { comparable, intersects } from './group';
import { isExpected, severity, type AnnotationRow } from './build';

/** The funnel steps of the vector, in its order: the ratio each feature is and the metric it is reported as. */
export const FUNNEL_STEPS = [
  { metric: 'page_views', family: 'traffic', numerator: 'page_views', denominator: 'sessions' },
  {
    metric: 'add_to_cart_rate',
    family: 'funnel',
    numerator: 'sessions_with_add_to_cart',
    denominator: 'page_views',
  },
  {
    metric: 'begin_checkout_rate',
    family: 'funnel',
    numerator: 'sessions_with_checkout',
    denominator: 'sessions_with_add_to_cart',
  },
  {
    metric: 'checkout_conversion',
    family: 'funnel',
    numerator: 'sessions_with_purchase',
    denominator: 'sessions_with_checkout',
  },
] as const;

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
/**
 * A joint shift is reported once this many of its buckets are significant: one isolated vector in a day is
 * what a forest calibrated at 1e-3 sees by chance; a change of shape (bots, a broken step) lasts.
 */
const MIN_ALARMED_BUCKETS = 2;
const DAY_MS = 86_400_000;

export interface JointShiftOptions {
  sensitivity: Sensitivity;
  /**
   * False-discovery rate of the correction across cohorts per bucket. The per-series false-alarm rate of the
   * sensitivity rather than the univariate detectors' q: the forest's buckets get no seasonal confirmation.
   */
  q: number;
  /** Smallest move worth an incident, in the numerator's unit (page views, sessions that converted). */
  minEffect: (step: (typeof FUNNEL_STEPS)[number]) => number;
  /** Raised incidents: a joint shift overlapping one of them (in a cohort sharing visitors) is not reported. */
  raised: readonly Incident[];
  annotations: AnnotationRow[];
  dailyRevenue: number;
  /** Buckets either side of a raised incident within which a joint shift is that incident. */
  slack?: number;
}

interface Scored {
  series: number;
  bucket: number;
  pValue: number;
  /** The bucket at which the evidence run carrying this one began, and the one at which it peaked so far. */
  onset: number;
  peak: number;
}

export interface JointShift {
  cohort: CohortSeries;
  /** Where the evidence run began; the first and last buckets that survived the correction. */
  onset: number;
  first: number;
  last: number;
  /** Buckets of the episode that survived the correction. */
  buckets: number;
  minP: number;
  /** The step that moved most and by how much (observed − expected over the shift, numerator units). */
  step: (typeof FUNNEL_STEPS)[number];
  excess: number;
  expected: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function seedOf(key: string): number {
  return crypto.createHash('sha256').update(key).digest().readUInt32LE(0) || 1;
}

/** The forest's window in buckets: four days of history, at least 512 and at most 2016 vectors. */
function forestShape(bucketMs: number) {
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
 * The funnel vector as residuals: each step's log-ratio in the bucket against its level over the trailing
 * day, in standard errors of the bucket's own counts. Raw log-ratios (funnel-vector.ts) are volume-free in
 * level but not in noise: a night bucket of 20 visits is as scattered as a real change at noon, and the
 * forest, calibrated over day and night together, would flag every night. Residuals have unit spread at
 * any volume, so isolation means a change.
 */
export class ResidualFunnel {
  private readonly num: Float64Array[];
  private readonly den: Float64Array[];
  private readonly sumNum = new Float64Array(FUNNEL_STEPS.length);
  private readonly sumDen = new Float64Array(FUNNEL_STEPS.length);
  private seen = 0;

  constructor(private readonly window: number) {
    this.num = FUNNEL_STEPS.map(() => new Float64Array(window));
    this.den = FUNNEL_STEPS.map(() => new Float64Array(window));
  }

  /** The residual vector of a bucket's counts (null until a window of history), then learns the counts. */
  push(counts: Record<string, number>): number[] | null {
    const full = this.seen >= this.window;
    const vector = full ? FUNNEL_STEPS.map((step, k) => this.residual(step, k, counts)) : null;
    const slot = this.seen % this.window;
    FUNNEL_STEPS.forEach((step, k) => {
      const n = counts[step.numerator] ?? 0;
      const d = counts[step.denominator] ?? 0;
      this.sumNum[k] = (this.sumNum[k] as number) + n - ((this.num[k] as Float64Array)[slot] as number);
      this.sumDen[k] = (this.sumDen[k] as number) + d - ((this.den[k] as Float64Array)[slot] as number);
      (this.num[k] as Float64Array)[slot] = n;
      (this.den[k] as Float64Array)[slot] = d;
    });
    this.seen++;
    return vector;
  }

  private residual(step: (typeof FUNNEL_STEPS)[number], k: number, counts: Record<string, number>): number {
    const n = (counts[step.numerator] ?? 0) + 0.5;
    const d = (counts[step.denominator] ?? 0) + 0.5;
    const level = ((this.sumNum[k] as number) + 0.5) / ((this.sumDen[k] as number) + 0.5);
    // Views per visit is a count per visit (Poisson: var ln ≈ 1/n); the other steps are shares (binomial:
    // var ln p̂ ≈ (1 − p)/n).
    const variance = step.family === 'traffic' ? 1 / n : Math.max(1 - level, 0.05) / n;
    return (Math.log(n / d) - Math.log(level)) / Math.sqrt(variance);
  }
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
  const kept: Scored[] = [];
  for (const [bucket, list] of byBucket) {
    const m = tested[bucket] as number;
    list.sort((a, b) => a.pValue - b.pValue);
    let cut = -1;
    list.forEach((c, i) => {
      if (c.pValue <= ((i + 1) * q) / m) cut = i;
    });
    kept.push(...list.slice(0, cut + 1));
  }
  return kept;
}

/**
 * Consecutive kept buckets of a cohort (gaps of up to two bridged), each with the step that moved most: the
 * largest log-ratio change against the trailing window's level, in standard errors (Poisson on both counts).
 */
export function jointShiftEpisodes(
  table: CubeTable,
  cohorts: readonly CohortSeries[],
  kept: readonly Scored[],
): JointShift[] {
  const { window } = forestShape(table.bucketMs);
  const bySeries = new Map<number, Scored[]>();
  for (const k of kept) {
    const list = bySeries.get(k.series);
    if (list) list.push(k);
    else bySeries.set(k.series, [k]);
  }
  const out: JointShift[] = [];
  for (const [series, list] of bySeries) {
    const cohort = cohorts[series] as CohortSeries;
    list.sort((a, b) => a.bucket - b.bucket);
    let onset = -1;
    let first = -1;
    let lastAlarm = -1;
    let settled = -1;
    let minP = 1;
    let buckets = 0;
    const close = () => {
      if (first >= 0)
        out.push({
          cohort,
          onset,
          first,
          last: settled,
          buckets,
          minP,
          ...mostMovedStep(table, cohort, onset, settled, window),
        });
    };
    for (const k of list) {
      if (first >= 0 && k.bucket - lastAlarm <= 3) {
        lastAlarm = k.bucket;
        // The chart stays high for a while after a change ends: the episode ends where its evidence peaked.
        settled = Math.max(settled, Math.min(k.bucket, k.peak));
        minP = Math.min(minP, k.pValue);
        buckets++;
        continue;
      }
      close();
      first = lastAlarm = settled = k.bucket;
      onset = k.onset;
      minP = k.pValue;
      buckets = 1;
    }
    close();
  }
  return out;
}

function sum(values: Float64Array, from: number, to: number, present: Uint8Array): number {
  let total = 0;
  for (let b = Math.max(0, from); b <= to; b++) if (present[b] === 1) total += values[b] as number;
  return total;
}

function mostMovedStep(
  table: CubeTable,
  cohort: CohortSeries,
  first: number,
  last: number,
  window: number,
): Pick<JointShift, 'step' | 'excess' | 'expected'> {
  let best: Pick<JointShift, 'step' | 'excess' | 'expected'> & { z: number } = {
    step: FUNNEL_STEPS[0],
    excess: 0,
    expected: 0,
    z: -1,
  };
  for (const step of FUNNEL_STEPS) {
    const num = cohort.series[step.numerator] as Float64Array;
    const den = cohort.series[step.denominator] as Float64Array;
    const baseNum = sum(num, first - window, first - 1, table.present);
    const baseDen = sum(den, first - window, first - 1, table.present);
    const obsNum = sum(num, first, last, table.present);
    const obsDen = sum(den, first, last, table.present);
    if (baseDen <= 0 || obsDen <= 0) continue;
    const change = Math.log((obsNum + 0.5) / (obsDen + 0.5)) - Math.log((baseNum + 0.5) / (baseDen + 0.5));
    const se = Math.sqrt(1 / (obsNum + 0.5) + 1 / (obsDen + 0.5));
    const z = Math.abs(change) / se;
    const expected = (obsDen * baseNum) / baseDen;
    if (z > best.z) best = { step, excess: obsNum - expected, expected, z };
  }
  return { step: best.step, excess: best.excess, expected: best.expected };
}

/**
 * One change shows in every cohort holding it (bots on mobile move all traffic too): of joint shifts that
 * overlap in time, in cohorts one of which holds the other, on the same step and in the same direction,
 * the most specific that carries at least half of the other's excess is the one reported.
 */
function mostSpecific(shifts: JointShift[]): JointShift[] {
  const level = (s: JointShift) => Object.keys(s.cohort.cohort).length;
  return shifts.filter(
    (broad) =>
      !shifts.some(
        (narrow) =>
          narrow !== broad &&
          level(narrow) > level(broad) &&
          comparable(narrow.cohort.cohort, broad.cohort.cohort) &&
          narrow.step === broad.step &&
          Math.sign(narrow.excess) === Math.sign(broad.excess) &&
          Math.abs(narrow.excess) >= 0.5 * Math.abs(broad.excess) &&
          narrow.onset <= broad.last &&
          narrow.last >= broad.onset,
      ),
  );
}

/** Lost conversions of a fall of a funnel step: the missing step converts at the cohort's rate from it on. */
function lostConversions(shift: JointShift): number {
  if (shift.excess >= 0 || shift.step.family !== 'funnel') return 0;
  const totals = shift.cohort.totals;
  const base = totals[shift.step.numerator] ?? 0;
  return base > 0 ? (-shift.excess * (totals.sessions_with_purchase ?? 0)) / base : 0;
}

/**
 * The joint shifts worth an incident of their own, as incidents (without id), each with its relative size
 * |observed − expected| / expected of the step that moved most (what feedback compares).
 */
export function jointShiftIncidents(
  table: CubeTable,
  names: Map<number, string>,
  options: JointShiftOptions,
): { incident: Omit<Incident, 'id'>; size: number }[] {
  const cohorts = vectorCohorts(table, names);
  const kept = scoreJointShifts(table, cohorts, options.sensitivity, options.q);
  const slackMs = (options.slack ?? 6) * table.bucketMs;
  const incidents: { incident: Omit<Incident, 'id'>; size: number }[] = [];
  const material = jointShiftEpisodes(table, cohorts, kept).filter(
    (shift) =>
      shift.buckets >= MIN_ALARMED_BUCKETS &&
      Math.abs(shift.excess) >= options.minEffect(shift.step) &&
      // As for the univariate detectors, a funnel rate that rises (an e-mail send's keen visitors) is not news.
      !(shift.step.family === 'funnel' && shift.excess > 0),
  );
  for (const shift of mostSpecific(material)) {
    const start = table.start + shift.onset * table.bucketMs;
    const end = table.start + (shift.last + 1) * table.bucketMs;
    const cohort = shift.cohort.cohort;
    const seen = options.raised.some(
      (r) =>
        intersects(r.cohort, cohort) &&
        Date.parse(r.start) <= end + slackMs &&
        Date.parse(r.end) >= start - slackMs,
    );
    if (seen) continue;
    const lost = lostConversions(shift);
    const totals = shift.cohort.totals;
    const aov = (totals.orders ?? 0) > 0 ? (totals.revenue ?? 0) / (totals.orders as number) : 0;
    const revenueAtRisk = Math.round(lost * aov * 100) / 100;
    const score = 1 - shift.minP;
    const direction = shift.excess >= 0 ? 'up' : 'down';
    const incident: Omit<Incident, 'id'> = {
      metric: shift.step.metric,
      direction,
      start: iso(start),
      end: iso(end),
      // A bucket's vector is scored once the bucket is complete.
      detectedAt: iso(table.start + (shift.first + 1) * table.bucketMs),
      severity: severity(revenueAtRisk, options.dailyRevenue, score),
      score: Math.round(score * 1e6) / 1e6,
      cohort,
      expected: isExpected(shift.step.family, direction, cohort, start, end, options.annotations),
      impact: { lostConversions: Math.round(lost * 10) / 10, revenueAtRisk },
      attribution: [],
    };
    incidents.push({ incident, size: shift.expected > 0 ? Math.abs(shift.excess) / shift.expected : 1 });
  }
  return incidents;
}

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
import type { Incident } from '../../shared/incidents';
import type { Sensitivity } from '../detect';
import type { CohortSeries, CubeTable } from '../metrics/rollup';
import { comparable, intersects } from './group';
import { isExpected, severity, type AnnotationRow } from './build';
import { FUNNEL_STEPS } from './funnel-residuals';
import { forestShape, scoreJointShifts, vectorCohorts, type Scored } from './joint-shift-scores';

export { FUNNEL_STEPS } from './funnel-residuals';
export { MIN_BUCKET_SESSIONS, scoreJointShifts, vectorCohorts } from './joint-shift-scores';

/**
 * A joint shift is reported once this many of its buckets are significant: one isolated vector in a day is
 * what a forest calibrated at 1e-3 sees by chance; a change of shape (bots, a broken step) lasts.
 */
const MIN_ALARMED_BUCKETS = 2;

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

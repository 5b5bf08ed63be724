/**
 * Seasonal Hybrid ESD (Twitter's S-H-ESD, Hochenbaum, Vallis & Kejariwal 2017) applied online: at each
 * bucket the test runs over the trailing window that ends with that bucket, and only the newest point is
 * scored (so a bucket's score never changes when later buckets arrive).
 *
 * - Seasonal component: the median of the window's other values in the same phase of the day (phase width
 *   max(bucket, 15 minutes)); residual = value − that leave-one-out median (with the value itself in the
 *   median one residual per phase is exactly 0, which deflates the MAD and inflates every R). This replaces STL's loess seasonal with a
 *   per-phase median (robust, no tuning); the "median replaces the trend" step of S-H-ESD is the same. It is
 *   used once the window spans 2 days and the newest point's phase holds ≥ 3 values, otherwise the residual
 *   is value − median of the window (`baseline: 'level'`).
 * - Hybrid generalized ESD (Rosner 1983) on the residuals with median and MAD: for i = 1…r
 *   (r = ⌈maxAnomalies·n⌉) remove the point with the largest R_i = |x − median| / MAD, with critical value
 *   λ_i = (n−i) t_{p, n−i−1} / √((n−i−1+t²)(n−i+1)), p = 1 − α/(2(n−i+1)); the anomalies are the points
 *   removed up to the last i with R_i > λ_i. The newest bucket alarms when it is one of them (α = the
 *   sensitivity's false-alarm rate, applied to the window as in S-H-ESD, which makes this the most
 *   conservative detector: it confirms global outliers).
 * - pValue: the newest point's R turned into Grubbs' statistic at the step it was removed (n′ values left),
 *   t = R √(n′(n′−2) / ((n′−1)² − n′R²)), p = min(1, n′ · P(T_{n′−2} > t)), so that "2p ≤ α" is "R > λ".
 *
 * Cost per bucket: O(window) for medians and a rank check; the full ESD (O(r · window)) runs only when the
 * newest point is among the r + 2 most extreme residuals.
 */
import { alarmFromPValue, clampP, falseAlarmRate, scoreFromPValue } from './calibrate';
import { studentTQuantile, studentTSf } from './distributions';
import type { OffsetFn } from './series';
import { DAY_MS, MAD_TO_SIGMA, MINUTE_MS, isMissing, medianInPlace } from './series';
import type {
  BaselineKind,
  BucketScore,
  Direction,
  OnlineDetector,
  Sensitivity,
  ValueObservation,
} from './types';

export interface ShesdOptions {
  /** Bucket size in minutes. */
  bucketMinutes: number;
  sensitivity?: Sensitivity;
  /** Local-time offset in minutes at an instant; UTC when omitted. */
  offset?: OffsetFn;
  /** Trailing window, days (default 7). */
  windowDays?: number;
  /** At most this many points in the window (default 4032): the window shrinks for 1-minute buckets. */
  maxPoints?: number;
  /** Upper bound on the share of anomalies in the window (default 0.02). */
  maxAnomalies?: number;
  /** Points needed before any score (default 30). */
  minPoints?: number;
}

export interface ShesdScore extends BucketScore {
  observed: number;
  /** The newest point's robust statistic R = |residual − median| / (1.4826·MAD). */
  statistic: number;
  /** Critical value λ₁ of the first ESD step for this window. */
  critical: number;
}

const criticalCache = new Map<string, number>();

/** Generalized ESD critical value for a sample of m values (m = n − i + 1) at two-sided level α. */
export function esdCritical(m: number, alpha: number): number {
  const key = `${m}:${alpha}`;
  const cached = criticalCache.get(key);
  if (cached !== undefined) return cached;
  const p = 1 - alpha / (2 * m);
  const t = studentTQuantile(p, m - 2);
  const lambda = ((m - 1) * t) / Math.sqrt((m - 2 + t * t) * m);
  if (criticalCache.size > 100_000) criticalCache.clear();
  criticalCache.set(key, lambda);
  return lambda;
}

/** One-sided Grubbs p-value of a robust statistic R among m values: min(1, m · P(T_{m−2} > t(R))). */
export function grubbsPValue(r: number, m: number): number {
  if (m < 3) return 1;
  const denom = (m - 1) * (m - 1) - m * r * r;
  if (denom <= 0) return clampP(0);
  const t = r * Math.sqrt((m * (m - 2)) / denom);
  return clampP(m * studentTSf(t, m - 2));
}

function medianMadOf(xs: readonly number[]): { median: number; mad: number } {
  const copy = xs.slice();
  const median = medianInPlace(copy);
  for (let i = 0; i < copy.length; i++) copy[i] = Math.abs((copy[i] as number) - median);
  return { median, mad: MAD_TO_SIGMA * medianInPlace(copy) };
}

/**
 * residual_i = x_i − median of the other values of its phase (leave-one-out). With the point itself in
 * the median, one residual per phase would be exactly 0 and the rest shrunk, which deflates the MAD and
 * makes ordinary points look like outliers.
 */
function leaveOneOutResiduals(values: readonly number[], members: readonly number[], out: number[]): void {
  const m = members.length;
  if (m === 0) return;
  if (m === 1) {
    const i = members[0] as number;
    out[i] = 0;
    return;
  }
  const order = members.slice().sort((a, b) => (values[a] as number) - (values[b] as number));
  const sorted = order.map((i) => values[i] as number);
  // Value at position q of the sorted list without position j.
  const without = (q: number, j: number) => sorted[q < j ? q : q + 1] as number;
  const rest = m - 1;
  order.forEach((i, j) => {
    const med =
      rest % 2 === 1 ? without((rest - 1) / 2, j) : (without(rest / 2 - 1, j) + without(rest / 2, j)) / 2;
    out[i] = (values[i] as number) - med;
  });
}

interface EsdResult {
  /** Step (1-based) at which the newest point was removed, 0 if it was not. */
  newestStep: number;
  /** Number of anomalies (last step with R > λ). */
  anomalies: number;
  /** R of the newest point at its removal (or at step 1). */
  newestR: number;
}

/** The k-th smallest (0-based) of the union of two ascending sequences given by accessors. */
function kthOfTwo(
  a: (i: number) => number,
  lenA: number,
  b: (j: number) => number,
  lenB: number,
  k: number,
): number {
  // Take i from A and k+1−i from B: the smallest i with A[i] ≥ B[k−i] (monotone in i).
  let lo = Math.max(0, k + 1 - lenB);
  let hi = Math.min(k + 1, lenA);
  while (lo < hi) {
    const i = (lo + hi) >> 1;
    const j = k + 1 - i;
    if (j <= 0 || a(i) >= b(j - 1)) hi = i;
    else lo = i + 1;
  }
  const i = lo;
  const j = k + 1 - i;
  return Math.max(i > 0 ? a(i - 1) : Number.NEGATIVE_INFINITY, j > 0 ? b(j - 1) : Number.NEGATIVE_INFINITY);
}

/**
 * Generalized ESD with median/MAD (recomputed at every step, as in S-H-ESD) over `residuals`; `newest` is
 * the index of the point to score. The point farthest from the median is always the smallest or the
 * largest left, so the remaining points stay a contiguous range of the sorted residuals: each step costs
 * O(log n) (median by index, MAD as the k-th smallest of two sorted distance lists).
 */
function hybridEsd(residuals: readonly number[], newest: number, maxSteps: number, alpha: number): EsdResult {
  const n = residuals.length;
  const order = residuals
    .map((_, i) => i)
    .sort((x, y) => (residuals[x] as number) - (residuals[y] as number) || x - y);
  const sorted = Float64Array.from(order, (i) => residuals[i] as number);
  const newestPos = order.indexOf(newest);
  let lo = 0;
  let hi = n - 1;
  let anomalies = 0;
  let newestStep = 0;
  let newestR = Number.NaN;
  for (let step = 1; step <= maxSteps && hi - lo + 1 > 2; step++) {
    const count = hi - lo + 1;
    const mid = lo + (count >> 1);
    const median =
      count % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    // Distances to the median: left list m − sorted[p−1−i], right list sorted[p+j] − m, both ascending.
    let p = lo;
    let top = hi + 1;
    while (p < top) {
      const q = (p + top) >> 1;
      if ((sorted[q] as number) < median) p = q + 1;
      else top = q;
    }
    const left = (i: number) => median - (sorted[p - 1 - i] as number);
    const right = (j: number) => (sorted[p + j] as number) - median;
    const lenL = p - lo;
    const lenR = hi - p + 1;
    const rawMad =
      count % 2 === 1
        ? kthOfTwo(left, lenL, right, lenR, (count - 1) / 2)
        : (kthOfTwo(left, lenL, right, lenR, count / 2 - 1) + kthOfTwo(left, lenL, right, lenR, count / 2)) /
          2;
    const mad = MAD_TO_SIGMA * rawMad;
    if (!(mad > 0)) break;
    const dLow = median - (sorted[lo] as number);
    const dHigh = (sorted[hi] as number) - median;
    const removed = dHigh >= dLow ? hi : lo;
    const r = Math.max(dLow, dHigh) / mad;
    if (r > esdCritical(n - step + 1, alpha)) anomalies = step;
    if (removed === newestPos) {
      newestStep = step;
      newestR = r;
    }
    if (removed === hi) hi--;
    else lo++;
  }
  return { newestStep, anomalies, newestR };
}

export class ShesdDetector implements OnlineDetector<ValueObservation, ShesdScore> {
  private readonly sensitivity: Sensitivity;
  private readonly offset: OffsetFn | undefined;
  private readonly windowMs: number;
  private readonly maxPoints: number;
  private readonly maxAnomalies: number;
  private readonly minPoints: number;
  private readonly phaseMs: number;
  private readonly phases: number;
  private times: number[] = [];
  private values: number[] = [];
  private phaseOf: number[] = [];
  /** Leave-one-out seasonal residual of each point (valid for phases not marked dirty). */
  private resid: number[] = [];
  private head = 0;
  /** Array positions of the window's points in each phase, oldest first. */
  private members: number[][] = [];
  private readonly dirty = new Set<number>();
  private index = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(options: ShesdOptions) {
    this.sensitivity = options.sensitivity ?? 'medium';
    this.offset = options.offset;
    this.windowMs = (options.windowDays ?? 7) * DAY_MS;
    this.maxPoints = options.maxPoints ?? 4032;
    this.maxAnomalies = options.maxAnomalies ?? 0.02;
    this.minPoints = options.minPoints ?? 30;
    this.phaseMs = Math.max(options.bucketMinutes, 15) * MINUTE_MS;
    this.phases = Math.max(1, Math.round(DAY_MS / this.phaseMs));
  }

  private phase(time: number): number {
    const local = time + (this.offset ? this.offset(time) : 0) * MINUTE_MS;
    const msOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
    return Math.min(this.phases - 1, Math.floor(msOfDay / this.phaseMs));
  }

  push(observation: ValueObservation): ShesdScore | null {
    const index = this.index++;
    const { time, value } = observation;
    if (isMissing(value) || !Number.isFinite(time)) return null;
    if (time <= this.lastTime)
      throw new RangeError(`buckets must arrive in time order (${time} after ${this.lastTime})`);
    this.lastTime = time;
    const x = value as number;

    const ph = this.phase(time);
    this.times.push(time);
    this.values.push(x);
    this.phaseOf.push(ph);
    this.resid.push(0);
    (this.members[ph] ??= []).push(this.times.length - 1);
    this.dirty.add(ph);
    const cutoff = time - this.windowMs;
    while (
      this.head < this.times.length &&
      ((this.times[this.head] as number) <= cutoff || this.times.length - this.head > this.maxPoints)
    ) {
      const old = this.phaseOf[this.head] as number;
      this.members[old]?.shift();
      this.dirty.add(old);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      const shift = this.head;
      this.times = this.times.slice(shift);
      this.values = this.values.slice(shift);
      this.phaseOf = this.phaseOf.slice(shift);
      this.resid = this.resid.slice(shift);
      this.members = this.members.map((ms) => ms.map((i) => i - shift));
      this.head = 0;
    }
    const n = this.times.length - this.head;
    if (n < this.minPoints) return null;

    const newest = n - 1;
    const seasonal =
      time - (this.times[this.head] as number) >= 2 * DAY_MS && (this.members[ph]?.length ?? 0) >= 3;
    let residuals: number[];
    let seasonalNewest = 0;
    if (seasonal) {
      // Only the phases that gained or lost a point since they were last computed.
      for (const d of this.dirty) leaveOneOutResiduals(this.values, this.members[d] ?? [], this.resid);
      this.dirty.clear();
      residuals = this.resid.slice(this.head);
      seasonalNewest = x - (residuals[newest] as number);
    } else {
      residuals = this.values.slice(this.head);
    }

    const alpha = falseAlarmRate(this.sensitivity);
    const maxSteps = Math.max(1, Math.ceil(this.maxAnomalies * n));
    const { median, mad } = medianMadOf(residuals);
    const newestDev = (residuals[newest] as number) - median;
    const critical = esdCritical(n, alpha);
    const expected = seasonalNewest + median;
    const baseline: BaselineKind = seasonal ? 'seasonal' : 'level';
    const direction: Direction = newestDev >= 0 ? 'up' : 'down';
    const base = {
      index,
      expected,
      lower: expected - critical * mad,
      upper: expected + critical * mad,
      direction,
      baseline,
      observed: x,
      critical,
    };
    if (!(mad > 0)) {
      // More than half the residuals tie: no scale, no evidence either way unless the point is off the tie.
      const pValue = newestDev === 0 ? 1 : clampP(0);
      return {
        ...base,
        pValue,
        evidencePValue: pValue,
        score: scoreFromPValue(pValue),
        alarm: alarmFromPValue(pValue, this.sensitivity),
        statistic: newestDev === 0 ? 0 : Number.POSITIVE_INFINITY,
      };
    }
    const r0 = Math.abs(newestDev) / mad;
    // Rank check: with r + 2 or more points more extreme, the newest cannot be among the anomalies.
    let moreExtreme = 0;
    for (let i = 0; i < n && moreExtreme < maxSteps + 2; i++) {
      if (Math.abs((residuals[i] as number) - median) > Math.abs(newestDev)) moreExtreme++;
    }
    let alarm = false;
    let rAtRemoval = r0;
    let m = n;
    if (moreExtreme < maxSteps + 2) {
      const esd = hybridEsd(residuals, newest, maxSteps, alpha);
      if (esd.newestStep > 0) {
        alarm = esd.newestStep <= esd.anomalies;
        rAtRemoval = esd.newestR;
        m = n - esd.newestStep + 1;
      }
    }
    let pValue = grubbsPValue(rAtRemoval, m);
    // Keep pValue and alarm consistent when masking made the ESD flag a point whose own step did not exceed.
    if (alarm) pValue = Math.min(pValue, alpha / 2);
    else pValue = Math.max(pValue, Math.min(1, alpha / 2 + Number.EPSILON));
    return {
      ...base,
      pValue: clampP(pValue),
      evidencePValue: clampP(pValue),
      score: scoreFromPValue(pValue),
      alarm,
      statistic: r0,
    };
  }

  scoreSeries(observations: readonly ValueObservation[]): (ShesdScore | null)[] {
    return observations.map((o) => this.push(o));
  }
}

export function createShesdDetector(options: ShesdOptions): ShesdDetector {
  return new ShesdDetector(options);
}

/**
 * S-H-ESD for long streams: the same test as ShesdDetector (shesd.ts) with the same options and the same
 * p-value and direction for every bucket (a unit test compares them bucket by bucket), at a fraction of
 * the cost per bucket.
 *
 * ShesdDetector copies the window's residuals and selects their median and MAD for every bucket, O(window).
 * Here the window's seasonal residuals and its raw values are each kept in a sorted array (sorted-values.ts)
 * that changes only where the window does: the new point, the point that left, and the leave-one-out
 * residuals of the phases those two belong to. The median is read by index, the MAD as the k-th smallest of
 * two sorted distance lists, the rank check is two binary searches, and the generalized ESD runs on the
 * sorted array as it stands: O(changed residuals × log window) plus block moves.
 */
import { clampP, falseAlarmRate } from './calibrate';
import type { OffsetFn } from './series';
import { DAY_MS, MAD_TO_SIGMA, MINUTE_MS, isMissing } from './series';
import type { ShesdOptions } from './shesd';
import { esdCritical, grubbsPValue } from './shesd';
import { SortedValues } from './sorted-values';
import type { Direction, Sensitivity, ValueObservation } from './types';

export interface StreamingShesdScore {
  /** One-sided p-value of the newest point in its direction, as ShesdDetector reports it. */
  pValue: number;
  direction: Direction;
}

/**
 * The k-th smallest (0-based) distance to `median` among sorted[lo..hi], `split` being the first position
 * whose value is ≥ the median: the k-th of the union of two ascending lists, the distances below the
 * median A(i) = median − sorted[split−1−i] and above it B(j) = sorted[split+j] − median (shesd.ts's
 * kthOfTwo, written out without accessor closures, which cost more than the search under a bundler's
 * keep-names helper).
 */
function kthDistance(
  sorted: SortedValues,
  median: number,
  lo: number,
  split: number,
  hi: number,
  k: number,
): number {
  const lenA = split - lo;
  const lenB = hi - split + 1;
  let a = Math.max(0, k + 1 - lenB);
  let b = Math.min(k + 1, lenA);
  while (a < b) {
    const i = (a + b) >> 1;
    const j = k + 1 - i;
    if (j <= 0 || median - sorted.at(split - 1 - i) >= sorted.at(split + j - 1) - median) b = i;
    else a = i + 1;
  }
  const j = k + 1 - a;
  return Math.max(
    a > 0 ? median - sorted.at(split - a) : Number.NEGATIVE_INFINITY,
    j > 0 ? sorted.at(split + j - 1) - median : Number.NEGATIVE_INFINITY,
  );
}

/** Median and raw MAD of sorted[lo..hi], with `split` the first position in it whose value is ≥ the median. */
function medianAndMad(
  sorted: SortedValues,
  lo: number,
  hi: number,
): { median: number; mad: number; split: number } {
  const count = hi - lo + 1;
  const mid = lo + (count >> 1);
  const median = count % 2 === 1 ? sorted.at(mid) : (sorted.at(mid - 1) + sorted.at(mid)) / 2;
  let split = lo;
  let top = hi + 1;
  while (split < top) {
    const q = (split + top) >> 1;
    if (sorted.at(q) < median) split = q + 1;
    else top = q;
  }
  const mad =
    count % 2 === 1
      ? kthDistance(sorted, median, lo, split, hi, (count - 1) / 2)
      : (kthDistance(sorted, median, lo, split, hi, count / 2 - 1) +
          kthDistance(sorted, median, lo, split, hi, count / 2)) /
        2;
  return { median, mad, split };
}

/** Number of values whose distance to `median` exceeds `distance` (values below `split` are < median). */
function countFartherThan(sorted: SortedValues, median: number, split: number, distance: number): number {
  // Right side: the first position with value − median > distance.
  let lo = split;
  let hi = sorted.length;
  while (lo < hi) {
    const q = (lo + hi) >> 1;
    if (sorted.at(q) - median > distance) hi = q;
    else lo = q + 1;
  }
  const right = sorted.length - lo;
  // Left side: the first position with median − value ≤ distance.
  lo = 0;
  hi = split;
  while (lo < hi) {
    const q = (lo + hi) >> 1;
    if (median - sorted.at(q) > distance) lo = q + 1;
    else hi = q;
  }
  return right + lo;
}

/**
 * Generalized ESD with median/MAD recomputed at each step (shesd.ts's hybridEsd) on the sorted residuals:
 * the point farthest from the median is always the lowest or the highest left. Returns the step at which
 * position `newest` was removed (0 if it was not), the number of anomalies and the newest point's R then.
 */
function hybridEsd(sorted: SortedValues, newest: number, maxSteps: number, alpha: number) {
  const n = sorted.length;
  let lo = 0;
  let hi = n - 1;
  let anomalies = 0;
  let newestStep = 0;
  let newestR = Number.NaN;
  for (let step = 1; step <= maxSteps && hi - lo + 1 > 2; step++) {
    const { median, mad: rawMad } = medianAndMad(sorted, lo, hi);
    const mad = MAD_TO_SIGMA * rawMad;
    if (!(mad > 0)) break;
    const dLow = median - sorted.at(lo);
    const dHigh = sorted.at(hi) - median;
    const removed = dHigh >= dLow ? hi : lo;
    const r = Math.max(dLow, dHigh) / mad;
    if (r > esdCritical(n - step + 1, alpha)) anomalies = step;
    if (removed === newest) {
      newestStep = step;
      newestR = r;
    }
    if (removed === hi) hi--;
    else lo++;
  }
  return { newestStep, anomalies, newestR };
}

/**
 * residual_i = x_i − median of the other values of its phase, written into `out` (shesd.ts's
 * leaveOneOutResiduals: the same medians, so the same residuals). `scratch` holds at least m values.
 */
function leaveOneOutResiduals(
  values: Float64Array,
  members: readonly number[],
  out: Float64Array,
  scratch: Float64Array,
): void {
  const m = members.length;
  if (m === 1) out[members[0] as number] = 0;
  if (m <= 1) return;
  for (let i = 0; i < m; i++) scratch[i] = values[members[i] as number] as number;
  const sorted = scratch.subarray(0, m).sort();
  const rest = m - 1;
  const half = rest >> 1;
  for (const slot of members) {
    const x = values[slot] as number;
    // Without one copy of x (the first; any copy leaves the same values): later positions shift up by one.
    let at = 0;
    let top = m;
    while (at < top) {
      const q = (at + top) >> 1;
      if ((sorted[q] as number) < x) at = q + 1;
      else top = q;
    }
    const upper = sorted[half < at ? half : half + 1] as number;
    const median = rest % 2 === 1 ? upper : ((sorted[half - 1 < at ? half - 1 : half] as number) + upper) / 2;
    out[slot] = x - median;
  }
}

export class StreamingShesd {
  private readonly sensitivity: Sensitivity;
  private readonly offset: OffsetFn | undefined;
  private readonly windowMs: number;
  private readonly maxPoints: number;
  private readonly maxAnomalies: number;
  private readonly minPoints: number;
  private readonly phaseMs: number;
  private readonly phases: number;
  /** Ring of the window's points: slot = position mod capacity. */
  private readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private readonly phaseOf: Int32Array;
  private readonly resid: Float64Array;
  private head = 0;
  private size = 0;
  /** Slots of the window's points in each phase, oldest first. */
  private readonly members: number[][];
  private readonly sortedValues: SortedValues;
  private readonly sortedResid: SortedValues;
  /** Phases whose membership changed in this bucket (flag and list). */
  private readonly dirtyFlags: Uint8Array;
  private readonly dirtyList: number[] = [];
  private readonly scratch: Float64Array;
  /** Residuals leaving and entering the sorted set in this bucket. */
  private readonly leaving: Float64Array;
  private readonly entering: Float64Array;
  private leavingCount = 0;
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
    this.capacity = this.maxPoints + 1;
    this.times = new Float64Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.phaseOf = new Int32Array(this.capacity);
    this.resid = new Float64Array(this.capacity);
    this.members = Array.from({ length: this.phases }, () => []);
    this.sortedValues = new SortedValues(this.capacity);
    this.sortedResid = new SortedValues(this.capacity);
    this.dirtyFlags = new Uint8Array(this.phases);
    this.scratch = new Float64Array(this.capacity);
    this.leaving = new Float64Array(this.capacity + 1);
    this.entering = new Float64Array(this.capacity + 1);
  }

  private phase(time: number): number {
    const local = time + (this.offset ? this.offset(time) : 0) * MINUTE_MS;
    const msOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
    return Math.min(this.phases - 1, Math.floor(msOfDay / this.phaseMs));
  }

  /** Marks a phase's residuals as leaving the sorted set before its membership changes (once per bucket). */
  private touch(phase: number): void {
    if (this.dirtyFlags[phase]) return;
    this.dirtyFlags[phase] = 1;
    this.dirtyList.push(phase);
    for (const slot of this.members[phase] as number[])
      this.leaving[this.leavingCount++] = this.resid[slot] as number;
  }

  private add(time: number, x: number): number {
    const slot = (this.head + this.size) % this.capacity;
    const ph = this.phase(time);
    this.touch(ph);
    this.times[slot] = time;
    this.values[slot] = x;
    this.phaseOf[slot] = ph;
    (this.members[ph] as number[]).push(slot);
    this.sortedValues.insert(x);
    this.size++;
    return slot;
  }

  private dropOldest(): void {
    const slot = this.head;
    const ph = this.phaseOf[slot] as number;
    this.touch(ph);
    (this.members[ph] as number[]).shift();
    this.sortedValues.remove(this.values[slot] as number);
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }

  push(observation: ValueObservation): StreamingShesdScore | null {
    const { time, value } = observation;
    if (isMissing(value) || !Number.isFinite(time)) return null;
    if (time <= this.lastTime)
      throw new RangeError(`buckets must arrive in time order (${time} after ${this.lastTime})`);
    this.lastTime = time;
    const x = value as number;

    const slot = this.add(time, x);
    const cutoff = time - this.windowMs;
    while (this.size > 0 && ((this.times[this.head] as number) <= cutoff || this.size > this.maxPoints))
      this.dropOldest();
    let entering = 0;
    for (const ph of this.dirtyList) {
      const members = this.members[ph] as number[];
      leaveOneOutResiduals(this.values, members, this.resid, this.scratch);
      for (const s of members) this.entering[entering++] = this.resid[s] as number;
      this.dirtyFlags[ph] = 0;
    }
    this.dirtyList.length = 0;
    this.sortedResid.replace(
      this.leaving.subarray(0, this.leavingCount).sort(),
      this.entering.subarray(0, entering).sort(),
    );
    this.leavingCount = 0;

    const n = this.size;
    if (n < this.minPoints) return null;
    const seasonal =
      time - (this.times[this.head] as number) >= 2 * DAY_MS &&
      (this.members[this.phaseOf[slot] as number] as number[]).length >= 3;
    return this.test(
      seasonal ? this.sortedResid : this.sortedValues,
      seasonal ? (this.resid[slot] as number) : x,
    );
  }

  /** The ESD test of the newest point, whose residual is `newestValue`, among `sorted`. */
  private test(sorted: SortedValues, newestValue: number): StreamingShesdScore {
    const n = sorted.length;
    const alpha = falseAlarmRate(this.sensitivity);
    const maxSteps = Math.max(1, Math.ceil(this.maxAnomalies * n));
    const { median, mad: rawMad, split } = medianAndMad(sorted, 0, n - 1);
    const mad = MAD_TO_SIGMA * rawMad;
    const newestDev = newestValue - median;
    const direction: Direction = newestDev >= 0 ? 'up' : 'down';
    if (!(mad > 0)) return { pValue: newestDev === 0 ? 1 : clampP(0), direction };
    let alarm = false;
    let rAtRemoval = Math.abs(newestDev) / mad;
    let m = n;
    // Rank check: with r + 2 or more points farther out, the newest cannot be among the anomalies.
    if (countFartherThan(sorted, median, split, Math.abs(newestDev)) < maxSteps + 2) {
      // Among equal residuals the newest is the last (shesd.ts sorts ties by age).
      const esd = hybridEsd(sorted, sorted.upperBound(newestValue) - 1, maxSteps, alpha);
      if (esd.newestStep > 0) {
        alarm = esd.newestStep <= esd.anomalies;
        rAtRemoval = esd.newestR;
        m = n - esd.newestStep + 1;
      }
    }
    let pValue = grubbsPValue(rAtRemoval, m);
    if (alarm) pValue = Math.min(pValue, alpha / 2);
    else pValue = Math.max(pValue, Math.min(1, alpha / 2 + Number.EPSILON));
    return { pValue: clampP(pValue), direction };
  }
}

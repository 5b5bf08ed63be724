/**
 * Small helpers shared by the detectors: bucket sizes, calendar positions of bucket timestamps, robust
 * location/scale (median, MAD) and an online EWMA. Pure functions and tiny classes, no I/O.
 */

export type BucketMinutes = 1 | 5 | 15 | 60;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export function bucketMs(minutes: number): number {
  return minutes * MINUTE_MS;
}

/**
 * Offset of local time from UTC in minutes at an instant (e.g. +60 for Europe/Berlin in winter). The
 * detectors take it as a function so that a caller can pass a DST-aware one; UTC when omitted.
 */
export type OffsetFn = (epochMs: number) => number;

export interface SeasonPosition {
  /** Local hour of day, 0–23. */
  hourOfDay: number;
  /** Local day of week, ISO numbering from 0 = Monday to 6 = Sunday. */
  dayOfWeek: number;
  /** dayOfWeek × 24 + hourOfDay, 0–167. */
  hourOfWeek: number;
  /** Local time of day in fractional hours, [0, 24). */
  timeOfDay: number;
  /** Local calendar day number (days since 1970-01-01 in local time). */
  day: number;
}

/**
 * Calendar position of an instant in local time. For a bucket, pass its start and `bucketMinutes`: the
 * position is then that of the bucket's centre (so a 60-minute bucket starting 13:00 has timeOfDay 13.5).
 */
export function seasonPosition(epochMs: number, bucketMinutes = 0, offset?: OffsetFn): SeasonPosition {
  const centre = epochMs + (bucketMinutes * MINUTE_MS) / 2;
  const local = centre + (offset ? offset(epochMs) : 0) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const msOfDay = local - day * DAY_MS;
  const timeOfDay = msOfDay / HOUR_MS;
  const hourOfDay = Math.min(23, Math.floor(timeOfDay));
  // 1970-01-01 was a Thursday (ISO day 3).
  const dayOfWeek = (((day + 3) % 7) + 7) % 7;
  return { hourOfDay, dayOfWeek, hourOfWeek: dayOfWeek * 24 + hourOfDay, timeOfDay, day };
}

// ---------------------------------------------------------------------------------------------------------
// Robust location and scale

/** Consistency constant: 1.4826 × MAD estimates σ for normal data. */
export const MAD_TO_SIGMA = 1.482602218505602;

/** k-th smallest (0-based) of `xs`, reordering `xs` in place (Hoare's quickselect, expected O(n)). */
export function selectInPlace(xs: number[] | Float64Array, k: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi > lo) {
    // Median-of-three pivot keeps sorted and reverse-sorted inputs linear.
    const mid = (lo + hi) >> 1;
    const a = xs[lo] as number;
    const b = xs[mid] as number;
    const c = xs[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((xs[i] as number) < pivot) i++;
      while ((xs[j] as number) > pivot) j--;
      if (i <= j) {
        const t = xs[i] as number;
        xs[i] = xs[j] as number;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return xs[k] as number;
  }
  return xs[k] as number;
}

/** Median of the finite values (NaN when there are none). Does not modify its input. */
export function median(values: ArrayLike<number>): number {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) xs.push(v);
  }
  return medianInPlace(xs);
}

/** Median of `xs` (all finite), reordering `xs`. */
export function medianInPlace(xs: number[]): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const upper = selectInPlace(xs, n >> 1);
  if (n % 2 === 1) return upper;
  // The lower middle is the largest value left of the upper middle after selection.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) if ((xs[i] as number) > lower) lower = xs[i] as number;
  return (lower + upper) / 2;
}

export interface MedianMad {
  median: number;
  /** Median absolute deviation from the median (raw, not scaled). */
  mad: number;
  /** A σ-consistent robust scale: 1.4826 × MAD, or, when MAD is 0 (more than half the values tie),
   *  1.2533 × the mean absolute deviation; 0 only for a constant sample. */
  scale: number;
  n: number;
}

/** Median, MAD and a robust scale of the finite values. */
export function medianMad(values: ArrayLike<number>): MedianMad {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) xs.push(v);
  }
  const n = xs.length;
  if (n === 0) return { median: Number.NaN, mad: Number.NaN, scale: Number.NaN, n: 0 };
  const m = medianInPlace(xs);
  let sumAbs = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs((xs[i] as number) - m);
    xs[i] = d;
    sumAbs += d;
  }
  const mad = medianInPlace(xs);
  // √(π/2) makes the mean absolute deviation σ-consistent for normal data.
  const scale = mad > 0 ? MAD_TO_SIGMA * mad : (1.2533141373155003 * sumAbs) / n;
  return { median: m, mad, scale, n };
}

// ---------------------------------------------------------------------------------------------------------
// Online EWMA

/** Smoothing weight α of an EWMA whose weights halve every `halfLife` observations. */
export function alphaFromHalfLife(halfLife: number): number {
  return 1 - Math.pow(0.5, 1 / halfLife);
}

/**
 * Exponentially weighted moving average, bias-corrected so that early values are plain weighted means of
 * what was seen (no pull towards an arbitrary start value): after x₁…x_t the value is
 * Σ (1−α)^{t−i} x_i / Σ (1−α)^{t−i}. Missing values (NaN) are skipped: they neither update nor decay it.
 */
export class Ewma {
  private sum = 0;
  private weight = 0;
  private count = 0;

  constructor(readonly alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`EWMA alpha must be in (0, 1], got ${alpha}`);
  }

  update(x: number): number {
    if (Number.isFinite(x)) {
      this.sum = (1 - this.alpha) * this.sum + this.alpha * x;
      this.weight = (1 - this.alpha) * this.weight + this.alpha;
      this.count++;
    }
    return this.value;
  }

  /** Current average, NaN before the first value. */
  get value(): number {
    return this.weight > 0 ? this.sum / this.weight : Number.NaN;
  }

  /** Number of values seen. */
  get n(): number {
    return this.count;
  }
}

/** EWMA of a whole series (NaN entries are skipped and carry the previous value). */
export function ewmaSeries(values: ArrayLike<number>, alpha: number): number[] {
  const e = new Ewma(alpha);
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) out.push(e.update(values[i] as number));
  return out;
}

/** True for a value that denotes a missing bucket (null, undefined, NaN, ±Infinity). */
export function isMissing(v: number | null | undefined): boolean {
  return v === null || v === undefined || !Number.isFinite(v);
}

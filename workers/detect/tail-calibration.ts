/**
 * Calibration of an uncalibrated anomaly score (larger = more anomalous) into a one-sided p-value, from
 * reference scores of ordinary data: the probability that an ordinary point scores at least as high.
 *
 * - Inside the reference: the empirical tail rank, p = (1 + #{reference ≥ s}) / (1 + n), the conformal
 *   p-value (valid when the new point is exchangeable with the reference: P(p ≤ α) ≤ α).
 * - Beyond the top k reference scores the empirical rank cannot go below 1/(n + 1), so the tail is
 *   extrapolated by peaks over threshold, as SPOT does for streaming scores (Siffer et al., KDD 2017):
 *   the excesses over the threshold u (the (k+1)-th largest score) are modelled as exponential with their
 *   mean β as scale, p = k/(n + 1) · e^{−(s − u)/β}. Scores bounded above (Isolation Forest's are ≤ 1) have
 *   a lighter tail than exponential, so this overstates p far out: it errs towards fewer alarms.
 */
import { clampP } from './calibrate';

/** Share of the reference used for the tail fit (at least MIN_TAIL points). */
const TAIL_SHARE = 0.02;
const MIN_TAIL = 10;
/** Smallest scale of the exponential tail, so that a reference of near-ties does not make every excess 0-probability. */
const MIN_TAIL_SCALE = 1e-3;

export class EmpiricalTail {
  private readonly sorted: Float64Array;
  private readonly threshold: number;
  private readonly tailSize: number;
  private readonly scale: number;

  constructor(reference: ArrayLike<number>) {
    if (reference.length === 0) throw new RangeError('tail calibration needs at least one reference score');
    this.sorted = Float64Array.from(reference).sort();
    const n = this.sorted.length;
    // Too small a reference for a tail fit: the empirical rank everywhere (threshold +∞).
    this.tailSize = n > MIN_TAIL ? Math.min(n - 1, Math.max(MIN_TAIL, Math.ceil(TAIL_SHARE * n))) : 0;
    this.threshold =
      this.tailSize > 0 ? (this.sorted[n - 1 - this.tailSize] as number) : Number.POSITIVE_INFINITY;
    let excess = 0;
    for (let i = n - this.tailSize; i < n; i++) excess += (this.sorted[i] as number) - this.threshold;
    this.scale = Math.max(MIN_TAIL_SCALE, this.tailSize > 0 ? excess / this.tailSize : 0);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Number of reference scores ≥ s. */
  private countAtLeast(s: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as number) < s) lo = mid + 1;
      else hi = mid;
    }
    return this.sorted.length - lo;
  }

  /** One-sided p-value of a score: the probability that an ordinary point scores ≥ s. */
  pValue(s: number): number {
    const n = this.sorted.length;
    if (s <= this.threshold) return (1 + this.countAtLeast(s)) / (1 + n);
    return clampP((this.tailSize / (n + 1)) * Math.exp(-(s - this.threshold) / this.scale));
  }
}

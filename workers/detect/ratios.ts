/**
 * Online detector for ratio metrics kept as numerator and denominator (checkout conversion = purchases /
 * checkout starts): binomial or beta-binomial evidence of a shift in the rate, accumulated by a two-sided
 * CUSUM, so a small cohort needs several buckets of evidence and a big one alarms in one bucket.
 *
 * Per bucket with k successes of n trials:
 * - baseline rate p₀ = Σw·k / Σw·n (exponential weights, memory `memory` buckets; a ratio is never averaged),
 *   and, for the beta-binomial model, the intra-class correlation ρ by moments,
 *   Σw((k − n p₀)² − n p₀ q₀) / Σw(n(n−1) p₀ q₀), clipped to [0, 0.5]. Both stop learning while the CUSUM is
 *   in alarm, and after `relearnAfter` consecutive alarm buckets the rate seen during the alarm becomes the
 *   new baseline (the analyst has had the alarm; a permanent change must not alarm forever).
 * - design shifts: p₁ = p₀ ± δ·min(p₀, 1 − p₀) (δ = `shift`, default 0.25: a 25 % relative change of the
 *   rarer outcome, so 0.30 → 0.225 / 0.375 and 0.95 → 0.9375 / 0.9625), and a second chart per direction with
 *   δ = `largeShift` (default 0.6). A CUSUM gathers evidence fastest for the shift it is designed for: a
 *   payment step that fails half the checkouts of a cohort with 20 checkouts an hour takes the 25 % chart
 *   about twice as long as the 60 % one, while the 25 % chart still catches the moderate shifts.
 * - LLR_t = ln P(k | n, p₁, ρ) − ln P(k | n, p₀, ρ) for each chart, S_t = min(cap, max(0, S_{t−1} + LLR_t)).
 *   The cap (2h) bounds how long an alarm outlives the shift that caused it.
 * - Under the null P(S_t ≥ s) ≤ e^{−s} in every bucket (Ville's inequality, calibrate.ts), so with c charts
 *   per direction (Bonferroni) p = min(1, c·e^{−max S}) is a valid one-sided p-value, and the alarm threshold
 *   is h = ln(2c/α): each direction alarms in at most α/2 of the buckets, whatever n is. `cusumUp` and
 *   `cusumDown` report the larger chart of each direction, so the alarm is exactly cusum ≥ `threshold`.
 * - score = 1 − min(1, 2p) for the stronger direction (so score ≥ 1 − α exactly when S ≥ h).
 * - pValue / bucketPValue: the single-bucket binomial (beta-binomial) tail of k under p₀.
 *
 * Warm-up: no score until `warmupBuckets` buckets and enough trials that the baseline rate is known to within
 * a quarter of the design shift (Σn ≥ 16 (1 − m) / (m δ²) × design effect, m = min(p₀, 1 − p₀)).
 * Missing buckets (null/NaN) and buckets without trials return null and change nothing.
 */
import { clampP, falseAlarmRate, scoreFromPValue } from './calibrate';
import {
  betaBinomCdf,
  betaBinomLogPmf,
  betaBinomShape,
  betaBinomSf,
  binomCdf,
  binomSf,
} from './distributions';
import { isMissing } from './series';
import { ShiftCharts } from './shift-charts';
import type { BucketScore, OnlineDetector, RatioObservation, Sensitivity } from './types';

export type RatioModel = 'binomial' | 'beta-binomial';

export interface RatioDetectorOptions {
  sensitivity?: Sensitivity;
  /** 'beta-binomial' (default) estimates overdispersion online; 'binomial' assumes none. */
  model?: RatioModel;
  /** Design shift δ, relative to the rarer outcome (default 0.25). */
  shift?: number;
  /** Design shift of the second chart per direction, for large shifts (default 0.6; 0 disables it). */
  largeShift?: number;
  /** Memory of the baseline rate and overdispersion, in buckets (default 500). */
  memory?: number;
  /** Minimum observed buckets before the first score (default 10). */
  warmupBuckets?: number;
  /** Consecutive alarm buckets after which the rate seen during the alarm becomes the baseline (default 288). */
  relearnAfter?: number;
  /** The CUSUM statistic is capped at capFactor × h (default 2). */
  capFactor?: number;
}

export interface RatioScore extends BucketScore {
  successes: number;
  trials: number;
  /** k / n of this bucket. */
  observedRate: number;
  /** Single-bucket p-value (same as pValue). */
  bucketPValue: number;
  /** CUSUM statistics (log-likelihood ratio units, the larger chart per direction) and the alarm threshold. */
  cusumUp: number;
  cusumDown: number;
  threshold: number;
  /** Estimated intra-class correlation (0 for the binomial model). */
  rho: number;
}

/** Below this ρ the beta-binomial is evaluated as a binomial (they agree to ~1e-7). */
const RHO_BINOMIAL = 1e-7;

/** Kullback–Leibler divergence of Bernoulli(p) from Bernoulli(q). */
export function bernoulliKl(p: number, q: number): number {
  const a = p > 0 ? p * Math.log(p / q) : 0;
  const b = p < 1 ? (1 - p) * Math.log((1 - p) / (1 - q)) : 0;
  return a + b;
}

/** ln P(k | n, p, ρ) up to a term that does not depend on p (the binomial coefficient is dropped). */
function logLik(k: number, n: number, p: number, rho: number): number {
  if (rho < RHO_BINOMIAL) return k * Math.log(p) + (n - k) * Math.log1p(-p);
  const { alpha, beta } = betaBinomShape(p, rho);
  return betaBinomLogPmf(k, n, alpha, beta);
}

/** Per-bucket log-likelihood ratio of rate p1 against p0. */
export function ratioLlr(k: number, n: number, p0: number, p1: number, rho = 0): number {
  if (rho < RHO_BINOMIAL) return k * Math.log(p1 / p0) + (n - k) * Math.log((1 - p1) / (1 - p0));
  return logLik(k, n, p1, rho) - logLik(k, n, p0, rho);
}

/** P(X ≤ k) and P(X ≥ k) under Binomial(n, p) or BetaBinomial(n, p, ρ). */
export function ratioTails(k: number, n: number, p: number, rho = 0): { low: number; high: number } {
  if (rho < RHO_BINOMIAL) return { low: binomCdf(k, n, p), high: binomSf(k, n, p) };
  const { alpha, beta } = betaBinomShape(p, rho);
  return { low: betaBinomCdf(k, n, alpha, beta), high: betaBinomSf(k, n, alpha, beta) };
}

/** The rates k/n whose counts keep both single-bucket tails ≥ α/2. */
function rateInterval(n: number, p: number, rho: number, alpha: number): { lower: number; upper: number } {
  const q = alpha / 2;
  let lo = 0;
  let hi = n;
  // lower = smallest k with P(X ≤ k) ≥ q
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ratioTails(mid, n, p, rho).low >= q) hi = mid;
    else lo = mid + 1;
  }
  const lower = lo;
  // upper = largest k with P(X ≥ k) ≥ q
  lo = 0;
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ratioTails(mid, n, p, rho).high >= q) lo = mid;
    else hi = mid - 1;
  }
  return { lower: lower / n, upper: lo / n };
}

export class RatioDetector implements OnlineDetector<RatioObservation, RatioScore> {
  private readonly sensitivity: Sensitivity;
  private readonly model: RatioModel;
  private readonly shift: number;
  private readonly largeShift: number;
  private readonly decay: number;
  private readonly warmup: number;
  private readonly relearnAfter: number;
  private readonly capFactor: number;

  private index = 0;
  private observed = 0;
  // Baseline sums.
  private sumK = 0;
  private sumN = 0;
  private sumWeight = 0;
  private dispA = 0;
  private dispB = 0;
  // CUSUM state.
  private readonly charts: ShiftCharts;
  private alarmRun = 0;
  private runK = 0;
  private runN = 0;

  constructor(options: RatioDetectorOptions = {}) {
    this.sensitivity = options.sensitivity ?? 'medium';
    this.model = options.model ?? 'beta-binomial';
    this.shift = options.shift ?? 0.25;
    if (!(this.shift > 0 && this.shift < 1))
      throw new RangeError(`shift must be in (0, 1), got ${this.shift}`);
    this.largeShift = options.largeShift ?? 0.6;
    if (!(this.largeShift >= 0 && this.largeShift < 1))
      throw new RangeError(`largeShift must be in [0, 1), got ${this.largeShift}`);
    this.decay = 1 - 1 / (options.memory ?? 500);
    this.warmup = options.warmupBuckets ?? 10;
    this.relearnAfter = options.relearnAfter ?? 288;
    this.capFactor = options.capFactor ?? 2;
    this.charts = new ShiftCharts(this.shift, this.largeShift, this.capFactor);
  }

  /** Current baseline rate (with half a pseudo-success in one pseudo-trial, so never exactly 0 or 1). */
  get baselineRate(): number {
    return (this.sumK + 0.5) / (this.sumN + 1);
  }

  /** Current intra-class correlation estimate. */
  get rho(): number {
    if (this.model === 'binomial' || !(this.dispB > 0)) return 0;
    return Math.min(0.5, Math.max(0, this.dispA / this.dispB));
  }

  push(observation: RatioObservation): RatioScore | null {
    const index = this.index++;
    const { successes, trials } = observation;
    if (isMissing(successes) || isMissing(trials)) return null;
    const k = Math.round(successes as number);
    const n = Math.round(trials as number);
    if (n <= 0 || k < 0 || k > n) return null;

    const p0 = this.baselineRate;
    const rho = this.rho;
    const nBar = this.sumWeight > 0 ? this.sumN / this.sumWeight : n;
    const m = Math.min(p0, 1 - p0);
    const designEffect = 1 + Math.max(0, nBar - 1) * rho;
    const neededTrials = ((16 * (1 - m)) / (m * this.shift * this.shift)) * designEffect;
    const ready = this.observed >= this.warmup && this.sumN >= neededTrials;

    let result: RatioScore | null = null;
    let inAlarm = false;
    if (ready) {
      const shift = this.charts.step(
        index,
        (delta) => ratioLlr(k, n, p0, p0 + delta * m, rho),
        this.sensitivity,
      );
      inAlarm = shift.alarm;
      const cusumP = shift.evidencePValue;

      const tails = ratioTails(k, n, p0, rho);
      const bucketP = clampP(Math.min(tails.low, tails.high));
      const { lower, upper } = rateInterval(n, p0, rho, falseAlarmRate(this.sensitivity));
      result = {
        index,
        expected: p0,
        lower,
        upper,
        pValue: bucketP,
        evidencePValue: cusumP,
        score: scoreFromPValue(cusumP),
        direction: shift.direction,
        alarm: inAlarm,
        baseline: 'level',
        successes: k,
        trials: n,
        observedRate: k / n,
        bucketPValue: bucketP,
        cusumUp: shift.up,
        cusumDown: shift.down,
        onset: shift.onset >= 0 ? shift.onset : index,
        peak: shift.peak >= 0 ? shift.peak : index,
        threshold: shift.threshold,
        rho,
      };
    }

    // Learn (the baseline is frozen while in alarm).
    if (inAlarm) {
      this.alarmRun++;
      this.runK += k;
      this.runN += n;
      if (this.alarmRun >= this.relearnAfter) {
        // A change that has lasted this long is the new normal.
        this.sumK = this.runK;
        this.sumN = this.runN;
        this.sumWeight = this.alarmRun;
        this.charts.reset();
        this.alarmRun = 0;
        this.runK = 0;
        this.runN = 0;
      }
    } else {
      this.alarmRun = 0;
      this.runK = 0;
      this.runN = 0;
      this.sumK = this.decay * this.sumK + k;
      this.sumN = this.decay * this.sumN + n;
      this.sumWeight = this.decay * this.sumWeight + 1;
      if (this.model === 'beta-binomial') {
        const pq = p0 * (1 - p0);
        const r = k - n * p0;
        this.dispA = this.decay * this.dispA + (r * r - n * pq);
        this.dispB = this.decay * this.dispB + n * (n - 1) * pq;
      }
    }
    this.observed++;
    return result;
  }

  scoreSeries(observations: readonly RatioObservation[]): (RatioScore | null)[] {
    return observations.map((o) => this.push(o));
  }
}

export function createRatioDetector(options: RatioDetectorOptions = {}): RatioDetector {
  return new RatioDetector(options);
}

/** Scores a whole ratio series with a fresh detector. */
export function scoreRatioSeries(
  observations: readonly RatioObservation[],
  options: RatioDetectorOptions = {},
): (RatioScore | null)[] {
  return new RatioDetector(options).scoreSeries(observations);
}

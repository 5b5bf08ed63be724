/**
 * Online detectors for generic values (latency, social engagement, e-mail metrics):
 *
 * - RobustSeasonalBaseline: median and MAD of the values at the same time of day (± `halfWidthMinutes`,
 *   default a one-hour window centred on the bucket) over the trailing `windowDays` days; falls back to the
 *   median/MAD of the last `trailingBuckets` values (`baseline: 'level'`) until at least `minSeasonalDays`
 *   days contribute. Median and MAD are insensitive to the anomalies they are meant to expose.
 * - robust z-score: z = (x − median) / scale, scale = 1.4826·MAD·√(1 + π/(2n)) (the median's own noise),
 *   p-value from Student's t with ν = 0.37·n degrees of freedom (the MAD has the variance of a standard
 *   deviation from 37 % as many values), so a baseline of 14 values is not trusted like one of 800.
 * - EWMA chart of the standardised residuals (clipped at ±4 so one spike cannot carry it; rescaled by an
 *   online estimate of their RMS): e_t = λr_t + (1 − λ)e_{t−1}, p-value from
 *   N(0, v·λ/(2 − λ)·(1 − (1−λ)^{2t})), v = the residuals' long-run variance (LongRunVariance).
 * - CUSUM changepoint chart on the same residuals, reference k (default 0.5: tuned to a 1σ shift),
 *   S⁺ = max(0, S⁺ + r − k), S⁻ = max(0, S⁻ − r − k), one-sided p-value e^{−2kS/v} (calibrate.ts), capped
 *   at twice the threshold so an alarm ends soon after the shift does.
 *
 * Each is online (bucket t is scored from buckets before it), skips missing values without learning from
 * them, and reports the same band: median ± t-quantile × scale at the sensitivity.
 */
import {
  alarmFromPValue,
  clampP,
  cusumThreshold,
  falseAlarmRate,
  scoreFromPValue,
  standardCusumPValue,
} from './calibrate';
import { normalSf, studentTQuantile, studentTSf } from './distributions';
import type { OffsetFn } from './series';
import { DAY_MS, MINUTE_MS, isMissing, medianMad } from './series';
import type {
  BaselineKind,
  BucketScore,
  Direction,
  OnlineDetector,
  Sensitivity,
  ValueObservation,
} from './types';

export interface BaselineOptions {
  /** Bucket size in minutes. */
  bucketMinutes: number;
  /** Local-time offset in minutes at an instant (DST-aware); UTC when omitted. */
  offset?: OffsetFn;
  /** Days of history for the seasonal median (default 14). */
  windowDays?: number;
  /** Half-width of the time-of-day window, minutes (default 30). */
  halfWidthMinutes?: number;
  /** Distinct earlier days needed for the seasonal baseline (default 3). */
  minSeasonalDays?: number;
  /** Values needed for the seasonal baseline (default 5). */
  minSeasonalValues?: number;
  /** Values of the trailing fallback (default 48). */
  trailingBuckets?: number;
  /** Values needed before any score (default 12). */
  minTrailing?: number;
}

export interface BaselinePrediction {
  center: number;
  /** σ-consistent robust scale, inflated for the median's noise; > 0. */
  scale: number;
  /** Degrees of freedom of the t-distribution of (x − center) / scale. */
  df: number;
  n: number;
  baseline: BaselineKind;
}

/** Median/MAD baseline over the same time of day, falling back to the trailing values. */
export class RobustSeasonalBaseline {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private head = 0;
  private readonly windowDays: number;
  private readonly halfWidth: number;
  private readonly minDays: number;
  private readonly minValues: number;
  private readonly trailing: number;
  private readonly minTrailing: number;
  private readonly offset: OffsetFn | undefined;

  constructor(options: BaselineOptions) {
    this.windowDays = options.windowDays ?? 14;
    this.halfWidth = (options.halfWidthMinutes ?? 30) * MINUTE_MS;
    this.minDays = options.minSeasonalDays ?? 3;
    this.minValues = options.minSeasonalValues ?? 5;
    this.trailing = options.trailingBuckets ?? 48;
    this.minTrailing = options.minTrailing ?? 12;
    this.offset = options.offset;
  }

  private get size(): number {
    return this.times.length - this.head;
  }

  /** First index ≥ head whose time is ≥ t. */
  private lowerBound(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The baseline for a bucket at `time`, from the values added so far; null while too little is known. */
  predict(time: number): BaselinePrediction | null {
    const sample: number[] = [];
    let days = 0;
    const localNow = this.offset ? this.offset(time) : 0;
    for (let d = 1; d <= this.windowDays; d++) {
      let centre = time - d * DAY_MS;
      // Same local time of day across a DST change.
      if (this.offset) centre += (localNow - this.offset(centre)) * MINUTE_MS;
      const from = this.lowerBound(centre - this.halfWidth);
      const to = this.lowerBound(centre + this.halfWidth);
      if (to > from) days++;
      for (let i = from; i < to; i++) sample.push(this.values[i] as number);
    }
    let baseline: BaselineKind = 'seasonal';
    if (days < this.minDays || sample.length < this.minValues) {
      baseline = 'level';
      sample.length = 0;
      const n = Math.min(this.trailing, this.size);
      if (n < this.minTrailing) return null;
      for (let i = this.times.length - n; i < this.times.length; i++) sample.push(this.values[i] as number);
    }
    const { median, scale, n } = medianMad(sample);
    const floor = 1e-9 * Math.max(1, Math.abs(median));
    return {
      center: median,
      scale: Math.max(scale, floor) * Math.sqrt(1 + Math.PI / (2 * n)),
      df: Math.max(1, 0.37 * n),
      n,
      baseline,
    };
  }

  add(time: number, value: number): void {
    this.times.push(time);
    this.values.push(value);
    // Keep the seasonal window and at least the trailing values.
    const cutoff = time - this.windowDays * DAY_MS - this.halfWidth - DAY_MS;
    while (this.size > this.trailing && (this.times[this.head] as number) < cutoff) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.values.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Per-direction one-sided p-values of one detector for one bucket. */
export interface DirectionalP {
  up: number;
  down: number;
}

/** Robust z-score test of a value against a baseline prediction. */
export function robustZ(value: number, pred: BaselinePrediction): DirectionalP & { z: number } {
  const z = (value - pred.center) / pred.scale;
  return { z, up: clampP(studentTSf(z, pred.df)), down: clampP(studentTSf(-z, pred.df)) };
}

/** Online RMS of standardised residuals, used to rescale them to unit variance before EWMA / CUSUM. */
export class ResidualScaler {
  private sumSq: number;
  private weight: number;
  constructor(
    private readonly clip = 4,
    private readonly decay = 1 - 1 / 500,
    priorWeight = 50,
  ) {
    // Prior: unit variance, worth `priorWeight` residuals.
    this.sumSq = priorWeight;
    this.weight = priorWeight;
  }
  /** The clipped, rescaled residual of z (uses the state before z), then learns from z. */
  next(z: number): number {
    const c = Math.max(-this.clip, Math.min(this.clip, z));
    const rms = Math.sqrt(this.sumSq / this.weight);
    this.sumSq = this.decay * this.sumSq + c * c;
    this.weight = this.decay * this.weight + 1;
    return c / rms;
  }
}

/**
 * Long-run variance of unit-variance residuals by batch means: the variance of the mean of `block`
 * consecutive residuals, times `block`. It is 1 for independent residuals and larger when they are
 * positively autocorrelated, which they are even for white noise because neighbouring buckets share most of
 * their seasonal median sample (and real metrics are autocorrelated on top). EWMA and CUSUM charts that
 * assume independence would alarm several times too often; they divide by this instead. Blocks are
 * winsorised at 3 sd and not learnt while a chart is in alarm. Prior: 1, worth `priorBlocks` blocks.
 */
export class LongRunVariance {
  private sum = 0;
  private count = 0;
  private sumV: number;
  private weight: number;
  constructor(
    readonly block: number,
    private readonly decay = 0.99,
    priorBlocks = 10,
  ) {
    this.sumV = priorBlocks;
    this.weight = priorBlocks;
  }
  get value(): number {
    return Math.max(1, this.sumV / this.weight);
  }
  add(r: number, learn: boolean): void {
    this.sum += r;
    this.count++;
    if (this.count < this.block) return;
    const v = (this.sum * this.sum) / this.block;
    this.sum = 0;
    this.count = 0;
    if (!learn) return;
    this.sumV = this.decay * this.sumV + Math.min(v, 9 * this.value);
    this.weight = this.decay * this.weight + 1;
  }
}

/** Block length for the long-run variance: twice the number of buckets that share a seasonal sample. */
export function longRunBlock(options: BaselineOptions): number {
  const shared = (2 * (options.halfWidthMinutes ?? 30)) / options.bucketMinutes;
  return Math.max(8, Math.ceil(2 * shared));
}

/** EWMA control chart on unit-variance residuals (variance inflated by the long-run variance v). */
export class EwmaChart {
  private e = 0;
  private t = 0;
  constructor(readonly lambda = 0.2) {}
  next(r: number, longRunVariance = 1): DirectionalP & { statistic: number } {
    this.e = this.lambda * r + (1 - this.lambda) * this.e;
    this.t++;
    const v =
      (this.lambda / (2 - this.lambda)) * (1 - Math.pow(1 - this.lambda, 2 * this.t)) * longRunVariance;
    const z = this.e / Math.sqrt(v);
    return { statistic: this.e, up: clampP(normalSf(z)), down: clampP(normalSf(-z)) };
  }
}

/**
 * Two-sided CUSUM on unit-variance residuals with reference k. With long-run variance v the LLR of a 2k
 * shift is 2k(r − k)/v, so the one-sided p-value is e^{−2kS/v} and the threshold h = v·ln(2/α)/(2k);
 * the statistics are capped at capFactor × h.
 */
export class CusumChart {
  private up = 0;
  private down = 0;
  constructor(
    private readonly sensitivity: Sensitivity,
    readonly k = 0.5,
    private readonly capFactor = 2,
  ) {}
  /** Threshold of the standardised statistics: v·ln(2/α) / 2k. */
  static threshold(sensitivity: Sensitivity, k = 0.5, longRunVariance = 1): number {
    return (longRunVariance * cusumThreshold(sensitivity)) / (2 * k);
  }
  next(
    r: number,
    longRunVariance = 1,
  ): DirectionalP & { cusumUp: number; cusumDown: number; threshold: number } {
    const h = CusumChart.threshold(this.sensitivity, this.k, longRunVariance);
    const cap = this.capFactor * h;
    this.up = Math.min(cap, Math.max(0, this.up + r - this.k));
    this.down = Math.min(cap, Math.max(0, this.down - r - this.k));
    return {
      cusumUp: this.up,
      cusumDown: this.down,
      threshold: h,
      up: standardCusumPValue(this.up / longRunVariance, this.k),
      down: standardCusumPValue(this.down / longRunVariance, this.k),
    };
  }
}

export interface GenericDetectorOptions extends BaselineOptions {
  sensitivity?: Sensitivity;
  /** EWMA weight λ (default 0.2). */
  lambda?: number;
  /** CUSUM reference k in σ (default 0.5). */
  k?: number;
}

export type GenericMethod = 'robust-z' | 'ewma' | 'cusum';

export interface GenericScore extends BucketScore {
  observed: number;
  /** Robust z of the value. */
  z: number;
  method: GenericMethod;
}

/** Builds the common fields of a generic score from directional p-values. */
export function genericScore(
  index: number,
  value: number,
  pred: BaselinePrediction,
  p: DirectionalP,
  sensitivity: Sensitivity,
): BucketScore & { observed: number; z: number } {
  const direction: Direction = p.up < p.down ? 'up' : 'down';
  const pValue = clampP(Math.min(p.up, p.down));
  const q = studentTQuantile(1 - falseAlarmRate(sensitivity) / 2, pred.df);
  return {
    index,
    expected: pred.center,
    lower: pred.center - q * pred.scale,
    upper: pred.center + q * pred.scale,
    pValue,
    evidencePValue: pValue,
    score: scoreFromPValue(pValue),
    direction,
    alarm: alarmFromPValue(pValue, sensitivity),
    baseline: pred.baseline,
    observed: value,
    z: (value - pred.center) / pred.scale,
  };
}

/** One of the three generic detectors (robust z, EWMA, CUSUM) over its own robust seasonal baseline. */
export class GenericDetector implements OnlineDetector<ValueObservation, GenericScore> {
  private readonly sensitivity: Sensitivity;
  private readonly baseline: RobustSeasonalBaseline;
  private readonly scaler = new ResidualScaler();
  private readonly longRun: LongRunVariance;
  private readonly ewma: EwmaChart;
  private readonly cusum: CusumChart;
  private index = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(
    readonly method: GenericMethod,
    options: GenericDetectorOptions,
  ) {
    this.sensitivity = options.sensitivity ?? 'medium';
    this.baseline = new RobustSeasonalBaseline(options);
    this.longRun = new LongRunVariance(longRunBlock(options));
    this.ewma = new EwmaChart(options.lambda ?? 0.2);
    this.cusum = new CusumChart(this.sensitivity, options.k ?? 0.5);
  }

  push(observation: ValueObservation): GenericScore | null {
    const index = this.index++;
    const { time, value } = observation;
    if (isMissing(value) || !Number.isFinite(time)) return null;
    if (time <= this.lastTime)
      throw new RangeError(`buckets must arrive in time order (${time} after ${this.lastTime})`);
    this.lastTime = time;
    const x = value as number;
    const pred = this.baseline.predict(time);
    this.baseline.add(time, x);
    if (pred === null) return null;
    const zTest = robustZ(x, pred);
    let p: DirectionalP = zTest;
    // Drift charts need an unbiased baseline: a trailing median lags any daily pattern, and its residuals
    // would accumulate into false shifts. They run on the seasonal baseline only.
    if (this.method !== 'robust-z' && pred.baseline !== 'seasonal') return null;
    if (this.method !== 'robust-z') {
      const r = this.scaler.next(zTest.z);
      const v = this.longRun.value;
      p = this.method === 'ewma' ? this.ewma.next(r, v) : this.cusum.next(r, v);
      this.longRun.add(r, !alarmFromPValue(Math.min(p.up, p.down), this.sensitivity));
    }
    return { ...genericScore(index, x, pred, p, this.sensitivity), method: this.method };
  }

  scoreSeries(observations: readonly ValueObservation[]): (GenericScore | null)[] {
    return observations.map((o) => this.push(o));
  }
}

export function createRobustZDetector(options: GenericDetectorOptions): GenericDetector {
  return new GenericDetector('robust-z', options);
}

export function createEwmaDetector(options: GenericDetectorOptions): GenericDetector {
  return new GenericDetector('ewma', options);
}

export function createCusumDetector(options: GenericDetectorOptions): GenericDetector {
  return new GenericDetector('cusum', options);
}

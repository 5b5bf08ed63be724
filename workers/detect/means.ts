import { clampP, falseAlarmRate, scoreFromPValue } from './calibrate';
import { normalQuantile, normalSf } from './distributions';
import { isMissing } from './series';
import { ShiftCharts } from './shift-charts';
import type { BucketScore, OnlineDetector, Sensitivity } from './types';

/** One bucket of a mean of positive values kept as a sum and a count of observations (latency over checkouts). */
export interface MeanObservation {
  time?: number;
  sum: number | null;
  count: number | null;
}

export interface MeanDetectorOptions {
  sensitivity?: Sensitivity;
  /** Design shift of the first chart per direction, in standard deviations of one log observation (default 0.5). */
  shift?: number;
  /** Design shift of the second chart per direction (default 2; 0 disables it). */
  largeShift?: number;
  /** Memory of the baseline mean and spread, in buckets (default 500). */
  memory?: number;
  /** Observations to learn from before the first score (default 50), over at least 10 buckets. */
  warmupObservations?: number;
  /**
   * A bucket's standardised mean is clipped to ± this (default 4.5), so that one extreme bucket cannot alarm by
   * itself at medium sensitivity (the large chart gains at most 2·4.5 − 2 = 7 nats from one observation).
   */
  clip?: number;
  /** Consecutive alarm buckets after which the mean seen during the alarm becomes the baseline (default 288). */
  relearnAfter?: number;
  /** The CUSUM statistic is capped at capFactor × h (default 2). */
  capFactor?: number;
}

export interface MeanScore extends BucketScore {
  /** The bucket's mean and how many observations it holds. */
  mean: number;
  count: number;
  /** The log of the bucket mean in standard errors from the baseline's, clipped (see MeanDetectorOptions.clip). */
  z: number;
  /** Standard deviation of the log of one observation, as learnt. */
  spread: number;
}

const WARMUP_BUCKETS = 10;

/**
 * A mean of positive values over a varying number of observations per bucket (checkout latency: a few
 * checkouts in a quiet bucket, dozens in a busy one). Latencies are right-skewed (log-normal, roughly): on
 * their own scale one slow checkout in a quiet bucket looks like a shift far more often than a Gaussian
 * model allows, so the detector works on the log of each bucket's mean. In standard errors σ/√n from the
 * baseline (σ of one log observation), it feeds Gaussian log-likelihood-ratio CUSUMs for a shift of δσ per
 * observation (δ√n·z − nδ²/2), one pair for a small and one for a large shift, as the ratio detector does;
 * P(S ≥ s) ≤ e^{−s} per chart gives the evidence's p-value. The baseline and σ (from n·(log mean −
 * baseline)² per bucket, which estimates σ² for independent observations) are exponentially weighted, and
 * frozen while in alarm. Where the count detector needs several buckets of a sparse count to see a problem,
 * two checkouts at three times their usual latency are already evidence: a broken payment sheet shows in
 * its latency within minutes.
 */
export class MeanDetector implements OnlineDetector<MeanObservation, MeanScore> {
  private readonly sensitivity: Sensitivity;
  private readonly shift: number;
  private readonly largeShift: number;
  private readonly decay: number;
  private readonly warmup: number;
  private readonly clip: number;
  private readonly relearnAfter: number;
  private readonly capFactor: number;
  private index = 0;
  /** Decayed Σ sum and Σ n (the arithmetic baseline, reported as `expected`) and Σ n·log(mean). */
  private sumX = 0;
  private sumN = 0;
  private sumLog = 0;
  private sumSquares = 0;
  private buckets = 0;
  private readonly charts: ShiftCharts;
  private alarmRun = 0;
  private runX = 0;
  private runN = 0;
  private runLog = 0;

  constructor(options: MeanDetectorOptions = {}) {
    this.sensitivity = options.sensitivity ?? 'medium';
    this.shift = options.shift ?? 0.5;
    if (!(this.shift > 0)) throw new RangeError(`shift must be positive, got ${this.shift}`);
    this.largeShift = options.largeShift ?? 2;
    if (!(this.largeShift >= 0)) throw new RangeError(`largeShift must be ≥ 0, got ${this.largeShift}`);
    this.decay = 1 - 1 / (options.memory ?? 500);
    this.warmup = options.warmupObservations ?? 50;
    this.clip = options.clip ?? 4.5;
    this.relearnAfter = options.relearnAfter ?? 288;
    this.capFactor = options.capFactor ?? 2;
    this.charts = new ShiftCharts(this.shift, this.largeShift, this.capFactor);
  }

  /** The baseline mean (NaN before any observation). */
  get baselineMean(): number {
    return this.sumN > 0 ? this.sumX / this.sumN : Number.NaN;
  }

  /** The baseline of the log of one observation (NaN before any observation). */
  get logMean(): number {
    return this.sumN > 0 ? this.sumLog / this.sumN : Number.NaN;
  }

  /** The standard deviation of the log of one observation as learnt (NaN before two buckets). */
  get spread(): number {
    return this.buckets > 1 ? Math.sqrt(this.sumSquares / this.buckets) : Number.NaN;
  }

  push(observation: MeanObservation): MeanScore | null {
    const index = this.index++;
    const { sum, count } = observation;
    if (isMissing(sum) || isMissing(count) || !((count as number) > 0) || !((sum as number) > 0)) return null;
    const n = count as number;
    const mean = (sum as number) / n;
    const logMean = Math.log(mean);
    const mu = this.baselineMean;
    const m = this.logMean;
    const sigma = this.spread;
    const ready = this.sumN >= this.warmup && this.buckets >= WARMUP_BUCKETS && sigma > 0;

    let result: MeanScore | null = null;
    let inAlarm = false;
    if (ready) {
      const rootN = Math.sqrt(n);
      const z = Math.max(-this.clip, Math.min(this.clip, ((logMean - m) * rootN) / sigma));
      const shift = this.charts.step(
        index,
        (delta) => delta * rootN * z - (n * delta * delta) / 2,
        this.sensitivity,
      );
      inAlarm = shift.alarm;
      const evidence = shift.evidencePValue;
      const bucketP = clampP(normalSf(Math.abs(z)));
      const halfWidth = (normalQuantile(1 - falseAlarmRate(this.sensitivity)) * sigma) / rootN;
      result = {
        index,
        expected: mu,
        lower: mu * Math.exp(-halfWidth),
        upper: mu * Math.exp(halfWidth),
        pValue: bucketP,
        evidencePValue: evidence,
        score: scoreFromPValue(evidence),
        direction: shift.direction,
        alarm: inAlarm,
        baseline: 'level',
        onset: shift.onset >= 0 ? shift.onset : index,
        peak: shift.peak >= 0 ? shift.peak : index,
        mean,
        count: n,
        z,
        spread: sigma,
      };
    }

    if (inAlarm) {
      this.alarmRun++;
      this.runX += sum as number;
      this.runN += n;
      this.runLog += n * logMean;
      if (this.alarmRun >= this.relearnAfter) {
        // A change that has lasted this long is the new normal (the spread is kept).
        this.sumX = this.runX;
        this.sumN = this.runN;
        this.sumLog = this.runLog;
        this.charts.reset();
        this.alarmRun = 0;
        this.runX = 0;
        this.runN = 0;
        this.runLog = 0;
      }
    } else {
      this.alarmRun = 0;
      this.runX = 0;
      this.runN = 0;
      this.runLog = 0;
      // Squares against the baseline learnt so far (the first bucket has none to stand against).
      if (this.sumN > 0) {
        this.sumSquares = this.decay * this.sumSquares + n * (logMean - m) ** 2;
        this.buckets = this.decay * this.buckets + 1;
      }
      this.sumX = this.decay * this.sumX + (sum as number);
      this.sumN = this.decay * this.sumN + n;
      this.sumLog = this.decay * this.sumLog + n * logMean;
    }
    return result;
  }

  scoreSeries(observations: readonly MeanObservation[]): (MeanScore | null)[] {
    return observations.map((o) => this.push(o));
  }
}

export function createMeanDetector(options: MeanDetectorOptions = {}): MeanDetector {
  return new MeanDetector(options);
}

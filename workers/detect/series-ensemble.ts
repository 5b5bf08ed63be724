/**
 * The generic ensemble of combine.ts (robust seasonal z, EWMA, CUSUM, S-H-ESD, combined per direction by
 * ACAT) for long plain series: the same components, in the same order, with the same combination, so every
 * bucket gets the same p-value, direction and baseline as GenericEnsemble (a unit test compares them
 * bucket by bucket). Two things differ, both for speed:
 *
 * - S-H-ESD is StreamingShesd (sorted windows kept up to date) instead of ShesdDetector (a selection over
 *   the window per bucket), which is most of GenericEnsemble's time on long series;
 * - no band (expected ± the t-quantile × scale) is computed: score-series writes the score only, and the
 *   t-quantile costs more than all the p-values together.
 */
import { alarmFromPValue, clampP } from './calibrate';
import type { EnsembleComponent, EnsembleOptions } from './combine';
import { cauchyCombine } from './combine';
import type { DirectionalP } from './generic';
import {
  CusumChart,
  EwmaChart,
  LongRunVariance,
  ResidualScaler,
  RobustSeasonalBaseline,
  longRunBlock,
  robustZ,
} from './generic';
import { isMissing } from './series';
import { StreamingShesd } from './shesd-stream';
import type { BaselineKind, Direction, Sensitivity, ValueObservation } from './types';

export interface SeriesEnsembleScore {
  /** The combined one-sided p-value in the worst direction (GenericEnsemble's pValue). */
  pValue: number;
  direction: Direction;
  baseline: BaselineKind;
}

export class SeriesEnsemble {
  private readonly sensitivity: Sensitivity;
  private readonly baseline: RobustSeasonalBaseline;
  private readonly scaler = new ResidualScaler();
  private readonly longRun: LongRunVariance;
  private readonly ewma: EwmaChart;
  private readonly cusum: CusumChart;
  private readonly shesd: StreamingShesd | null;
  private readonly weights: Record<EnsembleComponent, number>;
  private lastTime = Number.NEGATIVE_INFINITY;
  // Per-bucket component p-values and weights, reused (robust z, then EWMA and CUSUM, then S-H-ESD).
  private readonly ups: number[] = [];
  private readonly downs: number[] = [];
  private readonly partWeights: number[] = [];

  constructor(options: EnsembleOptions) {
    this.sensitivity = options.sensitivity ?? 'medium';
    this.baseline = new RobustSeasonalBaseline(options);
    this.longRun = new LongRunVariance(longRunBlock(options));
    this.ewma = new EwmaChart(options.lambda ?? 0.2);
    this.cusum = new CusumChart(this.sensitivity, options.k ?? 0.5);
    const shesd = options.shesd ?? true;
    this.shesd =
      shesd === false
        ? null
        : new StreamingShesd({
            ...(typeof shesd === 'object' ? shesd : {}),
            bucketMinutes: options.bucketMinutes,
            sensitivity: this.sensitivity,
            offset: options.offset,
          });
    this.weights = { robustZ: 1, ewma: 1, cusum: 1, shesd: 1, ...options.weights };
  }

  private part(name: EnsembleComponent, p: DirectionalP): void {
    this.ups.push(p.up);
    this.downs.push(p.down);
    this.partWeights.push(this.weights[name]);
  }

  /** Scores the bucket from the state before it, then learns from it; null for a missing value or while
   *  there is too little history (as GenericEnsemble.push). */
  push(observation: ValueObservation): SeriesEnsembleScore | null {
    const { time, value } = observation;
    if (isMissing(value) || !Number.isFinite(time)) return null;
    if (time <= this.lastTime)
      throw new RangeError(`buckets must arrive in time order (${time} after ${this.lastTime})`);
    this.lastTime = time;
    const x = value as number;
    const shesd = this.shesd?.push(observation) ?? null;
    const pred = this.baseline.predict(time);
    this.baseline.add(time, x);
    if (pred === null) return null;

    this.ups.length = 0;
    this.downs.length = 0;
    this.partWeights.length = 0;
    const z = robustZ(x, pred);
    this.part('robustZ', z);
    if (pred.baseline === 'seasonal') {
      // The drift charts run on the seasonal baseline only (see generic.ts).
      const r = this.scaler.next(z.z);
      const v = this.longRun.value;
      const e = this.ewma.next(r, v);
      const c = this.cusum.next(r, v);
      const chartAlarm =
        alarmFromPValue(Math.min(e.up, e.down), this.sensitivity) ||
        alarmFromPValue(Math.min(c.up, c.down), this.sensitivity);
      this.longRun.add(r, !chartAlarm);
      this.part('ewma', e);
      this.part('cusum', c);
    }
    if (shesd) {
      // S-H-ESD reports its worst direction only; the other side carries no evidence (p = 1).
      this.part(
        'shesd',
        shesd.direction === 'up' ? { up: shesd.pValue, down: 1 } : { up: 1, down: shesd.pValue },
      );
    }
    const up = cauchyCombine(this.ups, this.partWeights);
    const down = cauchyCombine(this.downs, this.partWeights);
    return {
      pValue: clampP(Math.min(up, down)),
      direction: up < down ? 'up' : 'down',
      baseline: pred.baseline,
    };
  }
}

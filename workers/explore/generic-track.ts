import {
  alarmFromPValue,
  falseAlarmRate,
  RobustSeasonalBaseline,
  scoreFromPValue,
  studentTQuantile,
  type Sensitivity,
} from '../detect';
import { SeriesEnsemble } from '../detect/series-ensemble';
import type { BaselineKind } from '../detect/types';

/** One bucket of the generic ensemble with its band: GenericEnsemble's score, computed faster. */
export interface GenericBucket {
  expected: number;
  lower: number;
  upper: number;
  baselineKind: BaselineKind;
  alarm: boolean;
  direction: 'up' | 'down';
  score: number;
}

/**
 * The generic ensemble (robust seasonal z, EWMA, CUSUM, S-H-ESD) with the band GenericEnsemble reports,
 * median ± t-quantile × scale of its robust seasonal baseline. SeriesEnsemble gives the same p-values as
 * GenericEnsemble with a streaming S-H-ESD (S-H-ESD's window selection is most of GenericEnsemble's time:
 * 0.6 s of a 14-day 5-minute revenue series); the band comes from a second copy of the baseline fed the
 * same values, and the t-quantile is kept per degrees of freedom, of which a series has few.
 */
export class GenericBandDetector {
  private readonly ensemble: SeriesEnsemble;
  private readonly baseline: RobustSeasonalBaseline;
  private readonly quantiles = new Map<number, number>();
  private readonly tail: number;

  constructor(
    bucketMinutes: number,
    private readonly sensitivity: Sensitivity,
  ) {
    this.ensemble = new SeriesEnsemble({ bucketMinutes, sensitivity });
    this.baseline = new RobustSeasonalBaseline({ bucketMinutes });
    this.tail = 1 - falseAlarmRate(sensitivity) / 2;
  }

  private quantile(df: number): number {
    let q = this.quantiles.get(df);
    if (q === undefined) this.quantiles.set(df, (q = studentTQuantile(this.tail, df)));
    return q;
  }

  /**
   * Scores a bucket from the buckets before it (null: a gap, or too little history), then learns it. With
   * `report` false the bucket is only learnt: the band's median (most of the cost) is computed only for
   * the buckets a caller returns, and predict() changes no state.
   */
  push(time: number, value: number | null, report = true): GenericBucket | null {
    if (value === null || !Number.isFinite(value)) return null;
    const pred = report ? this.baseline.predict(time) : null;
    this.baseline.add(time, value);
    const score = this.ensemble.push({ time, value });
    if (!score || !pred) return null;
    const q = this.quantile(pred.df);
    return {
      expected: pred.center,
      lower: pred.center - q * pred.scale,
      upper: pred.center + q * pred.scale,
      baselineKind: score.baseline,
      alarm: alarmFromPValue(score.pValue, this.sensitivity),
      direction: score.direction,
      score: scoreFromPValue(score.pValue),
    };
  }
}

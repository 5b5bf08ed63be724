/**
 * The multivariate detector: an Isolation Forest (isolation-trees.ts) over cohort funnel vectors
 * (funnel-vector.ts), for joint shifts that no single series shows clearly, such as bot traffic (views per
 * session up, every later step flat).
 *
 * OnlineIsolationForest scores each new vector against a forest fitted on the trailing history only (refit
 * every `refitEvery` vectors), so a bucket's score never uses a later bucket, and calibrates the isolation
 * score s to a one-sided p-value by its tail rank among the history's own scores (tail-calibration.ts): the
 * scores the trailing vectors got when they arrived, each out of sample like the new one. Everything is
 * seeded: the same data and seed give the same scores.
 */
import { clampP, falseAlarmRate } from './calibrate';
import type { IsolationForestOptions } from './isolation-trees';
import { IsolationForest } from './isolation-trees';
import { mulberry32 } from './seeded-random';
import { EmpiricalTail } from './tail-calibration';
import type { Sensitivity } from './types';

export { IsolationForest, averagePathLength } from './isolation-trees';
export type { IsolationForestOptions } from './isolation-trees';
export { FUNNEL_VECTOR_FEATURES, funnelVector } from './funnel-vector';
export type { FunnelCounts } from './funnel-vector';

export interface OnlineIsolationOptions extends Omit<IsolationForestOptions, 'random'> {
  /** Vectors of trailing history the forest is fitted on (default 1008). */
  window?: number;
  /** Refit after this many new vectors (default 48). */
  refitEvery?: number;
  /** Vectors of history needed before any score (default 512: each is then out of bag for about half the
   *  trees of the first forest, whose out-of-bag scores seed the calibration). */
  minHistory?: number;
  sensitivity?: Sensitivity;
}

export interface IsolationScore {
  /** Position in the series: the number of vectors pushed before this one, missing ones included. */
  index: number;
  /** Raw Isolation Forest score s in (0, 1]. */
  isolation: number;
  /** One-sided p-value: the probability that an ordinary vector is at least as isolated. */
  pValue: number;
  /** The same p-value, under the name the other detectors use for corrections across cohorts. */
  evidencePValue: number;
  /** Calibrated score 1 − pValue in [0, 1]. */
  score: number;
  /** pValue ≤ the sensitivity's false-alarm rate (the test is one-sided: only "more isolated" alarms). */
  alarm: boolean;
  /** Reference scores the p-value was ranked among. */
  referenceSize: number;
}

/** The last `capacity` items pushed, in no particular order (neither the forest nor the tail needs one). */
class TrailingWindow<T> {
  readonly items: T[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}
  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.next] = item;
      this.next = (this.next + 1) % this.capacity;
    }
  }
}

export class OnlineIsolationForest {
  private readonly refitEvery: number;
  private readonly minHistory: number;
  private readonly sensitivity: Sensitivity;
  private readonly forestOptions: IsolationForestOptions;
  private readonly history: TrailingWindow<readonly number[]>;
  /** Isolation scores of the history, each from a forest that had not seen its vector. */
  private readonly reference: TrailingWindow<number>;
  private forest: IsolationForest | null = null;
  private tail: EmpiricalTail | null = null;
  private sinceFit = 0;
  private index = 0;

  constructor(options: OnlineIsolationOptions = {}) {
    const window = options.window ?? 1008;
    this.history = new TrailingWindow(window);
    this.reference = new TrailingWindow(window);
    this.refitEvery = options.refitEvery ?? 48;
    this.minHistory = Math.max(2, options.minHistory ?? 512);
    if (this.minHistory > window) throw new RangeError('minHistory must not exceed window');
    this.sensitivity = options.sensitivity ?? 'medium';
    // One generator across refits: the forests depend only on the seed and the vectors seen so far.
    this.forestOptions = {
      trees: options.trees ?? 100,
      sampleSize: options.sampleSize ?? 256,
      random: mulberry32(options.seed ?? 1),
    };
  }

  /** Scores the vector against the forest of the history before it, then adds it to the history. null =
   *  no score (a missing vector: null or not finite, which is not learnt either; or too little history). */
  push(vector: readonly number[] | null): IsolationScore | null {
    const index = this.index++;
    if (vector === null || !vector.every(Number.isFinite)) return null;
    const dims = this.history.items[0]?.length ?? vector.length;
    if (vector.length !== dims) throw new RangeError(`expected a vector of ${dims}, got ${vector.length}`);
    if (
      this.history.items.length >= this.minHistory &&
      (this.forest === null || this.sinceFit >= this.refitEvery)
    )
      this.refit();
    let result: IsolationScore | null = null;
    if (this.forest && this.tail) {
      const isolation = this.forest.score(vector);
      const pValue = clampP(this.tail.pValue(isolation));
      result = {
        index,
        isolation,
        pValue,
        evidencePValue: pValue,
        score: 1 - pValue,
        alarm: pValue <= falseAlarmRate(this.sensitivity),
        referenceSize: this.tail.size,
      };
      this.reference.push(isolation);
    }
    this.sinceFit++;
    this.history.push(vector.slice());
    return result;
  }

  scoreSeries(vectors: readonly (readonly number[] | null)[]): (IsolationScore | null)[] {
    return vectors.map((v) => this.push(v));
  }

  /**
   * A new forest on the trailing history. The calibration's reference is the scores the history got when
   * it arrived, each from a forest fitted before it: the same statistic as a new vector's score, and free.
   * At the first fit there are none yet, so the history is scored out of bag once.
   */
  private refit(): void {
    const forest = IsolationForest.fit(this.history.items, this.forestOptions);
    if (this.reference.items.length === 0)
      for (const score of forest.outOfBagScores(this.history.items)) this.reference.push(score);
    this.forest = forest;
    this.tail = new EmpiricalTail(this.reference.items);
    this.sinceFit = 0;
  }
}

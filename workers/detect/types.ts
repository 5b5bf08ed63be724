/**
 * The shared vocabulary of the online detectors. Every detector scores one bucket at a time from what it has
 * seen before that bucket (never after it), so replaying a series gives the batch result and "detected at"
 * is honest.
 */

export type Direction = 'up' | 'down';

/** low / medium / high map to a target false-alarm rate per series per bucket (see calibrate.ts). */
export type Sensitivity = 'low' | 'medium' | 'high';

/** Which baseline produced `expected`: the hour-of-day × day-of-week profile, or level only. */
export type BaselineKind = 'seasonal' | 'level';

export interface BucketScore {
  /** Bucket index in the series: the number of observations pushed before this one, gaps included. */
  index: number;
  /** Baseline expectation for this bucket (a count, a rate or a value). */
  expected: number;
  /** Interval at the detector's sensitivity: observations inside it do not alarm on their own. */
  lower: number;
  upper: number;
  /** One-sided p-value of the observation in its worst direction, in (0, 1]. */
  pValue: number;
  /**
   * The one-sided p-value of all the detector's evidence in this bucket: pValue itself for single-bucket
   * detectors, or a CUSUM's p-value when that is stronger (counts, ratios: evidence accumulated over
   * buckets). Use this one for corrections across series (Benjamini–Hochberg).
   */
  evidencePValue: number;
  /**
   * Calibrated anomaly score in [0, 1]: 1 − min(1, 2 × evidencePValue); alarms when ≥ 1 − the target
   * false-alarm rate of the sensitivity.
   */
  score: number;
  direction: Direction;
  alarm: boolean;
  baseline: BaselineKind;
  /**
   * Detectors that accumulate evidence (CUSUMs): the bucket index at which the run carrying this bucket's
   * evidence began (the estimate of when the shift started) and the one at which that run peaked. Equal to
   * `index` when a single bucket is the evidence; absent for detectors that do not accumulate.
   */
  onset?: number;
  peak?: number;
}

/** One bucket of a count metric (sessions, orders). `count` null / NaN = missing bucket. */
export interface CountObservation {
  /** Bucket start, epoch ms. */
  time: number;
  count: number | null;
}

/** One bucket of a ratio metric kept as numerator and denominator. null / NaN = missing bucket. */
export interface RatioObservation {
  /** Bucket start, epoch ms (optional: the ratio detector has no seasonal baseline). */
  time?: number;
  successes: number | null;
  trials: number | null;
}

/** One bucket of a generic value (latency, engagement, e-mail metrics). null / NaN = missing bucket. */
export interface ValueObservation {
  /** Bucket start, epoch ms. */
  time: number;
  value: number | null;
}

/** The common shape of the detectors. */
export interface OnlineDetector<O, S extends BucketScore = BucketScore> {
  /** Scores the next bucket from the state before it, then learns from it. null = no score (a missing
   *  bucket, or not enough history yet). */
  push(observation: O): S | null;
  /** Pushes every observation in order and returns their scores (continuing from the current state: on a
   *  fresh detector this is the batch result). */
  scoreSeries(observations: readonly O[]): (S | null)[];
}

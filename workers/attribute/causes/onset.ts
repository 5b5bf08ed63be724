import type { EvidenceMetric } from './metrics';

/** How far before the detected start the change may have begun. */
const LOOK_BACK_MS = 6 * 3_600_000;
const BASELINE_DAYS = 7;
/** Bucket scores are capped at this many standard deviations. */
const MAX_SCORE = 5;

/**
 * Standardised deviation of each bucket from the same bucket of earlier days, in the incident's direction:
 * (observed − expected) / √variance for counts (Poisson) and for rates (binomial on the bucket's trials).
 * NaN where there is no baseline.
 */
export function bucketScores(
  series: Record<string, Float64Array>,
  metric: EvidenceMetric,
  perDay: number,
  from: number,
  to: number,
  sign: 1 | -1,
): Float64Array {
  const num = series[metric.numerator]!;
  const den = metric.denominator ? series[metric.denominator] : undefined;
  const scores = new Float64Array(Math.max(0, to - from)).fill(Number.NaN);
  for (let b = from; b < to; b++) {
    let baseNum = 0;
    let baseDen = 0;
    let days = 0;
    for (let d = 1; d <= BASELINE_DAYS; d++) {
      const p = b - d * perDay;
      if (p < 0) break;
      baseNum += num[p]!;
      baseDen += den ? den[p]! : 1;
      days++;
    }
    if (days === 0 || baseDen <= 0) continue;
    let z: number;
    if (metric.kind === 'ratio' && den) {
      const trials = den[b]!;
      if (trials <= 0) continue;
      // Half a success and half a failure of prior: a baseline of 3 out of 3 is not a rate of 100 %.
      const p0 = (baseNum + 0.5) / (baseDen + 1);
      z = (num[b]! - trials * p0) / Math.sqrt(trials * p0 * (1 - p0));
    } else {
      const expected = Math.max(baseNum / days, 0.5 / days);
      z = (num[b]! - expected) / Math.sqrt(expected);
    }
    // One odd bucket of a few trials must not outweigh hours of steady evidence.
    scores[b - from] = Math.max(-MAX_SCORE, Math.min(MAX_SCORE, sign * z));
  }
  return scores;
}

/**
 * The bucket where the change most likely began: detection needs evidence to pile up, so on a small cohort
 * it may raise the incident hours after the break. The estimate is the classic single change point of a
 * mean shift: the start t of the suffix that maximises S_t² / n_t, where S_t is the sum of the n_t scores
 * from t to the end of the window (the likelihood gain of a shift there, for unit-variance scores). Unlike
 * a CUSUM with a reference value it has no tuning that pulls it early or late. Never later than the
 * detected start.
 */
export function estimateOnset(scores: Float64Array, detectedAt: number): number {
  const value = (i: number) => (Number.isNaN(scores[i]!) ? 0 : scores[i]!);
  let after = 0;
  for (let i = detectedAt; i < scores.length; i++) after += value(i);
  const afterMean = after / Math.max(1, scores.length - detectedAt);
  let best = detectedAt;
  let bestGain = after > 0 ? (after * after) / (scores.length - detectedAt) : 0;
  let before = 0;
  for (let i = detectedAt - 1; i >= 0; i--) {
    before += value(i);
    // The buckets taken in before the detected start must carry the same shift, at least half of it: a day
    // that merely runs a little low all morning (day-to-day variation) would otherwise pull the onset hours
    // early, since S²/n rewards a long stretch of small deviations.
    if (before / (detectedAt - i) < 0.5 * afterMean) continue;
    const sum = before + after;
    const gain = sum > 0 ? (sum * sum) / (scores.length - i) : 0;
    if (gain > bestGain) {
      bestGain = gain;
      best = i;
    }
  }
  return best;
}

export const ONSET_LOOK_BACK_MS = LOOK_BACK_MS;

import type { Direction } from './types';

/**
 * Leaf deviation scores and how noisy each one is.
 *
 * The deviation score of a leaf is its change relative to its size m: (a − e)/m, where m is the forecast
 * e for a leaf that fell (the score is then the plain relative change, down to −1 for a leaf that
 * vanished) and (a + e)/2 for a leaf that rose (RiskLoc's score 2(a − e)/(a + e), bounded by 2, so that a
 * leaf that appeared from nothing does not score infinitely). Both are near ln(a/e) for small changes. A
 * leaf with neither an actual nor an expected value has no score and takes no part.
 *
 * Its noise has two parts: the forecast's relative error, the same for every leaf (variance τ²), and
 * the sampling noise of counts, which shrinks with the leaf's size m (a Poisson count has a score
 * variance of about 1/m): variance τ² + κ/m. Leaves are weighted by the inverse of that variance, so a few
 * visits that happened to vanish weigh little next to a large leaf that halved.
 *
 * Why the size of a leaf that fell is its forecast and not (a + e)/2: on sparse leaves (a forecast of a
 * fraction of a conversion) most leaves see 0 and a few see 1 whatever happened. With m = (a + e)/2 the
 * zeros score −2 at a small weight and the ones +1 at a larger one, so the weighted sum of a cohort of
 * sparse leaves is not centred on 0 under noise, and a cohort whose few conversions happened to vanish
 * outscores a large cohort whose rate truly fell. With m = e for a leaf that fell, a leaf's weighted score
 * w·d = (a − e)/(τ²·m + κ) is, for τ² small, the count's own deviation over κ whatever a is, so a
 * cohort's strength Σw·d/√Σw is a Poisson test of its summed count, (A − E)/√(κE), for sparse and large
 * leaves alike.
 *
 * τ² and κ are read off the leaves that deviate the other way than the incident: root causes all go one
 * way, noise goes both ways, so those leaves show the noise alone. For counts (whole actual values), a
 * Poisson count's score variance of 1/m is the least κ can be, however quiet the leaves happened to be.
 */
export interface DeviationModel {
  direction: Direction;
  /** −1 for down, +1 for up: multiplies a deviation into "how far in the anomaly's direction". */
  sign: -1 | 1;
  /** Per leaf: (a − e)/m with m = e when a ≤ e, else (a + e)/2; 0 for an empty leaf. */
  deviation: Float64Array;
  /** Per leaf: 1 / noise variance of its score; 0 for an empty leaf. */
  weight: Float64Array;
  /** Relative forecast noise τ (standard deviation of a large leaf's score). */
  relativeNoise: number;
  /** Sampling noise κ: a leaf of size m has a score variance of τ² + κ/m. */
  sizeNoise: number;
}

/** Relative noise below this is taken as this: a forecast is never trusted to better than 1%. */
const MIN_RELATIVE_NOISE = 0.01;

/** Squared scores beyond this many variances are capped, so that a few wild leaves do not set the noise. */
const CAP_VARIANCES = 9;

const FIT_ROUNDS = 12;

/**
 * Fits variance = τ² + κ/m to (m, d) pairs by maximum likelihood: iteratively reweighted least squares
 * of d² on 1/m with weights 1/variance² (a gamma regression with identity link), squared scores capped
 * at 9 variances so that a few wild leaves do not set the noise. Both coefficients stay ≥ their floors:
 * τ ≥ 1%, and κ ≥ `minSizeNoise` (1 for counts, which cannot be less noisy than Poisson).
 */
export function fitNoise(
  sizes: number[],
  scores: number[],
  minSizeNoise = 0,
): { tau2: number; kappa: number } {
  const minTau2 = MIN_RELATIVE_NOISE * MIN_RELATIVE_NOISE;
  const n = sizes.length;
  let tau2 = minTau2;
  let kappa = minSizeNoise;
  if (n === 0) return { tau2, kappa };
  tau2 = Math.max(minTau2, scores.reduce((s, d) => s + d * d, 0) / n);
  for (let round = 0; round < FIT_ROUNDS; round++) {
    let sw = 0;
    let swx = 0;
    let swxx = 0;
    let swy = 0;
    let swxy = 0;
    for (let i = 0; i < n; i++) {
      const x = 1 / sizes[i]!;
      const variance = tau2 + kappa * x;
      const y = Math.min(scores[i]! * scores[i]!, CAP_VARIANCES * variance);
      const w = 1 / (variance * variance);
      sw += w;
      swx += w * x;
      swxx += w * x * x;
      swy += w * y;
      swxy += w * x * y;
    }
    const determinant = sw * swxx - swx * swx;
    let nextKappa = determinant > 1e-12 * sw * swxx ? (sw * swxy - swx * swy) / determinant : minSizeNoise;
    nextKappa = Math.max(minSizeNoise, nextKappa);
    let nextTau2 = (swy - nextKappa * swx) / sw;
    if (nextTau2 < minTau2) {
      // Pinned at the floor: refit the size part alone.
      nextTau2 = minTau2;
      nextKappa = Math.max(minSizeNoise, swxx > 0 ? (swxy - minTau2 * swx) / swxx : minSizeNoise);
    }
    tau2 = nextTau2;
    kappa = nextKappa;
  }
  return { tau2, kappa };
}

/** The size a leaf's score is relative to: its forecast when it fell, (a + e)/2 when it rose. */
export function leafSize(actual: number, expected: number): number {
  return actual <= expected ? expected : (actual + expected) / 2;
}

/** Whether every actual value is a whole number: counts, whose noise is at least Poisson's. */
function allWhole(actual: Float64Array): boolean {
  for (let i = 0; i < actual.length; i++) if (!Number.isInteger(actual[i]!)) return false;
  return actual.length > 0;
}

/**
 * `direction` is the incident's when known; otherwise the sign of the total deviation `totalDeviation`
 * (what there is to explain), up on a tie.
 */
export function deviationModel(
  actual: Float64Array,
  expected: Float64Array,
  totalDeviation: number,
  direction?: Direction,
): DeviationModel {
  const resolved: Direction = direction ?? (totalDeviation < 0 ? 'down' : 'up');
  const sign = resolved === 'down' ? -1 : 1;
  const deviation = new Float64Array(actual.length);
  const sizes: number[] = [];
  const mirrored: number[] = [];
  let unmoved = 0;
  const size = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) {
    const m = leafSize(actual[i]!, expected[i]!);
    if (!(m > 0)) continue;
    size[i] = m;
    const d = (actual[i]! - expected[i]!) / m;
    deviation[i] = d;
    // Leaves that did not move at all are noise on both sides: every other one counts on the other side.
    if (sign * d < 0 || (d === 0 && unmoved++ % 2 === 0)) {
      sizes.push(m);
      mirrored.push(d);
    }
  }
  const { tau2, kappa } = fitNoise(sizes, mirrored, allWhole(actual) ? 1 : 0);
  const weight = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) if (size[i]! > 0) weight[i] = 1 / (tau2 + kappa / size[i]!);
  return { direction: resolved, sign, deviation, weight, relativeNoise: Math.sqrt(tau2), sizeNoise: kappa };
}

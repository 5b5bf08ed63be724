/**
 * Calibration: what a sensitivity means, how p-values become scores and alarms, how CUSUM thresholds are
 * chosen, and the Benjamini–Hochberg correction across series.
 *
 * Sensitivity → target false-alarm rate α per series per bucket (before any correction across series):
 *
 *   low 1e-4 · medium 1e-3 · high 1e-2
 *
 * Single-bucket tests (counts, robust z, EWMA, S-H-ESD, the ensemble) alarm when the two-sided p-value
 * 2 × min(P(X ≤ x), P(X ≥ x)) ≤ α, so each tail gets α/2 and the rate of alarming buckets under the null is
 * at most α (less for discrete counts, whose tails cannot hit α/2 exactly).
 *
 * CUSUMs (ratios, the generic changepoint chart) accumulate log-likelihood ratios of a design shift,
 * S_t = max(0, S_{t−1} + LLR_t). Read backwards, S_t is the largest sum of the last j LLRs over all j, and
 * e^{(sum of the last j LLRs)} is a non-negative martingale of mean 1 under the null, so Ville's maximal
 * inequality gives, for every bucket t and whatever the sample size per bucket,
 *
 *   P₀(S_t ≥ s) ≤ e^{−s}.
 *
 * So e^{−S} is a valid one-sided p-value of "the rate has been shifted recently" in that bucket, and the
 * threshold is h = ln(2/α): the per-bucket alarm rate of each one-sided chart is at most α/2, of the
 * two-sided pair at most α, the same unit as the single-bucket tests (h = 9.90 / 7.60 / 5.30 for low /
 * medium / high). A standardised chart with reference k (increments x − k) is the LLR chart of a 2k shift
 * divided by 2k, so its p-value is e^{−2kS}.
 *
 * The bound is tight for small per-bucket information (small cohorts: the walk is nearly Brownian and the
 * stationary law of S is nearly exponential with rate 1) and conservative for large (one bucket decides:
 * the overshoot over h is large). The in-control average run length between false-alarm onsets that this
 * threshold implies is given by Siegmund's corrected Brownian approximation, exported for reporting:
 *
 *   standardised chart, increments N(0, 1) − k:   ARL₀(h) = (e^{2kb} − 2kb − 1) / (2k²),  b = h + 1.166
 *   likelihood-ratio chart, E₀[LLR] = −K per bucket: ARL₀(h) = (e^{h+ρ} − (h+ρ) − 1) / K,   ρ = 1.166·√(2K)
 *
 * (for k = 0.5 and h = 5 the first gives 938 buckets, the tabulated one-sided value is 930); Lorden's bound
 * ARL₀ ≥ e^h holds for every K.
 */
import type { Sensitivity } from './types';

export const FALSE_ALARM_RATE: Readonly<Record<Sensitivity, number>> = {
  low: 1e-4,
  medium: 1e-3,
  high: 1e-2,
};

/** Target false-alarm rate per series per bucket of a sensitivity. */
export function falseAlarmRate(sensitivity: Sensitivity): number {
  return FALSE_ALARM_RATE[sensitivity];
}

/** The smallest positive p-value a detector reports (p-values live in (0, 1]). */
export const MIN_P = 1e-300;

/** Clamps a p-value into (0, 1]. */
export function clampP(p: number): number {
  if (Number.isNaN(p)) return 1;
  return Math.min(1, Math.max(MIN_P, p));
}

/** The calibrated score of a one-sided worst-direction p-value: 1 − min(1, 2p), in [0, 1]. */
export function scoreFromPValue(p: number): number {
  return 1 - Math.min(1, 2 * p);
}

/** Whether a one-sided worst-direction p-value alarms at a sensitivity (two-sided test at level α). */
export function alarmFromPValue(p: number, sensitivity: Sensitivity): boolean {
  return 2 * p <= falseAlarmRate(sensitivity);
}

/** The score at and above which a sensitivity alarms. */
export function scoreThreshold(sensitivity: Sensitivity): number {
  return 1 - falseAlarmRate(sensitivity);
}

// ---------------------------------------------------------------------------------------------------------
// Multiple testing

/**
 * Benjamini–Hochberg step-up procedure: which hypotheses to reject so that the false discovery rate is at
 * most q. NaN p-values are never rejected and do not count as tests.
 */
export function benjaminiHochberg(pValues: readonly number[], q: number): boolean[] {
  const order: number[] = [];
  pValues.forEach((p, i) => {
    if (!Number.isNaN(p)) order.push(i);
  });
  const m = order.length;
  order.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  let cut = -1;
  for (let r = m - 1; r >= 0; r--) {
    if ((pValues[order[r] as number] as number) <= ((r + 1) * q) / m) {
      cut = r;
      break;
    }
  }
  const out = pValues.map(() => false);
  for (let r = 0; r <= cut; r++) out[order[r] as number] = true;
  return out;
}

/**
 * The same step-up procedure over the candidates that passed a pre-filter (p ≤ q), when `m` tests were made
 * in all (the filtered ones count: a p above q is never rejected). Returns the rejected, smallest p first.
 */
export function benjaminiHochbergAmong<T extends { pValue: number }>(
  candidates: readonly T[],
  m: number,
  q: number,
): T[] {
  const sorted = [...candidates].sort((a, b) => a.pValue - b.pValue);
  let cut = -1;
  sorted.forEach((c, i) => {
    if (c.pValue <= ((i + 1) * q) / m) cut = i;
  });
  return sorted.slice(0, cut + 1);
}

/** BH-adjusted p-values (q-values): reject at level q exactly where adjusted ≤ q. NaN stays NaN. */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const order: number[] = [];
  pValues.forEach((p, i) => {
    if (!Number.isNaN(p)) order.push(i);
  });
  const m = order.length;
  order.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const out = pValues.map(() => Number.NaN);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r] as number;
    running = Math.min(running, ((pValues[i] as number) * m) / (r + 1));
    out[i] = running;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Average run lengths (reporting: what a threshold means in buckets between false-alarm onsets)

const SIEGMUND = 1.166;

/** In-control ARL of a one-sided CUSUM of standardised increments with reference k and threshold h. */
export function arlStandardCusum(h: number, k: number): number {
  const b = h + SIEGMUND;
  const x = 2 * k * b;
  return (Math.expm1(x) - x) / (2 * k * k);
}

/** In-control ARL of a one-sided likelihood-ratio CUSUM whose per-bucket LLR has mean −K under the null. */
export function arlLlrCusum(h: number, kl: number): number {
  if (!(kl > 0)) return Number.POSITIVE_INFINITY;
  const rho = SIEGMUND * Math.sqrt(2 * kl);
  const x = h + rho;
  return (Math.expm1(x) - x) / kl;
}

function solveIncreasing(f: (h: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  while (f(hi) < target && hi < 700) hi *= 2;
  if (f(lo) >= target) return 0;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-10) break;
  }
  return hi;
}

/** Threshold h of a standardised one-sided CUSUM with reference k whose in-control ARL is `arl`. */
export function standardCusumThreshold(arl: number, k: number): number {
  return solveIncreasing((h) => arlStandardCusum(h, k), arl);
}

/** Threshold h of a one-sided LLR CUSUM (null drift −K per bucket) whose in-control ARL is `arl`. */
export function llrCusumThreshold(arl: number, kl: number): number {
  if (!(kl > 0)) return Number.POSITIVE_INFINITY;
  return solveIncreasing((h) => arlLlrCusum(h, kl), arl);
}

// ---------------------------------------------------------------------------------------------------------
// CUSUM thresholds and p-values from Ville's inequality

/** Threshold of a one-sided LLR CUSUM at a sensitivity: h = ln(2/α). */
export function cusumThreshold(sensitivity: Sensitivity): number {
  return Math.log(2 / falseAlarmRate(sensitivity));
}

/** One-sided p-value of an LLR CUSUM statistic: P₀(S_t ≥ s) ≤ e^{−s}. */
export function cusumPValue(s: number): number {
  return clampP(Math.exp(-Math.max(0, s)));
}

/** One-sided p-value of a standardised CUSUM (increments x − k): e^{−2kS}. */
export function standardCusumPValue(s: number, k: number): number {
  return cusumPValue(2 * k * s);
}

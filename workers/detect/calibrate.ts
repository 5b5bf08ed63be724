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
 * CUSUMs (ratios, the generic changepoint chart) alarm on episodes rather than single buckets; their
 * threshold h is chosen so that the in-control average run length to a false alarm of each one-sided chart
 * is ARL₀ = 2/α buckets (so the two-sided chart has ARL₀ ≈ 1/α), using Siegmund's corrected Brownian
 * approximation:
 *
 *   standardised chart, increments N(0, 1) − k:   ARL₀(h) = (e^{2kb} − 2kb − 1) / (2k²),  b = h + 1.166
 *   likelihood-ratio chart, E₀[LLR] = −K per bucket: ARL₀(h) = (e^{h+ρ} − (h+ρ) − 1) / K,   ρ = 1.166·√(2K)
 *
 * (the second is the first with the LLR written as δ·(x − δ/2), δ = √(2K)). For k = 0.5 and h = 5 the first
 * gives 938 buckets, the tabulated one-sided value is 930. A CUSUM's "p-value" is the false-alarm rate of a
 * chart whose threshold is the current statistic, 1 / ARL₀(S), which makes "2p ≤ α" and "S ≥ h" the same
 * event and lets CUSUM evidence enter the same score scale and the same combination as the other detectors.
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
// CUSUM thresholds from the average run length

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

/** ARL₀ per one-sided chart for a sensitivity: 2/α. */
export function oneSidedArl(sensitivity: Sensitivity): number {
  return 2 / falseAlarmRate(sensitivity);
}

/** "p-value" of a standardised CUSUM statistic: the false-alarm rate 1/ARL₀(S) of a threshold at S. */
export function standardCusumPValue(s: number, k: number): number {
  return clampP(1 / arlStandardCusum(s, k));
}

/** "p-value" of an LLR CUSUM statistic: 1/ARL₀(S). */
export function llrCusumPValue(s: number, kl: number): number {
  if (!(kl > 0)) return 1;
  return clampP(1 / arlLlrCusum(s, kl));
}

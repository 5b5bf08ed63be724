import { normalTail } from '../normal';

/**
 * Tests of a window after an incident's onset against a baseline of earlier windows of the same length
 * (the same hours of earlier days). Day-to-day variation is larger than Poisson or binomial noise at the
 * volumes of a shop, so each test inflates its variance by the dispersion seen between the baseline
 * windows (quasi-Poisson, quasi-binomial); without that, a 5 % wobble of traffic would look "significant".
 */
export interface RateTest {
  before: number;
  after: number;
  ratio: number;
  z: number;
  pValue: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const twoSided = (z: number) => Math.min(1, 2 * normalTail(Math.abs(z)));
const ratioOf = (after: number, before: number) =>
  before > 0 ? after / before : after > 0 ? Number.POSITIVE_INFINITY : 1;

/**
 * Counts: `after` events in the window, `baseline` events in each earlier window of the same length.
 * Returns rates per window; the caller divides by hours.
 */
export function countTest(after: number, baseline: readonly number[]): RateTest {
  const days = baseline.length;
  const lambda = mean(baseline);
  // Between-window dispersion (variance / mean), never below Poisson.
  const dispersion =
    days >= 2 && lambda > 0
      ? Math.max(1, baseline.reduce((s, y) => s + (y - lambda) ** 2, 0) / (days - 1) / lambda)
      : 1;
  // A baseline of zero still carries a little uncertainty: half an event over all its windows.
  const expected = Math.max(lambda, 0.5 / days);
  const z = (after - lambda) / Math.sqrt(dispersion * expected * (1 + 1 / days));
  return { before: lambda, after, ratio: ratioOf(after, lambda), z, pValue: twoSided(z) };
}

/** Rates: `after` successes of trials in the window against those of each baseline window. */
export function proportionTest(
  after: { successes: number; trials: number },
  baseline: readonly { successes: number; trials: number }[],
): RateTest | null {
  const trials = baseline.reduce((s, b) => s + b.trials, 0);
  if (after.trials <= 0 || trials <= 0) return null;
  const p0 = baseline.reduce((s, b) => s + b.successes, 0) / trials;
  const p1 = after.successes / after.trials;
  const q = Math.max(p0 * (1 - p0), 0.25 / trials);
  const used = baseline.filter((b) => b.trials > 0);
  const dispersion =
    used.length >= 2
      ? Math.max(1, mean(used.map((b) => (b.successes - b.trials * p0) ** 2 / (b.trials * q))))
      : 1;
  const z = (p1 - p0) / Math.sqrt(dispersion * q * (1 / after.trials + 1 / trials));
  return { before: p0, after: p1, ratio: ratioOf(p1, p0), z, pValue: twoSided(z) };
}

/**
 * Means (latency): sums and counts per window. The cube holds no per-event spread, so the event-level
 * variance is estimated from how the baseline windows' means scatter (Var(mean_d) ≈ σ²/n_d), with a floor
 * of a 30 % coefficient of variation so two quiet days do not make every difference significant.
 */
export function meanTest(
  after: { sum: number; count: number },
  baseline: readonly { sum: number; count: number }[],
): RateTest | null {
  const used = baseline.filter((b) => b.count > 0);
  const count = used.reduce((s, b) => s + b.count, 0);
  if (after.count <= 0 || count <= 0) return null;
  const m0 = used.reduce((s, b) => s + b.sum, 0) / count;
  const m1 = after.sum / after.count;
  const between =
    used.length >= 2
      ? used.reduce((s, b) => s + b.count * (b.sum / b.count - m0) ** 2, 0) / (used.length - 1)
      : 0;
  const variance = Math.max(between, (0.3 * m0) ** 2);
  const z = (m1 - m0) / Math.sqrt(variance * (1 / after.count + 1 / count));
  return { before: m0, after: m1, ratio: ratioOf(m1, m0), z, pValue: twoSided(z) };
}

/**
 * How much a move matters, in 0..1: its significance (nothing below z = 2, full from z = 6) times the size
 * of the change (×2 or ×0.5 → 0.63, ×13 → 0.98, ×1.1 → 0.13).
 */
export function moveScore(test: { z: number; ratio: number | null }): number {
  const significance = Math.min(1, Math.max(0, (Math.abs(test.z) - 2) / 4));
  // A rise from nothing (no ratio) counts as very large.
  const size =
    test.ratio !== null && Number.isFinite(test.ratio) && test.ratio > 0 ? Math.abs(Math.log(test.ratio)) : 5;
  return significance * (1 - Math.exp(-size / Math.LN2));
}

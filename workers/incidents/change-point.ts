/**
 * Log-likelihood gain of "the successes of [t, end] came at rate p1" over "at rate p0", with p1 their own
 * rate (the binomial generalised likelihood ratio): n ln(p1/p0) + (d − n) ln((1 − p1)/(1 − p0)).
 */
function binomialGain(successes: number, trials: number, p0: number): number {
  if (!(trials > 0)) return 0;
  const p1 = successes / trials;
  const term = (k: number, p: number, q: number) => (k > 0 ? k * Math.log(p / q) : 0);
  return term(successes, p1, p0) + term(trials - successes, 1 - p1, 1 - p0);
}

/**
 * Where a rate's shift most likely began, between `from` (the detector's onset) and `first` (its first
 * significant bucket): the change point of maximum likelihood when the rate after it is estimated from the
 * data, against the rate `p0` the detector expected. A CUSUM dates a shift from the last time its
 * statistic was zero, which is the maximum-likelihood change point for the shift it was designed for: when
 * the real shift is larger, a stretch of slightly low rate before it (a weekday running under its usual
 * level) keeps the statistic up and dates the break hours early.
 *
 * Only a later start than `from` is ever returned, and only where the rate after it moved in `direction`.
 */
export function rateChangePoint(
  successes: Float64Array,
  trials: Float64Array,
  p0: number,
  range: { from: number; first: number; end: number },
  direction: 'up' | 'down',
): number {
  const { from, first, end } = range;
  if (!(p0 > 0 && p0 < 1) || from >= first) return from;
  let n = 0;
  let d = 0;
  for (let b = first; b <= end; b++) {
    n += successes[b] ?? 0;
    d += trials[b] ?? 0;
  }
  let best = from;
  let bestGain = -Infinity;
  for (let t = first; t >= from; t--) {
    if (t < first) {
      n += successes[t] ?? 0;
      d += trials[t] ?? 0;
    }
    const rate = d > 0 ? n / d : p0;
    const moved = direction === 'down' ? rate < p0 : rate > p0;
    const gain = moved ? binomialGain(n, d, p0) : 0;
    // Strictly better only, walking back: on a tie the later start, which claims less.
    if (gain > bestGain) {
      bestGain = gain;
      best = t;
    }
  }
  return best;
}

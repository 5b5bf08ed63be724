/** Binomial log-likelihood of `successes` in `trials` at their own rate. */
function binomialLogLikelihood(successes: number, trials: number): number {
  if (!(trials > 0)) return 0;
  const p = successes / trials;
  const term = (k: number, q: number) => (k > 0 ? k * Math.log(q) : 0);
  return term(successes, p) + term(trials - successes, 1 - p);
}

/**
 * Where a rate's shift most likely began, between `from` (the detector's onset) and `first` (its first
 * significant bucket): the change point of maximum likelihood of a rate that is one constant before it
 * (from `before` on) and another after it (up to `end`), both estimated from the data. A CUSUM dates a shift
 * from the last time its statistic was zero, the maximum-likelihood change point for the shift it was
 * designed for: when the real shift is larger, a stretch of slightly low rate before it (a weekday running
 * under its usual level) keeps the statistic up and dates the break hours early. The detector's own
 * expected rate is no reference either: by its first alarm, hours into a shift, it has partly followed it.
 *
 * Only a start in [from, first] is returned, and only where the rate after it moved in `direction` from the
 * rate before; on a tie the later one, which claims less.
 */
export function rateChangePoint(
  successes: Float64Array,
  trials: Float64Array,
  range: { before: number; from: number; first: number; end: number },
  direction: 'up' | 'down',
): number {
  const { before, from, first, end } = range;
  if (from >= first) return from;
  let preN = 0;
  let preD = 0;
  for (let b = before; b < from; b++) {
    preN += successes[b] ?? 0;
    preD += trials[b] ?? 0;
  }
  let postN = 0;
  let postD = 0;
  for (let b = from; b <= end; b++) {
    postN += successes[b] ?? 0;
    postD += trials[b] ?? 0;
  }
  if (!(preD > 0)) return from;
  let best = from;
  let bestLikelihood = -Infinity;
  for (let t = from; t <= first; t++) {
    if (t > from) {
      const n = successes[t - 1] ?? 0;
      const d = trials[t - 1] ?? 0;
      preN += n;
      preD += d;
      postN -= n;
      postD -= d;
    }
    if (!(postD > 0)) break;
    const preRate = preN / preD;
    const postRate = postN / postD;
    if (direction === 'down' ? postRate >= preRate : postRate <= preRate) continue;
    const likelihood = binomialLogLikelihood(preN, preD) + binomialLogLikelihood(postN, postD);
    // ≥: on a tie the later start.
    if (likelihood >= bestLikelihood) {
      bestLikelihood = likelihood;
      best = t;
    }
  }
  return best;
}

/**
 * A series that shifted at the change point: successes out of trials (a rate: binomial), or events out of an
 * exposure (payment failures per checkout, errors per visit: Poisson), and the way it moved.
 */
export interface ShiftedSeries {
  kind: 'binomial' | 'poisson';
  successes: Float64Array;
  trials: Float64Array;
  direction: 'up' | 'down';
}

/** Log-likelihood of one segment at its own rate: binomial, or Poisson with exposure. */
function segmentLikelihood(kind: ShiftedSeries['kind'], n: number, d: number): number {
  if (!(d > 0)) return 0;
  const p = n / d;
  if (kind === 'poisson') return n > 0 ? n * Math.log(p) - n : 0;
  const term = (k: number, q: number) => (k > 0 ? k * Math.log(q) : 0);
  return term(n, p) + term(d - n, 1 - p);
}

/** Per candidate start t in [from, first]: the likelihood gain of a shift at t in `direction`, else 0. */
function gains(series: ShiftedSeries, range: { before: number; from: number; first: number; end: number }) {
  const { before, from, first, end } = range;
  const { successes, trials, kind, direction } = series;
  const out = new Float64Array(first - from + 1);
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
  const whole = segmentLikelihood(kind, preN + postN, preD + postD);
  for (let t = from; t <= first; t++) {
    if (t > from) {
      const n = successes[t - 1] ?? 0;
      const d = trials[t - 1] ?? 0;
      preN += n;
      preD += d;
      postN -= n;
      postD -= d;
    }
    if (!(preD > 0 && postD > 0)) continue;
    const moved = direction === 'down' ? postN / postD < preN / preD : postN / postD > preN / preD;
    if (!moved) continue;
    out[t - from] = segmentLikelihood(kind, preN, preD) + segmentLikelihood(kind, postN, postD) - whole;
  }
  return out;
}

/**
 * Where a shift most likely began, between `from` (the earliest onset its detectors date) and `first` (the
 * first bucket that was significant): the change point of maximum likelihood of series that are each one
 * constant before it (from `before` on) and another after it (up to `end`), every rate estimated from the
 * data, their likelihood gains added (one cause, one moment: a checkout's conversion and its payment
 * failures break together).
 *
 * A CUSUM dates a shift from the last time its statistic was zero, the maximum-likelihood change point for
 * the shift it was designed for: when the real shift is larger, a stretch of slightly low rate before it
 * keeps the statistic up and dates the break hours early; and a rate counted when its visit began, in a
 * cohort of a few checkouts an hour, dates it by its noise. The detectors' expected rate is no reference
 * either: by the first alarm, hours into a shift, it has partly followed it.
 *
 * Returns `from` when no series moved its way anywhere in the range; on a tie, the later start.
 */
export function changePoint(
  series: readonly ShiftedSeries[],
  range: { before: number; from: number; first: number; end: number },
): number {
  const { from, first } = range;
  if (from >= first || series.length === 0) return from;
  const total = new Float64Array(first - from + 1);
  for (const s of series) {
    const g = gains(s, range);
    for (let i = 0; i < total.length; i++) total[i]! += g[i]!;
  }
  let best = from;
  let bestGain = 0;
  for (let i = 0; i < total.length; i++) {
    if (total[i]! > 0 && total[i]! >= bestGain) {
      bestGain = total[i]!;
      best = from + i;
    }
  }
  return best;
}

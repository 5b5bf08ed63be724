/**
 * The funnel of a cohort bucket by bucket as the Isolation Forest of joint-shifts.ts reads it: each step a
 * residual against its trailing level, in standard errors of the bucket's own counts.
 */

/** The funnel steps of the vector, in its order: the ratio each feature is and the metric it is reported as. */
export const FUNNEL_STEPS = [
  { metric: 'page_views', family: 'traffic', numerator: 'page_views', denominator: 'sessions' },
  {
    metric: 'add_to_cart_rate',
    family: 'funnel',
    numerator: 'sessions_with_add_to_cart',
    denominator: 'page_views',
  },
  {
    metric: 'begin_checkout_rate',
    family: 'funnel',
    numerator: 'sessions_with_checkout',
    denominator: 'sessions_with_add_to_cart',
  },
  {
    metric: 'checkout_conversion',
    family: 'funnel',
    numerator: 'sessions_with_purchase',
    denominator: 'sessions_with_checkout',
  },
] as const;

/**
 * The funnel vector as residuals: each step's log-ratio in the bucket against its level over the trailing
 * day, in standard errors of the bucket's own counts. Raw log-ratios (funnel-vector.ts) are volume-free in
 * level but not in noise: a night bucket of 20 visits is as scattered as a real change at noon, and the
 * forest, calibrated over day and night together, would flag every night. Residuals have unit spread at
 * any volume, so isolation means a change.
 */
export class ResidualFunnel {
  private readonly num: Float64Array[];
  private readonly den: Float64Array[];
  private readonly sumNum = new Float64Array(FUNNEL_STEPS.length);
  private readonly sumDen = new Float64Array(FUNNEL_STEPS.length);
  private seen = 0;

  constructor(private readonly window: number) {
    this.num = FUNNEL_STEPS.map(() => new Float64Array(window));
    this.den = FUNNEL_STEPS.map(() => new Float64Array(window));
  }

  /** The residual vector of a bucket's counts (null until a window of history), then learns the counts. */
  push(counts: Record<string, number>): number[] | null {
    const full = this.seen >= this.window;
    const vector = full ? FUNNEL_STEPS.map((step, k) => this.residual(step, k, counts)) : null;
    const slot = this.seen % this.window;
    FUNNEL_STEPS.forEach((step, k) => {
      const n = counts[step.numerator] ?? 0;
      const d = counts[step.denominator] ?? 0;
      this.sumNum[k] = (this.sumNum[k] as number) + n - ((this.num[k] as Float64Array)[slot] as number);
      this.sumDen[k] = (this.sumDen[k] as number) + d - ((this.den[k] as Float64Array)[slot] as number);
      (this.num[k] as Float64Array)[slot] = n;
      (this.den[k] as Float64Array)[slot] = d;
    });
    this.seen++;
    return vector;
  }

  private residual(step: (typeof FUNNEL_STEPS)[number], k: number, counts: Record<string, number>): number {
    const n = (counts[step.numerator] ?? 0) + 0.5;
    const d = (counts[step.denominator] ?? 0) + 0.5;
    const level = ((this.sumNum[k] as number) + 0.5) / ((this.sumDen[k] as number) + 0.5);
    // Views per visit is a count per visit (Poisson: var ln ≈ 1/n); the other steps are shares (binomial:
    // var ln p̂ ≈ (1 − p)/n).
    const variance = step.family === 'traffic' ? 1 / n : Math.max(1 - level, 0.05) / n;
    return (Math.log(n / d) - Math.log(level)) / Math.sqrt(variance);
  }
}

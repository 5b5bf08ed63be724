/**
 * One-sided CUSUM of log-likelihood ratios, S_t = min(cap, max(0, S_{t−1} + LLR_t)), that also remembers
 * where its current run began and where it peaked. Read backwards, S_t is the largest sum of the last j
 * LLRs, attained from the bucket after the last time S was zero: that bucket is the maximum-likelihood
 * estimate of when the shift began (Page 1954). The likelihood is flat before it when a small count drifts
 * back to zero only slowly (an error a quarter of an hour keeps S up for hours), so a chart of such counts
 * takes as onset the last bucket at which S was within `onsetTolerance` nats of zero: every earlier start fits
 * about as well. Where the evidence stopped growing estimates when it ended:
 * the peak is taken on the run's uncapped sum (the cap only bounds how long the alarm outlives the shift; at
 * the cap the statistic would hover there after the shift as readily as during it). So an alarm raised hours
 * into a shift in a small cohort can still say when the shift began and ended.
 */
export class LlrChart {
  /** The statistic. */
  value = 0;
  /**
   * @param onsetTolerance Nats above zero within which the run has not yet shown its shift (0: the last zero).
   */
  constructor(private readonly onsetTolerance = 0) {}
  private runStart = -1;
  /** The last bucket of the run at which the statistic was within ONSET_TOLERANCE of zero. */
  private lowMark = -1;
  /** The run's sum without the cap (at least `value`). */
  private uncapped = 0;
  private runMax = 0;
  private runPeak = -1;

  /** Adds bucket `index`'s log-likelihood ratio. */
  step(index: number, llr: number, cap: number): void {
    const next = Math.min(cap, Math.max(0, this.value + llr));
    if (next <= 0) {
      this.runStart = -1;
      this.lowMark = -1;
      this.uncapped = 0;
      this.runMax = 0;
      this.runPeak = -1;
    } else {
      if (this.runStart < 0) this.runStart = index;
      if (next <= this.onsetTolerance) this.lowMark = index;
      this.uncapped = Math.max(next, this.uncapped + llr);
      // ≥: on a plateau the later bucket, where the evidence last stood that high.
      if (this.uncapped >= this.runMax) {
        this.runMax = this.uncapped;
        this.runPeak = index;
      }
    }
    this.value = next;
  }

  /** The run's sum without the cap: of several charts, the best-fitting design shift has the largest. */
  get runEvidence(): number {
    return this.uncapped;
  }

  /** Where the current run's shift began (−1 when the statistic is zero): see the class comment. */
  get onset(): number {
    return Math.max(this.runStart, this.lowMark);
  }

  /** The bucket at which the current run was highest (−1 when the statistic is zero). */
  get peak(): number {
    return this.runPeak;
  }

  reset(): void {
    this.value = 0;
    this.runStart = -1;
    this.lowMark = -1;
    this.uncapped = 0;
    this.runMax = 0;
    this.runPeak = -1;
  }
}

/** The chart with the larger statistic (the first on a tie): the evidence, for the p-value. */
export function stronger(a: LlrChart, b: LlrChart): LlrChart {
  return b.value > a.value ? b : a;
}

/**
 * The chart whose design shift fits the current run best (the larger uncapped sum; the first on a tie): its
 * onset and peak date the shift. After a large shift ends, a chart designed for a small one drifts back only
 * slowly and may climb again on noise; the one designed for the large shift falls at once.
 */
export function bestFitting(a: LlrChart, b: LlrChart): LlrChart {
  return b.runEvidence > a.runEvidence ? b : a;
}

import { alarmFromPValue, clampP, cusumPValue, cusumThreshold } from './calibrate';
import { bestFitting, LlrChart, stronger } from './llr-chart';
import type { Direction, Sensitivity } from './types';

/** What a detector's shift charts say after a bucket. */
export interface ShiftEvidence {
  /** One-sided p-values per direction (the stronger chart's, Bonferroni over the charts of that direction). */
  pUp: number;
  pDown: number;
  /** The stronger chart's statistic per direction, and the alarm threshold h of one. */
  up: number;
  down: number;
  threshold: number;
  direction: Direction;
  evidencePValue: number;
  alarm: boolean;
  /** Where the best-fitting chart of `direction` dates its run (−1 when its statistic is zero). */
  onset: number;
  peak: number;
}

/**
 * A CUSUM chart per direction for a moderate design shift and, when `largeShift` > 0, another for a large one,
 * as the rate and mean detectors keep them: each chart adds the log-likelihood ratio of its design shift, the
 * stronger chart of a direction gives its p-value (c·e^{−S} for c charts: the alarm at S ≥ h = ln(2c/α), so
 * alarm and score agree by construction), and the best-fitting one dates the shift.
 */
export class ShiftCharts {
  private readonly up = new LlrChart();
  private readonly down = new LlrChart();
  private readonly largeUp = new LlrChart();
  private readonly largeDown = new LlrChart();

  constructor(
    private readonly shift: number,
    private readonly largeShift: number,
    /** Each statistic is capped at capFactor × h. */
    private readonly capFactor: number,
  ) {}

  /** Steps every chart with `llr(δ)` of its design shift δ (±shift, ±largeShift) for bucket `index`. */
  step(index: number, llr: (delta: number) => number, sensitivity: Sensitivity): ShiftEvidence {
    const charts = this.largeShift > 0 ? 2 : 1;
    const h = cusumThreshold(sensitivity) + Math.log(charts);
    const cap = this.capFactor * h;
    this.up.step(index, llr(this.shift), cap);
    this.down.step(index, llr(-this.shift), cap);
    if (charts === 2) {
      this.largeUp.step(index, llr(this.largeShift), cap);
      this.largeDown.step(index, llr(-this.largeShift), cap);
    }
    const up = stronger(this.up, this.largeUp);
    const down = stronger(this.down, this.largeDown);
    const pUp = clampP(charts * cusumPValue(up.value));
    const pDown = clampP(charts * cusumPValue(down.value));
    const direction: Direction = pUp < pDown ? 'up' : 'down';
    const run =
      direction === 'up' ? bestFitting(this.up, this.largeUp) : bestFitting(this.down, this.largeDown);
    return {
      pUp,
      pDown,
      up: up.value,
      down: down.value,
      threshold: h,
      direction,
      evidencePValue: Math.min(pUp, pDown),
      alarm: alarmFromPValue(pUp, sensitivity) || alarmFromPValue(pDown, sensitivity),
      onset: run.onset,
      peak: run.peak,
    };
  }

  reset(): void {
    for (const chart of [this.up, this.down, this.largeUp, this.largeDown]) chart.reset();
  }
}

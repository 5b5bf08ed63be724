/**
 * Scores a plain time series (`funnelscope score-series`, for benchmarks such as NAB and Yahoo S5) in one
 * pass, online (a row's score uses only the rows up to and including it) and in constant memory, with the
 * generic ensemble of combine.ts: robust seasonal z, EWMA, CUSUM and S-H-ESD, combined by ACAT. It runs as
 * SeriesEnsemble (series-ensemble.ts), which gives GenericEnsemble's p-values at about a quarter of the cost.
 *
 * Season. The ensemble's seasonal parts work on the time of day. A file carries no bucket size, so the
 * season comes from the spacing of the first rows (season-plan.ts), and the ensemble sees a warped clock
 * on which one season lasts one day, t′ = t · day / period: a weekly season of daily rows looks like a day
 * of 3.4-hour buckets. Its windows are sized in rows rather than minutes (time-of-day half-width ≈ 3 rows,
 * at most the library's 30 minutes; S-H-ESD over ≈ 3.5 seasons, 1008–4032 rows), so the cost per row does
 * not grow with the number of rows per season.
 *
 * Warm-up. The plan needs SPACING_SAMPLE intervals. Until then, and for the whole series when the plan has
 * no season, a level-only ensemble scores the rows on the row number (no calendar at all). When a seasonal
 * plan is made, a seasonal ensemble replays the buffered rows, so from the next row on its state is that
 * of an ensemble that ran from the first row, and the rows already scored keep their scores. Both are
 * level-only for the first seasons anyway (a seasonal baseline needs 3 seasons), so the switch is not a
 * seam in the scores.
 *
 * Score. The ensemble's calibrated score 1 − 2p is uniform on [0, 1] for ordinary rows (a tenth of them
 * score above 0.9) and squeezes every strong anomaly into 1 − ε. Benchmarks threshold and rank scores, so
 * the score here is the evidence on a log scale, as NAB's HTM detector reports its log-likelihood:
 * min(1, log₁₀(1 / 2p) / 6). Ordinary rows score near 0 (0.07 on average if their p-values were uniform;
 * the ensemble's are conservative); 0.5 is the medium sensitivity's alarm level (2p = 1e-3), 0.9 is
 * 2p ≈ 4e-6, and 1 is 2p ≤ 1e-6. It is a monotone map of the calibrated p-value, so a threshold on it is
 * a threshold on p.
 */
import type { EnsembleOptions } from './combine';
import type { SeasonPlan, SeasonalPlan } from './season-plan';
import { SPACING_SAMPLE, describeSeasonPlan, inferSeasonPlan } from './season-plan';
import { DAY_MS, MINUTE_MS, isMissing } from './series';
import type { SeriesEnsembleScore } from './series-ensemble';
import { SeriesEnsemble } from './series-ensemble';
import type { BaselineKind, Direction } from './types';

export interface SeriesPoint {
  /** Epoch ms; strictly increasing from row to row. */
  time: number;
  /** null, NaN or ±Infinity: missing data (not a zero). */
  value: number | null;
}

export interface SeriesScore {
  /** Anomaly score in [0, 1] (see anomalyScoreFromP); 0 for a missing value or before any baseline. */
  score: number;
  /** The ensemble's one-sided p-value in the worst direction; null when the row has no score. */
  pValue: number | null;
  direction: Direction | null;
  /** The baseline the score came from; null when the row has no score. */
  baseline: BaselineKind | null;
}

/** Decades of evidence (log₁₀ 1/2p) at which the anomaly score reaches 1. */
export const FULL_SCORE_DECADES = 6;

/** The anomaly score of a one-sided worst-direction p-value: min(1, log₁₀(1 / 2p) / 6), in [0, 1]. */
export function anomalyScoreFromP(pValue: number): number {
  const twoSided = Math.min(1, 2 * Math.max(pValue, Number.MIN_VALUE));
  return Math.min(1, Math.max(0, -Math.log10(twoSided) / FULL_SCORE_DECADES));
}

/** Seasons of history the ensemble's seasonal baseline waits for (its default minSeasonalDays). */
const SEASONS_BEFORE_SEASONAL_BASELINE = 3;
/** S-H-ESD window of the level-only ensemble, rows: under 2 days of 1-minute rows, so it never goes seasonal. */
const LEVEL_SHESD_ROWS = 1008;

/** Level only: the row number as the clock (1 min per row), seasonal parts off. */
function levelEnsemble(): SeriesEnsemble {
  return new SeriesEnsemble({
    bucketMinutes: 1,
    minSeasonalDays: Number.POSITIVE_INFINITY,
    // The seasonal sample is never used; keep its search and the retained history small.
    windowDays: 1,
    halfWidthMinutes: 0.5,
    shesd: { windowDays: LEVEL_SHESD_ROWS / (DAY_MS / MINUTE_MS), maxPoints: LEVEL_SHESD_ROWS },
  });
}

/** Warp factor of the clock: one season of the plan lasts one day on it. */
function warpOf(plan: SeasonalPlan): number {
  return plan.period === 'day' ? 1 : 1 / 7;
}

/** The ensemble for a seasonal plan, on the warped clock, with windows sized in rows. */
export function seasonalEnsembleOptions(plan: SeasonalPlan): EnsembleOptions {
  const intervalMinutes = (plan.intervalMs * warpOf(plan)) / MINUTE_MS;
  return {
    bucketMinutes: intervalMinutes,
    halfWidthMinutes: Math.max(intervalMinutes / 2, Math.min(30, 3 * intervalMinutes)),
    minSeasonalDays: SEASONS_BEFORE_SEASONAL_BASELINE,
    shesd: { maxPoints: Math.min(4032, Math.max(1008, Math.ceil(3.5 * plan.pointsPerSeason))) },
  };
}

export interface SeriesScoringSummary {
  rows: number;
  /** The plan; a level plan saying so when the series was too short to infer one. */
  plan: SeasonPlan;
  /** Rows without a numeric value. */
  missing: number;
  /** Rows with a value but no score yet (before the first baseline). */
  unscored: number;
  /** Scored rows per baseline. */
  scored: Record<BaselineKind, number>;
}

/** The online scorer: push rows in time order, one score per row. */
export class SeriesScorer {
  private level: SeriesEnsemble | null = levelEnsemble();
  private seasonal: SeriesEnsemble | null = null;
  private warp = 1;
  private plan: SeasonPlan | null = null;
  private warmup: SeriesPoint[] = [];
  private rows = 0;
  private lastTime = Number.NEGATIVE_INFINITY;
  private missing = 0;
  private unscored = 0;
  private readonly scored: Record<BaselineKind, number> = { level: 0, seasonal: 0 };

  push(point: SeriesPoint): SeriesScore {
    const { time } = point;
    if (!Number.isFinite(time)) throw new RangeError(`the time ${time} is not a number`);
    if (time <= this.lastTime)
      throw new RangeError(
        `the time ${new Date(time).toISOString()} is not after the previous row's ` +
          `(${new Date(this.lastTime).toISOString()}): rows must be in increasing time order`,
      );
    this.lastTime = time;
    const row = this.rows++;
    const value = isMissing(point.value) ? null : point.value;
    let result: SeriesEnsembleScore | null;
    if (this.seasonal) {
      result = this.seasonal.push({ time: time * this.warp, value });
    } else {
      result = (this.level as SeriesEnsemble).push({ time: row * MINUTE_MS, value });
      if (this.plan === null) {
        this.warmup.push({ time, value });
        if (this.warmup.length > SPACING_SAMPLE) this.decide();
      }
    }
    return this.record(value, result);
  }

  /** Infers the plan from the buffered rows; a seasonal plan replaces the level ensemble. */
  private decide(): void {
    const intervals = this.warmup.slice(1).map((p, i) => p.time - (this.warmup[i] as SeriesPoint).time);
    const plan = inferSeasonPlan(intervals);
    this.plan = plan;
    if (plan.kind === 'seasonal') {
      this.warp = warpOf(plan);
      const seasonal = new SeriesEnsemble(seasonalEnsembleOptions(plan));
      for (const p of this.warmup) seasonal.push({ time: p.time * this.warp, value: p.value });
      this.seasonal = seasonal;
      this.level = null;
    }
    this.warmup = [];
  }

  private record(value: number | null, result: SeriesEnsembleScore | null): SeriesScore {
    if (value === null) this.missing++;
    else if (result === null) this.unscored++;
    if (result === null) return { score: 0, pValue: null, direction: null, baseline: null };
    this.scored[result.baseline]++;
    return {
      score: anomalyScoreFromP(result.pValue),
      pValue: result.pValue,
      direction: result.direction,
      baseline: result.baseline,
    };
  }

  /** The plan so far: null until SPACING_SAMPLE intervals have been seen. */
  get seasonPlan(): SeasonPlan | null {
    return this.plan;
  }

  summary(): SeriesScoringSummary {
    return {
      rows: this.rows,
      plan: this.plan ?? {
        kind: 'level',
        intervalMs: null,
        reason: `only ${this.rows} rows, too few to infer the spacing (${SPACING_SAMPLE + 1} needed)`,
      },
      missing: this.missing,
      unscored: this.unscored,
      scored: { ...this.scored },
    };
  }
}

/** Scores every point in order (one pass, online). */
export function* scoreSeries(points: Iterable<SeriesPoint>): Generator<SeriesScore> {
  const scorer = new SeriesScorer();
  for (const point of points) yield scorer.push(point);
}

function rowCount(n: number): string {
  return `${n} ${n === 1 ? 'row' : 'rows'}`;
}

/** What the scoring did, in lines for the user (the season, and which rows had no seasonal baseline). */
export function describeSeriesScoring(summary: SeriesScoringSummary): string[] {
  const { plan, scored } = summary;
  const lines = [describeSeasonPlan(plan)];
  if (plan.kind === 'seasonal') {
    const history = `${SEASONS_BEFORE_SEASONAL_BASELINE} ${plan.period}s`;
    if (scored.seasonal === 0)
      lines.push(
        `the series is shorter than the ${history} of history a seasonal baseline needs: ` +
          'every row was scored against a level-only baseline',
      );
    else if (scored.level > 0)
      lines.push(
        `${rowCount(scored.level)} scored against a level-only baseline ` +
          `(before ${history} of history, or after a long gap)`,
      );
  }
  if (summary.missing > 0)
    lines.push(`${rowCount(summary.missing)} without a numeric value: missing data, scored 0`);
  if (summary.unscored > 0) lines.push(`${rowCount(summary.unscored)} before any baseline existed, scored 0`);
  return lines;
}

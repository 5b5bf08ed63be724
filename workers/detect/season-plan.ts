/**
 * Which season a plain `timestamp,value` series gets, inferred from the spacing of its first rows (a file
 * carries no bucket size, unlike the cube). The median interval Δ decides:
 *
 *   Δ < 1 min           level only: a daily season would hold more than 1440 points (memory and time per
 *                       point grow with it), and timestamps that are row numbers read as 1-second spacing
 *   1 min ≤ Δ ≤ 3 h     daily season (≥ 8 points per day)
 *   3 h < Δ ≤ 30 h      weekly season (≥ 5.6 points per week): daily data gets a day-of-week profile
 *   Δ > 30 h            level only: too few points per week for a weekly profile
 *
 * and a series whose middle half of intervals spans more than a factor 2 (event-driven timestamps: the
 * interval of exponential arrivals has q75/q25 ≈ 4.8) is irregular and gets a level-only baseline. Gaps
 * (a few long intervals) move neither the median nor the quartiles, so they do not make a series irregular.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from './series';

/** Intervals (between consecutive rows) that the plan is inferred from. */
export const SPACING_SAMPLE = 32;

const FINEST_SEASONAL_INTERVAL_MS = MINUTE_MS;
const COARSEST_DAILY_INTERVAL_MS = 3 * HOUR_MS;
const COARSEST_WEEKLY_INTERVAL_MS = 30 * HOUR_MS;
/** Largest ratio of the upper to the lower quartile of the intervals for a regular series. */
const MAX_QUARTILE_RATIO = 2;

export interface SeasonalPlan {
  kind: 'seasonal';
  period: 'day' | 'week';
  /** Median interval between rows, ms. */
  intervalMs: number;
  /** Rows per season at the median interval. */
  pointsPerSeason: number;
}

export interface LevelPlan {
  kind: 'level';
  /** Median interval between rows, ms; null when there were too few rows to tell. */
  intervalMs: number | null;
  /** Why there is no season, for the user. */
  reason: string;
}

export type SeasonPlan = SeasonalPlan | LevelPlan;

/** A duration for messages: "30 s", "5 min", "1.5 h", "7 days". */
export function formatDuration(ms: number): string {
  const round = (x: number) => String(Number(x.toPrecision(3)));
  if (ms < MINUTE_MS) return `${round(ms / 1000)} s`;
  if (ms < HOUR_MS) return `${round(ms / MINUTE_MS)} min`;
  if (ms < DAY_MS) return `${round(ms / HOUR_MS)} h`;
  const days = ms / DAY_MS;
  return `${round(days)} ${days === 1 ? 'day' : 'days'}`;
}

/** Linear-interpolated quantile of ascending values. */
function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (at - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** The plan for a series whose first intervals (ms, all > 0) are `intervalsMs`. */
export function inferSeasonPlan(intervalsMs: readonly number[]): SeasonPlan {
  if (intervalsMs.length === 0)
    return { kind: 'level', intervalMs: null, reason: 'too few rows to infer the spacing' };
  const sorted = intervalsMs.slice().sort((a, b) => a - b);
  const intervalMs = quantile(sorted, 0.5);
  const q25 = quantile(sorted, 0.25);
  const q75 = quantile(sorted, 0.75);
  const median = formatDuration(intervalMs);
  if (q75 > MAX_QUARTILE_RATIO * q25)
    return {
      kind: 'level',
      intervalMs,
      reason: `irregular spacing (the middle half of the intervals spans ${formatDuration(q25)} to ${formatDuration(q75)})`,
    };
  if (intervalMs < FINEST_SEASONAL_INTERVAL_MS)
    return {
      kind: 'level',
      intervalMs,
      reason:
        `median interval ${median} is finer than 1 min, too many points for a daily season ` +
        '(if the timestamps are row numbers, give real times)',
    };
  if (intervalMs <= COARSEST_DAILY_INTERVAL_MS)
    return { kind: 'seasonal', period: 'day', intervalMs, pointsPerSeason: Math.round(DAY_MS / intervalMs) };
  if (intervalMs <= COARSEST_WEEKLY_INTERVAL_MS)
    return {
      kind: 'seasonal',
      period: 'week',
      intervalMs,
      pointsPerSeason: Math.round(WEEK_MS / intervalMs),
    };
  return {
    kind: 'level',
    intervalMs,
    reason: `median interval ${median} is too coarse for a daily or weekly season`,
  };
}

/** One line for the user: what season the series got and why. */
export function describeSeasonPlan(plan: SeasonPlan): string {
  if (plan.kind === 'level') return `level-only baseline, no season: ${plan.reason}`;
  const unit = plan.period === 'day' ? 'day' : 'week';
  return `median interval ${formatDuration(plan.intervalMs)}: ${unit === 'day' ? 'daily' : 'weekly'} season of ${plan.pointsPerSeason} points per ${unit}`;
}

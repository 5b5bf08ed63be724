import type { CubeTable } from '../metrics/rollup';
import type { Episode } from './group';

const DAY_MS = 86_400_000;
/** Earlier days whose same hours make the seasonal-naive forecast, most recent first. */
const FORECAST_DAYS = 7;
/** How far back days of the same type (weekday, weekend) are looked for. */
const LOOKBACK_DAYS = 14;
const MIN_DAYS = 2;
/** Evidence needed from the second opinion, as a z-score in the episode's direction. */
const CONFIRM_Z = 3;
/** The second opinion has this long from the episode's first bucket to agree. */
const CONFIRM_WITHIN_MS = 2 * 3_600_000;

const isWeekend = (ms: number) => {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
};

/**
 * The earlier buckets at the same time of day that forecast bucket `b`: up to a week of days of the same
 * type (weekday or weekend) within two weeks, else of any type; null when fewer than two exist.
 */
function sameTimeEarlier(table: CubeTable, b: number): number[] | null {
  const perDay = Math.round(DAY_MS / table.bucketMs);
  const weekend = isWeekend(table.start + b * table.bucketMs);
  const sameType: number[] = [];
  const any: number[] = [];
  for (let d = 1; d <= LOOKBACK_DAYS; d++) {
    const earlier = b - d * perDay;
    if (earlier < 0) break;
    if (table.present[earlier] !== 1) continue;
    if (d <= FORECAST_DAYS) any.push(earlier);
    if (sameType.length < FORECAST_DAYS && isWeekend(table.start + earlier * table.bucketMs) === weekend)
      sameType.push(earlier);
  }
  if (sameType.length >= MIN_DAYS) return sameType;
  return any.length >= MIN_DAYS ? any : null;
}

/**
 * Per bucket, the `measure` of the rows of `table` that are in `cohort` and in any of `parts`: the share of a
 * cohort's traffic that annotated promos or campaigns brought.
 */
export function cohortShareSeries(
  table: CubeTable,
  names: Map<number, string>,
  measure: string,
  cohort: Record<string, string>,
  parts: Record<string, string>[],
): Float64Array {
  const out = new Float64Array(table.length);
  const values = table.measures[measure];
  if (!values || parts.length === 0) return out;
  const matches = (r: number, c: Record<string, string>) =>
    Object.entries(c).every(([d, v]) => {
      const column = table.dims[d];
      return column !== undefined && names.get(column[r] as number) === v;
    });
  for (let r = 0; r < table.rows; r++)
    if (matches(r, cohort) && parts.some((p) => matches(r, p))) {
      const b = table.bucketIndex[r] as number;
      out[b] = (out[b] as number) + (values[r] as number);
    }
  return out;
}

/**
 * A second opinion on a count episode from a different model: the same hours of earlier days (seasonal naive),
 * with the variance the days themselves show. The detector's baseline is a profile scaled to the recent level,
 * which a surge (an e-mail send, a promo) inflates for hours: what follows looks like a fall although traffic
 * is above any earlier day. The traffic an annotated promo or campaign brought into the cohort (`exclude`) is
 * left out of the earlier days, and of the day itself for a rise, so neither a promo's lift nor its end is news. Returns the bucket by which the cumulative evidence from the episode's start agrees
 * with its direction (the incident is known then), `first` when there is too little history to ask, or null
 * when the earlier days never agree within two hours: not an incident.
 */
export function seasonalConfirmation(
  table: CubeTable,
  episode: Episode,
  /** Per bucket, traffic of the cohort to leave out of the comparison (that of a promo or a campaign). */
  exclude?: Float64Array,
): number | null {
  const own = episode.series.cohort.series[episode.series.metric.numerator] as Float64Array | undefined;
  if (!own) return episode.first;
  // Without the lifts' visitors: the earlier days always (a promo day must not raise the forecast of the days
  // after it), the day itself only for a rise (the promo's own lift is not news; for a fall, what the promo
  // brought counts: a country whose traffic holds up thanks to the sale has not fallen).
  const without = exclude ? own.map((v, b) => v - (exclude[b] as number)) : own;
  const current = episode.direction === 'up' ? without : own;
  const sign = episode.direction === 'down' ? -1 : 1;
  const until = Math.min(
    episode.last,
    episode.first + Math.max(1, Math.round(CONFIRM_WITHIN_MS / table.bucketMs)) - 1,
  );
  let observed = 0;
  // Per position in the list of earlier days (the k-th most recent matching day), the sum over the window so far.
  const daySums: number[] = [];
  let forecast = 0;
  for (let b = episode.first; b <= until; b++) {
    if (table.present[b] !== 1) continue;
    const earlier = sameTimeEarlier(table, b);
    if (!earlier) return episode.first;
    const seen = earlier.map((e) => without[e] as number);
    earlier.forEach((_, k) => (daySums[k] = (daySums[k] ?? 0) + (seen[k] as number)));
    const sorted = [...seen].sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    forecast +=
      sorted.length % 2
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    observed += current[b] as number;
    const sums = daySums.slice(0, earlier.length);
    const mean = sums.reduce((s, x) => s + x, 0) / sums.length;
    const spread = sums.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, sums.length - 1);
    const z = (observed - forecast) / Math.sqrt(Math.max(forecast, spread, 1));
    if (sign * z >= CONFIRM_Z) return b;
  }
  return null;
}

/** Evidence a rate episode needs from the earlier days (rates are noisier in small cohorts: less than counts). */
const RATE_CONFIRM_Z = 2.5;
const RATE_LOOKBACK_MS = 6 * 3_600_000;

/**
 * z of `observed` conversions in `trials` against the earlier days' conversions and trials over the same
 * buckets: binomial at their pooled rate (shrunk a little toward a half, so a rate never seen, 0 of 12, is not
 * certain), with the uncertainty of that rate, and with the spread of the days' own rates beyond what their
 * sampling explains (a beta-binomial between days, by moments): a category's night-time rate that is 8 % one
 * night and 3 % the next says a low night is no news. Null without trials on the earlier days.
 */
function rateZ(observed: number, trials: number, dayNum: number[], dayDen: number[]): number | null {
  const totalNum = dayNum.reduce((a, b) => a + b, 0);
  const totalDen = dayDen.reduce((a, b) => a + b, 0);
  if (!(totalDen > 0)) return null;
  const rate = (totalNum + 0.5) / (totalDen + 1);
  const binomial = rate * (1 - rate);
  // Between-day variance of the rate beyond sampling: Σ D_k (r_k − r)² / ΣD against its binomial share.
  const days = dayDen.filter((d) => d > 0).length;
  let between = 0;
  if (days >= 2) {
    let spread = 0;
    dayDen.forEach((d, k) => {
      if (d > 0) spread += d * ((dayNum[k] as number) / d - rate) ** 2;
    });
    // E[Σ D_k (r_k − r)²] = (days − 1) p(1 − p) + τ² (ΣD − ΣD²/ΣD) under the beta-binomial.
    const sumSquares = dayDen.reduce((a, d) => a + d * d, 0);
    between = Math.max(0, (spread - (days - 1) * binomial) / (totalDen - sumSquares / totalDen));
  }
  const variance = trials * binomial * (1 + trials / totalDen) + trials * trials * between;
  return (observed - trials * rate) / Math.sqrt(Math.max(variance, 1));
}

/**
 * The second opinion on a rate episode: its conversions against its trials at the rate the same hours of
 * earlier days had (pooled over those days), binomial, cumulative from the episode's start to its end. The
 * rate detectors watch a level without a daily cycle; a rate that is low every evening, or that stays at its
 * evening level after an incident, is not an incident. Visitors that an annotated promo or campaign brought
 * (`exclude`) are left out on every day: they convert their own way. Counted from the shift's onset, so that the hours of
 * normal rates before it do not water the evidence down. Returns the bucket by which the evidence agrees (the
 * incident is known then), `first` without enough history, or null when it never does.
 */
export function seasonalRateConfirmation(
  table: CubeTable,
  episode: Episode,
  /** Per bucket, conversions and trials of the cohort to leave out (a promo's or a campaign's visitors). */
  exclude?: { num: Float64Array; den: Float64Array },
): number | null {
  const metric = episode.series.metric;
  if (!('denominator' in metric) || metric.denominator === undefined) return episode.first;
  const ownNum = episode.series.cohort.series[metric.numerator] as Float64Array | undefined;
  const ownDen = episode.series.cohort.series[metric.denominator] as Float64Array | undefined;
  if (!ownNum || !ownDen) return episode.first;
  const num = exclude ? ownNum.map((v, b) => Math.max(0, v - (exclude.num[b] as number))) : ownNum;
  const den = exclude ? ownDen.map((v, b) => Math.max(0, v - (exclude.den[b] as number))) : ownDen;
  const sign = episode.direction === 'down' ? -1 : 1;
  let observed = 0;
  let trialsSoFar = 0;
  // Per position in the list of earlier days (the k-th most recent matching day): conversions and trials
  // over the same buckets so far.
  const dayNum: number[] = [];
  const dayDen: number[] = [];
  // The rate detector's alarm comes after it has accumulated evidence: the buckets since the shift began (as
  // the detector dates it, at most six hours back) are part of it (the past, so the verdict stays online), and
  // the verdict is given from the episode's first significant bucket on.
  const lookback = Math.round(RATE_LOOKBACK_MS / table.bucketMs);
  const from = Math.max(0, episode.first - lookback, Math.min(episode.onset, episode.first));
  for (let b = from; b <= episode.last; b++) {
    if (table.present[b] !== 1) continue;
    const earlier = sameTimeEarlier(table, b);
    if (!earlier) return episode.first;
    const trials = den[b] as number;
    if (trials <= 0) continue;
    earlier.forEach((e, k) => {
      dayNum[k] = (dayNum[k] ?? 0) + (num[e] as number);
      dayDen[k] = (dayDen[k] ?? 0) + (den[e] as number);
    });
    observed += num[b] as number;
    trialsSoFar += trials;
    const z = rateZ(observed, trialsSoFar, dayNum.slice(0, earlier.length), dayDen.slice(0, earlier.length));
    if (z !== null && b >= episode.first && sign * z >= RATE_CONFIRM_Z) return b;
  }
  return null;
}

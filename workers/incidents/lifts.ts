import { parseCohort } from '../attribute/causes/annotations';
import type { CubeTable } from '../metrics/rollup';
import type { AnnotationRow } from './build';
import { cohortShareSeries } from './confirm';
import { comparable, intersects, type Episode } from './group';

/** How long after a promo or campaign its traffic is still its own (late opens, returning visitors). */
const LIFT_AFTERMATH_MS = 86_400_000;

export interface Lift {
  from: number;
  to: number;
  cohort: Record<string, string>;
}

export function expectedLifts(annotations: AnnotationRow[]): Lift[] {
  return annotations
    .filter((a) => a.kind === 'promo' || a.kind === 'campaign')
    .map((a) => ({
      from: a.start_ts,
      to: (a.end_ts ?? a.start_ts + 86_400_000) + LIFT_AFTERMATH_MS,
      cohort: parseCohort(a.cohort),
    }))
    .filter((l) => Object.keys(l.cohort).length > 0);
}

/** The annotated lifts running during the episode whose visitors are among its cohort's. */
function liftsDuring(table: CubeTable, e: Episode, lifts: Lift[]): Lift[] {
  const from = table.start + e.first * table.bucketMs;
  const to = table.start + (e.last + 1) * table.bucketMs;
  return lifts.filter((l) => l.from < to && l.to > from && intersects(l.cohort, e.series.cohort.cohort));
}

function shareOf(
  table: CubeTable,
  names: Map<number, string>,
  e: Episode,
  measure: string,
  parts: Record<string, string>[],
  cache: Map<string, Float64Array>,
): Float64Array {
  const key = `${measure}|${e.series.cohort.key}|${JSON.stringify(parts)}`;
  let series = cache.get(key);
  if (!series)
    cache.set(key, (series = cohortShareSeries(table, names, measure, e.series.cohort.cohort, parts)));
  return series;
}

/**
 * The traffic that promos and campaigns running during the episode brought into its cohort, when they only
 * overlap it (a sale's visitors among a country's): the confirmation judges the cohort without them. A cohort
 * inside the promo's, or holding all of it, is the promo's own business (expected lifts, build.ts).
 */
export function liftTraffic(
  table: CubeTable,
  names: Map<number, string>,
  e: Episode,
  lifts: Lift[],
  cache: Map<string, Float64Array>,
): Float64Array | undefined {
  const parts = liftsDuring(table, e, lifts)
    .filter((l) => !comparable(l.cohort, e.series.cohort.cohort))
    .map((l) => l.cohort);
  return parts.length === 0 ? undefined : shareOf(table, names, e, e.series.metric.numerator, parts, cache);
}

/**
 * For a rate: the conversions and trials of the visitors that promos and campaigns running during the episode
 * brought into its cohort, which holds or overlaps theirs. Those visitors convert their own way (a sale's
 * better, a newsletter's readers worse): the second opinion asks whether the cohort's other visitors' rate
 * fell. A cohort inside a promo's is left as it is (nothing else would remain).
 */
export function liftRateTraffic(
  table: CubeTable,
  names: Map<number, string>,
  e: Episode,
  lifts: Lift[],
  cache: Map<string, Float64Array>,
): { num: Float64Array; den: Float64Array } | undefined {
  const metric = e.series.metric;
  if (!('denominator' in metric)) return undefined;
  const cohort = e.series.cohort.cohort;
  const parts = liftsDuring(table, e, lifts)
    .filter((l) => !Object.entries(l.cohort).every(([d, v]) => cohort[d] === v))
    .map((l) => l.cohort);
  if (parts.length === 0) return undefined;
  return {
    num: shareOf(table, names, e, metric.numerator, parts, cache),
    den: shareOf(table, names, e, metric.denominator ?? '', parts, cache),
  };
}

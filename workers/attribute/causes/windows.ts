import type { CohortSeries, CubeTable } from '../../metrics/rollup';

/** Sums of cube measures over one window of buckets. */
export type Sums = Record<string, number>;

export interface CohortWindows {
  /** First bucket of the window after the onset, and of each baseline window (in the order of `baseline`). */
  first: number;
  starts: number[];
  /** Buckets of the window after the onset, and its length in hours. */
  buckets: number;
  hours: number;
  baseline: 'same hours of earlier days' | 'preceding hours';
  /** Inside the cohort and outside it: the window after the onset and each baseline window. */
  inside: { after: Sums; baseline: Sums[] };
  outside: { after: Sums; baseline: Sums[] };
}

/** Earlier days compared with the window (a week covers every weekday once). */
const BASELINE_DAYS = 7;
/** A baseline window is used when the workspace holds data in at least this share of its buckets. */
const MIN_PRESENT = 0.9;

const zeroSums = (measures: readonly string[]): Sums => Object.fromEntries(measures.map((m) => [m, 0]));

/** A cohort's measures per bucket of the table, and those of the rest of the traffic. */
export interface SplitSeries {
  inside: Record<string, Float64Array>;
  outside: Record<string, Float64Array>;
}

const emptySeries = (measures: readonly string[], length: number) =>
  Object.fromEntries(measures.map((m) => [m, new Float64Array(length)]));

/**
 * Splits the visit cube's measures into the cohort's and the rest's, per bucket. Null when the cohort names
 * a dimension the cube does not hold.
 */
export function sessionSplit(
  table: CubeTable,
  names: Map<number, string>,
  cohort: Record<string, string>,
  measures: readonly string[],
): SplitSeries | null {
  const dims = Object.keys(cohort);
  if (dims.some((d) => !table.dims[d])) return null;
  const columns = dims.map((d) => table.dims[d] as Int32Array);
  const wanted = dims.map((d) => {
    const ids = new Set<number>();
    for (const [id, value] of names) if (value === cohort[d]) ids.add(id);
    return ids;
  });
  const split = { inside: emptySeries(measures, table.length), outside: emptySeries(measures, table.length) };
  const sources = measures.map((m) => table.measures[m]);
  const insides = measures.map((m) => split.inside[m]!);
  const outsides = measures.map((m) => split.outside[m]!);
  for (let r = 0; r < table.rows; r++) {
    let match = true;
    for (let k = 0; k < columns.length && match; k++) match = wanted[k]!.has(columns[k]![r]!);
    const targets = match ? insides : outsides;
    const b = table.bucketIndex[r]!;
    for (let m = 0; m < sources.length; m++) {
      const source = sources[m];
      if (source) targets[m]![b]! += source[r]!;
    }
  }
  return split;
}

/**
 * The same split for a product cohort (a category): its series from the product cube, against the other
 * values of its dimension together. A visit that touched two categories counts in both, as it does in the
 * product cube. Null when no series is the cohort's.
 */
export function productSplit(
  products: readonly CohortSeries[],
  cohort: Record<string, string>,
  measures: readonly string[],
  length: number,
): SplitSeries | null {
  const [dimension, ...more] = Object.keys(cohort);
  if (dimension === undefined || more.length > 0) return null;
  const own = products.find((p) => p.cohort[dimension] === cohort[dimension]);
  if (!own) return null;
  const split = { inside: emptySeries(measures, length), outside: emptySeries(measures, length) };
  for (const product of products) {
    const side = product === own ? split.inside : split.outside;
    for (const m of measures) {
      const source = product.series[m];
      const target = side[m]!;
      if (source) for (let b = 0; b < length; b++) target[b]! += source[b]!;
    }
  }
  return split;
}

/**
 * Sums the measures inside and outside a cohort over the window [first, first + buckets) and over the same
 * buckets of up to seven earlier days (the daily cycle then cancels out). When no earlier day is covered,
 * the preceding hours are the baseline. Null when the window lies outside the table.
 */
export function cohortWindows(
  table: Pick<CubeTable, 'length' | 'bucketMs' | 'present'>,
  split: SplitSeries,
  first: number,
  buckets: number,
  measures: readonly string[],
): CohortWindows | null {
  const length = Math.max(0, Math.min(buckets, table.length - first));
  if (length === 0 || first < 0) return null;
  const perDay = Math.round(86_400_000 / table.bucketMs);
  const covered = (from: number) => {
    if (from < 0) return false;
    let present = 0;
    for (let b = from; b < from + length; b++) present += table.present[b] ?? 0;
    return present >= MIN_PRESENT * length;
  };
  const days: number[] = [];
  for (let d = 1; d <= BASELINE_DAYS; d++) if (covered(first - d * perDay)) days.push(d);
  const useDays = days.length > 0 && perDay >= 2 * length;
  const preceding = !useDays && covered(first - length);
  // Where each window starts: the one after the onset, then each baseline window.
  const starts = useDays ? days.map((d) => first - d * perDay) : preceding ? [first - length] : [];
  const sum = (series: Record<string, Float64Array>, from: number): Sums => {
    const sums = zeroSums(measures);
    for (const m of measures) {
      const values = series[m]!;
      let total = 0;
      for (let b = from; b < from + length; b++) total += values[b]!;
      sums[m] = total;
    }
    return sums;
  };
  const side = (series: Record<string, Float64Array>) => ({
    after: sum(series, first),
    baseline: starts.map((from) => sum(series, from)),
  });
  return {
    first,
    starts,
    buckets: length,
    hours: (length * table.bucketMs) / 3_600_000,
    baseline: useDays ? 'same hours of earlier days' : 'preceding hours',
    inside: side(split.inside),
    outside: side(split.outside),
  };
}

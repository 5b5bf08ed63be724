import type { CubeTable } from '../../metrics/rollup';

/** Sums of cube measures over one window of buckets. */
export type Sums = Record<string, number>;

export interface CohortWindows {
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

/**
 * Sums the measures inside and outside a cohort over the window [first, first + buckets) and over the same
 * buckets of up to seven earlier days (the daily cycle then cancels out). When no earlier day is covered,
 * the preceding hours are the baseline. Null when the cohort names a dimension the cube does not hold.
 */
export function cohortWindows(
  table: CubeTable,
  names: Map<number, string>,
  cohort: Record<string, string>,
  first: number,
  buckets: number,
  measures: readonly string[],
): CohortWindows | null {
  const dims = Object.keys(cohort);
  if (dims.some((d) => !table.dims[d])) return null;
  const columns = dims.map((d) => table.dims[d] as Int32Array);
  const wanted = dims.map((d) => {
    const ids = new Set<number>();
    for (const [id, value] of names) if (value === cohort[d]) ids.add(id);
    return ids;
  });
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
  const slots = useDays ? days.length : preceding ? 1 : 0;
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const make = () => ({
    after: zeroSums(measures),
    baseline: Array.from({ length: slots }, () => zeroSums(measures)),
  });
  const inside = make();
  const outside = make();
  const sources = measures.map((m) => table.measures[m]);
  for (let r = 0; r < table.rows; r++) {
    const rel = (table.bucketIndex[r] as number) - first;
    // Which window the row falls in: -1 none, 0 the one after the onset, 1 + i the i-th baseline window.
    let slot = -1;
    if (rel >= 0 && rel < length) slot = 0;
    else if (rel < 0 && useDays) {
      const d = Math.ceil(-rel / perDay);
      const i = dayIndex.get(d);
      if (i !== undefined && rel + d * perDay < length) slot = 1 + i;
    } else if (preceding && rel < 0 && rel >= -length) slot = 1;
    if (slot < 0) continue;
    let match = true;
    for (let k = 0; k < columns.length; k++)
      if (!wanted[k]!.has(columns[k]![r]!)) {
        match = false;
        break;
      }
    const side = match ? inside : outside;
    const target = slot === 0 ? side.after : side.baseline[slot - 1]!;
    for (let m = 0; m < measures.length; m++) {
      const source = sources[m];
      if (source) target[measures[m]!]! += source[r]!;
    }
  }
  return {
    buckets: length,
    hours: (length * table.bucketMs) / 3_600_000,
    baseline: useDays ? 'same hours of earlier days' : 'preceding hours',
    inside,
    outside,
  };
}

/**
 * The index of the bucket containing `time` in sorted bucket starts, or -1. Tooltips look values up here
 * rather than trusting ECharts' per-series hit: with LTTB sampling each series keeps different points, so
 * the axis tooltip would otherwise list only some of them.
 */
export function bucketIndex(times: readonly number[], time: number, bucketMs: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = times[mid] as number;
    if (time < start) hi = mid - 1;
    else if (time >= start + bucketMs) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The axis value under the pointer, from an axis-trigger tooltip's parameters. */
export function axisTime(raw: unknown): number | null {
  const first = (Array.isArray(raw) ? raw[0] : raw) as { axisValue?: number | string } | undefined;
  const value = first?.axisValue;
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : null;
}

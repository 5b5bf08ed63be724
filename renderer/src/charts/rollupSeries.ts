import type { DetectorAlarm, MetricSeries } from '../../../shared/explore';

const MINUTE = 60_000;
/** Display resolutions offered, where they are whole multiples of the workspace's bucket. */
// Not whole days: a day bucket in UTC would not be the workspace's day.
const RESOLUTIONS_MIN = [1, 5, 15, 30, 60, 180, 360];
/**
 * A rate shown per display bucket should rest on at least this many trials, and this many of the rarer outcome
 * (successes for a 3 % conversion rate), in a typical bucket; otherwise it swings between 0 and a multiple of
 * its real value.
 */
const MIN_TRIALS = 20;
const MIN_OUTCOMES = 10;

export function resolutionsFor(bucketMs: number): number[] {
  return RESOLUTIONS_MIN.map((m) => m * MINUTE).filter((ms) => ms >= bucketMs && ms % bucketMs === 0);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * The display resolution of a series: its own buckets for counts and for rates with enough trials; for a
 * small cohort's or a rare outcome's rate, the finest resolution at which a typical bucket holds MIN_TRIALS
 * trials and MIN_OUTCOMES of the rarer outcome.
 */
export function defaultResolution(series: MetricSeries): number {
  const options = resolutionsFor(series.bucketMs);
  if (!series.denominators) return series.bucketMs;
  const dens = series.denominators.filter((d): d is number => d !== null && d > 0);
  const typical = median(dens);
  if (typical === 0) return series.bucketMs;
  const totalDen = dens.reduce((a, b) => a + b, 0);
  const totalNum = series.numerators.reduce<number>((a, n) => a + (n ?? 0), 0);
  const rate = totalDen > 0 ? totalNum / totalDen : 0;
  const rarer = Math.min(rate, 1 - rate);
  const enough = (trials: number) => trials >= MIN_TRIALS && (rarer <= 0 || trials * rarer >= MIN_OUTCOMES);
  return (
    options.find((ms) => enough(typical * (ms / series.bucketMs))) ??
    options[options.length - 1] ??
    series.bucketMs
  );
}

/** The first `count` buckets of a series: what a live watcher had seen at bucket `count`. */
export function prefix(series: MetricSeries, count: number): MetricSeries {
  const until = series.times[count - 1] ?? -Infinity;
  const cut = <T>(a: T[]) => a.slice(0, count);
  return {
    ...series,
    times: cut(series.times),
    values: cut(series.values),
    numerators: cut(series.numerators),
    denominators: series.denominators ? cut(series.denominators) : null,
    ...(series.baseline
      ? {
          baseline: {
            ...series.baseline,
            expected: cut(series.baseline.expected),
            lower: cut(series.baseline.lower),
            upper: cut(series.baseline.upper),
            alarms: series.baseline.alarms.filter((a) => a.at <= until),
          },
        }
      : {}),
  };
}

/**
 * A series summed into coarser buckets. Counts and sums add up; a rate is Σ numerators / Σ denominators,
 * never an average of rates, and its expected value is weighted by the denominators. An interval does not
 * add up, so a rolled-up series has no band (null) — the chart says the band is at the native resolution.
 * Alarms move to the display bucket they fell in, once per detector.
 */
export function rollUpSeries(series: MetricSeries, resolutionMs: number): MetricSeries {
  if (resolutionMs <= series.bucketMs) return series;
  const ratio = series.denominators !== null;
  const times: number[] = [];
  const numerators: (number | null)[] = [];
  const denominators: (number | null)[] = [];
  const expectedSum: (number | null)[] = [];
  const expectedWeight: number[] = [];
  series.times.forEach((t, i) => {
    const slot = Math.floor(t / resolutionMs) * resolutionMs;
    if (times[times.length - 1] !== slot) {
      times.push(slot);
      numerators.push(null);
      denominators.push(null);
      expectedSum.push(null);
      expectedWeight.push(0);
    }
    const k = times.length - 1;
    const n = series.numerators[i] ?? null;
    const d = series.denominators?.[i] ?? null;
    if (n !== null) numerators[k] = (numerators[k] ?? 0) + n;
    if (d !== null) denominators[k] = (denominators[k] ?? 0) + d;
    const e = series.baseline?.expected[i] ?? null;
    if (e !== null) {
      const weight = ratio ? (d ?? 0) : 1;
      expectedSum[k] = (expectedSum[k] ?? 0) + e * weight;
      expectedWeight[k] = (expectedWeight[k] ?? 0) + weight;
    }
  });
  const values = numerators.map((n, k) => {
    if (n === null) return null;
    if (!ratio) return n;
    const d = denominators[k];
    return d ? n / d : null;
  });
  const expected = expectedSum.map((s, k) => {
    if (s === null) return null;
    if (!ratio) return s;
    const w = expectedWeight[k] ?? 0;
    return w > 0 ? s / w : null;
  });
  const seen = new Set<string>();
  const alarms: DetectorAlarm[] = [];
  for (const alarm of series.baseline?.alarms ?? []) {
    const slot = Math.floor(alarm.at / resolutionMs) * resolutionMs;
    const key = `${alarm.detector}@${slot}`;
    if (seen.has(key)) continue;
    seen.add(key);
    alarms.push({ ...alarm, at: slot });
  }
  const nulls = times.map(() => null);
  return {
    ...series,
    bucketMs: resolutionMs,
    times,
    values,
    numerators,
    denominators: ratio ? denominators : null,
    ...(series.baseline
      ? { baseline: { ...series.baseline, expected, lower: nulls, upper: [...nulls], alarms } }
      : {}),
  };
}

import type { Sensitivity } from '../detect';
import type { MetricDefinition } from '../../shared/metrics';
import { runSeries, WATCHED_METRICS, type BucketVerdict, type WatchedMetric } from '../incidents/scan';
import type { CohortSeries, CubeTable } from '../metrics/rollup';
import type { BucketData } from './buckets';
import { GenericBandDetector, type GenericBucket } from './generic-track';

/** One alarm of the series' detector: bucket index, direction and calibrated score. */
export interface BucketAlarm {
  bucket: number;
  direction: 'up' | 'down';
  score: number;
}

/**
 * The online baseline of a series, one entry per bucket of its BucketData: NaN where the detector gave no
 * score (a gap, or history still too short). Each entry was computed from that bucket and the ones before.
 */
export interface BaselineTrack {
  detector: string;
  expected: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** 0 no score, 1 level-only baseline, 2 seasonal baseline. */
  kind: Uint8Array;
  alarms: BucketAlarm[];
}

export const DETECTOR_NAMES = {
  count: 'count (negative binomial + CUSUM)',
  ratio: 'rate (beta-binomial CUSUM)',
  mean: 'mean (Gaussian CUSUM over observations)',
  generic: 'generic ensemble (robust z, EWMA, CUSUM, S-H-ESD)',
} as const;

/** Which detector a metric gets: the one detection uses for watched metrics, the same kind for the rest. */
export type DetectorChoice =
  | { detector: 'count' | 'ratio' | 'mean'; watched: WatchedMetric }
  | { detector: 'generic'; clampAtZero: boolean };

const watchedByName = (name: string) => WATCHED_METRICS.find((m) => m.metric === name);

/**
 * Counts get the counts detector and proportions (a numerator that is a subset of its denominator) the
 * ratio detector; a metric that is not watched borrows a watched metric of the same kind as its template
 * (the detectors depend on the kind only). Sums and means (revenue, order value, latency) are not counts of
 * trials, so they get the generic ensemble on their value.
 */
export function detectorFor(metric: MetricDefinition): DetectorChoice {
  const watched = watchedByName(metric.name);
  if (watched) return { detector: watched.kind, watched };
  if (metric.kind === 'count')
    return { detector: 'count', watched: watchedByName('sessions') as WatchedMetric };
  if (metric.kind === 'ratio' && metric.unit === 'ratio')
    return { detector: 'ratio', watched: watchedByName('conversion_rate') as WatchedMetric };
  // Revenue, order value and latency cannot be negative; an imported sum might be.
  return { detector: 'generic', clampAtZero: metric.kind !== 'sum' || metric.family === 'revenue' };
}

function emptyTrack(detector: string, length: number): BaselineTrack {
  const nan = () => new Float64Array(length).fill(Number.NaN);
  return { detector, expected: nan(), lower: nan(), upper: nan(), kind: new Uint8Array(length), alarms: [] };
}

function record(track: BaselineTrack, b: number, v: BucketVerdict | GenericBucket): void {
  track.expected[b] = v.expected;
  track.lower[b] = v.lower;
  track.upper[b] = v.upper;
  track.kind[b] = v.baselineKind === 'seasonal' ? 2 : 1;
  if (v.alarm) track.alarms.push({ bucket: b, direction: v.direction, score: v.score });
}

/** The count or ratio detector of detection itself (scan.ts runSeries), over this one series. */
function detectionTrack(
  data: BucketData,
  choice: { detector: 'count' | 'ratio' | 'mean'; watched: WatchedMetric },
  sensitivity: Sensitivity,
): BaselineTrack {
  const track = emptyTrack(DETECTOR_NAMES[choice.detector], data.length);
  const table: CubeTable = {
    bucketMs: data.bucketMs,
    start: data.start,
    length: data.length,
    present: data.present,
    rows: 0,
    bucketIndex: new Int32Array(0),
    dims: {},
    measures: {},
  };
  const series: Record<string, Float64Array> = { [choice.watched.numerator]: data.numerator };
  if ('denominator' in choice.watched && data.denominator)
    series[choice.watched.denominator] = data.denominator;
  const cohort: CohortSeries = { key: '', cohort: {}, series, totals: {} };
  runSeries(table, cohort, choice.watched, sensitivity, (b, verdict) => record(track, b, verdict));
  return track;
}

/** The generic ensemble over the metric's value (a sum, or a mean such as order value). */
function genericTrack(
  data: BucketData,
  clampAtZero: boolean,
  sensitivity: Sensitivity,
  [first, end]: [number, number],
): BaselineTrack {
  const track = emptyTrack(DETECTOR_NAMES.generic, data.length);
  const detector = new GenericBandDetector(data.bucketMs / 60_000, sensitivity);
  for (let b = 0; b < data.length; b++) {
    let value: number | null = null;
    if (data.present[b]) {
      const numerator = data.numerator[b] as number;
      if (!data.denominator) value = numerator;
      else if ((data.denominator[b] as number) > 0) value = numerator / (data.denominator[b] as number);
    }
    const verdict = detector.push(data.start + b * data.bucketMs, value, b >= first && b < end);
    if (!verdict) continue;
    if (clampAtZero) verdict.lower = Math.max(0, verdict.lower);
    record(track, b, verdict);
  }
  return track;
}

function cappedAtDenominator(data: BucketData): BucketData {
  const { denominator } = data;
  if (!denominator || data.numerator.every((x, b) => x <= (denominator[b] as number))) return data;
  return { ...data, numerator: data.numerator.map((x, b) => Math.min(x, denominator[b] as number)) };
}

/**
 * Runs the metric's online detector over the whole series, first bucket to last. The track is complete
 * for the buckets in `report` ([first, end) indices, all by default); before them the generic detector
 * only learns (its band there would be thrown away).
 */
export function onlineBaseline(
  data: BucketData,
  metric: MetricDefinition,
  sensitivity: Sensitivity,
  report: [number, number] = [0, data.length],
): BaselineTrack {
  const choice = detectorFor(metric);
  // A ratio of the analyst's own can count more events than its denominator (payment failures per
  // checkout, with retries): the rate detector reads it as a share, the numerator capped at the denominator.
  return choice.detector === 'generic'
    ? genericTrack(data, choice.clampAtZero, sensitivity, report)
    : detectionTrack(choice.detector === 'ratio' ? cappedAtDenominator(data) : data, choice, sensitivity);
}

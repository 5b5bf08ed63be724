import type { DetectorAlarm, MetricSeries, SeriesQuery, WorkspaceSettings } from '../../shared/explore';
import { metricValue, type MetricDefinition } from '../../shared/metrics';
import type { Db } from '../store/workspace';
import { onlineBaseline, type BaselineTrack } from './baseline';
import { loadMetricBuckets, type BucketData } from './buckets';
import { resolveMetric } from './catalog';
import { checkWindow } from './window';

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** The buckets of `data` whose start lies in [from, to). */
function windowIndices(data: BucketData, from: number | undefined, to: number | undefined): [number, number] {
  const ms = data.bucketMs;
  const first = from === undefined ? 0 : Math.max(0, Math.ceil((from - data.start) / ms));
  const end = to === undefined ? data.length : Math.min(data.length, Math.ceil((to - data.start) / ms));
  return [first, Math.max(first, end)];
}

function baselineOf(
  track: BaselineTrack,
  data: BucketData,
  first: number,
  end: number,
): MetricSeries['baseline'] {
  const slice = (xs: Float64Array) => Array.from(xs.subarray(first, end), finiteOrNull);
  let scored = 0;
  let seasonal = 0;
  for (let b = first; b < end; b++) {
    if (track.kind[b] === 0) continue;
    scored++;
    if (track.kind[b] === 2) seasonal++;
  }
  const alarms: DetectorAlarm[] = track.alarms
    .filter((a) => a.bucket >= first && a.bucket < end)
    .map((a) => ({
      detector: track.detector,
      at: data.start + a.bucket * data.bucketMs,
      direction: a.direction,
      score: a.score,
    }));
  return {
    expected: slice(track.expected),
    lower: slice(track.lower),
    upper: slice(track.upper),
    // Seasonal only when every scored bucket of the window was: a window that reaches back into the first
    // week (or a ratio, whose baseline is a level by design) says it used the level.
    seasonal: scored > 0 && seasonal === scored,
    alarms,
  };
}

/** The sensitivity a metric's detector runs at: its own override, else the workspace's. */
export function sensitivityFor(metric: MetricDefinition, settings: WorkspaceSettings) {
  return settings.metricSensitivity[metric.name] ?? settings.sensitivity;
}

/**
 * A metric of one cohort per bucket. With `baseline`, the detector runs from the workspace's first bucket
 * (its state at `from` depends on all the history before) up to `to`, so the band of a bucket is what a
 * live watcher saw then; only the window is returned.
 */
export function metricSeries(db: Db, query: SeriesQuery, settings: WorkspaceSettings): MetricSeries {
  checkWindow(query, { optional: true });
  const metric = resolveMetric(db, query.metric);
  const cohort = query.cohort ?? {};
  const range = {
    ...(query.baseline || query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
  };
  const data = loadMetricBuckets(db, metric, cohort, range);
  const [first, end] = windowIndices(data, query.from, query.to);
  const length = end - first;
  const times = new Array<number>(length);
  const values = new Array<number | null>(length);
  const numerators = new Array<number | null>(length);
  const denominators = data.denominator ? new Array<number | null>(length) : null;
  for (let i = 0; i < length; i++) {
    const b = first + i;
    times[i] = data.start + b * data.bucketMs;
    if (!data.present[b]) {
      values[i] = numerators[i] = null;
      if (denominators) denominators[i] = null;
      continue;
    }
    const numerator = data.numerator[b] as number;
    const denominator = data.denominator?.[b];
    numerators[i] = numerator;
    if (denominators) denominators[i] = denominator as number;
    values[i] = metricValue(metric, numerator, denominator);
  }
  const series: MetricSeries = {
    metric,
    cohort,
    bucketMs: data.bucketMs,
    times,
    values,
    numerators,
    denominators,
  };
  if (query.baseline) {
    const track = onlineBaseline(data, metric, sensitivityFor(metric, settings), [first, end]);
    series.baseline = baselineOf(track, data, first, end);
  }
  return series;
}

/**
 * Detection over the analyst's own metrics (shared/custom-metrics.ts). Each is one series, its filter being
 * its cohort, counted from the events on the cube's grid. Counts and ratios go the way the built-in metrics
 * go (scan.ts, group.ts, confirm.ts): the same online detectors, Benjamini–Hochberg across the custom series
 * per bucket (a family of their own, so defining metrics does not delay the built-in ones), episodes, a
 * floor of practical size, and the second opinion of the same hours of earlier days. Sums (revenue of one
 * country) have no count model: the generic ensemble's alarms (explore/baseline.ts, what their chart marks)
 * make an incident when three or more come together and move the sum by a tenth.
 */
import crypto from 'node:crypto';
import type { CustomMetric } from '../../shared/custom-metrics';
import type { Incident } from '../../shared/incidents';
import { sensitivityWeight } from './scan';
import type { Sensitivity } from '../detect';
import { onlineBaseline } from '../explore/baseline';
import { customDefinition, listCustomMetrics, selectorSums } from '../metrics/custom-metrics';
import { cohortKey, type CohortSeries, type CubeTable } from '../metrics/rollup';
import type { Db } from '../store/workspace';
import { isExpected, type AnnotationRow } from './build';
import { seasonalConfirmation, seasonalRateConfirmation } from './confirm';
import { correctAcrossSeries, episodes, type Episode } from './group';
import { runSeries, type CustomSeriesMetric, type ScannedSeries } from './scan';

/** Smallest episode worth reporting: events for counts, numerator events for ratios (as for built-ins). */
const MIN_COUNT_EFFECT = 10;
const MIN_RATE_EFFECT = 3;
/** Sums: alarms of the generic ensemble that make an incident, and the smallest relative move. */
const MIN_SUM_ALARMS = 3;
const MIN_SUM_CHANGE = 0.1;
const MAX_GAP = 2;

export interface CustomDetectOptions {
  sensitivity: Sensitivity;
  metricSensitivity?: Record<string, Sensitivity>;
  q: number;
  annotations: AnnotationRow[];
}

const NUMERATOR = 'custom_numerator';
const DENOMINATOR = 'custom_denominator';

/** The metric's series on the table's buckets, as a one-cohort CohortSeries. */
function customSeries(db: Db, table: CubeTable, metric: CustomMetric): CohortSeries {
  const window = { from: table.start, to: table.start + table.length * table.bucketMs };
  const cohort = metric.numerator.where ?? {};
  const onGrid = (sums: Map<number, number>) => {
    const out = new Float64Array(table.length);
    for (const [bucket, value] of sums) out[(bucket - table.start) / table.bucketMs] = value;
    return out;
  };
  const series: Record<string, Float64Array> = {
    [NUMERATOR]: onGrid(selectorSums(db, metric.numerator, {}, table.bucketMs, window, metric.sumOf)),
  };
  if (metric.denominator)
    series[DENOMINATOR] = onGrid(selectorSums(db, metric.denominator, {}, table.bucketMs, window));
  const totals = Object.fromEntries(
    Object.entries(series).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0)]),
  );
  return { key: `custom:${metric.name}|${cohortKey(cohort)}`, cohort, series, totals };
}

function id(metric: string, cohort: Record<string, string>, start: string): string {
  const key = `${metric}|${JSON.stringify(cohort)}|${start}`;
  return `inc-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Severity without a money value: by how far the metric moved (as for imported tables' rates). */
const bySize = (size: number): Incident['severity'] => (size >= 1 ? 'high' : size >= 0.3 ? 'medium' : 'low');

export function detectCustomMetricIncidents(
  db: Db,
  table: CubeTable,
  options: CustomDetectOptions,
): { incident: Incident; size: number }[] {
  const custom = listCustomMetrics(db);
  if (custom.length === 0 || table.length === 0) return [];
  const scanned: ScannedSeries[] = [];
  const candidates: Parameters<typeof correctAcrossSeries>[0]['candidates'] = [];
  const tested = new Int32Array(table.length);
  const out: { incident: Incident; size: number }[] = [];
  for (const metric of custom) {
    const sensitivity = options.metricSensitivity?.[metric.name] ?? options.sensitivity;
    const cohort = customSeries(db, table, metric);
    if (metric.kind === 'sum') {
      out.push(...sumIncidents(db, table, metric, cohort, sensitivity, options.annotations));
      continue;
    }
    const seriesMetric: CustomSeriesMetric = {
      metric: metric.name,
      kind: metric.kind,
      numerator: NUMERATOR,
      ...(metric.kind === 'ratio' ? { denominator: DENOMINATOR } : {}),
      family: 'custom',
      watch: metric.badDirection,
    };
    const index = scanned.length;
    scanned.push({ metric: seriesMetric, cohort, level: Object.keys(cohort.cohort).length });
    const weight = sensitivityWeight(sensitivity, options.sensitivity);
    runSeries(table, cohort, seriesMetric, sensitivity, (b, verdict) => {
      if (metric.kind === 'count' && verdict.baselineKind === 'level') return;
      tested[b] = (tested[b] as number) + 1;
      const pValue = Math.min(1, verdict.pValue / weight);
      if (pValue > options.q) return;
      if (metric.badDirection !== 'both' && verdict.direction !== metric.badDirection) return;
      candidates.push({ series: index, bucket: b, ...verdict, pValue });
    });
  }
  const anomalies = correctAcrossSeries(
    { series: scanned, candidates, tested, testedProducts: {} },
    options.q,
  );
  for (const e of episodes(scanned, anomalies, MAX_GAP, table.bucketMs)) {
    const floor = e.series.metric.kind === 'count' ? MIN_COUNT_EFFECT : MIN_RATE_EFFECT;
    if (Math.abs(e.shortfall) < floor) continue;
    const knownAt =
      e.series.metric.kind === 'count' ? seasonalConfirmation(table, e) : seasonalRateConfirmation(table, e);
    if (knownAt === null) continue;
    out.push(episodeIncident(table, e, knownAt, options.annotations));
  }
  return out;
}

function episodeIncident(
  table: CubeTable,
  e: Episode,
  knownAt: number,
  annotations: AnnotationRow[],
): { incident: Incident; size: number } {
  const first = Math.min(e.onset, knownAt);
  const start = table.start + first * table.bucketMs;
  const end = table.start + (Math.max(e.last, e.settled) + 1) * table.bucketMs;
  const size = e.expectedTotal > 0 ? Math.abs(e.shortfall) / e.expectedTotal : 1;
  const cohort = e.series.cohort.cohort;
  const metric = e.series.metric.metric;
  return {
    incident: {
      id: id(metric, cohort, iso(start)),
      metric,
      direction: e.direction,
      start: iso(start),
      end: iso(end),
      detectedAt: iso(table.start + (knownAt + 1) * table.bucketMs),
      severity: bySize(size),
      score: Math.round(e.maxScore * 1e6) / 1e6,
      cohort,
      expected: isExpected('custom', e.direction, cohort, start, end, annotations),
      // What an event of the analyst's choosing is worth is unknown: no conversions or revenue are claimed.
      impact: { lostConversions: 0, revenueAtRisk: 0 },
      attribution: [],
    },
    size,
  };
}

function sumIncidents(
  db: Db,
  table: CubeTable,
  metric: CustomMetric,
  cohort: CohortSeries,
  sensitivity: Sensitivity,
  annotations: AnnotationRow[],
): { incident: Incident; size: number }[] {
  const data = {
    bucketMs: table.bucketMs,
    start: table.start,
    length: table.length,
    present: table.present,
    numerator: cohort.series[NUMERATOR] as Float64Array,
    denominator: null,
  };
  const definition = customDefinition(metric);
  const track = onlineBaseline(data, definition, sensitivity);
  const out: { incident: Incident; size: number }[] = [];
  let run: {
    first: number;
    last: number;
    alarms: number;
    score: number;
    excess: number;
    expected: number;
  } | null = null;
  const close = () => {
    if (
      run &&
      run.alarms >= MIN_SUM_ALARMS &&
      run.expected > 0 &&
      Math.abs(run.excess) >= MIN_SUM_CHANGE * run.expected
    ) {
      const start = table.start + run.first * table.bucketMs;
      const end = table.start + (run.last + 1) * table.bucketMs;
      const direction = run.excess > 0 ? 'up' : 'down';
      const size = Math.abs(run.excess) / run.expected;
      out.push({
        incident: {
          id: id(metric.name, cohort.cohort, iso(start)),
          metric: metric.name,
          direction,
          start: iso(start),
          end: iso(end),
          detectedAt: iso(table.start + (run.first + 1) * table.bucketMs),
          severity: bySize(size),
          score: Math.round(run.score * 1e6) / 1e6,
          cohort: cohort.cohort,
          expected: isExpected('custom', direction, cohort.cohort, start, end, annotations),
          impact: { lostConversions: 0, revenueAtRisk: 0 },
          attribution: [],
        },
        size,
      });
    }
    run = null;
  };
  for (const alarm of track.alarms) {
    if (metric.badDirection !== 'both' && alarm.direction !== metric.badDirection) continue;
    const observed = data.numerator[alarm.bucket] as number;
    const expected = track.expected[alarm.bucket] as number;
    if (!Number.isFinite(expected)) continue;
    const current = run as typeof run;
    if (
      current &&
      alarm.bucket - current.last <= MAX_GAP + 1 &&
      Math.sign(observed - expected) === Math.sign(current.excess)
    ) {
      current.last = alarm.bucket;
      current.alarms++;
      current.score = Math.max(current.score, alarm.score);
      current.excess += observed - expected;
      current.expected += expected;
      continue;
    }
    close();
    run = {
      first: alarm.bucket,
      last: alarm.bucket,
      alarms: 1,
      score: alarm.score,
      excess: observed - expected,
      expected,
    };
  }
  close();
  return out;
}

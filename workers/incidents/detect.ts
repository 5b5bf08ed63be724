import crypto from 'node:crypto';
import { FALSE_ALARM_RATE, type Sensitivity } from '../detect';
import type { DetectionProgress, DetectionRun, DetectOptions, Incident } from '../../shared/incidents';
import { FunnelscopeError } from '../../shared/errors';
import { productCohorts } from '../metrics/product-cohorts';
import { dimensionNames, loadCube, type CubeTable } from '../metrics/rollup';
import { isSessionDimension } from '../explore/cohort-filter';
import type { Db } from '../store/workspace';
import { incidentWindow, toIncident, type AnnotationRow } from './build';
import { correctAcrossSeries, episodes, groupEpisodes, type Episode } from './group';
import { scanCohorts, WATCHED_METRICS } from './scan';
import { leafTable } from './leaf-table';
import { foldBrandsIntoCategories, mergeLocalised, onePerId } from './merge';
import { seasonalConfirmation, seasonalRateConfirmation } from './confirm';
import { expectedLifts, liftRateTraffic, liftTraffic } from './lifts';
import { detectMetricTableIncidents } from './metric-tables';
import { detectCustomMetricIncidents } from './custom-metric-incidents';
import { otherEventTypeSeries } from './event-types';
import { jointShiftIncidents, type JointShiftOptions } from './joint-shifts';
import { localize, type LocalizationResult, type Symptom } from '../attribute';

/** False-discovery rate across cohorts per bucket: ten times the per-series false-alarm rate. */
const FDR_FACTOR = 10;
/** Smallest episode worth reporting: events for counts, conversions (numerator units) for rates. */
const MIN_COUNT_EFFECT = 10;
const MIN_RATE_EFFECT = 3;
/** A mean (checkout latency) must rise by this share over its episode: a tenth slower is no incident. */
const MIN_MEAN_RISE = 0.25;
const MEAN_METRICS = new Set<string>(WATCHED_METRICS.filter((m) => m.kind === 'mean').map((m) => m.metric));
/**
 * A count episode must also move this share of an hour of the store's whole traffic of that metric: at
 * 20,000 sessions a day, 25 sessions; a burst of 17 visits in one cohort is noise to the analyst.
 */
const MIN_COUNT_SHARE_OF_HOUR = 0.03;
/** Cohorts are watched once they have seen this many sessions. */
const MIN_SESSIONS = 300;

function incidentId(incident: Omit<Incident, 'id'>): string {
  const key = `${incident.metric}|${JSON.stringify(incident.cohort)}|${incident.start}`;
  return `inc-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/** How a caller follows and stops a detection run. */
export interface DetectHooks {
  cancelled?: () => boolean;
  onProgress?: (progress: DetectionProgress) => void;
}

function stopIfCancelled(hooks: DetectHooks): void {
  if (hooks.cancelled?.())
    throw new FunnelscopeError(
      'CANCELLED',
      'Detection cancelled; the incidents of the previous run are kept.',
    );
}

/**
 * Detection over the workspace (whose cube the writer keeps current): scan every watched metric of every cohort with the online
 * detectors, correct across cohorts, and group what is left into incidents (most specific cohort first).
 */
export function detectIncidents(db: Db, options: DetectOptions = {}, hooks: DetectHooks = {}): DetectionRun {
  const sensitivity = options.sensitivity ?? 'medium';
  const t0 = Date.now();
  const range = {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
  };
  const table = loadCube(db, range);
  const t1 = Date.now();
  const q = FALSE_ALARM_RATE[sensitivity] * FDR_FACTOR;
  const metricSensitivity = options.metricSensitivity ?? {};
  const names = dimensionNames(db);
  const scan = scanCohorts(table, names, {
    sensitivity,
    metricSensitivity,
    q,
    minSessions: MIN_SESSIONS,
    productCohorts: [
      ...productCohorts(db, table, names, 'category'),
      ...productCohorts(db, table, names, 'brand'),
    ],
    eventSeries: otherEventTypeSeries(db, table),
    onGrouping(done, total, dims) {
      stopIfCancelled(hooks);
      const detail = dims.length === 0 ? 'all traffic' : `cohorts by ${dims.join(' and ')}`;
      hooks.onProgress?.({ stage: 'detectors', done, total, detail });
    },
  });
  stopIfCancelled(hooks);
  const t2 = Date.now();
  const anomalies = correctAcrossSeries(scan, q);
  // Practical significance: an episode of a handful of sessions or conversions is not worth an analyst's time.
  const hours = Math.max(1, (table.length * table.bucketMs) / 3_600_000);
  const minCountEffect = (measure: string) =>
    Math.max(
      MIN_COUNT_EFFECT,
      (MIN_COUNT_SHARE_OF_HOUR * Array.from(table.measures[measure] ?? []).reduce((a, b) => a + b, 0)) /
        hours,
    );
  const countFloor = new Map(
    scan.series.map((s) => [s.metric.numerator, minCountEffect(s.metric.numerator)] as const),
  );
  const isMaterial = (e: Episode) =>
    e.series.metric.kind === 'mean'
      ? -e.shortfall >= MIN_MEAN_RISE * e.expectedTotal
      : Math.abs(e.shortfall) >=
        (e.series.metric.kind === 'count'
          ? (countFloor.get(e.series.metric.numerator) ?? MIN_COUNT_EFFECT)
          : MIN_RATE_EFFECT);
  // A symptom below the floor is kept as a minor one: not an incident by itself, but the first sign of one
  // it joins (group.ts).
  const isSymptom = (e: Episode) => e.series.metric.family === 'backend' && e.direction === 'up';
  const material = episodes(scan.series, anomalies, 2, table.bucketMs).flatMap((e) =>
    isMaterial(e) ? [e] : isSymptom(e) ? [{ ...e, minor: true }] : [],
  );
  // Every episode gets a second opinion from the same hours of earlier days (confirm.ts): counts within two
  // hours of their start, rates (slower evidence in small cohorts) over the episode.
  const annotations = db
    .prepare('SELECT start_ts, end_ts, kind, label, cohort FROM annotations')
    .all() as AnnotationRow[];
  const lifts = expectedLifts(annotations);
  const liftCache = new Map<string, Float64Array>();
  const confirmed = material.flatMap((e) => {
    // A mean has no seasonal second opinion to ask: its detector's evidence is in the observations themselves.
    if (e.series.metric.kind === 'mean') return [{ ...e, knownAt: e.first }];
    const knownAt =
      e.series.metric.kind === 'count'
        ? seasonalConfirmation(table, e, liftTraffic(table, names, e, lifts, liftCache))
        : seasonalRateConfirmation(table, e, liftRateTraffic(table, names, e, lifts, liftCache));
    return knownAt === null ? [] : [{ ...e, knownAt }];
  });
  const groups = groupEpisodes(confirmed).filter((g) => g.members.some((m) => !m.minor));
  const days = Math.max(1, (table.length * table.bucketMs) / 86_400_000);
  const dailyRevenue = Array.from(table.measures.revenue ?? []).reduce((a, b) => a + b, 0) / days;
  const localised = groups.map((g, index) => {
    if (index % 5 === 0) {
      stopIfCancelled(hooks);
      hooks.onProgress?.({
        stage: 'grouping',
        done: index,
        total: groups.length,
        detail: 'localising incidents',
      });
    }
    const incident = toIncident(
      g,
      table,
      annotations,
      dailyRevenue,
      localizeGroup(table, names, g.primary, g.members),
    );
    const id = incidentId(incident);
    const e = g.primary;
    return {
      incident: { id, ...incident },
      size: e.expectedTotal > 0 ? Math.abs(e.shortfall) / e.expectedTotal : 1,
    };
  });
  const { incidents: deduplicated, sizes } = onePerId(localised);
  const merged = raisedOnly(
    foldBrandsIntoCategories(mergeLocalised(deduplicated, sizes), brandCategories(db)),
    sensitivity,
    metricSensitivity,
  );
  for (const incident of detectMetricTableIncidents(db, { sensitivity, metricSensitivity, q, ...range })) {
    merged.incidents.push(incident);
    merged.sizes[incident.id] = 1;
  }
  stopIfCancelled(hooks);
  hooks.onProgress?.({
    stage: 'grouping',
    done: groups.length,
    total: groups.length,
    detail: 'joint shifts',
  });
  const joint = raisedOnly(
    jointShifts(table, names, {
      sensitivity,
      q: FALSE_ALARM_RATE[sensitivity],
      minEffect: (step) => (step.family === 'traffic' ? minCountEffect(step.numerator) : MIN_RATE_EFFECT),
      raised: merged.incidents,
      annotations,
      dailyRevenue,
    }),
    sensitivity,
    metricSensitivity,
  );
  merged.incidents.push(...joint.incidents);
  Object.assign(merged.sizes, joint.sizes);
  for (const { incident, size } of detectCustomMetricIncidents(db, table, {
    sensitivity,
    metricSensitivity,
    q,
    annotations,
  })) {
    merged.incidents.push(incident);
    merged.sizes[incident.id] = size;
  }
  merged.incidents.sort((a, b) => a.start.localeCompare(b.start));
  const t3 = Date.now();
  return {
    incidents: merged.incidents,
    sizes: merged.sizes,
    suppressed: 0,
    stats: {
      bucketMinutes: table.bucketMs / 60_000,
      series: scan.series.length,
      cohorts: new Set(scan.series.map((s) => s.cohort.key)).size,
      anomalies: anomalies.length,
      stageMs: { cube: t1 - t0, detectors: t2 - t1, grouping: t3 - t2 },
    },
  };
}

/** A brand's events nearly all in one category: the category that holds it. */
const BRAND_IN_CATEGORY = 0.9;

/** The category that holds a brand, counted from the events on first asking (a brand's incidents are few). */
function brandCategories(db: Db): (brand: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  const counts = db.prepare(
    `SELECT c.value, COUNT(*) FROM events e
     JOIN dim_values c ON c.id = e.category
     WHERE e.brand = (SELECT id FROM dim_values WHERE dim = 'brand' AND value = ?)
     GROUP BY c.value ORDER BY 2 DESC`,
  );
  return (brand) => {
    if (!known.has(brand)) {
      const rows = counts.raw().all(brand) as [string, number][];
      const total = rows.reduce((sum, [, n]) => sum + n, 0);
      const top = rows[0];
      known.set(brand, top && top[1] >= BRAND_IN_CATEGORY * total ? top[0] : undefined);
    }
    return known.get(brand);
  };
}

/** The Isolation Forest's joint shifts that nothing else raised (joint-shifts.ts), with ids and sizes. */
function jointShifts(
  table: CubeTable,
  names: Map<number, string>,
  options: JointShiftOptions,
): { incidents: Incident[]; sizes: Record<string, number> } {
  const incidents: Incident[] = [];
  const sizes: Record<string, number> = {};
  for (const { incident, size } of jointShiftIncidents(table, names, options)) {
    const id = incidentId(incident);
    incidents.push({ id, ...incident });
    sizes[id] = size;
  }
  return { incidents, sizes };
}

/**
 * Below high sensitivity, a fall of low severity is not raised: it puts under 0.2 % of a day's revenue at
 * risk and its evidence is short of near-certain (see severity). At 30,000 visits a day that is one or two
 * lost orders over an hour or two of a small cohort, often at night: what the analyst means by a false
 * alarm. Rises have no revenue at risk to weigh and are kept, except a mean's (checkout latency): slower
 * checkouts are raised alone only on near-certain evidence; otherwise they date the incident they join.
 */
function raisedOnly(
  merged: { incidents: Incident[]; sizes: Record<string, number> },
  sensitivity: Sensitivity,
  metricSensitivity: Record<string, Sensitivity>,
): { incidents: Incident[]; sizes: Record<string, number> } {
  const incidents = merged.incidents.filter(
    (i) =>
      (metricSensitivity[i.metric] ?? sensitivity) === 'high' ||
      (i.direction !== 'down' && !MEAN_METRICS.has(i.metric)) ||
      i.severity !== 'low',
  );
  return { incidents, sizes: Object.fromEntries(incidents.map((i) => [i.id, merged.sizes[i.id] ?? 0])) };
}

/** Which cohorts explain the group's deviation of its primary metric over the group's window. */
function localizeGroup(
  table: CubeTable,
  names: Map<number, string>,
  primary: Episode,
  members: Episode[],
): LocalizationResult | null {
  // The leaves are visit cohorts; a product cohort (a category) is not made of them: it is its own answer.
  if (Object.keys(primary.series.cohort.cohort).some((d) => !isSessionDimension(d))) return null;
  // A mean (latency) has no additive form over the leaves to localise: it is reported where it was seen.
  if (primary.series.metric.kind === 'mean') return null;
  const { first, last } = incidentWindow(primary, members, table.bucketMs);
  const leaves = leafTable(table, names, primary.series.metric, first, last);
  if (!leaves || leaves.rows.length === 0) return null;
  return localize(leaves, {
    direction: primary.direction,
    symptoms: symptomTables(table, names, primary, members, first, last),
  });
}

/**
 * The group's symptoms (errors, payment failures that rose with the primary metric) over the same window,
 * each per unit of the primary's denominator when it is a rate (payment failures per checkout for checkout
 * conversion), so that a cohort's traffic moving with the day is not read as its symptom rising.
 */
function symptomTables(
  table: CubeTable,
  names: Map<number, string>,
  primary: Episode,
  members: Episode[],
  first: number,
  last: number,
): Symptom[] {
  const metric = primary.series.metric;
  // A minor symptom (under the floor) dates the incident but is too thin to localise by.
  const symptoms = members.filter(
    (m) => m.series.metric.family === 'backend' && m.direction === 'up' && !m.minor,
  );
  const measureSets = new Map<string, { numerator: string; denominator?: string }>();
  for (const { series } of symptoms) {
    const { numerator } = series.metric;
    // A mean (latency) is its own ratio (latency per checkout); a count is taken per unit of the primary's
    // denominator (payment failures per checkout).
    const denominator =
      series.metric.kind === 'mean'
        ? series.metric.denominator
        : 'denominator' in metric
          ? metric.denominator
          : undefined;
    measureSets.set(numerator, denominator ? { numerator, denominator } : { numerator });
  }
  return [...measureSets.values()].flatMap((measures) => {
    const symptom = leafTable(table, names, measures, first, last);
    return symptom && symptom.rows.length > 0 ? [{ table: symptom, direction: 'up' as const }] : [];
  });
}

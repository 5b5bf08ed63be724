import type { IncidentRecord, MetricSeries, TimeWindow, WorkspaceSettings } from '../../shared/explore';
import { breakdown } from '../explore/cohorts';
import { fromEventCube, resolveMetric } from '../explore/catalog';
import { metricSeries } from '../explore/series';
import type { Db } from '../store/workspace';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeriesPoint {
  time: string;
  value: number | null;
  expected: number | null;
  lower: number | null;
  upper: number | null;
}

export type Recovery = 'recovered' | 'not_recovered' | 'no_data';

export interface Evidence {
  series: SeriesPoint[];
  /** Mean observed and expected value over the incident's buckets. */
  observed: number | null;
  expected: number | null;
  recovery: Recovery;
}

/**
 * Six significant digits: what a reader can use, and no long run of digits that the pre-write scan would
 * rightly take for a card number (6.896582529605088 holds a Luhn-valid sixteen-digit run).
 */
export const tidy = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(6)) : null;

const mean = (xs: (number | null | undefined)[]) => {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length > 0 ? tidy(v.reduce((a, b) => a + b, 0) / v.length) : null;
};

/** The incident's window, for counts of users: at least one hour so that a one-bucket incident has users. */
export function incidentWindow(incident: IncidentRecord): TimeWindow {
  const from = Date.parse(incident.start);
  return { from, to: Math.max(Date.parse(incident.end), from + HOUR) };
}

/**
 * The metric of the incident's cohort with its online baseline, from a day before the onset to a day after
 * the end (the chart), and whether it came back into the expected band after the end: recovered when at
 * least 70 % of the buckets of the following day (or as many as exist) lie inside the band.
 */
export function incidentEvidence(db: Db, incident: IncidentRecord, settings: WorkspaceSettings): Evidence {
  const { from, to } = incidentWindow(incident);
  const series: MetricSeries = metricSeries(
    db,
    { metric: incident.metric, cohort: incident.cohort, from: from - DAY, to: to + DAY, baseline: true },
    settings,
  );
  const band = series.baseline;
  const points: SeriesPoint[] = series.times.map((t, i) => ({
    time: new Date(t).toISOString(),
    value: tidy(series.values[i]),
    expected: tidy(band?.expected[i]),
    lower: tidy(band?.lower[i]),
    upper: tidy(band?.upper[i]),
  }));
  const inside = series.times.flatMap((t, i) => (t >= from && t < to ? [i] : []));
  const after = series.times.flatMap((t, i) => (t >= to && series.values[i] !== null ? [i] : []));
  let recovery: Recovery = 'no_data';
  if (after.length > 0) {
    const inBand = after.filter((i) => {
      const p = points[i] as SeriesPoint;
      return (
        p.value !== null &&
        (p.lower === null || p.value >= p.lower) &&
        (p.upper === null || p.value <= p.upper)
      );
    }).length;
    recovery = inBand / after.length >= 0.7 ? 'recovered' : 'not_recovered';
  }
  return {
    series: points,
    observed: mean(inside.map((i) => points[i]?.value)),
    expected: mean(inside.map((i) => points[i]?.expected)),
    recovery,
  };
}

export interface BreakdownEntry {
  value: string;
  metric: number | null;
  numerator: number;
  denominator: number | null;
  sessions: number;
}

/** The dimension to break an incident down by: its top attribution's extra dimension, else a usual one. */
export function breakdownDimension(incident: IncidentRecord): string | null {
  const own = new Set(Object.keys(incident.cohort));
  const fromAttribution = incident.attribution
    .flatMap((a) => Object.keys(a.cohort))
    .filter((d) => !own.has(d));
  const usual = ['device', 'country', 'channel', 'browser', 'os', 'region', 'campaign'].filter(
    (d) => !own.has(d),
  );
  return fromAttribution[0] ?? usual[0] ?? null;
}

/** The incident's metric by one dimension within its cohort over its window (event metrics only). */
export function incidentBreakdown(
  db: Db,
  incident: IncidentRecord,
  dimension: string,
): BreakdownEntry[] | null {
  const metric = resolveMetric(db, incident.metric);
  if (!fromEventCube(metric)) return null;
  try {
    const rows = breakdown(db, metric, {
      metric: incident.metric,
      dimensions: [dimension],
      within: incident.cohort,
      ...incidentWindow(incident),
    });
    return rows.map((r) => ({
      value: r.cohort[dimension] ?? '',
      metric: tidy(r.value),
      numerator: r.numerator,
      denominator: r.denominator,
      sessions: r.sessions,
    }));
  } catch {
    // A cohort of product dimensions cannot be broken down by the session cube: no breakdown then.
    return null;
  }
}

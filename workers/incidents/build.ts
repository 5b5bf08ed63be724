import type { Incident, Severity } from '../../shared/incidents';
import type { CubeTable } from '../metrics/rollup';
import { comparable, type Episode } from './group';

export interface AnnotationRow {
  start_ts: number;
  end_ts: number | null;
  kind: string;
  label: string;
  cohort: string;
}

function parseCohort(text: string): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(text.split('&').map((pair) => pair.split('=') as [string, string]));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Conversions lost and revenue at risk of an episode, from its cohort's own conversion and order value. */
function impact(e: Episode): { lostConversions: number; revenueAtRisk: number } {
  const totals = e.series.cohort.totals;
  const orders = totals.orders ?? 0;
  const aov = orders > 0 ? (totals.revenue ?? 0) / orders : 0;
  const purchases = totals.sessions_with_purchase ?? 0;
  const metric = e.series.metric;
  let lost = 0;
  if (metric.metric === 'orders' || metric.numerator === 'sessions_with_purchase') lost = e.shortfall;
  else if (metric.family === 'traffic' || metric.family === 'funnel') {
    // A missing session, cart or checkout converts at the cohort's rate from that step to purchase.
    const base = totals[metric.numerator] ?? 0;
    lost = base > 0 ? e.shortfall * (purchases / base) : 0;
  }
  lost = e.direction === 'down' ? Math.max(0, lost) : 0;
  return { lostConversions: Math.round(lost * 10) / 10, revenueAtRisk: Math.round(lost * aov * 100) / 100 };
}

function severity(revenueAtRisk: number, dailyRevenue: number, score: number): Severity {
  const share = dailyRevenue > 0 ? revenueAtRisk / dailyRevenue : 0;
  if (share >= 0.05) return 'critical';
  if (share >= 0.01) return 'high';
  if (share >= 0.002 || score >= 0.99999) return 'medium';
  return 'low';
}

/** Promos and campaigns are expected lifts: an incident inside one, for a matching cohort, is marked expected. */
function isExpected(e: Episode, start: number, end: number, annotations: AnnotationRow[]): boolean {
  return annotations.some(
    (a) =>
      (a.kind === 'promo' || a.kind === 'campaign') &&
      a.start_ts <= end &&
      (a.end_ts ?? a.start_ts + 86_400_000) >= start &&
      comparable(parseCohort(a.cohort), e.series.cohort.cohort),
  );
}

export function toIncident(
  group: { primary: Episode; members: Episode[] },
  table: CubeTable,
  annotations: AnnotationRow[],
  dailyRevenue: number,
): Omit<Incident, 'id'> {
  const e = group.primary;
  const start = table.start + e.first * table.bucketMs;
  const end = table.start + (e.last + 1) * table.bucketMs;
  const { lostConversions, revenueAtRisk } = impact(e);
  return {
    metric: e.series.metric.metric,
    direction: e.direction,
    start: iso(start),
    end: iso(end),
    // The first anomalous bucket is known once it is complete.
    detectedAt: iso(start + table.bucketMs),
    severity: severity(revenueAtRisk, dailyRevenue, e.maxScore),
    score: Math.round(e.maxScore * 1e6) / 1e6,
    cohort: e.series.cohort.cohort,
    expected: isExpected(e, start, end, annotations),
    impact: { lostConversions, revenueAtRisk },
    attribution: [],
  };
}

import type { Incident, Severity } from '../../shared/incidents';
import type { LocalizationResult } from '../attribute';
import type { CubeTable } from '../metrics/rollup';
import { isSessionDimension } from '../explore/cohort-filter';
import { changePoint, type ShiftedSeries } from './change-point';
import { comparable, intersects, type Episode } from './group';

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

export function severity(revenueAtRisk: number, dailyRevenue: number, score: number): Severity {
  const share = dailyRevenue > 0 ? revenueAtRisk / dailyRevenue : 0;
  if (share >= 0.05) return 'critical';
  if (share >= 0.01) return 'high';
  if (share >= 0.002 || score >= 0.99999) return 'medium';
  return 'low';
}

/** A fall of traffic beginning this close to a promo's end, in a cohort that shared its visitors: expected. */
const PROMO_END_MS = 3 * 3_600_000;
const PROMO_END_SLACK_MS = 30 * 60_000;

/** After an annotated campaign ends, its cohort's traffic falls back over up to this long: expected. */
const CAMPAIGN_DECAY_MS = 7 * 86_400_000;

/**
 * Promos and campaigns are expected lifts: a rise inside one, on a cohort that contains or is contained in the
 * annotated one, is marked expected; so is any move of its traffic (sessions, orders) in the week after. A
 * fall of a rate during a promo is still news.
 */
export function isExpected(
  metricFamily: string,
  direction: 'up' | 'down',
  cohort: Record<string, string>,
  start: number,
  end: number,
  annotations: AnnotationRow[],
): boolean {
  const traffic = metricFamily === 'traffic' || metricFamily === 'revenue';
  return annotations.some((a) => {
    if (a.kind !== 'promo' && a.kind !== 'campaign') return false;
    const annotated = parseCohort(a.cohort);
    const aEnd = a.end_ts ?? a.start_ts + 86_400_000;
    // The hours after a promo ends, traffic falls back in every cohort its visitors were part of (Chrome,
    // mobile): the end of the sale, not an incident.
    if (
      traffic &&
      direction === 'down' &&
      a.kind === 'promo' &&
      intersects(annotated, cohort) &&
      start >= aEnd - PROMO_END_SLACK_MS &&
      start <= aEnd + PROMO_END_MS
    )
      return true;
    if (!comparable(annotated, cohort)) return false;
    if (direction === 'up' && a.start_ts <= end && aEnd >= start) return true;
    // A campaign's own traffic comes and goes with it (late opens of an e-mail, then nothing): either way
    // that is the campaign, not an incident.
    return (
      traffic && Object.keys(cohort).length > 0 && start >= a.start_ts && start <= aEnd + CAMPAIGN_DECAY_MS
    );
  });
}

/** How far before the earliest onset the rates before a shift are read from. */
const PRE_SHIFT_MS = 6 * 3_600_000;

/**
 * The buckets an incident spans. It ends where the last of its primary metric's episodes (in cohorts
 * holding or inside the primary's) settled, as their detectors date it. It begins at the change point of
 * maximum likelihood of the primary rate and of its symptoms together (see changePoint), between the
 * earliest onset their detectors date and the first significant bucket: symptoms (payment failures, errors)
 * are counted when they happen, while a rate is counted when its visit began and, in a small cohort, is
 * mostly noise bucket by bucket. A count's incident begins at its episodes' earliest onset. Other metrics
 * of the family (conversion rate in the US beside add-to-cart on Android) and rates diluted by a surge join
 * the incident, not its timing.
 */
export function incidentWindow(
  primary: Episode,
  members: Episode[],
  bucketMs: number,
): { first: number; last: number } {
  const metric = primary.series.metric;
  const cohort = primary.series.cohort.cohort;
  const timed = members.filter(
    (m) =>
      m === primary ||
      (m.series.metric.metric === metric.metric && comparable(m.series.cohort.cohort, cohort)),
  );
  const onset = Math.min(...timed.map((m) => m.onset));
  const last = Math.max(onset, ...timed.map((m) => m.settled));
  if (!('denominator' in metric) || metric.kind === 'mean') return { first: onset, last };
  // A minor symptom (under the floor) dates the incident's detection only, not its window; so does a mean's
  // (latency's): slow checkouts in every channel and country that iOS Safari's reach would widen the window
  // that localisation reads, and it is no count to take per unit of the primary's denominator.
  const symptoms = members.filter(
    (m) =>
      m.series.metric.family === 'backend' &&
      m.series.metric.kind !== 'mean' &&
      m.direction === 'up' &&
      !m.minor,
  );
  const from = Math.min(onset, ...symptoms.map((m) => m.onset));
  const significant = Math.min(...[...timed, ...symptoms].map((m) => m.first));
  const shifted: ShiftedSeries[] = [];
  const rate = (m: Episode, kind: ShiftedSeries['kind'], numerator: string) => {
    const successes = m.series.cohort.series[numerator];
    const trials = m.series.cohort.series[metric.denominator ?? ''];
    if (successes && trials) shifted.push({ kind, successes, trials, direction: m.direction });
  };
  rate(primary, 'binomial', metric.numerator);
  // A symptom per unit of the primary's denominator (payment failures per checkout), so that the day's
  // traffic cycle is not read as its shift.
  for (const s of symptoms) rate(s, 'poisson', s.series.metric.numerator);
  const range = {
    before: Math.max(0, from - Math.round(PRE_SHIFT_MS / bucketMs)),
    from,
    first: Math.max(from, significant),
    end: Math.max(significant, last),
  };
  return { first: changePoint(shifted, range), last };
}

export function toIncident(
  group: { primary: Episode; members: Episode[] },
  table: CubeTable,
  annotations: AnnotationRow[],
  dailyRevenue: number,
  localization: LocalizationResult | null,
): Omit<Incident, 'id'> {
  const e = group.primary;
  const window = incidentWindow(e, group.members, table.bucketMs);
  // The incident is known once an episode of its primary's family is, or one of its symptoms (payment
  // failures up may come first); rates diluted by a surge only join it.
  // A minor symptom (under the floor) counts only from the incident's start as its own metric dates it: a
  // blip of errors hours before a surge is not its first sign.
  const knownAt = Math.min(
    ...group.members
      .filter(
        (m) => m.series.metric.family === e.series.metric.family || m.series.metric.family === 'backend',
      )
      .filter((m) => !m.minor || (m.knownAt ?? m.first) >= window.first)
      .map((m) => m.knownAt ?? m.first),
  );
  // Nothing is known of an incident before it began.
  const first = Math.min(window.first, knownAt);
  const start = table.start + first * table.bucketMs;
  const end = table.start + (window.last + 1) * table.bucketMs;
  const { lostConversions, revenueAtRisk } = impact(e);
  const causes = localization?.rootCauses ?? [];
  // The incident is reported on the cohort that explains it; without a localisation, on the detected one.
  const cohort = causes[0]?.cohort ?? e.series.cohort.cohort;
  return {
    metric: e.series.metric.metric,
    direction: e.direction,
    start: iso(start),
    end: iso(end),
    // An anomalous bucket is known once it is complete (and confirmed, for counts).
    detectedAt: iso(table.start + (knownAt + 1) * table.bucketMs),
    severity: severity(revenueAtRisk, dailyRevenue, e.maxScore),
    score: Math.round(e.maxScore * 1e6) / 1e6,
    cohort,
    // Expected when the cohort that moved, or the one localisation names within it, is the promo's or the
    // campaign's: e-mail orders rising after a send are the send's even when Android readers carry them.
    expected: [cohort, e.series.cohort.cohort].some((c) =>
      isExpected(e.series.metric.family, e.direction, c, start, end, annotations),
    ),
    impact: { lostConversions, revenueAtRisk },
    // A product cohort (a category) is not made of visit cohorts: it is its own whole explanation.
    attribution:
      causes.length === 0 && Object.keys(cohort).some((d) => !isSessionDimension(d))
        ? [{ cohort, share: 1, score: Math.round(e.maxScore * 1000) / 1000 }]
        : causes.map((c) => ({
            cohort: c.cohort,
            share: Math.round(c.share * 1000) / 1000,
            score: Math.round(c.score * 1000) / 1000,
          })),
  };
}

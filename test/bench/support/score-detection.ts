import type { Incident } from '../../../shared/incidents';
import { EVENT_MEASURES, metricByName } from '../../../shared/metrics';

/** An injected incident of a demo store's ground truth file. */
export interface TruthIncident {
  id: string;
  kind: string;
  metric: string;
  direction: 'up' | 'down';
  cohort: Record<string, string>;
  start: number;
  end: number;
}

export interface ExpectedLift {
  label: string;
  start: number;
  end: number;
  cohort: Record<string, string>;
}

export interface DetectionScore {
  truth: number;
  found: number;
  /** Injected incidents matched by a reported (non-expected) incident. */
  recall: number;
  /** Reported non-expected incidents that match an injected one. */
  precision: number;
  /** Matched incidents whose reported cohort is exactly the injected one. */
  cohortRight: number;
  /** detectedAt − true start of each matched incident, minutes. */
  delaysMinutes: number[];
  /**
   * The same for incidents found in the events (timestamped to the second, bucketed by 5 minutes), without
   * those found in an imported table of coarser rows (the demo's e-mail table has one row per hour: its
   * incidents are known an hour in at the earliest).
   */
  eventDelaysMinutes: number[];
  /** False alarms overlapping an annotated promo or campaign, on its cohort, inside it or holding it. */
  onPromos: number;
  rows: { truth: TruthIncident; match: Incident | null; delayMinutes: number | null }[];
  /** Reported non-expected incidents that match no injected one. */
  falseAlarms: Incident[];
}

const sameCohort = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([d, v]) => b[d] === v);
const intersects = (a: Record<string, string>, b: Record<string, string>) =>
  Object.entries(a).every(([d, v]) => b[d] === undefined || b[d] === v);
const contains = (a: Record<string, string>, b: Record<string, string>) =>
  Object.entries(a).every(([d, v]) => b[d] === v);
const comparable = (a: Record<string, string>, b: Record<string, string>) => contains(a, b) || contains(b, a);

/** Whether a metric is counted from the events (the cube), not read from an imported metric table. */
function fromEvents(metric: string): boolean {
  const numerator = metricByName(metric)?.numerator;
  return numerator !== undefined && (EVENT_MEASURES as readonly string[]).includes(numerator);
}

/**
 * Matches reported incidents to injected ones: same direction, overlapping in time (the report may start up
 * to an hour late or early), cohorts that can share visitors. The metric need not be the same: a checkout
 * failure shows in conversion rate and in orders alike; what the analyst needs is the time and the cohort.
 */
export function scoreDetection(
  incidents: Incident[],
  truth: TruthIncident[],
  lifts: ExpectedLift[],
): DetectionScore {
  const reported = incidents.filter((i) => !i.expected);
  const slack = 3_600_000;
  const matches = (i: Incident, t: TruthIncident) =>
    i.direction === t.direction &&
    Date.parse(i.start) < t.end + slack &&
    Date.parse(i.end) > t.start - slack &&
    intersects(i.cohort, t.cohort);
  const rows = truth.map((t) => {
    const candidates = reported.filter((i) => matches(i, t));
    const match =
      candidates.find((i) => sameCohort(i.cohort, t.cohort)) ??
      candidates.sort((a, b) => a.detectedAt.localeCompare(b.detectedAt))[0] ??
      null;
    const delayMinutes = match ? (Date.parse(match.detectedAt) - t.start) / 60_000 : null;
    return { truth: t, match, delayMinutes };
  });
  const matchedReports = reported.filter((i) => truth.some((t) => matches(i, t)));
  const falseAlarms = reported.filter((i) => !truth.some((t) => matches(i, t)));
  // Raised on a promo: a false alarm (in either direction) during a promo or campaign, on its cohort, one
  // inside it or one holding it (all traffic). An injected incident that happens during a send (a bounce
  // spike) is not the promo's, nor is a dip of one browser's rates that happens to fall in a send's day.
  const onPromos = falseAlarms.filter((i) =>
    lifts.some(
      (l) => Date.parse(i.start) < l.end && Date.parse(i.end) > l.start && comparable(i.cohort, l.cohort),
    ),
  ).length;
  const found = rows.filter((r) => r.match).length;
  return {
    truth: truth.length,
    found,
    recall: truth.length ? found / truth.length : 1,
    precision: reported.length ? matchedReports.length / reported.length : 1,
    cohortRight: rows.filter((r) => r.match && sameCohort(r.match.cohort, r.truth.cohort)).length,
    delaysMinutes: rows.flatMap((r) => (r.delayMinutes === null ? [] : [r.delayMinutes])),
    eventDelaysMinutes: rows.flatMap((r) =>
      r.delayMinutes === null || !r.match || !fromEvents(r.match.metric) ? [] : [r.delayMinutes],
    ),
    onPromos,
    rows,
    falseAlarms,
  };
}

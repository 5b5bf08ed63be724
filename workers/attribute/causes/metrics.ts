import type { EvidenceLine, MetricComparison } from '../../../shared/attribution';
import { countTest, meanTest, moveScore, proportionTest, type RateTest } from './stats';
import type { CohortWindows, Sums } from './windows';
import { cohortText, formatClock, formatNumber, formatPercent, formatRatio } from './words';

/** A metric looked at as evidence: a count per hour, a rate of two counts, or a mean of a sum and a count. */
export interface EvidenceMetric {
  metric: string;
  label: string;
  kind: 'count' | 'ratio' | 'mean';
  numerator: string;
  denominator?: string;
}

/** What moves with a funnel incident: backend failures, latency, traffic and the funnel steps. */
export const EVIDENCE_METRICS: readonly EvidenceMetric[] = [
  { metric: 'payment_failures', label: 'payment failures', kind: 'count', numerator: 'payment_failures' },
  { metric: 'errors', label: 'errors', kind: 'count', numerator: 'errors' },
  {
    metric: 'latency',
    label: 'mean latency',
    kind: 'mean',
    numerator: 'latency_ms_sum',
    denominator: 'latency_ms_count',
  },
  { metric: 'sessions', label: 'sessions', kind: 'count', numerator: 'sessions' },
  { metric: 'page_views', label: 'page views', kind: 'count', numerator: 'page_views' },
  { metric: 'orders', label: 'orders', kind: 'count', numerator: 'orders' },
  {
    metric: 'add_to_cart_rate',
    label: 'add-to-cart rate',
    kind: 'ratio',
    numerator: 'sessions_with_add_to_cart',
    denominator: 'sessions',
  },
  {
    metric: 'begin_checkout_rate',
    label: 'checkout start rate',
    kind: 'ratio',
    numerator: 'sessions_with_checkout',
    denominator: 'sessions_with_add_to_cart',
  },
  {
    metric: 'checkout_conversion',
    label: 'checkout conversion',
    kind: 'ratio',
    numerator: 'sessions_with_purchase',
    denominator: 'sessions_with_checkout',
  },
  {
    metric: 'conversion_rate',
    label: 'conversion rate',
    kind: 'ratio',
    numerator: 'sessions_with_purchase',
    denominator: 'sessions',
  },
];

export const EVIDENCE_MEASURES = [
  ...new Set(EVIDENCE_METRICS.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]))),
];

/** Lines whose score is below this are left out: nothing moved. */
const MIN_SCORE = 0.05;
/** Confinement is context for the cohort's own moves, so it ranks a little below them. */
const CONFINEMENT_WEIGHT = 0.8;

function test(metric: EvidenceMetric, after: Sums, baseline: Sums[]): RateTest | null {
  if (baseline.length === 0) return null;
  const num = metric.numerator;
  const den = metric.denominator ?? '';
  if (metric.kind === 'count')
    return countTest(
      after[num] ?? 0,
      baseline.map((b) => b[num] ?? 0),
    );
  if (metric.kind === 'ratio')
    return proportionTest(
      { successes: after[num] ?? 0, trials: after[den] ?? 0 },
      baseline.map((b) => ({ successes: b[num] ?? 0, trials: b[den] ?? 0 })),
    );
  return meanTest(
    { sum: after[num] ?? 0, count: after[den] ?? 0 },
    baseline.map((b) => ({ sum: b[num] ?? 0, count: b[den] ?? 0 })),
  );
}

function comparison(
  metric: EvidenceMetric,
  windows: CohortWindows,
  cohort: Record<string, string>,
  outside: boolean,
): MetricComparison | null {
  const side = outside ? windows.outside : windows.inside;
  const t = test(metric, side.after, side.baseline);
  if (!t) return null;
  // Counts are compared per window; per hour reads better.
  const perHour = metric.kind === 'count' ? 1 / windows.hours : 1;
  return {
    metric: metric.metric,
    label: metric.label,
    unit: metric.kind === 'count' ? 'per hour' : metric.kind === 'ratio' ? 'ratio' : 'ms',
    cohort,
    outside,
    before: t.before * perHour,
    after: t.after * perHour,
    ratio: Number.isFinite(t.ratio) ? t.ratio : null,
    z: t.z,
    pValue: t.pValue,
    baseline: windows.baseline,
    baselineDays: windows.baseline === 'same hours of earlier days' ? side.baseline.length : 0,
  };
}

function value(c: MetricComparison): string {
  if (c.unit === 'ratio') return formatPercent(c.before) + '|' + formatPercent(c.after);
  if (c.unit === 'ms') return `${formatNumber(c.before)} ms|${formatNumber(c.after)} ms`;
  return `${formatNumber(c.before)}|${formatNumber(c.after)} per hour`;
}

/** "rose from 3.1 to 41 per hour (×13)" or "stayed at 61 % (was 62 %)". */
export function moveWords(c: MetricComparison): string {
  const [before, after] = value(c).split('|') as [string, string];
  if (Math.abs(c.z) < 2) return `stayed at ${after} (was ${before})`;
  const verb = c.after >= c.before ? 'rose' : 'fell';
  return `${verb} from ${before} to ${after} (${formatRatio(c.ratio)})`;
}

function baselineWords(c: MetricComparison): string {
  return c.baseline === 'same hours of earlier days'
    ? `against the same hours of ${c.baselineDays} earlier day${c.baselineDays === 1 ? '' : 's'}`
    : 'against the preceding hours';
}

/** Other metrics of the cohort that moved in the window after the onset, best first. */
export function metricEvidence(
  windows: CohortWindows,
  cohort: Record<string, string>,
  incidentMetric: string,
  onset: number,
  metrics: readonly EvidenceMetric[] = EVIDENCE_METRICS,
): Extract<EvidenceLine, { kind: 'metric' }>[] {
  const lines: Extract<EvidenceLine, { kind: 'metric' }>[] = [];
  for (const metric of metrics) {
    if (metric.metric === incidentMetric) continue;
    const c = comparison(metric, windows, cohort, false);
    if (!c) continue;
    const score = moveScore(c);
    if (score < MIN_SCORE) continue;
    lines.push({
      kind: 'metric',
      score,
      summary:
        `${c.label} in ${cohortText(cohort)} ${moveWords(c)} from ${formatClock(onset)}, ` +
        `${baselineWords(c)} (z = ${c.z.toFixed(1)})`,
      details: c,
    });
  }
  return lines.sort((a, b) => b.score - a.score);
}

/**
 * Whether a move is confined to the cohort: the same metric outside it should not have moved. Strong when
 * the cohort moved and the rest did not; weak (and said so) when the rest moved too.
 */
export function confinementEvidence(
  windows: CohortWindows,
  cohort: Record<string, string>,
  metricName: string,
  metrics: readonly EvidenceMetric[] = EVIDENCE_METRICS,
): Extract<EvidenceLine, { kind: 'confinement' }> | null {
  if (Object.keys(cohort).length === 0) return null;
  const metric = metrics.find((m) => m.metric === metricName);
  if (!metric) return null;
  const inside = comparison(metric, windows, cohort, false);
  const outside = comparison(metric, windows, cohort, true);
  if (!inside || !outside) return null;
  const insideScore = moveScore(inside);
  const outsideScore = moveScore(outside);
  const sameWay = Math.sign(inside.z) === Math.sign(outside.z);
  // Outside moving the other way does not make the cohort's move any less its own.
  const still = Math.abs(outside.z) < 2 || !sameWay;
  // A much smaller move outside (a few of the cohort's visitors counted elsewhere, knock-on effects) still
  // leaves the change concentrated in the cohort.
  const concentrated = !still && outsideScore < 0.25 * insideScore;
  const score = CONFINEMENT_WEIGHT * insideScore * (still ? 1 : concentrated ? 1 - outsideScore : 0.2);
  const where = cohortText(cohort);
  const inWords = `while inside it ${moveWords(inside)}`;
  const summary = still
    ? `outside ${where}, ${metric.label} ${moveWords(outside)} ${inWords}: the change is confined to the cohort`
    : concentrated
      ? `outside ${where}, ${metric.label} ${moveWords(outside)}, far less than inside it, where it ${moveWords(inside)}: the change is concentrated in the cohort`
      : `outside ${where}, ${metric.label} also ${moveWords(outside)} (inside: ${moveWords(inside)}): the change is not confined to the cohort`;
  return { kind: 'confinement', score, summary, details: { inside, outside } };
}

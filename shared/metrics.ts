/**
 * The metric catalog. Every metric is defined over cube measures (counts and sums per time bucket × cohort);
 * a ratio keeps its numerator and denominator and is never averaged: the rate of a cohort over several buckets
 * is Σ numerator / Σ denominator.
 */
import type { CustomMetric } from './custom-metrics';

export type MetricKind = 'count' | 'sum' | 'ratio';
export type MetricFamily = 'traffic' | 'funnel' | 'revenue' | 'email' | 'social' | 'backend' | 'custom';
export type MetricUnit = 'sessions' | 'events' | 'orders' | 'currency' | 'ratio' | 'ms' | 'count';

/** Cube measures counted once per session (a session's funnel flags), bucketed by the session's start. */
export const SESSION_MEASURES = [
  'sessions',
  'sessions_with_view',
  'sessions_with_add_to_cart',
  'sessions_with_checkout',
  'sessions_with_purchase',
] as const;

/** Cube measures counted or summed per event, bucketed by the event's time. */
export const EVENT_ONLY_MEASURES = [
  'page_views',
  'orders',
  'revenue',
  'errors',
  'payment_failures',
  'latency_ms_sum',
  'latency_ms_count',
] as const;

/** Every cube measure derived from events, in the cube table's column order. */
export const EVENT_MEASURES = [...SESSION_MEASURES, ...EVENT_ONLY_MEASURES] as const;
export type EventMeasure = (typeof EVENT_MEASURES)[number];

export interface MetricDefinition {
  name: string;
  label: string;
  kind: MetricKind;
  family: MetricFamily;
  unit: MetricUnit;
  /** A cube measure: one of EVENT_MEASURES or a measure column of an imported metric table. */
  numerator: string;
  /** Ratios only. */
  denominator?: string;
  /** Which direction is bad news (a fall in conversion, a rise in bounces). */
  badDirection: 'down' | 'up' | 'both';
  /** A metric the analyst defined: counted from the events, not read from the cube's measures. */
  custom?: CustomMetric;
}

const ratio = (
  name: string,
  label: string,
  family: MetricFamily,
  numerator: string,
  denominator: string,
  badDirection: MetricDefinition['badDirection'],
  unit: MetricUnit = 'ratio',
): MetricDefinition => ({ name, label, kind: 'ratio', family, unit, numerator, denominator, badDirection });

export const BUILT_IN_METRICS: readonly MetricDefinition[] = [
  {
    name: 'sessions',
    label: 'Sessions',
    kind: 'count',
    family: 'traffic',
    unit: 'sessions',
    numerator: 'sessions',
    badDirection: 'both',
  },
  {
    name: 'page_views',
    label: 'Page views',
    kind: 'count',
    family: 'traffic',
    unit: 'events',
    numerator: 'page_views',
    badDirection: 'both',
  },
  ratio('add_to_cart_rate', 'Add-to-cart rate', 'funnel', 'sessions_with_add_to_cart', 'sessions', 'down'),
  ratio(
    'begin_checkout_rate',
    'Checkout start rate',
    'funnel',
    'sessions_with_checkout',
    'sessions_with_add_to_cart',
    'down',
  ),
  ratio(
    'checkout_conversion',
    'Checkout conversion',
    'funnel',
    'sessions_with_purchase',
    'sessions_with_checkout',
    'down',
  ),
  ratio('conversion_rate', 'Conversion rate', 'funnel', 'sessions_with_purchase', 'sessions', 'down'),
  {
    name: 'orders',
    label: 'Orders',
    kind: 'count',
    family: 'revenue',
    unit: 'orders',
    numerator: 'orders',
    badDirection: 'down',
  },
  {
    name: 'revenue',
    label: 'Revenue',
    kind: 'sum',
    family: 'revenue',
    unit: 'currency',
    numerator: 'revenue',
    badDirection: 'down',
  },
  ratio('aov', 'Average order value', 'revenue', 'revenue', 'orders', 'down', 'currency'),
  ratio('bounce_rate', 'E-mail bounce rate', 'email', 'bounced', 'sent', 'up'),
  ratio('open_rate', 'E-mail open rate', 'email', 'opens', 'delivered', 'down'),
  ratio('click_rate', 'E-mail click rate', 'email', 'clicks', 'delivered', 'down'),
  ratio('unsubscribe_rate', 'E-mail unsubscribe rate', 'email', 'unsubscribes', 'delivered', 'up'),
  {
    name: 'errors',
    label: 'Errors',
    kind: 'count',
    family: 'backend',
    unit: 'events',
    numerator: 'errors',
    badDirection: 'up',
  },
  {
    name: 'payment_failures',
    label: 'Payment failures',
    kind: 'count',
    family: 'backend',
    unit: 'events',
    numerator: 'payment_failures',
    badDirection: 'up',
  },
  ratio(
    'checkout_latency_ms',
    'Checkout latency (mean)',
    'backend',
    'latency_ms_sum',
    'latency_ms_count',
    'up',
    'ms',
  ),
];

export function metricByName(
  name: string,
  custom: readonly MetricDefinition[] = [],
): MetricDefinition | undefined {
  return [...BUILT_IN_METRICS, ...custom].find((m) => m.name === name);
}

/** The value of a metric from summed measures; null when the denominator is zero (no data, not 0 %). */
export function metricValue(
  metric: MetricDefinition,
  numerator: number,
  denominator?: number,
): number | null {
  if (metric.kind !== 'ratio') return numerator;
  if (denominator === undefined || denominator === 0) return null;
  return numerator / denominator;
}

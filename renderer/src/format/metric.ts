import { EVENT_MEASURES, metricByName, type MetricDefinition } from '../../../shared/metrics';

/** "Checkout conversion" for checkout_conversion; a custom measure keeps its own name. */
export function metricLabel(name: string): string {
  return metricByName(name)?.label ?? name;
}

/**
 * A metric over measures of an imported metric table (e-mail campaigns…) rather than events. Such a table
 * holds one dimension per row, so it breaks down by one dimension at a time and not within a cohort.
 */
export function isTableMetric(metric: MetricDefinition): boolean {
  // A metric of the analyst's own is counted from the events: it breaks down like the built-in ones.
  return metric.custom === undefined && !(EVENT_MEASURES as readonly string[]).includes(metric.numerator);
}

/**
 * The funnel vector of one bucket of one cohort, the Isolation Forest's input: the shape of the funnel as
 * log-ratios of consecutive steps,
 *
 *   [ln views/session, ln add_to_cart_rate, ln begin_checkout_rate, ln checkout_conversion]
 *
 * Log-ratios rather than raw counts or rates:
 * - volume-free: traffic that rises or falls uniformly (every step × 1.5) leaves the vector where it was,
 *   so the forest flags changes of shape, such as bot traffic (views per session up, every later step flat),
 *   and leaves volume to the count detectors instead of alarming twice on every traffic surge;
 * - symmetric: ×3 and ÷3 are equally far, and the spread of a rate is comparable at 1 % and at 60 %.
 * Each count gets +0.5 (the Haldane–Anscombe correction) so that a bucket with no purchase stays finite.
 */
import type { EventMeasure } from '../../shared/metrics';

/** Session-funnel counts of a bucket, named as the cube's measures. */
export type FunnelCounts = Pick<
  Record<EventMeasure, number>,
  | 'sessions'
  | 'page_views'
  | 'sessions_with_add_to_cart'
  | 'sessions_with_checkout'
  | 'sessions_with_purchase'
>;

export const FUNNEL_VECTOR_FEATURES = [
  'log_views_per_session',
  'log_add_to_cart_rate',
  'log_begin_checkout_rate',
  'log_checkout_conversion',
] as const;

const logRatio = (numerator: number, denominator: number) =>
  Math.log((numerator + 0.5) / (denominator + 0.5));

/** The funnel vector of a bucket; null for a missing or empty bucket (no sessions, or a count not finite). */
export function funnelVector(counts: FunnelCounts): number[] | null {
  const { sessions, page_views, sessions_with_add_to_cart, sessions_with_checkout, sessions_with_purchase } =
    counts;
  const all = [
    sessions,
    page_views,
    sessions_with_add_to_cart,
    sessions_with_checkout,
    sessions_with_purchase,
  ];
  if (!all.every((x) => Number.isFinite(x) && x >= 0) || sessions === 0) return null;
  return [
    logRatio(page_views, sessions),
    logRatio(sessions_with_add_to_cart, page_views),
    logRatio(sessions_with_checkout, sessions_with_add_to_cart),
    logRatio(sessions_with_purchase, sessions_with_checkout),
  ];
}

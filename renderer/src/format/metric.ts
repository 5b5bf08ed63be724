import { metricByName } from '../../../shared/metrics';

/** "Checkout conversion" for checkout_conversion; a custom measure keeps its own name. */
export function metricLabel(name: string): string {
  return metricByName(name)?.label ?? name;
}

import type { MetricSeries } from '../../../../shared/explore';

/** Σ over the period of a count or sum series (gaps are no data, not zero). */
export function total(series: MetricSeries): number {
  let sum = 0;
  for (const v of series.numerators) if (v !== null) sum += v;
  return sum;
}

/** A ratio over the period: Σ numerators / Σ denominators, never an average of bucket rates. */
export function ratio(series: MetricSeries): number | null {
  if (!series.denominators) return null;
  let num = 0;
  let den = 0;
  series.numerators.forEach((n, i) => {
    const d = series.denominators?.[i];
    if (n !== null && d !== null && d !== undefined) {
      num += n;
      den += d;
    }
  });
  return den > 0 ? num / den : null;
}

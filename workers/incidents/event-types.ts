/**
 * Event types an export brings beyond the canonical ones (an `out_of_stock`, a `coupon_error`): the store's own
 * signals of something failing. Each is watched like errors and payment failures: a count in all traffic,
 * rises only, in the backend family, so that one rising while a business metric moves is that incident's
 * symptom (and may date it), and one rising alone is an incident of its own.
 */
import { CANONICAL_EVENT_TYPES } from '../../shared/events';
import { selectorSums } from '../metrics/custom-metrics';
import type { CohortSeries, CubeTable } from '../metrics/rollup';
import type { Db } from '../store/workspace';
import type { CustomSeriesMetric } from './scan';

export function otherEventTypeSeries(
  db: Db,
  table: CubeTable,
): { cohort: CohortSeries; metric: CustomSeriesMetric }[] {
  if (table.length === 0) return [];
  const canonical = new Set<string>(CANONICAL_EVENT_TYPES);
  const types = (
    db
      .prepare("SELECT value FROM dim_values WHERE dim = 'event_type' ORDER BY value")
      .pluck()
      .all() as string[]
  ).filter((t) => !canonical.has(t));
  const window = { from: table.start, to: table.start + table.length * table.bucketMs };
  // All traffic's visits: the series is watched, as every cohort is, once the store has seen enough of them.
  const sessions = new Float64Array(table.length);
  const perRow = table.measures.sessions as Float64Array;
  for (let r = 0; r < table.rows; r++) {
    const b = table.bucketIndex[r] as number;
    sessions[b] = (sessions[b] as number) + (perRow[r] as number);
  }
  return types.map((type) => {
    const counts = new Float64Array(table.length);
    for (const [bucket, n] of selectorSums(db, { eventTypes: [type] }, {}, table.bucketMs, window))
      counts[(bucket - table.start) / table.bucketMs] = n;
    return {
      cohort: {
        key: `event_type=${type}`,
        cohort: {},
        series: { [type]: counts, sessions },
        totals: { [type]: counts.reduce((a, b) => a + b, 0) },
      },
      metric: { metric: type, kind: 'count', numerator: type, family: 'backend', watch: 'up' },
    };
  });
}

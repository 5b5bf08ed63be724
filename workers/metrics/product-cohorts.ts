import { EVENT_MEASURES } from '../../shared/metrics';
import type { Db } from '../store/workspace';
import { cohortKey, type CohortSeries, type CubeTable } from './rollup';

/**
 * One series per value of a product dimension (category), over the buckets of `table`, from the cube's product
 * rows: a product cohort's visits are the sessions with an event of that product, its add-to-cart sessions those
 * that added one of its products, and so on. An out-of-stock shows here, where the whole visit cannot see it.
 */
export function productCohorts(
  db: Db,
  table: CubeTable,
  names: Map<number, string>,
  dimension: 'category' | 'brand',
): CohortSeries[] {
  if (table.length === 0) return [];
  const end = table.start + (table.length - 1) * table.bucketMs;
  const rows = db
    .prepare(
      `SELECT bucket, value, ${EVENT_MEASURES.join(', ')} FROM cube_products
       WHERE dim = ? AND bucket >= ? AND bucket <= ?`,
    )
    .raw()
    .iterate(dimension, table.start, end) as Iterable<number[]>;
  const byValue = new Map<number, CohortSeries>();
  for (const row of rows) {
    const b = ((row[0] as number) - table.start) / table.bucketMs;
    if (!Number.isInteger(b)) continue;
    const id = row[1] as number;
    let cohort = byValue.get(id);
    if (!cohort) {
      const labelled = { [dimension]: names.get(id) ?? String(id) };
      cohort = {
        key: cohortKey(labelled),
        cohort: labelled,
        series: Object.fromEntries(EVENT_MEASURES.map((m) => [m, new Float64Array(table.length)])),
        totals: Object.fromEntries(EVENT_MEASURES.map((m) => [m, 0])),
      };
      byValue.set(id, cohort);
    }
    EVENT_MEASURES.forEach((m, i) => {
      const value = row[2 + i] as number;
      (cohort.series[m] as Float64Array)[b] = value;
      cohort.totals[m] = (cohort.totals[m] as number) + value;
    });
  }
  return [...byValue.values()];
}

import type { FunnelQuery, FunnelStep } from '../../shared/explore';
import type { Db } from '../store/workspace';
import { cubeCohortFilter } from './cohort-filter';
import { checkWindow } from './window';

/** Each step and the session measure of the cube that counts the sessions reaching it. */
const STEPS: readonly [FunnelStep['step'], string][] = [
  ['sessions', 'sessions'],
  ['viewed', 'sessions_with_view'],
  ['added_to_cart', 'sessions_with_add_to_cart'],
  ['began_checkout', 'sessions_with_checkout'],
  ['purchased', 'sessions_with_purchase'],
];

/**
 * Sessions that started in the window (and the cohort) and how many of them reached each step. A session
 * may skip a step (checkout without a cart event), so a rate above 1 is possible and reported as it is.
 */
export function funnel(db: Db, query: FunnelQuery): FunnelStep[] {
  checkWindow(query);
  const filter = cubeCohortFilter(db, query.cohort ?? {});
  const totals = db
    .prepare(
      `SELECT ${STEPS.map(([, measure]) => `TOTAL(${measure})`).join(', ')} FROM cube
       WHERE bucket >= ? AND bucket < ? AND ${filter.sql}`,
    )
    .raw()
    .get(query.from, query.to, ...filter.params) as number[];
  return STEPS.map(([step], i) => {
    const sessions = totals[i] as number;
    const previous = i === 0 ? null : (totals[i - 1] as number);
    return {
      step,
      sessions,
      rateFromPrevious: previous === null || previous === 0 ? null : sessions / previous,
    };
  });
}

import { CANONICAL_EVENT_TYPES, DIMENSIONS } from '../../../shared/events';
import type { Db } from '../../store/workspace';
import type { EvidenceMetric } from './metrics';
import type { CohortWindows } from './windows';

/**
 * Event types outside the canonical vocabulary that an import kept (an export's `out_of_stock`,
 * `coupon_rejected`, `address_invalid`): the cube has no measure for them, so they are counted from the
 * events table over the incident's windows, inside the cohort and outside it, and added to the windows'
 * sums as `event:<type>`. A rise of such events in the cohort is often the most direct evidence there is.
 */
export function addCustomEvents(
  db: Db,
  windows: CohortWindows,
  cohort: Record<string, string>,
  time: { start: number; bucketMs: number },
): EvidenceMetric[] {
  const canonical = new Set<string>(CANONICAL_EVENT_TYPES);
  const types = (
    db.prepare("SELECT id, value FROM dim_values WHERE dim = 'event_type'").all() as {
      id: number;
      value: string;
    }[]
  ).filter((t) => !canonical.has(t.value));
  if (types.length === 0) return [];
  const known = new Set<string>(DIMENSIONS);
  const pairs = Object.entries(cohort);
  if (pairs.some(([d]) => !known.has(d))) return [];
  // Value ids per dimension of the cohort; a value never imported matches nothing.
  const idOf = db.prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?').pluck();
  const ids = pairs.map(([d, v]) => [d, idOf.get(d, v) as number | undefined] as const);
  if (ids.some(([, id]) => id === undefined)) return [];
  const inside = ids.length === 0 ? '1' : ids.map(([d]) => `${d} = ?`).join(' AND ');
  const insideParams = ids.map(([, id]) => id as number);
  // Window k: 0 the one after the onset, 1 + i the i-th baseline window.
  const spans = [windows.first, ...windows.starts].map((b) => {
    const from = time.start + b * time.bucketMs;
    return [from, from + windows.buckets * time.bucketMs] as const;
  });
  const slot = `CASE ${spans.map((_, k) => `WHEN ts >= ? AND ts < ? THEN ${k}`).join(' ')} END`;
  const rows = db
    .prepare(
      `SELECT type_id AS type, (${inside}) AS inside, ${slot} AS slot, COUNT(*) AS n FROM events
       WHERE type_id IN (${types.map(() => '?').join(', ')})
         AND (${spans.map(() => '(ts >= ? AND ts < ?)').join(' OR ')})
       GROUP BY type_id, inside, slot`,
    )
    .all(...insideParams, ...spans.flat(), ...types.map((t) => t.id), ...spans.flat()) as {
    type: number;
    inside: number;
    slot: number | null;
    n: number;
  }[];
  const measure = new Map(types.map((t) => [t.id, `event:${t.value}`]));
  for (const side of [windows.inside, windows.outside])
    for (const sums of [side.after, ...side.baseline]) for (const m of measure.values()) sums[m] = 0;
  for (const row of rows) {
    if (row.slot === null) continue;
    const side = row.inside ? windows.inside : windows.outside;
    const sums = row.slot === 0 ? side.after : side.baseline[row.slot - 1];
    if (sums) sums[measure.get(row.type)!] = row.n;
  }
  return types.map((t) => ({
    metric: t.value,
    label: `${t.value.replace(/_/g, ' ')} events`,
    kind: 'count' as const,
    numerator: `event:${t.value}`,
  }));
}

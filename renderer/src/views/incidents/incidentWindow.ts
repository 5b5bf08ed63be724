import type { IncidentRecord, TimeWindow } from '../../../../shared/explore';
import { DAY_MS, HOUR_MS } from '../../format/dates';

/**
 * The stretch of time shown around an incident: enough days before it to see the usual daily rhythm, a
 * few hours after it to see the recovery, within the data's span.
 */
export function incidentWindow(
  incident: IncidentRecord,
  span: { from: number; to: number } | null,
  before = 3 * DAY_MS,
  after = 12 * HOUR_MS,
): TimeWindow {
  const start = Date.parse(incident.start);
  const end = Date.parse(incident.end);
  const from = Math.max(span?.from ?? -Infinity, start - before);
  const to = Math.min(span ? span.to + 1 : Infinity, end + after);
  return { from, to: Math.max(to, end) };
}

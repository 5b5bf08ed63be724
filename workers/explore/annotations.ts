import type { AnnotationRecord, Cohort, TimeWindow } from '../../shared/explore';
import type { Db } from '../store/workspace';
import { checkWindow } from './window';

/** Annotation cohorts are stored as `dim=value&dim=value` ('' for all traffic). */
export function parseAnnotationCohort(text: string): Cohort {
  const cohort: Cohort = {};
  for (const pair of text.split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    cohort[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return cohort;
}

/**
 * Annotations overlapping the window, earliest first. One without an end is a moment (a deploy): it
 * overlaps when it lies in [from, to).
 */
export function listAnnotations(db: Db, window: Partial<TimeWindow> = {}): AnnotationRecord[] {
  checkWindow(window, { optional: true });
  const rows = db
    .prepare(
      `SELECT id, kind, label, start_ts AS start, end_ts AS "end", cohort FROM annotations
       WHERE start_ts < ? AND COALESCE(end_ts, start_ts) >= ? ORDER BY start_ts, id`,
    )
    .all(window.to ?? Number.MAX_SAFE_INTEGER, window.from ?? Number.MIN_SAFE_INTEGER) as (Omit<
    AnnotationRecord,
    'cohort'
  > & { cohort: string })[];
  return rows.map((r) => ({ ...r, cohort: parseAnnotationCohort(r.cohort) }));
}

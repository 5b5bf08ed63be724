import { DIMENSIONS } from '../../shared/events';
import type { Mapping, PiiFinding } from '../../shared/ingest';
import type { Cohort, TimeWindow } from '../../shared/explore';
import { redactText } from '../mask/pii';
import type { Db } from '../store/workspace';

/** Shown instead of a dimension value that import stored as a pseudonym (it looked like PII). */
export const MASKED_VALUE = '[masked]';
/** What a pseudonymised dimension value looks like in dim_values (see mask/pseudonym.ts). */
const PSEUDONYM_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** Dimensions that import found PII in: pseudonymised ones, and ones the analyst chose to keep plain. */
export interface ImportedPii {
  masked: Set<string>;
  plain: Set<string>;
}

export function importedPii(db: Db): ImportedPii {
  const masked = new Set<string>();
  const plain = new Set<string>();
  const rows = db.prepare('SELECT mapping, pii FROM sources').all() as { mapping: string; pii: string }[];
  for (const row of rows) {
    const mapping = JSON.parse(row.mapping) as Mapping;
    for (const finding of JSON.parse(row.pii) as PiiFinding[]) {
      const role = mapping.columns[finding.column];
      if (role?.role !== 'dimension') continue;
      if (finding.action === 'mask_dimension') masked.add(role.as);
      if (finding.action === 'kept_plain') plain.add(role.as);
    }
  }
  return { masked, plain };
}

/**
 * Identifier values known to the workspace that must never appear in an export: the pseudonyms of masked
 * dimension values and the values of dimensions kept plain although they looked like PII.
 */
export function knownDimensionIdentifiers(db: Db, pii: ImportedPii): Set<string> {
  const known = new Set<string>();
  const values = db.prepare('SELECT value FROM dim_values WHERE dim = ?').pluck();
  for (const dim of pii.masked)
    for (const value of values.all(dim) as string[]) if (PSEUDONYM_SHAPE.test(value)) known.add(value);
  // Short plain values (a country code) would match everywhere; PII-shaped ones are long.
  for (const dim of pii.plain)
    for (const value of values.all(dim) as string[]) if (value.length >= 6) known.add(value);
  return known;
}

/** A cohort as the report shows it: values of pseudonymised dimensions masked. */
export function displayCohort(cohort: Cohort, pii: ImportedPii): Cohort {
  return Object.fromEntries(
    Object.entries(cohort).map(([dim, value]) => [dim, pii.masked.has(dim) ? MASKED_VALUE : value]),
  );
}

export function cohortLabel(cohort: Cohort): string {
  const parts = Object.entries(cohort).map(([dim, value]) => `${dim}=${value}`);
  return parts.length > 0 ? parts.join(', ') : 'all traffic';
}

/** Redacts free text and counts the fields in which something was found. */
export class TextRedactor {
  redacted = 0;
  text(value: string | null | undefined): string {
    if (!value) return '';
    const out = redactText(value);
    if (out !== value) this.redacted++;
    return out;
  }
}

function dimensionIds(db: Db, cohort: Cohort): { column: string; id: number }[] | null {
  const lookup = db.prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?').pluck();
  const out: { column: string; id: number }[] = [];
  for (const [dim, value] of Object.entries(cohort)) {
    // Only the fixed dimension names become column names in SQL.
    if (!(DIMENSIONS as readonly string[]).includes(dim)) return null;
    const id = lookup.get(dim, value) as number | undefined;
    if (id === undefined) return null;
    out.push({ column: dim, id });
  }
  return out;
}

/**
 * Distinct users of a cohort in a window, from events: a user is a user pseudonym, or the session where
 * the source had no user id. 0 when the cohort has no events (e.g. a value only an imported table has).
 */
export function distinctUsers(db: Db, cohort: Cohort, window: TimeWindow): number {
  const ids = dimensionIds(db, cohort);
  if (!ids) return 0;
  const where = ids.map((d) => ` AND ${d.column} = ?`).join('');
  return db
    .prepare(
      `SELECT COUNT(DISTINCT COALESCE(user_key, session_key)) FROM events WHERE ts >= ? AND ts < ?${where}`,
    )
    .pluck()
    .get(window.from, window.to, ...ids.map((d) => d.id)) as number;
}

/** Distinct users per value of `dimension` within a cohort and window, by value. */
export function distinctUsersBy(
  db: Db,
  dimension: string,
  within: Cohort,
  window: TimeWindow,
): Map<string, number> {
  const ids = dimensionIds(db, within);
  if (!ids || !(DIMENSIONS as readonly string[]).includes(dimension)) return new Map();
  const where = ids.map((d) => ` AND e.${d.column} = ?`).join('');
  const rows = db
    .prepare(
      `SELECT v.value, COUNT(DISTINCT COALESCE(e.user_key, e.session_key)) FROM events e
       JOIN dim_values v ON v.id = e.${dimension}
       WHERE e.ts >= ? AND e.ts < ?${where} GROUP BY e.${dimension}`,
    )
    .raw()
    .all(window.from, window.to, ...ids.map((d) => d.id)) as [string, number][];
  return new Map(rows);
}

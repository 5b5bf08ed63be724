import type { Cohort } from '../../../shared/explore';

/** "country=US · device=desktop", or "All traffic" for the empty cohort. */
export function cohortLabel(cohort: Cohort): string {
  const entries = Object.entries(cohort);
  if (entries.length === 0) return 'All traffic';
  return entries.map(([dimension, value]) => `${dimension}=${value}`).join(' · ');
}

export function cohortKey(cohort: Cohort): string {
  return JSON.stringify(Object.entries(cohort).sort(([a], [b]) => a.localeCompare(b)));
}

export function sameCohort(a: Cohort, b: Cohort): boolean {
  return cohortKey(a) === cohortKey(b);
}

/** The cohort inside a sentence: "fell in all traffic", "fell in os=iOS". */
export function cohortPhrase(cohort: Cohort): string {
  return Object.keys(cohort).length === 0 ? 'all traffic' : cohortLabel(cohort);
}

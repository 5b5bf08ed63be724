import { FunnelscopeError } from '../../shared/errors';
import { DIMENSIONS, SESSION_DIMENSIONS } from '../../shared/events';
import type { Cohort } from '../../shared/explore';
import type { Db } from '../store/workspace';

/** A WHERE fragment over the fine cube's dimension columns and its parameters ('1' for all traffic). */
export interface CohortFilter {
  sql: string;
  params: number[];
}

export function isSessionDimension(name: string): name is (typeof SESSION_DIMENSIONS)[number] {
  return (SESSION_DIMENSIONS as readonly string[]).includes(name);
}

export function checkSessionDimension(name: string): void {
  if (!isSessionDimension(name))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `"${name}" is not a cohort dimension; cohorts are made of ${SESSION_DIMENSIONS.join(', ')}.`,
      { dimension: name },
    );
}

/** The dictionary id of a dimension value, or BAD_ARGUMENT when the workspace has never seen it. */
export function dimensionValueId(db: Db, dimension: string, value: string): number {
  const id = db
    .prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?')
    .pluck()
    .get(dimension, value) as number | undefined;
  if (id === undefined)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `No data in this workspace has ${dimension} "${value}"; cohorts.dimensions lists the values there are.`,
      { dimension, value },
    );
  return id;
}

/**
 * Rows of the fine cube that belong to a cohort: a condition per dimension on the dictionary id. The
 * dimension names are checked against the fixed list before they are written into SQL.
 */
export function cubeCohortFilter(db: Db, cohort: Cohort = {}, alias = ''): CohortFilter {
  const dims = Object.keys(cohort).sort();
  if (dims.length === 0) return { sql: '1', params: [] };
  const prefix = alias ? `${alias}.` : '';
  const params: number[] = [];
  const parts = dims.map((d) => {
    checkSessionDimension(d);
    params.push(dimensionValueId(db, d, cohort[d] as string));
    return `${prefix}${d} = ?`;
  });
  return { sql: parts.join(' AND '), params };
}

/**
 * Imported tables are aggregated per single dimension (cube_measures): a cohort there is all traffic or
 * one dimension value.
 */
export function measureCohortFilter(db: Db, cohort: Cohort = {}): CohortFilter {
  const dims = Object.keys(cohort);
  if (dims.length === 0) return { sql: "dim = '' AND value = 0", params: [] };
  if (dims.length > 1)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      'Metrics of imported tables are broken down by one dimension at a time; choose a cohort of one dimension.',
      { cohort },
    );
  const dim = dims[0] as string;
  // Tables may carry product dimensions too (category, brand): any dimension of the schema is accepted.
  if (!(DIMENSIONS as readonly string[]).includes(dim))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `"${dim}" is not a dimension; dimensions are ${DIMENSIONS.join(', ')}.`,
      { dimension: dim },
    );
  return { sql: `dim = '${dim}' AND value = ?`, params: [dimensionValueId(db, dim, cohort[dim] as string)] };
}

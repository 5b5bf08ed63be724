import { PRODUCT_DIMENSIONS, SESSION_DIMENSIONS, type Dimension } from '../../shared/events';

/**
 * The cohort groupings the cube holds: all traffic, every single dimension, every pair of visit dimensions and
 * a few chosen triples (the combinations in which checkout and payment problems usually hide).
 */
export const CHOSEN_TRIPLES: readonly Dimension[][] = [
  ['os', 'browser', 'campaign'],
  ['device', 'os', 'browser'],
  ['os', 'browser', 'country'],
  ['device', 'channel', 'campaign'],
];

function pairs(dims: readonly Dimension[]): Dimension[][] {
  const out: Dimension[][] = [];
  for (let i = 0; i < dims.length; i++)
    for (let j = i + 1; j < dims.length; j++) out.push([dims[i] as Dimension, dims[j] as Dimension]);
  return out;
}

export interface Grouping {
  /** Dimensions in canonical order, joined by ',' ('' for all traffic). */
  key: string;
  dims: Dimension[];
  /** Whether session-level measures come from the sessions table (visit dimensions) or from events. */
  level: 'session' | 'product';
}

const sessionGroupings: Dimension[][] = [
  [],
  ...SESSION_DIMENSIONS.map((d) => [d] as Dimension[]),
  ...pairs(SESSION_DIMENSIONS),
  ...CHOSEN_TRIPLES,
];
const productGroupings: Dimension[][] = [['category'], ['brand']];

function grouping(dims: Dimension[], level: Grouping['level']): Grouping {
  return { key: dims.join(','), dims, level };
}

export const EVENT_GROUPINGS: readonly Grouping[] = [
  ...sessionGroupings.map((dims) => grouping(dims, 'session')),
  ...productGroupings.map((dims) => grouping(dims, 'product')),
];

export const PRODUCT_ONLY = new Set<string>(PRODUCT_DIMENSIONS);

/**
 * Metrics an analyst defines over the events of a workspace: a count or a sum of chosen event types, or a
 * ratio of two counts, each optionally restricted to a cohort. They are stored in the workspace, listed in
 * the catalog beside the built-in metrics, charted, and watched by detection.
 */
import { FunnelscopeError } from './errors';
import { DIMENSIONS } from './events';

/** Value columns of the events table a sum can add up. */
export const SUMMABLE_COLUMNS = ['revenue', 'price', 'quantity', 'latency_ms'] as const;
export type SummableColumn = (typeof SUMMABLE_COLUMNS)[number];

export interface EventSelector {
  /** Event types counted: canonical names (purchase, payment_failed) or an export's own (out_of_stock). */
  eventTypes: string[];
  /** Only events of this cohort (dimension → value), e.g. {"country":"DE"}. */
  where?: Record<string, string>;
}

export interface CustomMetricInput {
  /** Lower-case letters, digits and underscores, starting with a letter; unique in the workspace. */
  name: string;
  label?: string;
  kind: 'count' | 'sum' | 'ratio';
  numerator: EventSelector;
  /** Sums only: the value column added up over the numerator's events. */
  sumOf?: SummableColumn;
  /** Ratios only: the events the numerator is counted per. */
  denominator?: EventSelector;
  /** Which move is bad news; both by default. */
  badDirection?: 'up' | 'down' | 'both';
}

export interface CustomMetric extends Required<
  Pick<CustomMetricInput, 'name' | 'label' | 'kind' | 'badDirection'>
> {
  numerator: EventSelector;
  sumOf?: SummableColumn;
  denominator?: EventSelector;
  createdAt: string;
}

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

function bad(message: string): never {
  throw new FunnelscopeError('BAD_ARGUMENT', message);
}

function checkSelector(value: unknown, role: string): EventSelector {
  if (typeof value !== 'object' || value === null) bad(`The ${role} must say which event types it counts.`);
  const { eventTypes, where } = value as { eventTypes?: unknown; where?: unknown };
  if (
    !Array.isArray(eventTypes) ||
    eventTypes.length === 0 ||
    !eventTypes.every((t) => typeof t === 'string' && t.trim() !== '')
  )
    bad(`The ${role} needs at least one event type (for example purchase or payment_failed).`);
  const selector: EventSelector = { eventTypes: [...new Set(eventTypes.map((t: string) => t.trim()))] };
  if (where !== undefined) {
    if (typeof where !== 'object' || where === null || Array.isArray(where))
      bad(`The ${role}'s filter must be dimension=value pairs.`);
    const pairs = Object.entries(where as Record<string, unknown>);
    for (const [dimension, v] of pairs) {
      if (!(DIMENSIONS as readonly string[]).includes(dimension))
        bad(`"${dimension}" is not a dimension. Dimensions: ${DIMENSIONS.join(', ')}.`);
      if (typeof v !== 'string' || v === '') bad(`The filter on ${dimension} needs a value.`);
    }
    if (pairs.length > 0) selector.where = Object.fromEntries(pairs) as Record<string, string>;
  }
  return selector;
}

/**
 * Checks a definition and returns it in its stored form; BAD_ARGUMENT with what to change otherwise.
 * `taken` are the names of the catalog's other metrics (built-in and imported), which a definition may not
 * reuse.
 */
export function validateCustomMetric(input: unknown, taken: readonly string[]): CustomMetricInput {
  if (typeof input !== 'object' || input === null)
    bad('A metric definition is an object with a name and a kind.');
  const raw = input as Record<string, unknown>;
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!NAME.test(name))
    bad(
      `"${name}" cannot name a metric: use lower-case letters, digits and underscores, starting with a letter ` +
        '(for example checkout_errors_de).',
    );
  if (taken.includes(name)) bad(`"${name}" is already a metric of this workspace; choose another name.`);
  const kind = raw.kind;
  if (kind !== 'count' && kind !== 'sum' && kind !== 'ratio')
    bad('The kind of a metric is count, sum or ratio.');
  const badDirection = raw.badDirection ?? 'both';
  if (badDirection !== 'up' && badDirection !== 'down' && badDirection !== 'both')
    bad('The bad direction is up, down or both.');
  const definition: CustomMetricInput = {
    name,
    kind,
    numerator: checkSelector(raw.numerator, 'numerator'),
    badDirection,
  };
  if (typeof raw.label === 'string' && raw.label.trim() !== '')
    definition.label = raw.label.trim().slice(0, 80);
  if (kind === 'sum') {
    if (!(SUMMABLE_COLUMNS as readonly unknown[]).includes(raw.sumOf))
      bad(`A sum adds up one of ${SUMMABLE_COLUMNS.join(', ')}: say which with sumOf.`);
    definition.sumOf = raw.sumOf as SummableColumn;
  } else if (raw.sumOf !== undefined) bad('Only a sum adds up a value column (sumOf).');
  if (kind === 'ratio') definition.denominator = checkSelector(raw.denominator, 'denominator');
  else if (raw.denominator !== undefined) bad('Only a ratio has a denominator.');
  return definition;
}

/** "add_to_cart where country=DE" style text of a selector, for labels and the CLI. */
export function describeSelector(selector: EventSelector): string {
  const where = Object.entries(selector.where ?? {})
    .map(([d, v]) => `${d}=${v}`)
    .join(' & ');
  return `${selector.eventTypes.join(' or ')}${where ? ` where ${where}` : ''}`;
}

/** A readable default label: "payment_failed per begin_checkout", "Σ revenue of purchase where country=DE". */
export function defaultLabel(metric: CustomMetricInput): string {
  if (metric.kind === 'ratio')
    return `${describeSelector(metric.numerator)} per ${describeSelector(metric.denominator as EventSelector)}`;
  if (metric.kind === 'sum') return `Sum of ${metric.sumOf} of ${describeSelector(metric.numerator)}`;
  return `Count of ${describeSelector(metric.numerator)}`;
}

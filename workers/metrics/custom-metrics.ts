/**
 * The workspace's own metrics (shared/custom-metrics.ts): stored definitions, their catalog entries, and
 * their series per bucket, counted from the events table (the cube holds only the built-in measures).
 */
import {
  SUMMABLE_COLUMNS,
  defaultLabel,
  validateCustomMetric,
  type CustomMetric,
  type CustomMetricInput,
  type EventSelector,
  type SummableColumn,
} from '../../shared/custom-metrics';
import { FunnelscopeError } from '../../shared/errors';
import { SESSION_DIMENSIONS } from '../../shared/events';
import type { MetricDefinition } from '../../shared/metrics';
import type { Db } from '../store/workspace';

interface Row {
  name: string;
  definition: string;
  created_at: number;
}

function fromRow(row: Row): CustomMetric {
  const input = JSON.parse(row.definition) as CustomMetricInput;
  return {
    ...input,
    label: input.label ?? defaultLabel(input),
    badDirection: input.badDirection ?? 'both',
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function listCustomMetrics(db: Db): CustomMetric[] {
  return (
    db.prepare('SELECT name, definition, created_at FROM custom_metrics ORDER BY name').all() as Row[]
  ).map(fromRow);
}

/** Stores a new definition; `taken` are the names of the workspace's other metrics. */
export function saveCustomMetric(db: Db, input: unknown, taken: readonly string[]): CustomMetric {
  const own = listCustomMetrics(db).map((m) => m.name);
  const definition = validateCustomMetric(input, [...taken, ...own]);
  checkKnownValues(db, definition);
  db.prepare('INSERT INTO custom_metrics (name, definition, created_at) VALUES (?, ?, ?)').run(
    definition.name,
    JSON.stringify(definition),
    Date.now(),
  );
  return fromRow(
    db
      .prepare('SELECT name, definition, created_at FROM custom_metrics WHERE name = ?')
      .get(definition.name) as Row,
  );
}

/**
 * A definition naming an event type or a dimension value the workspace has never seen is most likely a typo:
 * refused with the names it does have. (An empty workspace accepts anything: its data is still to come.)
 */
function checkKnownValues(db: Db, definition: CustomMetricInput): void {
  const values = (dim: string) =>
    db.prepare('SELECT value FROM dim_values WHERE dim = ? ORDER BY value').pluck().all(dim) as string[];
  const known = values('event_type');
  if (known.length === 0) return;
  for (const selector of [definition.numerator, definition.denominator]) {
    if (!selector) continue;
    for (const type of selector.eventTypes)
      if (!known.includes(type))
        throw new FunnelscopeError(
          'BAD_ARGUMENT',
          `This workspace has no event type "${type}". Its event types are: ${known.join(', ')}.`,
        );
    for (const [dimension, value] of Object.entries(selector.where ?? {})) {
      const seen = values(dimension);
      if (!seen.includes(value))
        throw new FunnelscopeError(
          'BAD_ARGUMENT',
          `No event has ${dimension} "${value}". Values of ${dimension}: ${seen.slice(0, 30).join(', ') || 'none'}.`,
        );
    }
  }
}

export function deleteCustomMetric(db: Db, name: string): void {
  const removed = db.prepare('DELETE FROM custom_metrics WHERE name = ?').run(name).changes;
  if (removed === 0)
    throw new FunnelscopeError('BAD_ARGUMENT', `This workspace has no metric of its own named "${name}".`, {
      metric: name,
    });
}

/** The catalog entry of a custom metric: family custom, the definition carried along. */
export function customDefinition(metric: CustomMetric): MetricDefinition {
  const unit =
    metric.kind === 'ratio'
      ? 'ratio'
      : metric.kind === 'count'
        ? 'events'
        : metric.sumOf === 'revenue' || metric.sumOf === 'price'
          ? 'currency'
          : metric.sumOf === 'latency_ms'
            ? 'ms'
            : 'count';
  return {
    name: metric.name,
    label: metric.label,
    kind: metric.kind,
    family: 'custom',
    unit,
    numerator: `custom:${metric.name}`,
    ...(metric.kind === 'ratio' ? { denominator: `custom:${metric.name}:per` } : {}),
    badDirection: metric.badDirection,
    custom: metric,
  };
}

/** SQL condition and parameters selecting a selector's events (and, optionally, a cohort's). */
function eventFilter(
  db: Db,
  selector: EventSelector,
  cohort: Record<string, string>,
): { sql: string; params: (number | string)[] } | null {
  const idOf = db.prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?').pluck();
  const types = selector.eventTypes
    .map((t) => idOf.get('event_type', t) as number | undefined)
    .filter((id): id is number => id !== undefined);
  // An event type or a value the data never had: the series is all zero, not an error (it may come later).
  if (types.length === 0) return null;
  const clauses = [`type_id IN (${types.map(() => '?').join(', ')})`];
  const params: (number | string)[] = [...types];
  for (const [dimension, value] of Object.entries({ ...cohort, ...selector.where })) {
    if (
      cohort[dimension] !== undefined &&
      selector.where?.[dimension] !== undefined &&
      cohort[dimension] !== selector.where[dimension]
    )
      return null;
    const id = idOf.get(dimension, value) as number | undefined;
    if (id === undefined) return null;
    // Dimension names come from the schema's list (validated), never from free text.
    clauses.push(`${dimension} = ?`);
    params.push(id);
  }
  return { sql: clauses.join(' AND '), params };
}

function amountOf(sumOf: SummableColumn | undefined): string {
  if (sumOf !== undefined && !SUMMABLE_COLUMNS.includes(sumOf))
    throw new Error(`not a value column: ${sumOf}`);
  return sumOf ? `TOTAL(${sumOf})` : 'COUNT(*)';
}

/**
 * Per value (or value pair) of visit dimensions over [from, to): the selector's count of events, or the sum of
 * a value column over them, within a cohort. Events without a value of a dimension belong to no group of it,
 * as in the cube. Keyed by the dimension value ids joined with commas.
 */
export function selectorSumsBy(
  db: Db,
  selector: EventSelector,
  cohort: Record<string, string>,
  dims: readonly string[],
  range: { from: number; to: number },
  sumOf?: SummableColumn,
): Map<string, { ids: number[]; value: number }> {
  const out = new Map<string, { ids: number[]; value: number }>();
  const filter = eventFilter(db, selector, cohort);
  if (!filter) return out;
  for (const d of dims)
    if (!(SESSION_DIMENSIONS as readonly string[]).includes(d))
      throw new Error(`not a visit dimension: ${d}`);
  const rows = db
    .prepare(
      `SELECT ${dims.join(', ')}, ${amountOf(sumOf)} FROM events
       WHERE ts >= ? AND ts < ? AND ${dims.map((d) => `${d} > 0`).join(' AND ')} AND ${filter.sql}
       GROUP BY ${dims.join(', ')}`,
    )
    .raw()
    .all(range.from, range.to, ...filter.params) as number[][];
  for (const row of rows) {
    const ids = row.slice(0, dims.length);
    out.set(ids.join(','), { ids, value: row[dims.length] as number });
  }
  return out;
}

/**
 * Per bucket of the cube's grid (epoch-aligned starts) in [from, to): the selector's count of events, or the
 * sum of a value column over them.
 */
export function selectorSums(
  db: Db,
  selector: EventSelector,
  cohort: Record<string, string>,
  bucketMs: number,
  range: { from: number; to: number },
  sumOf?: SummableColumn,
): Map<number, number> {
  const out = new Map<number, number>();
  const filter = eventFilter(db, selector, cohort);
  if (!filter) return out;
  const rows = db
    .prepare(
      `SELECT ts - ts % ? AS b, ${amountOf(sumOf)} FROM events WHERE ts >= ? AND ts < ? AND ${filter.sql} GROUP BY b`,
    )
    .raw()
    .all(bucketMs, range.from, range.to, ...filter.params) as [number, number][];
  for (const [b, value] of rows) out.set(b, value);
  return out;
}

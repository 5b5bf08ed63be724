import { FunnelscopeError } from '../../shared/errors';
import {
  BUILT_IN_METRICS,
  EVENT_MEASURES,
  type MetricDefinition,
  type MetricFamily,
} from '../../shared/metrics';
import type { Db } from '../store/workspace';
import { customDefinition, listCustomMetrics } from '../metrics/custom-metrics';
import { perCubeVersion } from './cube-version';

/** A measure column of imported pre-aggregated tables, as the cube holds it (cube_measures). */
export interface TableMeasure {
  id: number;
  name: string;
  family: MetricFamily;
  /** Whole numbers only: a count (counts detector); otherwise a sum (generic detectors). */
  integral: boolean;
  /** The coarsest spacing of the tables that carry it: its series is bucketed at this size. */
  bucketMs: number;
}

const FAMILY_OF_PRESET: Record<string, MetricFamily> = {
  'email-campaigns': 'email',
  'social-engagement': 'social',
};

const isEventMeasure = (name: string) => (EVENT_MEASURES as readonly string[]).includes(name);

/** Measures of the imported metric tables, with the family of the table each came from. */
export function tableMeasures(db: Db): Map<string, TableMeasure> {
  return perCubeVersion(db, 'tableMeasures', () => readTableMeasures(db));
}

function readTableMeasures(db: Db): Map<string, TableMeasure> {
  const rows = db
    .prepare(
      `SELECT m.id, m.value AS name, MAX(c.amount != ROUND(c.amount)) AS fractional
       FROM dim_values m JOIN cube_measures c ON c.measure_id = m.id AND c.dim = ''
       WHERE m.dim = 'measure' GROUP BY m.id`,
    )
    .all() as { id: number; name: string; fractional: number }[];
  // The mapping of each table names its measure columns; the table's preset says what kind of table it was.
  const sources = db
    .prepare(
      `SELECT s.preset, s.mapping, c.bucket_ms AS bucketMs FROM sources s
       JOIN cube_sources c ON c.source_id = s.id WHERE s.shape = 'metric_table' ORDER BY s.id`,
    )
    .all() as { preset: string; mapping: string; bucketMs: number }[];
  const origin = new Map<string, { family: MetricFamily; bucketMs: number }>();
  for (const source of sources) {
    let columns: Record<string, { role?: string; as?: string }> = {};
    try {
      columns = (JSON.parse(source.mapping) as { columns?: typeof columns }).columns ?? {};
    } catch {
      // A mapping that does not parse only loses the family; the measure is still listed.
    }
    for (const role of Object.values(columns)) {
      if (role.role !== 'measure' || !role.as) continue;
      const known = origin.get(role.as);
      origin.set(role.as, {
        family: known?.family ?? FAMILY_OF_PRESET[source.preset] ?? 'custom',
        bucketMs: Math.max(known?.bucketMs ?? 0, source.bucketMs),
      });
    }
  }
  const fallbackMs =
    (db.prepare('SELECT MAX(bucket_ms) FROM cube_sources').pluck().get() as number | null) ?? 3_600_000;
  return new Map(
    rows.map((r) => [
      r.name,
      {
        id: r.id,
        name: r.name,
        family: origin.get(r.name)?.family ?? 'custom',
        integral: r.fractional === 0,
        bucketMs: origin.get(r.name)?.bucketMs ?? fallbackMs,
      },
    ]),
  );
}

function label(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface EventContent {
  events: boolean;
  sessions: boolean;
  types: Set<string>;
  latency: boolean;
}

/** What the event cube holds: metrics whose measures the data cannot carry are not offered. */
function eventContent(db: Db): EventContent {
  const exists = (sql: string) => db.prepare(`SELECT EXISTS (${sql})`).pluck().get() === 1;
  const events = exists('SELECT 1 FROM cube');
  return {
    events,
    // An order export has events but no sessions: its session metrics would be all zero.
    sessions: events && exists('SELECT 1 FROM sessions'),
    types: new Set(
      db.prepare("SELECT value FROM dim_values WHERE dim = 'event_type'").pluck().all() as string[],
    ),
    latency: events && exists('SELECT 1 FROM cube WHERE latency_ms_count > 0'),
  };
}

/** The event type an event measure counts, where its presence decides whether the metric is offered. */
const MEASURE_EVENT_TYPE: Record<string, string> = {
  page_views: 'page_view',
  orders: 'purchase',
  revenue: 'purchase',
  errors: 'error',
  payment_failures: 'payment_failed',
};

function eventMetricOffered(m: MetricDefinition, content: EventContent): boolean {
  if (!content.events) return false;
  for (const measure of [m.numerator, m.denominator]) {
    if (measure === undefined) continue;
    if (measure.startsWith('sessions') && !content.sessions) return false;
    if (measure.startsWith('latency_ms') && !content.latency) return false;
    const type = MEASURE_EVENT_TYPE[measure];
    if (type && !content.types.has(type)) return false;
  }
  return true;
}

/**
 * The metrics this workspace can show: the built-in event metrics when it holds events, the built-in
 * e-mail rates whose measures an imported table carries, and every other measure of an imported table as
 * a count or sum of its own (a measure named like an event measure would be ambiguous and is left out).
 */
export function metricCatalog(db: Db): MetricDefinition[] {
  // Kept per cube version: without latency data, checking for it scans the whole cube. The analyst's own
  // metrics change without the cube: read each time (a handful of rows).
  const cached = perCubeVersion(db, 'catalog', () => readCatalog(db));
  return [...cached, ...listCustomMetrics(db).map(customDefinition)];
}

function readCatalog(db: Db): MetricDefinition[] {
  const content = eventContent(db);
  const measures = tableMeasures(db);
  const offered = (m: MetricDefinition): boolean => {
    if (isEventMeasure(m.numerator)) return eventMetricOffered(m, content);
    return measures.has(m.numerator) && (m.denominator === undefined || measures.has(m.denominator));
  };
  const builtIn = BUILT_IN_METRICS.filter(offered);
  const taken = new Set(BUILT_IN_METRICS.map((m) => m.name));
  const generic: MetricDefinition[] = [...measures.values()]
    .filter((m) => !taken.has(m.name) && !isEventMeasure(m.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => ({
      name: m.name,
      label: label(m.name),
      kind: m.integral ? 'count' : 'sum',
      family: m.family,
      unit: 'count',
      numerator: m.name,
      badDirection: 'both',
    }));
  return [...builtIn, ...generic];
}

/** The catalog (or built-in) entry of a metric name, or BAD_ARGUMENT naming the metrics this workspace has. */
export function resolveMetric(db: Db, name: string): MetricDefinition {
  const catalog = metricCatalog(db);
  // A built-in metric the data cannot carry yet is still answered (an empty or all-zero series), so a view
  // of a new workspace shows "no data" rather than an error.
  const metric = catalog.find((m) => m.name === name) ?? BUILT_IN_METRICS.find((m) => m.name === name);
  if (metric) return metric;
  const known = catalog.map((m) => m.name).join(', ');
  throw new FunnelscopeError(
    'BAD_ARGUMENT',
    known
      ? `This workspace has no metric "${name}". Its metrics are: ${known}.`
      : `This workspace has no metric "${name}": it holds no data yet. Import events or a metric table first.`,
    { metric: name },
  );
}

/** Whether a metric reads the event cube (visit-dimension cohorts) or the imported tables' measures. */
export function fromEventCube(metric: MetricDefinition): boolean {
  return isEventMeasure(metric.numerator);
}

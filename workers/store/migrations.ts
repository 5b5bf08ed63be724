import type Database from 'better-sqlite3';
import { DIMENSIONS, SESSION_DIMENSIONS } from '../../shared/events';
import { EVENT_MEASURES } from '../../shared/metrics';

/**
 * Versioned migrations, applied in order inside one transaction each and recorded in `schema_migrations`.
 * Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  up: string;
}

const dimensionColumns = DIMENSIONS.map((d) => `  ${d} INTEGER`).join(',\n');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial workspace',
    up: `
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL,
  compression TEXT NOT NULL,
  shape TEXT NOT NULL,
  preset TEXT NOT NULL,
  mapping TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_imported INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  notes TEXT NOT NULL,
  pii TEXT NOT NULL,
  time_from INTEGER,
  time_to INTEGER,
  -- Rows of one import are contiguous (one transaction, one writer): later stages read a source by rowid range.
  first_rowid INTEGER,
  last_rowid INTEGER,
  imported_at INTEGER NOT NULL
) STRICT;

CREATE TABLE rejected_rows (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  excerpt TEXT NOT NULL
) STRICT;
CREATE INDEX rejected_rows_source ON rejected_rows(source_id, line);

-- Strings live once: every dimension value, event type and measure name.
CREATE TABLE dim_values (
  id INTEGER PRIMARY KEY,
  dim TEXT NOT NULL,
  value TEXT NOT NULL,
  UNIQUE (dim, value)
) STRICT;

-- user_key, session_key and order_key are keyed pseudonyms: the first 53 bits of
-- HMAC-SHA-256(workspace secret, kind, identifier), stored as integers. Raw identifiers never land here.
CREATE TABLE events (
  ts INTEGER NOT NULL,
  type_id INTEGER NOT NULL,
  source_id INTEGER NOT NULL,
  user_key INTEGER,
  session_key INTEGER,
  order_key INTEGER,
${dimensionColumns},
  price REAL,
  quantity REAL,
  revenue REAL,
  latency_ms REAL
) STRICT;

-- Pre-aggregated tables (e-mail campaign performance, social engagement, backend signals): long format.
CREATE TABLE metric_values (
  ts INTEGER NOT NULL,
  source_id INTEGER NOT NULL,
  measure_id INTEGER NOT NULL,
${dimensionColumns},
  value REAL NOT NULL
) STRICT;

CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
  end_ts INTEGER,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  cohort TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 2,
    name: 'metric cube',
    up: `
-- One row per session of one source: its start, the dimensions of its first event, and its funnel flags.
CREATE TABLE sessions (
  source_id INTEGER NOT NULL,
  session_key INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
${SESSION_DIMENSIONS.map((d) => `  ${d} INTEGER`).join(',\n')},
  has_view INTEGER NOT NULL,
  has_add_to_cart INTEGER NOT NULL,
  has_checkout INTEGER NOT NULL,
  has_purchase INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_start ON sessions(start_ts);

-- The cube at its finest grain: counts and sums per time bucket (start, epoch ms) and combination of visit
-- dimensions (0 = no value). Any cohort's series is a sum over these rows, rolled up in the compute workers.
CREATE TABLE cube (
  bucket INTEGER NOT NULL,
${SESSION_DIMENSIONS.map((d) => `  ${d} INTEGER NOT NULL`).join(',\n')},
${EVENT_MEASURES.map((m) => `  ${m} ${m.endsWith('_sum') || m === 'revenue' ? 'REAL' : 'INTEGER'} NOT NULL DEFAULT 0`).join(',\n')},
  PRIMARY KEY (bucket, ${SESSION_DIMENSIONS.join(', ')})
) STRICT, WITHOUT ROWID;

-- The same measures per bucket and product dimension value (category, brand): the visits of a product cohort
-- are the sessions with an event of that product.
CREATE TABLE cube_products (
  bucket INTEGER NOT NULL,
  dim TEXT NOT NULL,
  value INTEGER NOT NULL,
${EVENT_MEASURES.map((m) => `  ${m} ${m.endsWith('_sum') || m === 'revenue' ? 'REAL' : 'INTEGER'} NOT NULL DEFAULT 0`).join(',\n')},
  PRIMARY KEY (dim, value, bucket)
) STRICT, WITHOUT ROWID;

-- Measures of imported pre-aggregated tables per cohort and bucket.
-- dim/value are '' and 0 for the table's total.
CREATE TABLE cube_measures (
  measure_id INTEGER NOT NULL,
  dim TEXT NOT NULL,
  value INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  amount REAL NOT NULL,
  PRIMARY KEY (measure_id, dim, value, bucket)
) STRICT, WITHOUT ROWID;

-- Which sources the cube holds, so that it is extended incrementally after each import.
CREATE TABLE cube_sources (source_id INTEGER PRIMARY KEY, bucket_ms INTEGER NOT NULL) STRICT;
`,
  },
  {
    version: 3,
    name: 'incidents and feedback',
    up: `
-- Incidents of the latest detection run (ids are stable: metric, cohort and start), with the analyst's
-- verdict. A re-run replaces the unlabelled ones and keeps the labelled ones.
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  found_at INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
  -- Relative size |observed - expected| / expected, compared with false-alarm patterns.
  size REAL NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'true_alarm', 'false_alarm', 'expected')),
  note TEXT,
  labelled_at INTEGER
) STRICT;
CREATE INDEX incidents_by_start ON incidents (start_ts);

-- Verdicts kept as patterns: a false alarm suppresses the same metric, cohort and direction up to its size
-- in later runs, even after the incident itself is gone.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL,
  label TEXT NOT NULL,
  metric TEXT NOT NULL,
  cohort TEXT NOT NULL,
  direction TEXT NOT NULL,
  magnitude REAL NOT NULL,
  note TEXT,
  created_at INTEGER NOT NULL
) STRICT;
`,
  },
  {
    version: 4,
    name: 'audit log',
    up: `
-- Every export (and every refused export): who, when, what, under which masking policy, and the hash of
-- the file written. Append-only: nothing in Funnelscope updates or deletes these rows.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  os_user TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('export', 'export_refused')),
  target TEXT NOT NULL,
  policy TEXT NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT,
  reason TEXT
) STRICT;
`,
  },
  {
    version: 5,
    name: 'alerts and playbooks',
    up: `
-- Alert rules of the workspace. metrics: JSON "all" or a list of names; cohorts: JSON "any" or a list of
-- dimension -> value filters; quiet hours are local times "HH:MM" in the workspace's time zone.
CREATE TABLE alert_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  min_severity TEXT NOT NULL CHECK (min_severity IN ('low', 'medium', 'high', 'critical')),
  metrics TEXT NOT NULL,
  cohorts TEXT NOT NULL,
  quiet_from TEXT,
  quiet_to TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- The default rule keeps what the app did before rules existed: a notification for critical incidents.
INSERT INTO alert_rules (name, enabled, min_severity, metrics, cohorts, created_at, updated_at)
VALUES ('Critical incidents', 1, 'critical', '"all"', '"any"', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
        CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- Every incident id a detection run has stored: an incident is new (and may alert) only the first time.
CREATE TABLE incidents_seen (
  id TEXT PRIMARY KEY,
  first_seen_at INTEGER NOT NULL
) STRICT;
INSERT INTO incidents_seen (id, first_seen_at) SELECT id, found_at FROM incidents;

-- The alert inbox: one entry per new incident and matching rule, with the incident as it was found (a later
-- run may replace the stored incident) and the rule's name at that time.
CREATE TABLE alert_inbox (
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL,
  rule_id INTEGER NOT NULL,
  rule_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
  incident TEXT NOT NULL,
  UNIQUE (incident_id, rule_id)
) STRICT;
CREATE INDEX alert_inbox_by_time ON alert_inbox (created_at);

-- The workspace's own playbook steps per incident kind; a kind without a row uses the built-in steps.
CREATE TABLE playbook_overrides (
  kind TEXT PRIMARY KEY,
  steps TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`,
  },
  {
    version: 6,
    name: 'custom metrics',
    up: `
-- Metrics the analyst defined (shared/custom-metrics.ts): the definition as JSON, checked before it is stored.
CREATE TABLE custom_metrics (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function appliedVersion(db: Database.Database): number {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

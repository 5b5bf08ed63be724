import type Database from 'better-sqlite3';
import { DIMENSIONS } from '../../shared/events';

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

import { DIMENSIONS } from '../../shared/events';
import type { InfoOptions, WorkspaceInfo, WorkspaceProfile } from '../../shared/workspace';
import { appliedVersion } from './migrations';
import { listSources } from './sources';
import { getSetting, type Db } from './workspace';

/**
 * The workspace's summary from its source records, which every import writes in the same transaction as its
 * rows: opening a workspace of millions of events must not read them (issue 6: the incident list within 1 s).
 */
export function workspaceInfo(db: Db, path: string, options: InfoOptions = {}): WorkspaceInfo {
  const count = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  // Rows of one import are contiguous (first_rowid..last_rowid); only event imports have a rowid range.
  const events = count('SELECT SUM(last_rowid - first_rowid + 1) FROM sources WHERE first_rowid IS NOT NULL');
  const span = db
    .prepare(
      `SELECT MIN(time_from) AS "from", MAX(time_to) AS "to" FROM sources
       WHERE shape != 'annotations' AND rows_imported > 0`,
    )
    .get() as { from: number | null; to: number | null };
  return {
    path,
    schemaVersion: appliedVersion(db),
    timeZone: getSetting(db, 'time_zone') ?? 'UTC',
    createdAt: Number(getSetting(db, 'created_at') ?? 0),
    sources: listSources(db),
    events,
    metricRows: count('SELECT COUNT(*) FROM metric_values'),
    measures: db
      .prepare("SELECT value FROM dim_values WHERE dim = 'measure' ORDER BY value")
      .pluck()
      .all() as string[],
    annotations: count('SELECT COUNT(*) FROM annotations'),
    timeSpan: span.from !== null && span.to !== null ? { from: span.from, to: span.to } : null,
    profile: options.profile ? workspaceProfile(db) : null,
  };
}

/** Event types, dimension values and distinct pseudonyms: one scan of the events per question. */
export function workspaceProfile(db: Db): WorkspaceProfile {
  const count = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  const eventTypes = db
    .prepare(
      `SELECT d.value AS name, COUNT(*) AS events FROM events e JOIN dim_values d ON d.id = e.type_id
       GROUP BY e.type_id ORDER BY events DESC`,
    )
    .all() as { name: string; events: number }[];
  const dimensions = DIMENSIONS.map((dimension) => {
    const top = db
      .prepare(
        `SELECT d.value AS value, COUNT(*) AS events FROM events e JOIN dim_values d ON d.id = e.${dimension}
         GROUP BY e.${dimension} ORDER BY events DESC LIMIT 5`,
      )
      .all() as { value: string; events: number }[];
    const cardinality = count(
      `SELECT COUNT(*) FROM (SELECT ${dimension} FROM events WHERE ${dimension} IS NOT NULL
       UNION SELECT ${dimension} FROM metric_values WHERE ${dimension} IS NOT NULL)`,
    );
    return { dimension, cardinality, topValues: top };
  }).filter((d) => d.cardinality > 0);
  const pseudonyms = db
    .prepare(
      'SELECT COUNT(DISTINCT user_key) AS user, COUNT(DISTINCT session_key) AS session, COUNT(DISTINCT order_key) AS "order" FROM events',
    )
    .get() as WorkspaceProfile['pseudonyms'];
  return { eventTypes, dimensions, pseudonyms };
}

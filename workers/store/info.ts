import { DIMENSIONS } from '../../shared/events';
import type { WorkspaceInfo } from '../../shared/workspace';
import { appliedVersion } from './migrations';
import { listSources } from './sources';
import { getSetting, type Db } from './workspace';

export function workspaceInfo(db: Db, path: string): WorkspaceInfo {
  const count = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  const span = db.prepare('SELECT MIN(ts) AS "from", MAX(ts) AS "to" FROM events').get() as {
    from: number | null;
    to: number | null;
  };
  const metricSpan = db.prepare('SELECT MIN(ts) AS "from", MAX(ts) AS "to" FROM metric_values').get() as {
    from: number | null;
    to: number | null;
  };
  const froms = [span.from, metricSpan.from].filter((v): v is number => v !== null);
  const tos = [span.to, metricSpan.to].filter((v): v is number => v !== null);
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
    .get() as WorkspaceInfo['pseudonyms'];
  return {
    path,
    schemaVersion: appliedVersion(db),
    timeZone: getSetting(db, 'time_zone') ?? 'UTC',
    createdAt: Number(getSetting(db, 'created_at') ?? 0),
    sources: listSources(db),
    events: count('SELECT COUNT(*) FROM events'),
    eventTypes,
    metricRows: count('SELECT COUNT(*) FROM metric_values'),
    measures: db
      .prepare("SELECT value FROM dim_values WHERE dim = 'measure' ORDER BY value")
      .pluck()
      .all() as string[],
    annotations: count('SELECT COUNT(*) FROM annotations'),
    timeSpan: froms.length > 0 ? { from: Math.min(...froms), to: Math.max(...tos) } : null,
    dimensions,
    pseudonyms,
  };
}

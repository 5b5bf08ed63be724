import type { DetectionKpis, FeedbackLabel, IncidentFilter, IncidentRecord } from '../../shared/explore';
import { FunnelscopeError } from '../../shared/errors';
import type { DetectionRun, Incident } from '../../shared/incidents';
import type { Db } from '../store/workspace';

/** A later incident up to this factor larger than a false alarm of the same pattern is suppressed too. */
const SUPPRESS_UP_TO = 1.25;

const cohortKey = (cohort: Record<string, string>) =>
  Object.keys(cohort)
    .sort()
    .map((d) => `${d}=${cohort[d]}`)
    .join('&');

interface IncidentRow {
  id: string;
  found_at: number;
  body: string;
  status: IncidentRecord['status'];
  note: string | null;
}

function toRecord(row: IncidentRow): IncidentRecord {
  return { ...(JSON.parse(row.body) as Incident), status: row.status, note: row.note, foundAt: row.found_at };
}

/**
 * Stores a detection run: unlabelled incidents are replaced, labelled ones keep their verdict, and new
 * incidents that match a false-alarm pattern at no more than its size are left out. Returns the run as the
 * analyst should see it (the suppressed ones removed and counted).
 */
export function saveDetectionRun(db: Db, run: DetectionRun, foundAt = Date.now()): DetectionRun {
  const falseAlarms = db
    .prepare(
      "SELECT metric, cohort, direction, MAX(magnitude) AS magnitude FROM feedback WHERE label = 'false_alarm' GROUP BY metric, cohort, direction",
    )
    .all() as { metric: string; cohort: string; direction: string; magnitude: number }[];
  const suppressedBy = (incident: Incident) =>
    falseAlarms.some(
      (f) =>
        f.metric === incident.metric &&
        f.direction === incident.direction &&
        f.cohort === cohortKey(incident.cohort) &&
        (run.sizes[incident.id] ?? Number.POSITIVE_INFINITY) <= f.magnitude * SUPPRESS_UP_TO,
    );
  const labelled = new Set(
    (db.prepare("SELECT id FROM incidents WHERE status != 'open'").pluck().all() as string[]) ?? [],
  );
  const kept = run.incidents.filter((i) => labelled.has(i.id) || !suppressedBy(i));
  const insert = db.prepare(
    'INSERT INTO incidents (id, found_at, start_ts, size, body) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (id) DO UPDATE SET body = excluded.body, found_at = excluded.found_at, size = excluded.size',
  );
  db.transaction(() => {
    db.prepare("DELETE FROM incidents WHERE status = 'open'").run();
    for (const incident of kept)
      insert.run(
        incident.id,
        foundAt,
        Date.parse(incident.start),
        run.sizes[incident.id] ?? 1,
        JSON.stringify(incident),
      );
  })();
  return { ...run, incidents: kept, suppressed: run.incidents.length - kept.length };
}

export function listIncidents(db: Db, filter: IncidentFilter = {}): IncidentRecord[] {
  const rows = db
    .prepare(
      'SELECT id, found_at, body, status, note FROM incidents WHERE start_ts >= ? AND start_ts < ? ORDER BY start_ts DESC',
    )
    .all(filter.from ?? Number.MIN_SAFE_INTEGER, filter.to ?? Number.MAX_SAFE_INTEGER) as IncidentRow[];
  return rows
    .map(toRecord)
    .filter(
      (r) =>
        (!filter.status || filter.status.includes(r.status)) &&
        (!filter.metric || filter.metric.includes(r.metric)) &&
        (!filter.severity || filter.severity.includes(r.severity)),
    );
}

export function getIncident(db: Db, id: string): IncidentRecord {
  const row = db.prepare('SELECT id, found_at, body, status, note FROM incidents WHERE id = ?').get(id) as
    IncidentRow | undefined;
  if (!row)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `No incident ${id} in this workspace. Run detection again (funnelscope detect) and pick an id from its list.`,
    );
  return toRecord(row);
}

/** Records the verdict on the incident and as a pattern for later runs. */
export function labelIncident(
  db: Db,
  id: string,
  label: FeedbackLabel,
  note: string | undefined,
  at = Date.now(),
): IncidentRecord {
  const incident = getIncident(db, id);
  const magnitude = db.prepare('SELECT size FROM incidents WHERE id = ?').pluck().get(id) as number;
  db.transaction(() => {
    db.prepare('UPDATE incidents SET status = ?, note = ?, labelled_at = ? WHERE id = ?').run(
      label,
      note ?? null,
      at,
      id,
    );
    db.prepare(
      'INSERT INTO feedback (incident_id, label, metric, cohort, direction, magnitude, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      id,
      label,
      incident.metric,
      cohortKey(incident.cohort),
      incident.direction,
      magnitude,
      note ?? null,
      at,
    );
  })();
  return getIncident(db, id);
}

/** Detection KPIs from the analyst's verdicts on stored incidents. */
export function detectionKpis(db: Db): DetectionKpis {
  const records = listIncidents(db);
  const count = (status: IncidentRecord['status']) => records.filter((r) => r.status === status).length;
  const trueAlarms = count('true_alarm');
  const falseAlarms = count('false_alarm');
  const judged = trueAlarms + falseAlarms;
  const delays = records
    .filter((r) => r.status === 'true_alarm')
    .map((r) => (Date.parse(r.detectedAt) - Date.parse(r.start)) / 60_000);
  return {
    labelled: judged + count('expected'),
    trueAlarms,
    falseAlarms,
    expected: count('expected'),
    open: count('open'),
    precision: judged > 0 ? trueAlarms / judged : null,
    falsePositiveRate: judged > 0 ? falseAlarms / judged : null,
    meanTimeToDetectMinutes: delays.length > 0 ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
  };
}

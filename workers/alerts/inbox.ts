import type { AlertEntry, InboxQuery } from '../../shared/alerts';
import { ruleMatches } from '../../shared/alert-rules';
import type { Incident } from '../../shared/incidents';
import type { Db } from '../store/workspace';
import { listRules } from './rules';

interface EntryRow {
  id: number;
  incident_id: string;
  rule_id: number;
  rule_name: string;
  created_at: number;
  read: number;
  incident: string;
}

function toEntry(row: EntryRow): AlertEntry {
  return {
    id: row.id,
    incidentId: row.incident_id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    createdAt: new Date(row.created_at).toISOString(),
    read: row.read === 1,
    incident: JSON.parse(row.incident) as Incident,
  };
}

/**
 * After a detection run is saved: the incidents no earlier run stored, that are not expected changes (the
 * run's suppressed false alarms are already gone), make one inbox entry per enabled rule they match. Every
 * incident of the run is remembered as seen, so a re-run alerts on nothing twice.
 */
export function recordAlerts(db: Db, incidents: readonly Incident[], now = Date.now()): AlertEntry[] {
  const rules = listRules(db).filter((r) => r.enabled);
  const seen = db.prepare('SELECT 1 FROM incidents_seen WHERE id = ?').pluck();
  const remember = db.prepare('INSERT OR IGNORE INTO incidents_seen (id, first_seen_at) VALUES (?, ?)');
  const insert = db.prepare(
    'INSERT OR IGNORE INTO alert_inbox (incident_id, rule_id, rule_name, created_at, incident) VALUES (?, ?, ?, ?, ?)',
  );
  const ids: number[] = [];
  db.transaction(() => {
    for (const incident of incidents) {
      if (seen.get(incident.id)) continue;
      remember.run(incident.id, now);
      if (incident.expected) continue;
      for (const rule of rules)
        if (ruleMatches(rule, incident)) {
          const result = insert.run(incident.id, rule.id, rule.name, now, JSON.stringify(incident));
          if (result.changes > 0) ids.push(Number(result.lastInsertRowid));
        }
    }
  })();
  return entriesById(db, ids);
}

function entriesById(db: Db, ids: number[]): AlertEntry[] {
  const get = db.prepare('SELECT * FROM alert_inbox WHERE id = ?');
  return ids.map((id) => toEntry(get.get(id) as EntryRow));
}

/** Inbox entries, newest first. */
export function listInbox(db: Db, query: InboxQuery = {}): AlertEntry[] {
  const rows = db
    .prepare(
      `SELECT * FROM alert_inbox WHERE created_at >= ? AND created_at < ?${query.unread ? ' AND read = 0' : ''}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .all(
      query.from ?? Number.MIN_SAFE_INTEGER,
      query.to ?? Number.MAX_SAFE_INTEGER,
      query.limit ?? 500,
    ) as EntryRow[];
  return rows.map(toEntry);
}

/** Sets the read flag of entries; returns how many changed. */
export function markRead(db: Db, ids: readonly number[], read = true): number {
  const update = db.prepare('UPDATE alert_inbox SET read = ? WHERE id = ? AND read != ?');
  let changed = 0;
  db.transaction(() => {
    for (const id of ids) changed += update.run(read ? 1 : 0, id, read ? 1 : 0).changes;
  })();
  return changed;
}

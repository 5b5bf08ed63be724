/**
 * Migration 5 on a workspace written before alerts existed: its stored incidents count as seen (no flood of
 * alerts for old incidents at the next run), the default rule is there, and a newer incident still alerts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Incident } from '../../shared/incidents';
import { listInbox, recordAlerts } from '../../workers/alerts/inbox';
import { listRules } from '../../workers/alerts/rules';
import { saveDetectionRun } from '../../workers/incidents/store';
import { openWorkspace } from '../../workers/store/workspace';
import { tempDir } from './helpers';

function incident(id: string, severity: Incident['severity']): Incident {
  return {
    id,
    metric: 'checkout_conversion',
    direction: 'down',
    start: '2026-10-05T10:00:00.000Z',
    end: '2026-10-05T14:00:00.000Z',
    detectedAt: '2026-10-05T10:30:00.000Z',
    severity,
    score: 0.99,
    cohort: { os: 'iOS' },
    expected: false,
    impact: { lostConversions: 12, revenueAtRisk: 540 },
    attribution: [],
  };
}

const run = (incidents: Incident[]) => ({
  incidents,
  sizes: Object.fromEntries(incidents.map((i) => [i.id, 0.5])),
  suppressed: 0,
  stats: {
    bucketMinutes: 5,
    series: 1,
    cohorts: 1,
    anomalies: 1,
    stageMs: { cube: 0, detectors: 0, grouping: 0 },
  },
});

test('a version-4 workspace with incidents is migrated without alerting on them', () => {
  const dir = tempDir('fscope-migrate-');
  const file = path.join(dir, 'old.fscope');
  try {
    // A workspace as version 4 left it: incidents stored, none of the tables of migrations 5 and later.
    let db = openWorkspace(file, { create: true });
    saveDetectionRun(db, run([incident('old-critical', 'critical')]));
    db.exec(
      'DROP TABLE alert_rules; DROP TABLE alert_inbox; DROP TABLE incidents_seen; DROP TABLE playbook_overrides; ' +
        'DROP TABLE custom_metrics; DELETE FROM schema_migrations WHERE version >= 5;',
    );
    db.close();

    db = openWorkspace(file, {});
    try {
      assert.deepEqual(
        listRules(db).map((r) => [r.name, r.minSeverity, r.metrics, r.cohorts, r.enabled]),
        [['Critical incidents', 'critical', 'all', 'any', true]],
      );
      const next = saveDetectionRun(
        db,
        run([incident('old-critical', 'critical'), incident('new-critical', 'critical')]),
      );
      const alerts = recordAlerts(db, next.incidents);
      assert.deepEqual(
        alerts.map((a) => [a.incidentId, a.ruleName]),
        [['new-critical', 'Critical incidents']],
        'only the incident no earlier run stored',
      );
      assert.deepEqual(recordAlerts(db, next.incidents), [], 'nothing twice');
      assert.equal(listInbox(db).length, 1);
      // Migration 6 ran too: the workspace can keep metrics of the analyst's own.
      assert.equal(db.prepare('SELECT COUNT(*) FROM custom_metrics').pluck().get(), 0);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

import type { AlertRule, AlertRuleInput } from '../../shared/alerts';
import { validateRule } from '../../shared/alert-rules';
import { FunnelscopeError } from '../../shared/errors';
import type { Severity } from '../../shared/incidents';
import { metricCatalog } from '../explore/catalog';
import type { Db } from '../store/workspace';

interface RuleRow {
  id: number;
  name: string;
  enabled: number;
  min_severity: Severity;
  metrics: string;
  cohorts: string;
  quiet_from: string | null;
  quiet_to: string | null;
  created_at: number;
  updated_at: number;
}

function toRule(row: RuleRow): AlertRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    minSeverity: row.min_severity,
    metrics: JSON.parse(row.metrics) as AlertRule['metrics'],
    cohorts: JSON.parse(row.cohorts) as AlertRule['cohorts'],
    quietHours: row.quiet_from && row.quiet_to ? { from: row.quiet_from, to: row.quiet_to } : null,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export function listRules(db: Db): AlertRule[] {
  return (db.prepare('SELECT * FROM alert_rules ORDER BY id').all() as RuleRow[]).map(toRule);
}

export function getRule(db: Db, id: number): AlertRule {
  const row = db.prepare('SELECT * FROM alert_rules WHERE id = ?').get(id) as RuleRow | undefined;
  if (!row)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `No alert rule ${id} in this workspace. List the rules (funnelscope alerts rules list) and pick an id.`,
    );
  return toRule(row);
}

/** Metric names the rule names but the workspace does not know: a typo would silently never alert. */
function checkMetrics(db: Db, metrics: AlertRuleInput['metrics']): void {
  if (metrics === 'all') return;
  const known = new Set(metricCatalog(db).map((m) => m.name));
  const unknown = metrics.filter((m) => !known.has(m));
  if (unknown.length > 0)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `Unknown metric${unknown.length === 1 ? '' : 's'} ${unknown.map((m) => `"${m}"`).join(', ')}; ` +
        `use one of ${[...known].join(', ')}.`,
    );
}

/** Adds a rule (no id) or replaces one; validated first, so a refused rule changes nothing. */
export function saveRule(db: Db, input: AlertRuleInput, now = Date.now()): AlertRule {
  const rule = validateRule(input);
  checkMetrics(db, rule.metrics);
  const values = [
    rule.name,
    rule.enabled ? 1 : 0,
    rule.minSeverity,
    JSON.stringify(rule.metrics),
    JSON.stringify(rule.cohorts),
    rule.quietHours?.from ?? null,
    rule.quietHours?.to ?? null,
  ];
  if (rule.id === undefined) {
    const id = db
      .prepare(
        'INSERT INTO alert_rules (name, enabled, min_severity, metrics, cohorts, quiet_from, quiet_to, created_at, updated_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(...values, now, now).lastInsertRowid;
    return getRule(db, Number(id));
  }
  getRule(db, rule.id);
  db.prepare(
    'UPDATE alert_rules SET name = ?, enabled = ?, min_severity = ?, metrics = ?, cohorts = ?, quiet_from = ?, quiet_to = ?, updated_at = ? WHERE id = ?',
  ).run(...values, now, rule.id);
  return getRule(db, rule.id);
}

export function deleteRule(db: Db, id: number): void {
  getRule(db, id);
  db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id);
}

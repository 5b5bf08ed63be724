import type { AlertEntry, AlertRule } from '../shared/alerts';
import { atLeast, isQuietAt } from '../shared/alert-rules';
import type { Incident } from '../shared/incidents';
import { metricByName } from '../shared/metrics';

export interface Notice {
  title: string;
  body: string;
  /** Ids of the incidents it covers. */
  incidentIds: string[];
}

export interface NoticeContext {
  /** The workspace setting `notifications`: off means no desktop notification at all. */
  enabled: boolean;
  /** The analyst is looking at the app, which shows the incidents itself. */
  windowFocused: boolean;
  workspaceName: string;
  /** The workspace's time zone: quiet hours are local times there. */
  timeZone: string;
  /** Epoch ms: when the notification would be shown. */
  now: number;
}

function cohortLabel(cohort: Record<string, string>): string {
  const parts = Object.entries(cohort).map(([dimension, value]) => `${dimension} ${value}`);
  return parts.length ? parts.join(', ') : 'all traffic';
}

function describe(incident: Incident): string {
  const metric = metricByName(incident.metric)?.label ?? incident.metric;
  const direction = incident.direction === 'down' ? 'fell' : 'rose';
  return `${metric} ${direction} for ${cohortLabel(incident.cohort)}`;
}

/** Whether one inbox entry may be announced now: its rule still exists, is on, is out of quiet hours and its severity holds. */
function announceable(entry: AlertEntry, rules: readonly AlertRule[], context: NoticeContext): boolean {
  const rule = rules.find((r) => r.id === entry.ruleId);
  return Boolean(
    rule &&
    rule.enabled &&
    atLeast(entry.incident.severity, rule.minSeverity) &&
    !isQuietAt(rule.quietHours, context.now, context.timeZone),
  );
}

/**
 * The desktop notification for the inbox entries a detection run just made, or null. The rules decide: an
 * entry is announced only when its rule is enabled and not in its quiet hours (the entry stays in the inbox
 * either way); nothing is shown when the workspace turned notifications off or the window is in front. The
 * text names the metric and the cohort (dimension values), never a pseudonym or an identifier.
 */
export function alertNotice(
  entries: readonly AlertEntry[],
  rules: readonly AlertRule[],
  context: NoticeContext,
): Notice | null {
  if (!context.enabled || context.windowFocused) return null;
  const incidents = new Map<string, Incident>();
  for (const entry of entries)
    if (announceable(entry, rules, context)) incidents.set(entry.incidentId, entry.incident);
  const fresh = [...incidents.values()];
  const first = fresh[0];
  if (!first) return null;
  const severest = fresh.reduce((a, b) => (atLeast(b.severity, a.severity) ? b : a));
  const count = fresh.length === 1 ? 'A new alert' : `${fresh.length} new alerts`;
  const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : '';
  return {
    title: `${count} in ${context.workspaceName}`,
    body: `${severest.severity[0]?.toUpperCase()}${severest.severity.slice(1)}: ${describe(severest)}${more}.`,
    incidentIds: fresh.map((i) => i.id),
  };
}

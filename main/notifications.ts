import type { Incident } from '../shared/incidents';
import { metricByName } from '../shared/metrics';

export interface Notice {
  title: string;
  body: string;
  /** Ids of the incidents it covers, remembered so a later run does not announce them again. */
  incidentIds: string[];
}

export interface NoticeContext {
  /** The workspace setting `notifications`. */
  enabled: boolean;
  /** The analyst is looking at the app, which shows the incidents itself. */
  windowFocused: boolean;
  workspaceName: string;
  /** Incidents already announced in this session. */
  announced: ReadonlySet<string>;
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

/**
 * The desktop notification to show after a detection run, or null. Only new critical incidents that are not
 * expected (promo, campaign) are announced, only when the workspace allows it and the window is not in
 * front. The text names the metric and the cohort (dimension values), never a pseudonym or an identifier.
 */
export function criticalIncidentNotice(
  incidents: readonly Incident[],
  context: NoticeContext,
): Notice | null {
  if (!context.enabled || context.windowFocused) return null;
  const fresh = incidents.filter(
    (i) => i.severity === 'critical' && !i.expected && !context.announced.has(i.id),
  );
  const first = fresh[0];
  if (!first) return null;
  const count = fresh.length === 1 ? 'A critical incident' : `${fresh.length} critical incidents`;
  const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : '';
  return {
    title: `${count} in ${context.workspaceName}`,
    body: `${describe(first)}${more}.`,
    incidentIds: fresh.map((i) => i.id),
  };
}

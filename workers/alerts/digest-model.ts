import type { AlertEntry, DigestRequest } from '../../shared/alerts';
import type { IncidentRecord } from '../../shared/explore';
import type { MaskingPolicy } from '../../shared/reports';
import { getIncident } from '../incidents/store';
import { ReportBuilder, type ReportIncident } from '../report/model';
import type { Db } from '../store/workspace';

export interface DigestAlert {
  /** The rule's name, redacted like any free text. */
  rule: string;
  raisedAt: string;
  read: boolean;
  /** The incident as a report shows it: masked cohort, redacted note, the workspace's playbook. */
  incident: ReportIncident;
}

export interface DigestModel {
  title: string;
  generatedAt: string;
  scope: string;
  alerts: DigestAlert[];
  policy: MaskingPolicy;
  suppressedCohorts: number;
  redactedTexts: number;
}

/** The stored incident (with the analyst's verdict and note) when it is still there, else the alert's copy. */
function recordOf(db: Db, entry: AlertEntry): IncidentRecord {
  try {
    return getIncident(db, entry.incidentId);
  } catch {
    return { ...entry.incident, status: 'open', note: null, foundAt: Date.parse(entry.createdAt) };
  }
}

export function digestScope(request: Pick<DigestRequest, 'period'>): string {
  if (!request.period) return 'unread alerts';
  const iso = (ms: number) => new Date(ms).toISOString();
  return `alerts raised ${iso(request.period.from)} to ${iso(request.period.to)}`;
}

/**
 * The digest's content, masked exactly as a report is (the report's builder does it): no pseudonym is read,
 * cohorts below k users are not named, free text (notes, rule names) is redacted.
 */
export function buildDigest(
  db: Db,
  entries: readonly AlertEntry[],
  request: Pick<DigestRequest, 'period'>,
  now = Date.now(),
): DigestModel {
  const builder = new ReportBuilder(db);
  const records = new Map<string, IncidentRecord>();
  for (const entry of entries)
    if (!records.has(entry.incidentId)) records.set(entry.incidentId, recordOf(db, entry));
  const incidents = new Map(builder.incidents([...records.values()]).map((i) => [i.id, i]));
  const alerts = entries.map((entry) => ({
    rule: builder.text(entry.ruleName),
    raisedAt: entry.createdAt,
    read: entry.read,
    incident: incidents.get(entry.incidentId) as ReportIncident,
  }));
  return {
    title: `Funnelscope alert digest: ${alerts.length} alert${alerts.length === 1 ? '' : 's'}`,
    generatedAt: new Date(now).toISOString(),
    scope: digestScope(request),
    alerts,
    policy: builder.policy(),
    ...builder.counts,
  };
}

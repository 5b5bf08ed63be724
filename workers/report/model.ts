import type { AnnotationRecord, Cohort, IncidentRecord, TimeWindow } from '../../shared/explore';
import { metricValue } from '../../shared/metrics';
import type { MaskingPolicy, ReportRequest, ReportTemplate } from '../../shared/reports';
import { listAnnotations } from '../explore/annotations';
import { fromEventCube, resolveMetric } from '../explore/catalog';
import { readSettings } from '../explore/settings';
import { getIncident, listIncidents } from '../incidents/store';
import type { Db } from '../store/workspace';
import {
  breakdownDimension,
  incidentBreakdown,
  incidentEvidence,
  incidentWindow,
  type Evidence,
  type SeriesPoint,
  tidy,
} from './evidence';
import {
  cohortLabel,
  displayCohort,
  distinctUsers,
  distinctUsersBy,
  importedPii,
  TextRedactor,
  type ImportedPii,
} from './masking';
import { deployBefore } from './incident-kind';
import { effectivePlaybook } from './playbook-store';
import { incidentKind, type Playbook } from './playbooks';

const HOUR = 3_600_000;

export interface ReportIncident {
  id: string;
  metric: string;
  metricLabel: string;
  direction: 'down' | 'up';
  severity: string;
  score: number;
  start: string;
  end: string;
  detectedAt: string;
  /** The cohort as shown: masked values, or a placeholder when it has fewer than k users. */
  cohort: string;
  cohortSuppressed: boolean;
  status: string;
  /** The analyst's note, redacted. */
  note: string;
  expectedChange: boolean;
  lostConversions: number;
  revenueAtRisk: number;
  observed: number | null;
  expected: number | null;
  likelyCause: string;
  playbook: Playbook;
  recovery: Evidence['recovery'];
  attribution: { cohort: string; share: number; score: number | null }[];
  breakdown: { dimension: string; rows: { value: string; metric: number | null; sessions: number }[] } | null;
  timeline: { at: string; event: string }[];
  /** Null when the cohort is below the user threshold (its series would describe a handful of people). */
  series: SeriesPoint[] | null;
}

export interface ReportModel {
  title: string;
  template: ReportTemplate;
  generatedAt: string;
  scope: string;
  incidents: ReportIncident[];
  policy: MaskingPolicy;
  suppressedCohorts: number;
  redactedTexts: number;
}

export const SCAN_KINDS = [
  'email',
  'ip',
  'phone',
  'card',
  'workspace pseudonyms (user, session, order keys)',
  'identifier values seen at import',
];

function selectIncidents(db: Db, request: ReportRequest): IncidentRecord[] {
  const records = request.incident
    ? [getIncident(db, request.incident)]
    : listIncidents(db, {
        ...(request.from === undefined ? {} : { from: request.from }),
        ...(request.to === undefined ? {} : { to: request.to }),
      });
  return records.sort((a, b) => b.impact.revenueAtRisk - a.impact.revenueAtRisk);
}

export function scopeOf(request: ReportRequest): string {
  if (request.incident) return `incident ${request.incident}`;
  const iso = (ms: number | undefined) => (ms === undefined ? '…' : new Date(ms).toISOString());
  return request.from === undefined && request.to === undefined
    ? 'all incidents of the workspace'
    : `incidents starting ${iso(request.from)} to ${iso(request.to)}`;
}

/** Builds the report's content with the masking policy applied; no pseudonym is ever read into it. */
export class ReportBuilder {
  private readonly pii: ImportedPii;
  private readonly minUsers: number;
  private readonly redactor = new TextRedactor();
  private suppressed = 0;

  constructor(private readonly db: Db) {
    this.pii = importedPii(db);
    this.minUsers = readSettings(db).reportMinUsers;
  }

  policy(): MaskingPolicy {
    return {
      minUsers: this.minUsers,
      pseudonyms: 'dropped',
      freeText: 'redacted',
      maskedDimensions: [...this.pii.masked].sort(),
      scan: SCAN_KINDS,
    };
  }

  build(request: ReportRequest, now = Date.now()): ReportModel {
    const incidents = this.incidents(selectIncidents(this.db, request));
    return {
      title: request.template === 'executive' ? 'Executive incident report' : 'Operational incident report',
      template: request.template,
      generatedAt: new Date(now).toISOString(),
      scope: scopeOf(request),
      incidents,
      policy: this.policy(),
      suppressedCohorts: this.suppressed,
      redactedTexts: this.redactor.redacted,
    };
  }

  /** Incidents as a report shows them, masked (the alert digest uses this too). */
  incidents(records: readonly IncidentRecord[]): ReportIncident[] {
    const settings = readSettings(this.db);
    return records.map((r) => this.incident(r, settings));
  }

  /** Cohorts below the user threshold so far, and free-text fields redacted so far. */
  get counts(): { suppressedCohorts: number; redactedTexts: number } {
    return { suppressedCohorts: this.suppressed, redactedTexts: this.redactor.redacted };
  }

  /** Redacts a free text (a rule name in a digest) and counts it like the report's own texts. */
  text(value: string): string {
    return this.redactor.text(value);
  }

  /** Whether a cohort has at least k users in the window; aggregate tables (no users) are not checked. */
  private enoughUsers(cohort: Cohort, window: TimeWindow, userLevel: boolean): boolean {
    if (!userLevel) return true;
    const ok = distinctUsers(this.db, cohort, window) >= this.minUsers;
    if (!ok) this.suppressed++;
    return ok;
  }

  private label(cohort: Cohort): string {
    return cohortLabel(displayCohort(cohort, this.pii));
  }

  private incident(record: IncidentRecord, settings: ReturnType<typeof readSettings>): ReportIncident {
    const metric = resolveMetric(this.db, record.metric);
    const userLevel = fromEventCube(metric);
    const window = incidentWindow(record);
    const shown = this.enoughUsers(record.cohort, window, userLevel);
    const annotations = listAnnotations(this.db, {
      from: window.from - 24 * HOUR,
      to: window.to + 24 * HOUR,
    });
    const deployNear = deployBefore(annotations, window);
    // The workspace's own steps when the analyst edited this kind's playbook.
    const { kind, title, action, steps } = effectivePlaybook(this.db, incidentKind(record, deployNear));
    const playbook: Playbook = { kind, title, action, steps };
    const evidence = shown ? incidentEvidence(this.db, record, settings) : null;
    const attribution = this.attribution(record, window, userLevel);
    const top = attribution.find((a) => !a.cohort.startsWith('other'));
    const likelyCause = top
      ? `${top.cohort} (${Math.round(top.share * 100)} % of the change)`
      : shown
        ? `the whole cohort (${this.label(record.cohort)})`
        : 'not shown: the cohort is below the user threshold';
    return {
      id: record.id,
      metric: record.metric,
      metricLabel: metric.label,
      direction: record.direction,
      severity: record.severity,
      score: record.score,
      start: record.start,
      end: record.end,
      detectedAt: record.detectedAt,
      cohort: shown ? this.label(record.cohort) : `[cohort of fewer than ${this.minUsers} users]`,
      cohortSuppressed: !shown,
      status: record.status,
      note: this.redactor.text(record.note),
      expectedChange: record.expected,
      lostConversions: record.impact.lostConversions,
      revenueAtRisk: record.impact.revenueAtRisk,
      observed: evidence?.observed ?? null,
      expected: evidence?.expected ?? null,
      likelyCause: deployNear && top ? `${likelyCause}, after a deploy` : likelyCause,
      playbook,
      recovery: evidence?.recovery ?? 'no_data',
      attribution,
      breakdown: shown ? this.breakdown(record, window, userLevel) : null,
      timeline: this.timeline(record, annotations),
      series: evidence?.series ?? null,
    };
  }

  /** Attributed cohorts with fewer than k users are merged into one "other" line. */
  private attribution(record: IncidentRecord, window: TimeWindow, checkUsers: boolean) {
    const out: ReportIncident['attribution'] = [];
    let otherShare = 0;
    let others = 0;
    for (const a of record.attribution) {
      if (checkUsers && !this.enoughUsers(a.cohort, window, true)) {
        otherShare += a.share;
        others++;
      } else out.push({ cohort: this.label(a.cohort), share: tidy(a.share) ?? 0, score: tidy(a.score) });
    }
    if (others > 0)
      out.push({
        cohort: `other (${others} cohorts below ${this.minUsers} users)`,
        share: otherShare,
        score: null,
      });
    return out;
  }

  private breakdown(
    record: IncidentRecord,
    window: TimeWindow,
    userLevel: boolean,
  ): ReportIncident['breakdown'] {
    const dimension = breakdownDimension(record);
    if (!dimension || !userLevel) return null;
    const rows = incidentBreakdown(this.db, record, dimension);
    if (!rows) return null;
    const metric = resolveMetric(this.db, record.metric);
    const users = distinctUsersBy(this.db, dimension, record.cohort, window);
    const kept: NonNullable<ReportIncident['breakdown']>['rows'] = [];
    const other = { numerator: 0, denominator: 0, sessions: 0, users: 0, count: 0 };
    for (const row of rows) {
      const n = users.get(row.value) ?? 0;
      if (n >= this.minUsers && !this.pii.masked.has(dimension)) {
        kept.push({ value: row.value, metric: row.metric, sessions: row.sessions });
        continue;
      }
      this.suppressed++;
      other.numerator += row.numerator;
      other.denominator += row.denominator ?? 0;
      other.sessions += row.sessions;
      other.users += n;
      other.count++;
    }
    // "other" is itself a cohort: shown only when it reaches k users too.
    if (other.count > 0 && other.users >= this.minUsers)
      kept.push({
        value: `other (${other.count} values)`,
        metric: metricValue(metric, other.numerator, metric.denominator ? other.denominator : undefined),
        sessions: other.sessions,
      });
    return { dimension, rows: kept };
  }

  private timeline(record: IncidentRecord, annotations: AnnotationRecord[]): ReportIncident['timeline'] {
    const events = [
      { at: record.start, event: 'onset' },
      { at: record.detectedAt, event: `detected (score ${record.score.toFixed(2)})` },
      { at: record.end, event: 'end' },
      ...annotations.map((a) => ({
        at: new Date(a.start).toISOString(),
        event: `${a.kind}: ${this.redactor.text(a.label)}${Object.keys(a.cohort).length > 0 ? ` (${this.label(a.cohort)})` : ''}`,
      })),
    ];
    return events.sort((a, b) => a.at.localeCompare(b.at));
  }
}

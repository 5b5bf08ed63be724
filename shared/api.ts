import type { CustomMetric, CustomMetricInput } from './custom-metrics';
import type { FilePreview, ImportOptions, ImportProgress, ImportResult, RejectedRow } from './ingest';
import type { DemoOptions, DemoSummary, InfoOptions, WorkspaceInfo } from './workspace';
import type { DetectionProgress, DetectionRun, DetectOptions } from './incidents';
import type { IncidentExplanation } from './attribution';
import type {
  AnnotationRecord,
  BreakdownQuery,
  BreakdownRow,
  DetectionKpis,
  DimensionValues,
  FeedbackLabel,
  FunnelQuery,
  FunnelStep,
  IncidentFilter,
  IncidentRecord,
  MetricSeries,
  SeriesQuery,
  TimeWindow,
  WorkspaceSettings,
} from './explore';
import type { MetricDefinition } from './metrics';
import type { AuditEntry, ReportRequest, ReportResult } from './reports';
import type {
  AlertEntry,
  AlertRule,
  AlertRuleInput,
  DigestRequest,
  DigestResult,
  EffectivePlaybook,
  InboxQuery,
  PlaybookKind,
} from './alerts';

export type ProgressListener<P> = (progress: P) => void;

/** Options of a long job: a progress listener and an id by which `jobs.cancel` can stop it. */
export interface JobOptions<P> {
  onProgress?: ProgressListener<P>;
  jobId?: string;
}

/**
 * Every call the renderer (and the CLI) can make, grouped by domain. The preload exposes exactly this
 * interface, `main/api.ts` implements it over the worker pool, the e2e host serves it over a WebSocket.
 * Failures reject with `{code, message, details}` (see errors.ts).
 */
export interface FunnelscopeApi {
  workspace: {
    /** Opens (or with `create`, creates) a workspace and returns what it holds. */
    open(path: string, options?: { create?: boolean; timeZone?: string }): Promise<WorkspaceInfo>;
    /** Quick at any size; with `profile`, also reads every event (seconds on millions of them). */
    info(path: string, options?: InfoOptions): Promise<WorkspaceInfo>;
    /** Generates the simulated store, imports it, and writes the ground truth beside the workspace. */
    createDemo(path: string, options?: DemoOptions, job?: JobOptions<ImportProgress>): Promise<DemoSummary>;
    close(path: string): Promise<void>;
  };
  ingest: {
    /** Detected format, preset, mapping and PII of a file, with its first rows masked; writes nothing. */
    preview(file: string, options?: ImportOptions): Promise<FilePreview>;
    /** Imports each file in its own transaction; a refused file does not stop the others. */
    importFiles(
      workspace: string,
      files: string[],
      options?: ImportOptions,
      job?: JobOptions<ImportProgress>,
    ): Promise<ImportResult[]>;
    rejectedRows(
      workspace: string,
      sourceId: number,
      limit?: number,
      offset?: number,
    ): Promise<RejectedRow[]>;
  };
  detection: {
    /**
     * Extends the metric cube if needed, runs every detector over every watched cohort, and stores the
     * incidents found (feedback given earlier is kept and suppresses matching false alarms). Cancelling
     * leaves the stored incidents of the previous run as they were.
     */
    run(
      workspace: string,
      options?: DetectOptions,
      job?: JobOptions<DetectionProgress>,
    ): Promise<DetectionRun>;
  };
  incidents: {
    /** Stored incidents, newest first. */
    list(workspace: string, filter?: IncidentFilter): Promise<IncidentRecord[]>;
    get(workspace: string, id: string): Promise<IncidentRecord>;
    /** Records the analyst's verdict; a false alarm suppresses the same pattern in later runs. */
    label(workspace: string, id: string, label: FeedbackLabel, note?: string): Promise<IncidentRecord>;
    kpis(workspace: string): Promise<DetectionKpis>;
  };
  attribution: {
    /** Where a stored incident happened (its localisation) and its candidate causes with evidence, best first. */
    explain(workspace: string, incidentId: string): Promise<IncidentExplanation>;
  };
  metrics: {
    catalog(workspace: string): Promise<MetricDefinition[]>;
    /** A metric of one cohort per bucket; with `baseline`, the online expected band and detector alarms. */
    series(workspace: string, query: SeriesQuery): Promise<MetricSeries>;
    /**
     * Stores a metric of the analyst's own (a count, sum or ratio of event types with filters); it joins the
     * catalog, is charted like the others and is watched by detection. BAD_ARGUMENT says what to fix.
     */
    define(workspace: string, metric: CustomMetricInput): Promise<CustomMetric>;
    /** Removes a metric of the analyst's own (its past incidents stay as they were found). */
    remove(workspace: string, name: string): Promise<void>;
  };
  cohorts: {
    /** Each cohort dimension with its values, by volume. */
    dimensions(workspace: string): Promise<DimensionValues[]>;
    breakdown(workspace: string, query: BreakdownQuery): Promise<BreakdownRow[]>;
    funnel(workspace: string, query: FunnelQuery): Promise<FunnelStep[]>;
  };
  annotations: {
    list(workspace: string, window?: Partial<TimeWindow>): Promise<AnnotationRecord[]>;
  };
  settings: {
    get(workspace: string): Promise<WorkspaceSettings>;
    update(workspace: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings>;
  };
  reports: {
    /**
     * Writes a masked report (HTML, PDF, CSV or JSON) after scanning its bytes for personal data and
     * workspace identifiers; a hit refuses it (nothing written). Written or refused, it is audited.
     */
    export(workspace: string, request: ReportRequest): Promise<ReportResult>;
    /** The audit log of exports, oldest first. */
    audit(workspace: string): Promise<AuditEntry[]>;
  };
  alerts: {
    /** The workspace's alert rules, oldest first. */
    listRules(workspace: string): Promise<AlertRule[]>;
    /** Adds a rule (no id) or replaces the rule with that id; returns it as stored. */
    saveRule(workspace: string, rule: AlertRuleInput): Promise<AlertRule>;
    /** Deletes a rule; its inbox entries stay, under the rule's name. */
    deleteRule(workspace: string, id: number): Promise<void>;
    /** Inbox entries, newest first: new incidents that matched an enabled rule after a detection run. */
    inbox(workspace: string, query?: InboxQuery): Promise<AlertEntry[]>;
    /** Marks entries read (or unread with `read: false`); returns how many changed. */
    markRead(workspace: string, ids: number[], read?: boolean): Promise<number>;
    /**
     * Writes the unread (or a period's) alerts as an e-mail draft (.eml) or JSON, masked like a report and
     * scanned before writing; audited, written or refused. Nothing is sent.
     */
    exportDigest(workspace: string, request: DigestRequest): Promise<DigestResult>;
  };
  playbooks: {
    /** Every incident kind's playbook as used now: the workspace's steps or the built-in ones. */
    list(workspace: string): Promise<EffectivePlaybook[]>;
    /** The playbook of a stored incident's kind (as reports choose it). */
    forIncident(workspace: string, incidentId: string): Promise<EffectivePlaybook>;
    /** Replaces one kind's steps for this workspace. */
    update(workspace: string, kind: PlaybookKind, steps: string[]): Promise<EffectivePlaybook>;
    /** Goes back to the built-in steps of a kind. */
    reset(workspace: string, kind: PlaybookKind): Promise<EffectivePlaybook>;
  };
  jobs: {
    /** Cancels a running job; it rolls back and its promise rejects with CANCELLED. */
    cancel(jobId: string): Promise<boolean>;
  };
}

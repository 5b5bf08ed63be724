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
  jobs: {
    /** Cancels a running job; it rolls back and its promise rejects with CANCELLED. */
    cancel(jobId: string): Promise<boolean>;
  };
}

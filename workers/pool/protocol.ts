import type { CustomMetric, CustomMetricInput } from '../../shared/custom-metrics';
import type {
  FilePreview,
  ImportOptions,
  ImportProgress,
  ImportResult,
  RejectedRow,
} from '../../shared/ingest';
import type { DemoOptions, DemoSummary, InfoOptions, WorkspaceInfo } from '../../shared/workspace';
import type { DetectionProgress, DetectionRun, DetectOptions } from '../../shared/incidents';
import type { IncidentExplanation } from '../../shared/attribution';
import type {
  AnnotationRecord,
  BreakdownQuery,
  BreakdownRow,
  DimensionValues,
  FunnelQuery,
  FunnelStep,
  MetricSeries,
  SeriesQuery,
  TimeWindow,
  WorkspaceSettings,
} from '../../shared/explore';
import type { MetricDefinition } from '../../shared/metrics';
import type { AuditEntry, ReportRequest, ReportResult } from '../../shared/reports';
import type { DetectionKpis, FeedbackLabel, IncidentFilter, IncidentRecord } from '../../shared/explore';
import type {
  AlertEntry,
  AlertRule,
  AlertRuleInput,
  DigestRequest,
  DigestResult,
  EffectivePlaybook,
  InboxQuery,
  PlaybookKind,
} from '../../shared/alerts';

/** Prints a report's HTML to PDF in the calling process (Electron's printToPDF in the app). */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

/** A saved detection run and the inbox entries its new incidents made. */
export interface SavedDetectionRun {
  run: DetectionRun;
  alerts: AlertEntry[];
}

/** The secret that keys pseudonyms; read by the caller (key file in the CLI, safeStorage in the app). */
export interface WorkspaceKey {
  path: string;
  secret: Uint8Array;
}

/** The writer worker: owns the only write connection of each workspace. */
export interface WriterApi {
  open(workspace: WorkspaceKey, options: { create: boolean; timeZone?: string }): Promise<void>;
  importFiles(
    workspace: WorkspaceKey,
    files: string[],
    options: ImportOptions,
    cancel: SharedArrayBuffer,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportResult[]>;
  demo(
    workspace: WorkspaceKey,
    options: DemoOptions,
    cancel: SharedArrayBuffer,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<DemoSummary>;
  /** Extends the metric cube with sources it does not hold yet. */
  buildCube(workspace: WorkspaceKey): Promise<void>;
  /** Validates a settings patch (BAD_ARGUMENT saying what is allowed) and returns the settings as stored. */
  updateSettings(workspace: WorkspaceKey, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings>;
  /**
   * Stores a detection run (feedback kept, suppressed false-alarm patterns left out), then files the new
   * incidents that match an enabled alert rule in the inbox.
   */
  saveDetectionRun(workspace: WorkspaceKey, run: DetectionRun): Promise<SavedDetectionRun>;
  labelIncident(
    workspace: WorkspaceKey,
    id: string,
    label: FeedbackLabel,
    note: string | undefined,
  ): Promise<IncidentRecord>;
  /**
   * Writes a masked report and its audit row (a refused export is audited too). `printPdf`, a comlink proxy,
   * prints PDFs in the caller's process; without it a local Chromium does.
   */
  exportReport(workspace: WorkspaceKey, request: ReportRequest, printPdf?: PdfPrinter): Promise<ReportResult>;
  saveAlertRule(workspace: WorkspaceKey, rule: AlertRuleInput): Promise<AlertRule>;
  deleteAlertRule(workspace: WorkspaceKey, id: number): Promise<void>;
  defineMetric(workspace: WorkspaceKey, metric: CustomMetricInput): Promise<CustomMetric>;
  removeMetric(workspace: WorkspaceKey, name: string): Promise<void>;
  markAlertsRead(workspace: WorkspaceKey, ids: number[], read: boolean): Promise<number>;
  /** Writes a masked alert digest and its audit row (marking the alerts read when asked). */
  exportDigest(workspace: WorkspaceKey, request: DigestRequest): Promise<DigestResult>;
  updatePlaybook(workspace: WorkspaceKey, kind: PlaybookKind, steps: string[]): Promise<EffectivePlaybook>;
  resetPlaybook(workspace: WorkspaceKey, kind: PlaybookKind): Promise<EffectivePlaybook>;
  close(path: string): Promise<void>;
}

/** Read-only workers: queries over WAL snapshots, never blocking the writer. */
export interface ReaderApi {
  info(path: string, options?: InfoOptions): Promise<WorkspaceInfo>;
  rejectedRows(path: string, sourceId: number, limit: number, offset: number): Promise<RejectedRow[]>;
  preview(file: string, options: ImportOptions): Promise<FilePreview>;
  /** Polls `cancel` (a CancelToken's buffer) between cohorts and incidents. */
  detect(
    path: string,
    options: DetectOptions,
    cancel?: SharedArrayBuffer,
    onProgress?: (progress: DetectionProgress) => void,
  ): Promise<DetectionRun>;
  metricCatalog(path: string): Promise<MetricDefinition[]>;
  metricSeries(path: string, query: SeriesQuery): Promise<MetricSeries>;
  cohortDimensions(path: string): Promise<DimensionValues[]>;
  breakdown(path: string, query: BreakdownQuery): Promise<BreakdownRow[]>;
  funnel(path: string, query: FunnelQuery): Promise<FunnelStep[]>;
  annotations(path: string, window: Partial<TimeWindow>): Promise<AnnotationRecord[]>;
  settings(path: string): Promise<WorkspaceSettings>;
  listIncidents(path: string, filter: IncidentFilter): Promise<IncidentRecord[]>;
  getIncident(path: string, id: string): Promise<IncidentRecord>;
  detectionKpis(path: string): Promise<DetectionKpis>;
  /** Localisation and ranked evidence of a stored incident. */
  explainIncident(path: string, id: string): Promise<IncidentExplanation>;
  auditLog(path: string): Promise<AuditEntry[]>;
  alertRules(path: string): Promise<AlertRule[]>;
  alertInbox(path: string, query: InboxQuery): Promise<AlertEntry[]>;
  playbooks(path: string): Promise<EffectivePlaybook[]>;
  /** The effective playbook of a stored incident's kind. */
  incidentPlaybook(path: string, incidentId: string): Promise<EffectivePlaybook>;
  close(path: string): Promise<void>;
}

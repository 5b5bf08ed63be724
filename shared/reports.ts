/** Masked reports and the audit trail of exports (issue 7). */

export type ReportTemplate = 'executive' | 'operational';
export type ReportFormat = 'html' | 'pdf' | 'csv' | 'json';

export const REPORT_TEMPLATES: readonly ReportTemplate[] = ['executive', 'operational'];
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'pdf', 'csv', 'json'];

export interface ReportRequest {
  template: ReportTemplate;
  format: ReportFormat;
  /** Where the report is written. CSV writes one file per table: FILE and FILE's siblings `name.<table>.csv`. */
  out: string;
  /** One incident; otherwise the incidents that start in [from, to) (the whole workspace by default). */
  incident?: string;
  from?: number;
  to?: number;
}

/** The masking applied to an export, recorded with it in the audit log. */
export interface MaskingPolicy {
  /** Cohorts with fewer distinct users than this are merged into "other" or suppressed. */
  minUsers: number;
  /** User, session and order pseudonyms never leave the workspace. */
  pseudonyms: 'dropped';
  /** Incident notes and annotation labels: e-mails, IPs, phone and card numbers replaced by [kind]. */
  freeText: 'redacted';
  /** Dimension values pseudonymised at import are shown as [masked]. */
  maskedDimensions: string[];
  /** What the final bytes were scanned for before writing. */
  scan: string[];
}

export interface ReportFile {
  file: string;
  bytes: number;
  sha256: string;
}

export interface ReportResult {
  template: ReportTemplate;
  format: ReportFormat;
  files: ReportFile[];
  incidents: number;
  /** Cohorts (breakdown rows, attributions, incident cohorts) below the user threshold. */
  suppressedCohorts: number;
  /** Free-text fields in which something was redacted. */
  redactedTexts: number;
  policy: MaskingPolicy;
}

export interface AuditEntry {
  id: number;
  /** ISO-8601 UTC. */
  at: string;
  osUser: string;
  action: 'export' | 'export_refused';
  /** What was exported: template, format and incident or period. */
  target: string;
  policy: MaskingPolicy;
  file: string;
  /** Hash of the written file; null when the export was refused. */
  sha256: string | null;
  /** Why an export was refused (kinds found, never values). */
  reason: string | null;
}

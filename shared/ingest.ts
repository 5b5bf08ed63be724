import type { ErrorShape } from './errors';
import type { Dimension, EventValue, IdentifierRole } from './events';

export const SHAPES = ['clickstream', 'segment', 'metric_table', 'orders', 'annotations'] as const;
export type Shape = (typeof SHAPES)[number];

export const FORMATS = ['csv', 'tsv', 'jsonl', 'parquet'] as const;
export type FileFormat = (typeof FORMATS)[number];

export type TimeFormat = 'auto' | 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';

/**
 * What a source column is used for. Identifier roles are pseudonymised (user, session, order) or dropped
 * (email, phone, ip); `text` is free text, redacted; `measure` is a count/sum column of a metric table;
 * the annotation roles describe deploys, promos and campaigns.
 */
export type ColumnRole =
  | { role: 'time' }
  | { role: 'end_time' }
  | { role: 'event' }
  /** Segment/RudderStack call type (track, page, identify): the event of page and identify calls. */
  | { role: 'call_type' }
  | { role: 'identifier'; as: IdentifierRole }
  | { role: 'dimension'; as: Dimension }
  | { role: 'value'; as: EventValue }
  | { role: 'measure'; as: string }
  | { role: 'annotation_kind' }
  | { role: 'annotation_label' }
  | { role: 'annotation_cohort' }
  | { role: 'text' }
  | { role: 'ignore' };

/** The explicit, recorded description of how a file maps onto the workspace (also the mapping-file format). */
export interface Mapping {
  shape: Shape;
  /** Named preset the mapping came from, if any. */
  preset?: string;
  /** Column (CSV header or JSON dot path) → role. Columns not listed are ignored and reported. */
  columns: Record<string, ColumnRole>;
  /** Raw event name → canonical name, on top of the built-in synonyms. */
  eventNames?: Record<string, string>;
  /** How the time column is written; `auto` decides from a sample and records the decision. */
  timeFormat?: TimeFormat;
  /** IANA zone for times written without an offset; defaults to the workspace time zone. */
  timeZone?: string;
  /** Columns that look like PII but which the analyst explicitly chose to keep as plain values. */
  keepPlain?: string[];
  /** For orders and purchase events without a revenue column: derive revenue from price × quantity. */
  revenueFromPrice?: boolean;
  /** Delimiter of a delimited text file, when sniffing should be overridden. */
  delimiter?: string;
}

export interface PiiFinding {
  column: string;
  kind: 'email' | 'phone' | 'ip' | 'card' | 'name_like';
  /** Share of sampled non-empty values that matched. */
  share: number;
  /** What import will do with the column. */
  action: 'pseudonymise' | 'drop' | 'redact' | 'mask_dimension' | 'kept_plain';
}

export interface FilePreview {
  file: string;
  format: FileFormat;
  compression: 'none' | 'gzip';
  delimiter?: string;
  columns: string[];
  /** First rows as the file has them (identifier values are shown masked). */
  sampleRows: Record<string, string>[];
  shape: Shape;
  preset: string;
  /** Every preset the file could be read with instead (the detected one among them). */
  presets: PresetChoice[];
  mapping: Mapping;
  pii: PiiFinding[];
  unmappedColumns: string[];
  notes: string[];
}

export interface PresetChoice {
  name: string;
  shape: Shape;
  description: string;
}

export interface RejectedRow {
  line: number;
  reason: string;
  /** The raw row with identifier values masked, so rejects can be inspected without leaking PII. */
  excerpt: string;
}

export interface ImportProgress {
  file: string;
  phase: 'hashing' | 'inspecting' | 'importing' | 'finishing';
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
  rowsRejected: number;
  rowsPerSecond: number;
}

export interface ImportSummary {
  file: string;
  sourceId: number;
  status: 'imported' | 'already_imported';
  sha256: string;
  format: FileFormat;
  compression: 'none' | 'gzip';
  shape: Shape;
  preset: string;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  /** Up to the first 1,000 rejected rows; all are stored in the workspace. */
  rejected: RejectedRow[];
  rejectedReasons: Record<string, number>;
  timeSpan: { from: number; to: number } | null;
  pii: PiiFinding[];
  notes: string[];
  durationMs: number;
}

export interface ImportOptions {
  preset?: string;
  mapping?: Mapping;
  timeZone?: string;
}

/** One result per file of an import: the summary, or why that file was refused (the others still import). */
export type ImportResult = ImportSummary | { file: string; error: ErrorShape };

export function isImportFailure(result: ImportResult): result is { file: string; error: ErrorShape } {
  return 'error' in result;
}

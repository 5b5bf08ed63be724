import type { FileFormat, Mapping, Shape } from './ingest';

export interface SourceInfo {
  id: number;
  fileName: string;
  sha256: string;
  format: FileFormat;
  compression: 'none' | 'gzip';
  shape: Shape;
  preset: string;
  mapping: Mapping;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  importedAt: number;
}

export interface DimensionInfo {
  dimension: string;
  cardinality: number;
  topValues: { value: string; events: number }[];
}

/** What the events hold, read from every event: seconds on millions of events, so only on request. */
export interface WorkspaceProfile {
  eventTypes: { name: string; events: number }[];
  dimensions: DimensionInfo[];
  pseudonyms: { user: number; session: number; order: number };
}

/** What a workspace holds, from its source records: quick at any size. */
export interface WorkspaceInfo {
  path: string;
  schemaVersion: number;
  timeZone: string;
  createdAt: number;
  sources: SourceInfo[];
  events: number;
  metricRows: number;
  measures: string[];
  annotations: number;
  timeSpan: { from: number; to: number } | null;
  /** Null unless asked for (`workspace.info(path, { profile: true })`). */
  profile: WorkspaceProfile | null;
}

export interface InfoOptions {
  /** Also read the profile (event types, dimension values, distinct pseudonyms) from every event. */
  profile?: boolean;
}

export interface DemoOptions {
  days?: number;
  seed?: number;
  sessionsPerDay?: number;
}

export interface DemoSummary {
  workspace: string;
  groundTruthFile: string;
  days: number;
  seed: number;
  incidents: number;
  imports: { file: string; rowsImported: number; rowsRejected: number }[];
}

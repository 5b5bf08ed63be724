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

export interface WorkspaceInfo {
  path: string;
  schemaVersion: number;
  timeZone: string;
  createdAt: number;
  sources: SourceInfo[];
  events: number;
  eventTypes: { name: string; events: number }[];
  metricRows: number;
  measures: string[];
  annotations: number;
  timeSpan: { from: number; to: number } | null;
  dimensions: DimensionInfo[];
  pseudonyms: { user: number; session: number; order: number };
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

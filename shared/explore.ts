import type { Incident, SensitivityLevel } from './incidents';
import type { MetricDefinition } from './metrics';

/** Dimension → value; {} is all traffic. */
export type Cohort = Record<string, string>;

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export type FeedbackLabel = 'true_alarm' | 'false_alarm' | 'expected';
export type IncidentStatus = 'open' | FeedbackLabel;

/** An incident as stored in the workspace after a detection run, with the analyst's feedback. */
export interface IncidentRecord extends Incident {
  status: IncidentStatus;
  note: string | null;
  /** Epoch ms of the detection run that found it. */
  foundAt: number;
}

export interface IncidentFilter extends Partial<TimeWindow> {
  status?: IncidentStatus[];
  metric?: string[];
  severity?: Incident['severity'][];
}

/** One detector's online verdict for one bucket of a series. */
export interface DetectorAlarm {
  detector: string;
  /** Epoch ms of the bucket at which it fired. */
  at: number;
  direction: 'down' | 'up';
  /** Calibrated probability that the bucket is anomalous, in [0, 1]. */
  score: number;
}

/**
 * A metric of one cohort per time bucket. Gaps (no data) are null, never zero. With `baseline`, the
 * online expected value and its band, computed only from earlier buckets: what a live watcher saw.
 */
export interface MetricSeries {
  metric: MetricDefinition;
  cohort: Cohort;
  bucketMs: number;
  /** Bucket starts, epoch ms. */
  times: number[];
  values: (number | null)[];
  /** Ratios: numerator and denominator per bucket, so a rate over several buckets is Σnum / Σden. */
  numerators: (number | null)[];
  denominators: (number | null)[] | null;
  baseline?: {
    expected: (number | null)[];
    lower: (number | null)[];
    upper: (number | null)[];
    /** False where history is too short for a seasonal baseline and the level-only fallback was used. */
    seasonal: boolean;
    alarms: DetectorAlarm[];
  };
}

export interface SeriesQuery extends Partial<TimeWindow> {
  metric: string;
  cohort?: Cohort;
  baseline?: boolean;
}

export interface DimensionValues {
  dimension: string;
  values: { value: string; sessions: number }[];
}

export interface BreakdownQuery extends TimeWindow {
  metric: string;
  /** One or two dimensions. */
  dimensions: string[];
  /** Restrict to a cohort before breaking down (drill-down). */
  within?: Cohort;
  /** Rows below this volume (sessions) are left out; 0 by default. */
  minSessions?: number;
}

export interface BreakdownRow {
  cohort: Cohort;
  value: number | null;
  numerator: number;
  denominator: number | null;
  sessions: number;
  /** Same metric over the same-length window just before, for the change column. */
  previous: number | null;
}

export interface FunnelStep {
  step: 'sessions' | 'viewed' | 'added_to_cart' | 'began_checkout' | 'purchased';
  sessions: number;
  /** Share of the previous step that reached this one; null for the first step. */
  rateFromPrevious: number | null;
}

export interface FunnelQuery extends TimeWindow {
  cohort?: Cohort;
}

export interface AnnotationRecord {
  id: number;
  kind: string;
  label: string;
  start: number;
  end: number | null;
  cohort: Cohort;
}

export interface DetectionKpis {
  labelled: number;
  trueAlarms: number;
  falseAlarms: number;
  expected: number;
  open: number;
  /** True alarms / labelled alarms (excluding expected); null until something is labelled. */
  precision: number | null;
  falsePositiveRate: number | null;
  /** Mean of detectedAt − start over true alarms, in minutes. */
  meanTimeToDetectMinutes: number | null;
}

export interface WorkspaceSettings {
  timeZone: string;
  sensitivity: SensitivityLevel;
  /** Per-metric sensitivity overrides. */
  metricSensitivity: Record<string, SensitivityLevel>;
  /** null: chosen from the data's volume. */
  bucketMinutes: 1 | 5 | 15 | 60 | null;
  /** Exports suppress cohorts with fewer distinct users than this. */
  reportMinUsers: number;
  notifications: boolean;
  /**
   * ISO 4217 code of the revenue columns (imported files do not say), or null: amounts are then shown
   * without a currency symbol.
   */
  currency: string | null;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type SensitivityLevel = 'low' | 'medium' | 'high';

/** An incident as `detect --json` prints it (times ISO-8601 UTC). */
export interface Incident {
  id: string;
  metric: string;
  direction: 'down' | 'up';
  start: string;
  end: string;
  detectedAt: string;
  severity: Severity;
  /** Calibrated anomaly score in [0, 1]. */
  score: number;
  /** Dimension → value; {} for all traffic. */
  cohort: Record<string, string>;
  /** Inside an annotated promo or campaign for a matching cohort: an expected change, not an incident. */
  expected: boolean;
  impact: { lostConversions: number; revenueAtRisk: number };
  attribution: { cohort: Record<string, string>; share: number; score: number }[];
}

export interface DetectionRun {
  incidents: Incident[];
  /** Relative size |observed − expected| / expected of each incident, by id (what feedback compares). */
  sizes: Record<string, number>;
  /** Incidents left out because they match a pattern the analyst marked as a false alarm. */
  suppressed: number;
  stats: {
    bucketMinutes: number;
    series: number;
    cohorts: number;
    anomalies: number;
    stageMs: { cube: number; detectors: number; grouping: number };
  };
}

/** Where a running detection is; `done` of `total` steps of the current stage. */
export interface DetectionProgress {
  stage: 'cube' | 'detectors' | 'grouping' | 'saving';
  done: number;
  total: number;
  /** What is being worked on, in words ("cohorts by os"); empty when the stage says it all. */
  detail: string;
}

export interface DetectOptions {
  /** Epoch ms bounds of the period; the whole workspace by default. */
  from?: number;
  to?: number;
  sensitivity?: SensitivityLevel;
  /** Per-metric overrides of `sensitivity` (metric name → level). */
  metricSensitivity?: Record<string, SensitivityLevel>;
}

import type { Incident } from './incidents';

/** How an annotation's cohort relates to the incident's cohort. */
export type CohortRelation = 'same' | 'all traffic' | 'broader' | 'narrower' | 'overlapping' | 'disjoint';

export interface AnnotationEvidence {
  label: string;
  annotationKind: string;
  /** ISO-8601 UTC. */
  at: string;
  cohort: Record<string, string>;
  /** Minutes from the annotation to the onset; negative when it comes after the onset. */
  minutesBeforeOnset: number;
  relation: CohortRelation;
  /** The two factors of the score. */
  closeness: number;
  cohortMatch: number;
}

/** One metric compared in a cohort: the window after the onset against a baseline of the same length. */
export interface MetricComparison {
  metric: string;
  label: string;
  /** 'per hour' for counts, 'ratio' for rates (0..1), 'ms' for mean latency. */
  unit: 'per hour' | 'ratio' | 'ms';
  cohort: Record<string, string>;
  /** True for the traffic outside the cohort (confinement). */
  outside: boolean;
  before: number;
  after: number;
  /** after / before (null when before is 0: JSON has no Infinity). */
  ratio: number | null;
  /** Signed test statistic (over-dispersion allowed for) and its two-sided p-value. */
  z: number;
  pValue: number;
  /** What the window was compared with. */
  baseline: 'same hours of earlier days' | 'preceding hours';
  baselineDays: number;
}

export type EvidenceLine =
  | { kind: 'annotation'; score: number; summary: string; details: AnnotationEvidence }
  | { kind: 'metric'; score: number; summary: string; details: MetricComparison }
  | {
      kind: 'confinement';
      score: number;
      summary: string;
      details: { inside: MetricComparison; outside: MetricComparison };
    };

/** Why an incident happened, as far as the workspace can tell: where, and which causes, best first. */
export interface IncidentExplanation {
  incident: Incident;
  /** The localisation (cohorts with the share of the deviation each explains), best first. */
  localization: Incident['attribution'];
  /**
   * The compared window (ISO-8601 UTC): from the estimated onset of the change to `to`. `detected` is the
   * incident's start; the onset is earlier when the change began before detection could see it.
   */
  window: { onset: string; detected: string; to: string };
  evidence: EvidenceLine[];
}

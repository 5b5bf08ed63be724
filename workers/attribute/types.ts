import type { Cohort } from '../../shared/explore';

/**
 * A leaf table: one row per combination of dimension values (the finest cohorts), with what was observed
 * and what was expected (the detector's baseline) over the incident window.
 */
export type LeafTable = AdditiveLeafTable | RatioLeafTable;

/** A count or a sum (sessions, orders, revenue): cohorts add up. Values must be ≥ 0. */
export interface AdditiveLeafTable {
  kind: 'additive';
  dimensions: string[];
  rows: AdditiveLeaf[];
}

export interface AdditiveLeaf {
  /** One value per dimension, in the order of `dimensions`. */
  values: string[];
  real: number;
  predict: number;
}

/**
 * A rate kept as numerator and denominator (conversions / sessions). Numerators and denominators add up
 * over cohorts; the rate of a cohort is the ratio of its sums, never a sum or a mean of leaf rates.
 */
export interface RatioLeafTable {
  kind: 'ratio';
  dimensions: string[];
  rows: RatioLeaf[];
}

export interface RatioLeaf {
  values: string[];
  realNum: number;
  predictNum: number;
  realDen: number;
  predictDen: number;
}

export type Direction = 'down' | 'up';

export interface LocalizeOptions {
  /** Deepest combination of dimensions a root cause may use (1 to 3). Default 3. */
  maxLayer?: number;
  /**
   * The direction of the deviation to explain (an incident knows it). By default the direction in which
   * the leaves' deviations add up (for a ratio metric: numerators against denominators × forecast rates).
   * Leaves that moved the other way are read as noise.
   */
  direction?: Direction;
  /**
   * How much of a cohort's deviation one common factor must account for, beyond noise, for the cohort to
   * be a root cause rather than a mix of moved and unmoved parts (0..1). Default 0.75.
   */
  minConsistency?: number;
  /**
   * Chance, over all cohorts tried, that noise alone passes for a root cause. Default 0.01. Higher finds
   * weaker root causes at the price of more false ones.
   */
  significance?: number;
  /**
   * When no cohort reaches `significance`, the strongest one is still returned, alone and with its lower
   * score, if the chance that noise alone made it is below this (0..1, at least `significance`). Default
   * 0.1: a localisation asked for because an incident was detected is better answered with the likeliest
   * cohort than with nothing when the window is diluted (for instance by hours after the cause stopped).
   * Set it to `significance` for no tentative answer.
   */
  tentativeSignificance?: number;
  /**
   * A cohort must account for at least this share of the total deviation to be a root cause (Adtributor's
   * explanatory power threshold). Default 0.02.
   */
  minShare?: number;
  /** At most this many root causes. Default 10. */
  maxRootCauses?: number;
  /**
   * Other metrics that moved with this one and share its cause (payment failures per checkout when
   * checkout conversion fell), over the same leaves' dimensions. Among cohorts that overlap the strongest
   * one and explain the deviation as well by themselves, they pick the one where both moved (see
   * corroborated). Default none.
   */
  symptoms?: Symptom[];
}

/** A metric expected to move with the localised one when they share a cause, and the way it moves. */
export interface Symptom {
  table: LeafTable;
  direction: Direction;
}

/**
 * One root cause: a cohort whose deviation explains part of the total's. The cohort {} (all traffic,
 * layer 0) is the answer when everything moved together and no narrower cohort stands out.
 */
export interface RootCause {
  cohort: Cohort;
  /** Number of dimensions of the cohort (0 to 3). */
  layer: number;
  /**
   * Share of the total deviation this cohort accounts for, clamped to 0..1. For a ratio metric, the
   * cohort's part of the change of the total rate: its rate effect plus its traffic-mix effect.
   */
  share: number;
  /**
   * 0..1: the cohort's consistency (how much of its deviation one common factor accounts for, beyond
   * noise) times the confidence that it is not noise (1 − its p-value among all cohorts tried).
   */
  score: number;
  /** Observed value of the cohort: a sum, or for a ratio metric its rate. */
  actual: number;
  /** Expected value of the cohort: the summed forecast, or the rate expected at the observed traffic. */
  expected: number;
}

/** Adtributor's view of one dimension: how much its distribution changed and what its elements explain. */
export interface DimensionSurprise {
  dimension: string;
  /** Jensen–Shannon divergence (natural log) between the expected and the observed shares of its values. */
  surprise: number;
  /** The values whose shares changed most, with the share of the deviation each explains. */
  values: { value: string; surprise: number; explanatoryPower: number }[];
}

export interface LocalizationResult {
  kind: LeafTable['kind'];
  /** Direction of the deviation that was explained; null when nothing deviates. */
  direction: Direction | null;
  /** Observed total: a sum, or the rate of the whole table. */
  actual: number;
  /** Expected total: the summed forecast, or the forecast rate. */
  expected: number;
  /** Root causes, best first (largest share first). Empty when nothing stands out from the noise. */
  rootCauses: RootCause[];
  /** Share of the total deviation the root causes explain together, clamped to 0..1. */
  explained: number;
  /**
   * How well the set fits the leaves (a generalised potential score, 0..1): 1 when every leaf's observed
   * value is its forecast, scaled inside a root cause by that cause's factor (the ripple effect).
   */
  fit: number;
  /** Dimensions, most surprising first. */
  dimensions: DimensionSurprise[];
  /**
   * The noise fitted on the leaves: a leaf's deviation score (a − e)/m has a standard deviation of
   * √(relative² + size/m) for a leaf of size m (its forecast e when it fell, (a + e)/2 when it rose).
   */
  noise: { relative: number; size: number };
}

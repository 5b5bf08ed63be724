import type { SearchSettings } from './search';
import type { CuboidEvidence, Evidence } from './evidence';
import { logNormalTail, normalTail } from './normal';

/** A candidate cause: an element of a cuboid with its evidence. */
export interface Best {
  cuboid: CuboidEvidence;
  element: number;
  evidence: Evidence;
  /** ln of the chance that noise makes a cohort of its layer this strong (see `rankKey`). */
  key: number;
}

/** ln(charge × P(Z > z)): the smaller, the less likely noise explains the cohort among its layer. */
export const rankKey = (strength: number, charge: number) => Math.log(charge) + logNormalTail(strength);

/** Whether a cohort qualifies as a root cause, leaving its significance aside. */
export function qualifies(evidence: Evidence, settings: SearchSettings, minValueGain: number): boolean {
  return (
    evidence.strength > 0 &&
    evidence.consistency >= settings.minConsistency &&
    evidence.valueGain >= minValueGain
  );
}

/** Chance that noise alone makes a cohort as significant as `evidence` among the cohorts of its layers. */
export const pValueOf = (evidence: Evidence, charge: number) =>
  Math.min(1, charge * normalTail(evidence.significance));

/** Above this share of its weight set aside with earlier causes, a cohort is no longer a candidate. */
const MAX_SET_ASIDE = 0.5;

/** Whether a cohort is mostly made of causes found before (see CuboidEvidence.setAside). */
export const mostlyFound = (cuboid: CuboidEvidence, x: number) => cuboid.setAside(x) > MAX_SET_ASIDE;

/**
 * The p-value of a cohort's evidence together with its symptoms': z² + Σ max(0, z_symptom)² is χ² with
 * 1 + k degrees of freedom under noise (k symptoms), taken to a normal deviate by Wilson–Hilferty and charged
 * like pValueOf. The smaller of this and the metric's own p-value, doubled (Bonferroni over the two tests):
 * a symptom that did not move there does not weaken the metric's own evidence.
 */
export function jointPValue(evidence: Evidence, support: number, symptoms: number, charge: number): number {
  const own = pValueOf(evidence, charge);
  if (symptoms === 0) return own;
  const x = Math.max(0, evidence.significance) ** 2 + Math.max(0, support);
  const nu = 1 + symptoms;
  const z = (Math.cbrt(x / nu) - (1 - 2 / (9 * nu))) / Math.sqrt(2 / (9 * nu));
  return Math.min(1, 2 * Math.min(own, charge * normalTail(z)));
}

/** The value code per dimension of element x of `cuboid` (the cohort it stands for). */
export function codesOf(cuboid: CuboidEvidence, x: number, codes: readonly Int32Array[]): number[] {
  const leaf = cuboid.elements.firstLeaf[x]!;
  return cuboid.elements.cuboid.map((d) => codes[d]![leaf]!);
}

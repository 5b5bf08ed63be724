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

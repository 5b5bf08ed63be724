import { deviationModel } from './deviation';
import { encodeLeaves } from './leaves';
import type { Symptom } from './types';

/**
 * One symptom's evidence for any cohort: the strength z = Σw·s·d/√Σw of its leaves' deviation scores in
 * the symptom's direction, with the weights and scores of its own noise model (see DeviationModel and
 * CuboidEvidence). A cohort in which the symptom did not move, or moved the other way, scores ≤ 0.
 */
class SymptomEvidence {
  private readonly dimensionIndex: Map<string, number>;
  /** Per dimension, value → code in this table. */
  private readonly valueCodes: Map<string, number>[];
  private readonly codes: Int32Array[];
  /** Per leaf, w·s·d and w. */
  private readonly weightedScore: Float64Array;
  private readonly weight: Float64Array;

  constructor(symptom: Symptom) {
    const leaves = encodeLeaves(symptom.table);
    let deviation = 0;
    for (let i = 0; i < leaves.actual.length; i++) deviation += leaves.actual[i]! - leaves.expected[i]!;
    const model = deviationModel(leaves.actual, leaves.expected, deviation, symptom.direction);
    this.dimensionIndex = new Map(leaves.dimensions.map((d, k) => [d, k]));
    this.valueCodes = leaves.labels.map((labels) => new Map(labels.map((value, code) => [value, code])));
    this.codes = leaves.codes;
    this.weight = model.weight;
    this.weightedScore = model.weight.map((w, i) => w * model.sign * model.deviation[i]!);
  }

  /** z of the cohort given as (dimension, value) pairs; 0 when it has no leaf in this table. */
  strength(cohort: readonly (readonly [string, string])[]): number {
    const columns: Int32Array[] = [];
    const wanted: number[] = [];
    for (const [dimension, value] of cohort) {
      const d = this.dimensionIndex.get(dimension);
      const code = d === undefined ? undefined : this.valueCodes[d]!.get(value);
      if (d === undefined || code === undefined) return 0;
      columns.push(this.codes[d]!);
      wanted.push(code);
    }
    let sum = 0;
    let weight = 0;
    for (let i = 0; i < this.weight.length; i++) {
      let member = true;
      for (let k = 0; k < columns.length && member; k++) member = columns[k]![i] === wanted[k];
      if (!member) continue;
      sum += this.weightedScore[i]!;
      weight += this.weight[i]!;
    }
    return weight > 0 ? sum / Math.sqrt(weight) : 0;
  }
}

/**
 * What the symptoms say of a cohort: Σ max(0, z)² over them. Each z² is the likelihood-ratio statistic of
 * "this cohort's symptom shifted", so added to the localised metric's own z² it is the statistic of one
 * cause that moved both in the same cohort. A symptom that did not move there adds nothing (it does not
 * argue against the cohort: not every cause shows in every symptom).
 */
export function symptomSupport(
  symptoms: readonly Symptom[],
): ((cohort: readonly (readonly [string, string])[]) => number) | null {
  if (symptoms.length === 0) return null;
  const evidence = symptoms.map((s) => new SymptomEvidence(s));
  return (cohort) => evidence.reduce((total, e) => total + Math.max(0, e.strength(cohort)) ** 2, 0);
}

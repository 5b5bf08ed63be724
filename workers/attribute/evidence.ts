import type { CuboidElements } from './cuboids';
import type { DeviationModel } from './deviation';

/**
 * The evidence that an element of a cuboid is a root cause, from its leaves' deviation scores.
 *
 * Model: leaf i's score is noise of variance 1/wᵢ (see DeviationModel), plus a common shift μ_c if it
 * lies in root cause c (the ripple effect: a cause moves all its leaves by one factor). Then, as in a
 * fixed-effect meta-analysis, with W = Σwᵢ over the element's n leaves and s the anomaly's sign:
 *
 * - Shift: μ̂ = Σwᵢ·s·dᵢ / W, the element's weighted mean score in the anomaly's direction.
 * - Strength: z = μ̂·√W. Taking the element as a cause improves the fit of the scores by z². The exact
 *   root cause has the largest z among its relatives: a parent in which only a share f of the weight
 *   moved has z = √f·z_cause, and so has a sub-cohort holding a share f of the cause. So its parent or
 *   its children only win by luck of the noise, or when the cause really is the parent.
 * - Consistency: z² / (z² + max(0, Q − (n − 1))), where Q = Σwᵢ(s·dᵢ − μ̂)² is Cochran's heterogeneity
 *   (about n − 1 under noise alone): the part of the element's deviation that one common shift accounts
 *   for, once the noise is set aside. Near 1 for a root cause; f for a parent in which a share f moved by
 *   one shift and the rest did not. A cohort that only overlaps a cause is inconsistent the same way.
 * - Significance: z divided by √(Q/(n − 1)) when the leaves scatter more than noise would: a mean driven
 *   by one or two wild leaves is weak evidence, however far it lies.
 * - Value gain: the element's deviation in metric units in the anomaly's direction, s·(A − E).
 *
 * All of these come from sums over the leaves, so leaves set aside are simply subtracted.
 */
export interface Evidence {
  strength: number;
  significance: number;
  consistency: number;
  valueGain: number;
}

export class CuboidEvidence {
  readonly elements: CuboidElements;
  private readonly model: DeviationModel;
  private readonly gains: Float64Array;
  private readonly count: Int32Array;
  private readonly weight: Float64Array;
  /** Each element's summed weight before any leaf was set aside. */
  private readonly initialWeight: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;
  private readonly valueGain: Float64Array;

  /** `gains` holds each leaf's deviation in metric units in the anomaly's direction, s·(a − e). */
  constructor(elements: CuboidElements, model: DeviationModel, gains: Float64Array) {
    this.elements = elements;
    this.model = model;
    this.gains = gains;
    this.count = new Int32Array(elements.size);
    this.weight = new Float64Array(elements.size);
    this.sum = new Float64Array(elements.size);
    this.sumSquares = new Float64Array(elements.size);
    this.valueGain = new Float64Array(elements.size);
    // The same sums as update(i, +1) over every leaf, in one loop over local arrays.
    const { elementOf } = elements;
    const { sign, deviation, weight } = model;
    const { count, sum, sumSquares, valueGain } = this;
    const weightSum = this.weight;
    for (let i = 0; i < elementOf.length; i++) {
      const w = weight[i]!;
      if (w === 0) continue;
      const x = elementOf[i]!;
      const d = sign * deviation[i]!;
      count[x]!++;
      weightSum[x]! += w;
      sum[x]! += w * d;
      sumSquares[x]! += w * d * d;
      valueGain[x]! += gains[i]!;
    }
    this.initialWeight = weightSum.slice();
  }

  /** Adds (+1) or removes (−1) leaf i. */
  update(i: number, by: 1 | -1): void {
    const w = this.model.weight[i]!;
    if (w === 0) return;
    const x = this.elements.elementOf[i]!;
    const d = this.model.sign * this.model.deviation[i]!;
    this.count[x]! += by;
    this.weight[x]! += by * w;
    this.sum[x]! += by * w * d;
    this.sumSquares[x]! += by * w * d * d;
    this.valueGain[x]! += by * this.gains[i]!;
  }

  /** Leaves with a value left in element x. */
  leaves(x: number): number {
    return this.count[x]!;
  }

  /**
   * Share of element x's weight set aside with causes found before (0 when none of its leaves was). A
   * cohort mostly made of an earlier cause would be named for what is left of it ("os=iOS" for the few
   * Chrome visits beside a cause "iOS & Safari"), which is not what its name says.
   */
  setAside(x: number): number {
    const initial = this.initialWeight[x]!;
    return initial > 0 ? 1 - this.weight[x]! / initial : 0;
  }

  /** The element's summed weight W and weighted score Σw·s·d (its shift is their ratio). */
  moments(x: number): { weight: number; sum: number } {
    return { weight: this.weight[x]!, sum: this.sum[x]! };
  }

  /** Strength alone, for a quick comparison before the rest is worth computing. */
  strength(x: number): number {
    const w = this.weight[x]!;
    return this.count[x]! > 0 && w > 0 ? this.sum[x]! / Math.sqrt(w) : 0;
  }

  evidence(x: number): Evidence {
    const n = this.count[x]!;
    const w = this.weight[x]!;
    if (n === 0 || !(w > 0)) return { strength: 0, significance: 0, consistency: 0, valueGain: 0 };
    const sum = this.sum[x]!;
    const z = sum / Math.sqrt(w);
    const heterogeneity = Math.max(0, this.sumSquares[x]! - (sum * sum) / w);
    const excess = Math.max(0, heterogeneity - (n - 1));
    return {
      strength: z,
      significance: n > 1 ? z / Math.sqrt(Math.max(1, heterogeneity / (n - 1))) : z,
      consistency: z > 0 ? (z * z) / (z * z + excess) : 0,
      valueGain: this.valueGain[x]!,
    };
  }
}

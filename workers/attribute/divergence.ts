import type { EncodedLeaves } from './leaves';
import type { DimensionSurprise } from './types';

/**
 * One element's term of the Jensen–Shannon divergence between the expected share p and the observed share
 * q (natural log): ½·(p·ln(2p/(p+q)) + q·ln(2q/(p+q))), with 0·ln 0 = 0. Adtributor calls it the
 * element's surprise. Summed over a dimension's values it is the divergence of the two distributions,
 * bounded by ln 2.
 */
export function surpriseTerm(p: number, q: number): number {
  const m = p + q;
  if (m <= 0) return 0;
  const pTerm = p > 0 ? p * Math.log((2 * p) / m) : 0;
  const qTerm = q > 0 ? q * Math.log((2 * q) / m) : 0;
  return 0.5 * (pTerm + qTerm);
}

/** Jensen–Shannon divergence between two distributions given as non-negative weights (normalised here). */
export function jensenShannon(expected: ArrayLike<number>, observed: ArrayLike<number>): number {
  let expectedTotal = 0;
  let observedTotal = 0;
  for (let i = 0; i < expected.length; i++) {
    expectedTotal += expected[i]!;
    observedTotal += observed[i]!;
  }
  let divergence = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = expectedTotal > 0 ? expected[i]! / expectedTotal : 0;
    const q = observedTotal > 0 ? observed[i]! / observedTotal : 0;
    divergence += surpriseTerm(p, q);
  }
  return divergence;
}

/** How many values of each dimension the result lists. */
const LISTED_VALUES = 5;

/**
 * Adtributor per dimension: the surprise of each value (how far its share of the metric moved from its
 * expected share) and its explanatory power (its part of the total deviation). A dimension in which every
 * value shrank or grew with the total has no surprise, however large the deviation of its big values.
 */
export function dimensionSurprises(leaves: EncodedLeaves): DimensionSurprise[] {
  const totalDeviation = leaves.totalActual - leaves.totalExpected;
  const surprises = leaves.dimensions.map((dimension, d): DimensionSurprise => {
    const size = leaves.labels[d]!.length;
    const actual = new Float64Array(size);
    const expected = new Float64Array(size);
    const contribution = new Float64Array(size);
    const codes = leaves.codes[d]!;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      actual[code]! += leaves.actual[i]!;
      expected[code]! += leaves.expected[i]!;
      contribution[code]! += leaves.contribution[i]!;
    }
    const actualTotal = actual.reduce((s, v) => s + v, 0);
    const expectedTotal = expected.reduce((s, v) => s + v, 0);
    const values = leaves.labels[d]!.map((value, code) => ({
      value,
      surprise: surpriseTerm(
        expectedTotal > 0 ? expected[code]! / expectedTotal : 0,
        actualTotal > 0 ? actual[code]! / actualTotal : 0,
      ),
      explanatoryPower: totalDeviation !== 0 ? contribution[code]! / totalDeviation : 0,
    }));
    const surprise = values.reduce((s, v) => s + v.surprise, 0);
    values.sort((a, b) => b.surprise - a.surprise);
    return { dimension, surprise, values: values.slice(0, LISTED_VALUES) };
  });
  return surprises.sort((a, b) => b.surprise - a.surprise);
}

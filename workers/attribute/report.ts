import type { Cohort } from '../../shared/explore';
import { rippleFit } from './fit';
import type { EncodedLeaves } from './leaves';
import type { FoundCause } from './search';
import type { RootCause } from './types';

const clampShare = (share: number) => (Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0);

/**
 * The deviation shares are taken of: the total's, or, when the total moved the other way or not at all (a
 * rate that fell in one cohort while the rest ran a little high), the part of it that moved the
 * incident's way.
 */
function referenceDeviation(leaves: EncodedLeaves, sign: number): number {
  const total = leaves.totalActual - leaves.totalExpected;
  if (sign * total > 0) return total;
  let moved = 0;
  for (let i = 0; i < leaves.contribution.length; i++)
    if (sign * leaves.contribution[i]! > 0) moved += leaves.contribution[i]!;
  return moved;
}

/** Sums over a set of leaves, in the metric's units (a sum, or a rate for a ratio metric). */
function measure(leaves: EncodedLeaves, isMember: (i: number) => boolean, totalDeviation: number) {
  let actual = 0;
  let expected = 0;
  let contribution = 0;
  let denominator = 0;
  for (let i = 0; i < leaves.actual.length; i++) {
    if (!isMember(i)) continue;
    actual += leaves.actual[i]!;
    expected += leaves.expected[i]!;
    contribution += leaves.contribution[i]!;
    if (leaves.denominator) denominator += leaves.denominator[i]!;
  }
  const share = clampShare(totalDeviation !== 0 ? contribution / totalDeviation : 0);
  if (!leaves.denominator) return { actual, expected, share };
  // Rates: the cohort's numerator, and the numerator its forecast rates expected, over its traffic.
  return denominator > 0
    ? { actual: actual / denominator, expected: expected / denominator, share }
    : { actual: 0, expected: 0, share };
}

/** The cause as dimension → value, in the table's order of dimensions. */
function cohortOf(leaves: EncodedLeaves, cause: FoundCause): Cohort {
  const pairs = cause.cuboid.map((d, k) => [d, leaves.labels[d]![cause.codes[k]!]!] as const);
  pairs.sort((x, y) => x[0] - y[0]);
  return Object.fromEntries(pairs.map(([d, value]) => [leaves.dimensions[d]!, value]));
}

/** Leaf → index of the first cause that covers it, or −1. */
function causeOfLeaves(leaves: EncodedLeaves, found: readonly FoundCause[]): Int32Array {
  const causeOf = new Int32Array(leaves.actual.length).fill(-1);
  for (let c = found.length - 1; c >= 0; c--) {
    const { cuboid, codes } = found[c]!;
    for (let i = 0; i < causeOf.length; i++)
      if (cuboid.every((d, k) => leaves.codes[d]![i] === codes[k])) causeOf[i] = c;
  }
  return causeOf;
}

/**
 * The causes as the result reports them, best first (largest share first), with what they explain
 * together and how well the ripple effect fits (see rippleFit).
 */
export function reportCauses(leaves: EncodedLeaves, found: readonly FoundCause[], sign: -1 | 1) {
  const causeOf = causeOfLeaves(leaves, found);
  const reference = referenceDeviation(leaves, sign);
  const rootCauses = found.map((cause): RootCause => {
    const sums = measure(
      leaves,
      (i) => cause.cuboid.every((d, k) => leaves.codes[d]![i] === cause.codes[k]),
      reference,
    );
    return {
      cohort: cohortOf(leaves, cause),
      layer: cause.cuboid.length,
      share: sums.share,
      score: cause.evidence.consistency * (1 - cause.pValue),
      actual: sums.actual,
      expected: sums.expected,
    };
  });
  rootCauses.sort((a, b) => b.share - a.share || b.score - a.score);
  return {
    rootCauses,
    explained: measure(leaves, (i) => causeOf[i]! >= 0, reference).share,
    fit: rippleFit(leaves.actual, leaves.expected, causeOf, found.length),
  };
}

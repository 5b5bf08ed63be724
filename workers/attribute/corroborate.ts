import type { CuboidEvidence } from './evidence';
import { restMovedWithIt, restTooSmall, strictlyContains } from './nesting';
import { codesOf, mostlyFound, qualifies, rankKey, type Best } from './ranking';
import type { SearchSettings } from './search';

/** A rival must share at least this much of its and the cause's weight (Jaccard) to be the same answer. */
const MIN_OVERLAP = 0.5;

export interface Corroboration {
  /** What the symptoms say of a cohort (Σ max(0, z)², see symptomSupport); the cohort as cuboid and codes. */
  support: (cuboid: readonly number[], codes: readonly number[]) => number;
  /** A candidate's p-value, its symptoms' evidence included (see jointPValue). */
  pValueOf: (candidate: Best) => number;
  /** Leaves still in play (not set aside with an earlier cause). */
  inPlay: Uint8Array;
  /** Per leaf, the localised metric's weight (see DeviationModel). */
  weight: Float64Array;
  codes: readonly Int32Array[];
}

/** Per element of `cuboid`, the weight of its leaves in play that also lie in `member`. */
function sharedWeight(cuboid: CuboidEvidence, member: Uint8Array, context: Corroboration): Float64Array {
  const shared = new Float64Array(cuboid.elements.size);
  const { elementOf } = cuboid.elements;
  for (let i = 0; i < member.length; i++)
    if (member[i] && context.inPlay[i]) shared[elementOf[i]!]! += context.weight[i]!;
  return shared;
}

/**
 * The cause the symptoms point to among the cohorts that are nearly the same answer as `best`.
 *
 * Cohorts that share most of their visitors (iOS & Safari, mobile & iOS, mobile & Safari) are often told
 * apart by a handful of leaves, where the localised metric's noise decides: checkout conversion on iOS
 * tablets is a few dozen checkouts. A symptom that moved with it (payment failures per checkout) is
 * independent evidence on the same leaves. Of the cohorts that overlap `best` by at least half (Jaccard,
 * by weight) and qualify as a cause by themselves at the significance `best` was held to, the one with the
 * largest joint statistic z² + Σ max(0, z_symptom)² is taken: the likelihood-ratio statistic of one cause
 * that shifted the metric and its symptoms in that cohort. `best` stays on a tie. Of two nested cohorts the
 * broader is taken only when the rest of it carries the change (restMovedWithIt).
 */
export function corroborated(
  best: Best,
  cuboids: readonly CuboidEvidence[],
  charges: Float64Array,
  settings: SearchSettings,
  minValueGain: number,
  significance: number,
  context: Corroboration,
): Best {
  const member = new Uint8Array(context.inPlay.length);
  const { elementOf } = best.cuboid.elements;
  for (let i = 0; i < member.length; i++) member[i] = elementOf[i] === best.element ? 1 : 0;
  const bestWeight = best.cuboid.moments(best.element).weight;
  const supportOf = (candidate: Best) =>
    context.support(
      candidate.cuboid.elements.cuboid,
      codesOf(candidate.cuboid, candidate.element, context.codes),
    );
  const joint = (candidate: Best) => candidate.evidence.strength ** 2 + supportOf(candidate);
  const bestSupport = supportOf(best);
  let chosen = best;
  let chosenJoint = joint(best);
  for (const cuboid of cuboids) {
    const shared = sharedWeight(cuboid, member, context);
    const charge = charges[cuboid.elements.cuboid.length]!;
    for (let x = 0; x < cuboid.elements.size; x++) {
      if (cuboid === best.cuboid && x === best.element) continue;
      const weight = cuboid.moments(x).weight;
      const union = weight + bestWeight - shared[x]!;
      if (!(union > 0) || shared[x]! / union < MIN_OVERLAP) continue;
      if (mostlyFound(cuboid, x)) continue;
      const evidence = cuboid.evidence(x);
      if (!qualifies(evidence, settings, minValueGain)) continue;
      const candidate = { cuboid, element: x, evidence, key: rankKey(evidence.strength, charge) };
      if (context.pValueOf(candidate) > significance) continue;
      // Nested answers are told apart by whether the rest of the broader one carries the change (see
      // restMovedWithIt), not by the symptoms' noise in that rest. A rest too small for the metric to tell
      // (four checkouts of Chrome on iOS beside Safari's forty) leaves it to the symptoms: the narrower
      // cohort is taken when they say more of it than of the broader one (the metric's own z² differs there
      // by the noise of that small rest alone).
      if (strictlyContains(candidate, best, context.codes) && !restMovedWithIt(candidate.cuboid, x, best))
        continue;
      if (strictlyContains(best, candidate, context.codes)) {
        const tooSmall = restTooSmall(best.cuboid, best.element, candidate);
        if (!tooSmall && restMovedWithIt(best.cuboid, best.element, candidate)) continue;
        if (tooSmall && !(supportOf(candidate) > bestSupport)) continue;
      }
      const score = joint(candidate);
      if (score > chosenJoint) {
        chosen = candidate;
        chosenJoint = score;
      }
    }
  }
  return chosen;
}

import { corroborated } from './corroborate';
import { cuboidsOfLayer, groupLeaves, type Cuboid } from './cuboids';
import type { DeviationModel } from './deviation';
import { CuboidEvidence, type Evidence } from './evidence';
import type { EncodedLeaves } from './leaves';
import { logNormalTail } from './normal';
import { restMovedWithIt } from './nesting';
import { codesOf, jointPValue, mostlyFound, pValueOf, qualifies, rankKey, type Best } from './ranking';

export interface SearchSettings {
  maxLayer: number;
  /** A cause must explain at least this share of the total deviation (its explanatory power). */
  minShare: number;
  /** A cause's leaves must move together at least this much (see CuboidEvidence). */
  minConsistency: number;
  /** Chance that noise alone produces a cause, over all the cohorts tried in one round. */
  significance: number;
  maxRootCauses: number;
  /** When no cohort reaches `significance`, the strongest one is still returned alone if below this. */
  tentativeSignificance: number;
  /** Dimension indices, most surprising first: the order cuboids are tried in. */
  dimensionOrder: readonly number[];
  /** Combinations of two or more dimensions are formed from this many of the most surprising ones. */
  maxCombinedDimensions: number;
  /** What symptoms of the same cause say of a cohort, when there are any (see corroborated). */
  symptomSupport?: ((cuboid: readonly number[], codes: readonly number[]) => number) | null;
  /** How many symptoms `symptomSupport` sums over. */
  symptomCount?: number;
}

export interface FoundCause {
  cuboid: Cuboid;
  /** The cohort's value code per dimension of the cuboid. */
  codes: number[];
  evidence: Evidence;
  /** Chance that noise alone would have produced a cause this strong among the cohorts tried. */
  pValue: number;
}

/** Root first, then layer by layer; within a layer, the most surprising dimensions first. */
function cuboidsUpTo(settings: SearchSettings): Cuboid[] {
  const combined = settings.dimensionOrder.slice(0, settings.maxCombinedDimensions);
  const all: Cuboid[] = [];
  for (let layer = 0; layer <= settings.maxLayer; layer++)
    all.push(...cuboidsOfLayer(layer <= 1 ? settings.dimensionOrder : combined, layer));
  return all;
}

/**
 * The cohorts of each layer, and the multiple-comparison charge of one cohort of each layer.
 *
 * The α of the search is split equally over its layers (root, 1, 2, 3) and, within a layer, over its
 * cohorts (a weighted Bonferroni bound, as valid as charging every cohort the total). A cohort of layer 3
 * competes with thousands of others, one of layer 1 with a few dozen: among thousands of narrow cohorts
 * of a few leaves, one is bound to look as strong as a broad cohort that truly moved. Charging each
 * cohort for the size of its own layer lets the broad cohort win unless the narrow one is stronger
 * beyond what that many tries explain, and makes a broad cause easier to find.
 */
function layerCharges(cuboids: readonly CuboidEvidence[]): Float64Array {
  const counts = new Float64Array(4);
  for (const cuboid of cuboids) {
    const layer = cuboid.elements.cuboid.length;
    for (let x = 0; x < cuboid.elements.size; x++) if (cuboid.leaves(x) > 0) counts[layer]!++;
  }
  const layers = counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
  return counts.map((c) => Math.max(1, c) * layers);
}

/** The strongest qualifying cohort left, each charged for the number of cohorts of its layer. */
function strongest(
  cuboids: readonly CuboidEvidence[],
  charges: Float64Array,
  settings: SearchSettings,
  minValueGain: number,
): Best | null {
  let best: Best | null = null;
  for (const cuboid of cuboids) {
    const charge = charges[cuboid.elements.cuboid.length]!;
    // The strength an element of this cuboid needs to beat the best so far (none while there is none).
    let needed = 0;
    if (best) {
      // Solve rankKey(z, charge) < best.key for z: ln P(Z > z) < best.key − ln(charge).
      needed = strengthBelow(best.key - Math.log(charge));
    }
    for (let x = 0; x < cuboid.elements.size; x++) {
      if (cuboid.leaves(x) === 0) continue;
      const strength = cuboid.strength(x);
      // Strictly stronger only: cuboids come shallow first, so on a tie the more general cohort stays.
      if (strength <= needed) continue;
      if (mostlyFound(cuboid, x)) continue;
      const evidence = cuboid.evidence(x);
      if (!qualifies(evidence, settings, minValueGain)) continue;
      const key = rankKey(evidence.strength, charge);
      if (best && key >= best.key) continue;
      best = { cuboid, element: x, evidence, key };
      needed = strengthBelow(key - Math.log(charge));
    }
  }
  return best;
}

/** The z at which ln P(Z > z) equals `logTail` (bisection; ln P falls monotonically with z). */
function strengthBelow(logTail: number): number {
  if (logTail >= Math.log(0.5)) return 0;
  let lo = 0;
  let hi = 1;
  while (logNormalTail(hi) > logTail) hi *= 2;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (logNormalTail(mid) > logTail) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Per layer, the charge of one sub-cohort of `best` (iOS & Safari under iOS): once `best` is established,
 * which part of it carries the change is a question about its own sub-cohorts only, so the Bonferroni
 * bound runs over those (split equally over the deeper layers), not over every cohort of the layer.
 */
function subCohortCharges(best: Best, cuboids: readonly CuboidEvidence[], codes: readonly Int32Array[]) {
  const dims = best.cuboid.elements.cuboid;
  const leaf = best.cuboid.elements.firstLeaf[best.element]!;
  const counts = new Float64Array(4);
  for (const cuboid of cuboids) {
    const deeper = cuboid.elements.cuboid;
    if (deeper.length <= dims.length || !dims.every((d) => deeper.includes(d))) continue;
    for (let x = 0; x < cuboid.elements.size; x++) {
      if (cuboid.leaves(x) === 0) continue;
      const first = cuboid.elements.firstLeaf[x]!;
      if (dims.every((d) => codes[d]![first] === codes[d]![leaf])) counts[deeper.length]!++;
    }
  }
  const layers = counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
  return counts.map((c) => Math.max(1, c) * Math.max(1, layers));
}

/**
 * A sub-cohort of `best` that is the better answer: one whose siblings inside `best` did not move with it
 * (see restMovedWithIt), that qualifies and is significant on its own; the strongest such. The search
 * charges a cohort for the size of its layer, so a broad cohort holding most of a narrower cause (iOS, of
 * which Safari is six sevenths) can win it on a small cohort's noisy evidence although the rest of it held.
 */
function narrowerCause(
  best: Best,
  cuboids: readonly CuboidEvidence[],
  charges: Float64Array,
  settings: SearchSettings,
  minValueGain: number,
  codes: readonly Int32Array[],
  /** The significance `best` itself was held to (tentative while nothing has been found). */
  significance: number,
): Best | null {
  const dims = best.cuboid.elements.cuboid;
  const leaf = best.cuboid.elements.firstLeaf[best.element]!;
  const subCharges = subCohortCharges(best, cuboids, codes);
  let chosen: Best | null = null;
  for (const cuboid of cuboids) {
    const deeper = cuboid.elements.cuboid;
    if (deeper.length <= dims.length || !dims.every((d) => deeper.includes(d))) continue;
    // Ranked among all cohorts of the layer (as the search ranks), tested among best's own sub-cohorts.
    const charge = charges[deeper.length]!;
    for (let x = 0; x < cuboid.elements.size; x++) {
      if (cuboid.leaves(x) === 0) continue;
      const first = cuboid.elements.firstLeaf[x]!;
      if (!dims.every((d) => codes[d]![first] === codes[d]![leaf])) continue;
      const evidence = cuboid.evidence(x);
      if (!qualifies(evidence, settings, minValueGain)) continue;
      if (pValueOf(evidence, subCharges[deeper.length]!) > significance) continue;
      const key = rankKey(evidence.strength, charge);
      if (chosen && key >= chosen.key) continue;
      const candidate = { cuboid, element: x, evidence, key };
      if (restMovedWithIt(best.cuboid, best.element, candidate)) continue;
      chosen = candidate;
    }
  }
  return chosen;
}

/**
 * The most general cohort that explains what `best` explains: among the cohorts that contain it (its
 * parents, grandparents and all traffic), the one of the lowest layer that qualifies as a cause by itself
 * (its leaves move together at least `minConsistency`, it explains at least `minValueGain` and is
 * significant, keeps at least `minConsistency` of its strength squared, and its leaves outside `best` moved
 * with it: see restMovedWithIt), the strongest on a tie;
 * `best` itself when none does. When every iOS browser fell, or the others are too few to tell, "os=iOS"
 * is named rather than "os=iOS & browser=Safari" (which holds most of it and so may win the search by luck
 * of the noise); when the other iOS browsers held, the parent has an unmoved part and is left alone.
 */
function mostGeneral(
  best: Best,
  cuboids: readonly CuboidEvidence[],
  charges: Float64Array,
  settings: SearchSettings,
  minValueGain: number,
  leafOf: number,
): Best {
  const dims = best.cuboid.elements.cuboid;
  let chosen = best;
  for (const cuboid of cuboids) {
    const ancestor = cuboid.elements.cuboid;
    if (ancestor.length >= dims.length || ancestor.length > chosen.cuboid.elements.cuboid.length) continue;
    if (!ancestor.every((d) => dims.includes(d))) continue;
    const x = cuboid.elements.elementOf[leafOf]!;
    if (mostlyFound(cuboid, x)) continue;
    const evidence = cuboid.evidence(x);
    if (!qualifies(evidence, settings, minValueGain)) continue;
    // A parent of which a share f of the weight moved has z² = f·z² of the part that moved: it explains
    // the same only when that share reaches minConsistency (noisy leaves can hide the heterogeneity that
    // consistency measures; the loss of strength still shows it).
    if (evidence.strength ** 2 < settings.minConsistency * best.evidence.strength ** 2) continue;
    if (!restMovedWithIt(cuboid, x, best)) continue;
    const charge = charges[ancestor.length]!;
    if (pValueOf(evidence, charge) > settings.significance) continue;
    const key = rankKey(evidence.strength, charge);
    const shallower = ancestor.length < chosen.cuboid.elements.cuboid.length;
    if (shallower || key < chosen.key) chosen = { cuboid, element: x, evidence, key };
  }
  return chosen;
}

/**
 * Greedy search over every cuboid up to `maxLayer`: take the cohort whose leaves deviate most strongly
 * while moving together (each charged for the number of cohorts of its layer, see layerCharges), widen it
 * to the most general cohort that explains the same (see mostGeneral), let the symptoms choose among the
 * cohorts that are nearly the same answer (see corroborated), set its leaves aside, and repeat
 * while what is found is stronger than noise could make it among the cohorts tried (a Bonferroni bound)
 * and explains at least `minShare`.
 */
export function searchRootCauses(
  leaves: EncodedLeaves,
  model: DeviationModel,
  settings: SearchSettings,
): FoundCause[] {
  const leafCount = leaves.actual.length;
  const gains = leaves.actual.map((a, i) => model.sign * (a - leaves.expected[i]!));
  // What there is to explain: the net deviation in the incident's direction; when that nets out (a rate
  // fell in one cohort while the rest ran a little high by chance), the deviation of the leaves that moved
  // the incident's way, so that the cohort that fell is still found.
  const net = gains.reduce((s, g) => s + g, 0);
  const total = net > 0 ? net : gains.reduce((s, g) => s + Math.max(0, g), 0);
  // Nothing deviates in the direction asked about: nothing to explain.
  if (!(total > 0)) return [];
  const cardinality = leaves.labels.map((l) => l.length);
  const cuboids = cuboidsUpTo(settings).map(
    (cuboid) => new CuboidEvidence(groupLeaves(cuboid, leaves.codes, cardinality, leafCount), model, gains),
  );
  const charges = layerCharges(cuboids);
  const minValueGain = settings.minShare * total;
  const inPlay = new Uint8Array(leafCount).fill(1);
  const found: FoundCause[] = [];
  // A cohort's p-value, with its symptoms' evidence when there are symptoms (see jointPValue), for the first
  // cause: the symptoms' evidence is of the whole table, not of what is left once a cause is set aside, so
  // later causes stand on the metric's own evidence.
  const support = settings.symptomSupport;
  const pValueOfCause = (cause: Best) => {
    const { cuboid } = cause.cuboid.elements;
    const charge = charges[cuboid.length]!;
    if (!support || found.length > 0) return pValueOf(cause.evidence, charge);
    const said = support(cuboid, codesOf(cause.cuboid, cause.element, leaves.codes));
    return jointPValue(cause.evidence, said, settings.symptomCount ?? 1, charge);
  };
  while (found.length < settings.maxRootCauses) {
    const strongestLeft = strongest(cuboids, charges, settings, minValueGain);
    if (!strongestLeft) break;
    const pValue = pValueOfCause(strongestLeft);
    // Nothing found yet: the strongest cohort is still the best answer when it is only a little short of
    // `significance` (its score says how sure it is); after a cause was found, only significant ones.
    const heldTo = found.length === 0 ? settings.tentativeSignificance : settings.significance;
    if (pValue > heldTo) break;
    const narrower = narrowerCause(
      strongestLeft,
      cuboids,
      charges,
      settings,
      minValueGain,
      leaves.codes,
      heldTo,
    );
    const start = narrower ?? strongestLeft;
    const general = mostGeneral(
      start,
      cuboids,
      charges,
      settings,
      minValueGain,
      start.cuboid.elements.firstLeaf[start.element]!,
    );
    const best = support
      ? corroborated(general, cuboids, charges, settings, minValueGain, heldTo, {
          support,
          pValueOf: pValueOfCause,
          inPlay,
          weight: model.weight,
          codes: leaves.codes,
        })
      : general;
    const { elements } = best.cuboid;
    found.push({
      cuboid: elements.cuboid,
      codes: codesOf(best.cuboid, best.element, leaves.codes),
      evidence: best.evidence,
      pValue: pValueOfCause(best),
    });
    if (pValue > settings.significance) break;
    for (let i = 0; i < leafCount; i++) {
      if (!inPlay[i] || elements.elementOf[i] !== best.element) continue;
      inPlay[i] = 0;
      for (const cuboid of cuboids) cuboid.update(i, -1);
    }
  }
  return found;
}

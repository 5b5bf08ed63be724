import { cuboidsOfLayer, groupLeaves, type Cuboid } from './cuboids';
import type { DeviationModel } from './deviation';
import { CuboidEvidence, type Evidence } from './evidence';
import type { EncodedLeaves } from './leaves';
import { normalTail } from './normal';

export interface SearchSettings {
  maxLayer: number;
  /** A cause must explain at least this share of the total deviation (its explanatory power). */
  minShare: number;
  /** A cause's leaves must move together at least this much (see CuboidEvidence). */
  minConsistency: number;
  /** Chance that noise alone produces a cause, over all the cohorts tried in one round. */
  significance: number;
  maxRootCauses: number;
  /** Dimension indices, most surprising first: the order cuboids are tried in. */
  dimensionOrder: readonly number[];
  /** Combinations of two or more dimensions are formed from this many of the most surprising ones. */
  maxCombinedDimensions: number;
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

interface Best {
  cuboid: CuboidEvidence;
  element: number;
  evidence: Evidence;
}

/** The strongest qualifying cohort left, and how many cohorts were tried. */
function strongest(cuboids: readonly CuboidEvidence[], settings: SearchSettings, minValueGain: number) {
  let best: Best | null = null;
  let tried = 0;
  for (const cuboid of cuboids) {
    for (let x = 0; x < cuboid.elements.size; x++) {
      if (cuboid.leaves(x) === 0) continue;
      tried++;
      // Strictly stronger only: cuboids come shallow first, so on a tie the more general cohort stays.
      if (best && cuboid.strength(x) <= best.evidence.strength) continue;
      const evidence = cuboid.evidence(x);
      if (evidence.strength <= 0 || evidence.consistency < settings.minConsistency) continue;
      if (evidence.valueGain < minValueGain) continue;
      best = { cuboid, element: x, evidence };
    }
  }
  return { best, tried };
}

/**
 * Greedy search over every cuboid up to `maxLayer`: take the cohort whose leaves deviate most strongly
 * while moving together, set its leaves aside, and repeat while what is found is stronger than noise
 * could make it among all the cohorts tried (a Bonferroni bound) and explains at least `minShare`.
 */
export function searchRootCauses(
  leaves: EncodedLeaves,
  model: DeviationModel,
  settings: SearchSettings,
): FoundCause[] {
  const leafCount = leaves.actual.length;
  const gains = leaves.actual.map((a, i) => model.sign * (a - leaves.expected[i]!));
  const total = gains.reduce((s, g) => s + g, 0);
  // Nothing deviates in the direction asked about: nothing to explain.
  if (!(total > 0)) return [];
  const cardinality = leaves.labels.map((l) => l.length);
  const cuboids = cuboidsUpTo(settings).map(
    (cuboid) => new CuboidEvidence(groupLeaves(cuboid, leaves.codes, cardinality, leafCount), model, gains),
  );
  const inPlay = new Uint8Array(leafCount).fill(1);
  const found: FoundCause[] = [];
  while (found.length < settings.maxRootCauses) {
    const { best, tried } = strongest(cuboids, settings, settings.minShare * total);
    if (!best) break;
    const pValue = Math.min(1, tried * normalTail(best.evidence.significance));
    if (pValue > settings.significance) break;
    const { elements } = best.cuboid;
    const firstLeaf = elements.firstLeaf[best.element]!;
    found.push({
      cuboid: elements.cuboid,
      codes: elements.cuboid.map((d) => leaves.codes[d]![firstLeaf]!),
      evidence: best.evidence,
      pValue,
    });
    for (let i = 0; i < leafCount; i++) {
      if (!inPlay[i] || elements.elementOf[i] !== best.element) continue;
      inPlay[i] = 0;
      for (const cuboid of cuboids) cuboid.update(i, -1);
    }
  }
  return found;
}

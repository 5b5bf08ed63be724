import { deviationModel } from './deviation';
import { dimensionSurprises } from './divergence';
import { encodeLeaves, type EncodedLeaves } from './leaves';
import { reportCauses } from './report';
import { searchRootCauses, type SearchSettings } from './search';
import { symptomSupport } from './symptoms';
import type { LeafTable, LocalizationResult, LocalizeOptions } from './types';

const DEFAULTS = {
  maxLayer: 3,
  minConsistency: 0.75,
  significance: 0.01,
  tentativeSignificance: 0.1,
  minShare: 0.02,
  maxRootCauses: 10,
};

/**
 * Combinations of two or three dimensions are formed from this many of the most surprising dimensions
 * (Adtributor's surprise). Up to this many dimensions nothing is pruned; beyond, the number of cuboids
 * stays bounded (C(8,2) + C(8,3) = 84) and the dimensions whose distribution did not change are left out.
 */
const MAX_COMBINED_DIMENSIONS = 8;

function resolve(options: LocalizeOptions): Omit<SearchSettings, 'dimensionOrder'> {
  const { symptoms: _symptoms, ...rest } = options;
  const settings = { ...DEFAULTS, ...rest, maxCombinedDimensions: MAX_COMBINED_DIMENSIONS };
  if (!Number.isInteger(settings.maxLayer) || settings.maxLayer < 1 || settings.maxLayer > 3)
    throw new RangeError(`maxLayer must be 1, 2 or 3, not ${settings.maxLayer}`);
  if (!(settings.minConsistency >= 0 && settings.minConsistency <= 1))
    throw new RangeError(`minConsistency must be within 0..1, not ${settings.minConsistency}`);
  if (!(settings.significance > 0 && settings.significance < 1))
    throw new RangeError(`significance must be within (0, 1), not ${settings.significance}`);
  if (!(settings.tentativeSignificance >= settings.significance && settings.tentativeSignificance < 1))
    throw new RangeError(
      `tentativeSignificance must be within [significance, 1), not ${settings.tentativeSignificance}`,
    );
  if (!(settings.minShare > 0 && settings.minShare < 1))
    throw new RangeError(`minShare must be within (0, 1), not ${settings.minShare}`);
  if (!Number.isInteger(settings.maxRootCauses) || settings.maxRootCauses < 1)
    throw new RangeError(`maxRootCauses must be a positive whole number, not ${settings.maxRootCauses}`);
  if (options.direction !== undefined && options.direction !== 'down' && options.direction !== 'up')
    throw new RangeError(`direction must be "down" or "up", not ${String(options.direction)}`);
  return settings;
}

/** Localization of an already encoded leaf table; see `localize`. */
export function localizeLeaves(leaves: EncodedLeaves, options: LocalizeOptions = {}): LocalizationResult {
  const settings = resolve(options);
  const dimensions = dimensionSurprises(leaves);
  // The search works on the additive form (for a ratio: numerators against denominators × forecast
  // rates), so the direction it follows is that of the additive total, not of the rate, which a change
  // of traffic mix moves too.
  let additiveDeviation = 0;
  for (let i = 0; i < leaves.actual.length; i++) additiveDeviation += leaves.actual[i]! - leaves.expected[i]!;
  const model = deviationModel(leaves.actual, leaves.expected, additiveDeviation, options.direction);
  const dimensionOrder = dimensions.map((d) => leaves.dimensions.indexOf(d.dimension));
  const support = symptomSupport(options.symptoms ?? []);
  const symptomSupportOf = support
    ? (cuboid: readonly number[], codes: readonly number[]) =>
        support(cuboid.map((d, k) => [leaves.dimensions[d]!, leaves.labels[d]![codes[k]!]!] as const))
    : null;
  const found = searchRootCauses(leaves, model, {
    ...settings,
    dimensionOrder,
    symptomSupport: symptomSupportOf,
    symptomCount: options.symptoms?.length ?? 0,
  });
  const nothingMoved = leaves.totalActual === leaves.totalExpected && found.length === 0;
  return {
    kind: leaves.kind,
    direction: nothingMoved ? null : model.direction,
    actual: leaves.totalActual,
    expected: leaves.totalExpected,
    ...reportCauses(leaves, found, model.sign),
    dimensions,
    noise: { relative: model.relativeNoise, size: model.sizeNoise },
  };
}

/**
 * Finds the smallest set of cohorts (combinations of up to three dimension values) that explains how a
 * metric deviated from its forecast, with the share of the deviation each explains.
 *
 * 1. Adtributor: each dimension's surprise (Jensen–Shannon divergence between the expected and the
 *    observed shares of its values) orders the dimensions; cohorts must reach a minimum explanatory
 *    power.
 * 2. Every leaf gets a deviation score (a − e)/m (the relative change for a leaf that fell, RiskLoc's
 *    2(a − e)/(a + e) for one that rose; see DeviationModel) and a noise level, fitted on the leaves
 *    that moved against the incident's direction (see DeviationModel).
 * 3. Over every combination of up to three dimensions (with the all-traffic root), the cohort whose
 *    leaves deviate most strongly while moving by one common factor — the ripple effect of HotSpot and
 *    Squeeze — is taken and its leaves set aside, until what is left is no stronger than noise (see
 *    CuboidEvidence and searchRootCauses). The exact cause outranks both its parent and its sub-cohorts,
 *    and a cohort that only shrank with the total moves no more than the rest and is never taken alone.
 *
 * 4. Symptoms of the same cause (payment failures per checkout for checkout conversion), when given,
 *    choose among the cohorts that are nearly the same answer: see corroborated.
 *
 * Ratio metrics are compared as rates: numerators against denominators × forecast rates, so a cohort that
 * lost traffic at its usual rate is not a cause.
 *
 * Throws LeafTableError on a malformed table and RangeError on bad options.
 */
export function localize(table: LeafTable, options: LocalizeOptions = {}): LocalizationResult {
  return localizeLeaves(encodeLeaves(table), options);
}

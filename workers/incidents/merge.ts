import type { Incident, Severity } from '../../shared/incidents';
import { isSessionDimension } from '../explore/cohort-filter';
import { comparable, intersects } from './group';

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Groups localised to the same cohort, metric and start are one incident (the same id): the larger is kept
 * (relative size), known when the first of them was. A later wave of the same failure, grouped apart because
 * it began hours into it, must not make the incident look found late.
 */
export function onePerId(list: { incident: Incident; size: number }[]): {
  incidents: Incident[];
  sizes: Record<string, number>;
} {
  const firstKnown = new Map<string, string>();
  for (const { incident } of list) {
    const known = firstKnown.get(incident.id);
    if (known === undefined || incident.detectedAt < known) firstKnown.set(incident.id, incident.detectedAt);
  }
  const sizes: Record<string, number> = {};
  const incidents: Incident[] = [];
  for (const { incident, size } of [...list].sort((a, b) => b.size - a.size)) {
    if (incident.id in sizes) continue;
    sizes[incident.id] = size;
    incidents.push({ ...incident, detectedAt: firstKnown.get(incident.id) as string });
  }
  return { incidents, sizes };
}

/**
 * After localisation, incidents of the same metric and direction that overlap in time and were localised to
 * nested cohorts are one incident seen twice (a bot burst reaches significance in one country after
 * another): they are merged, keeping the earliest start and detection and the larger incident's cohort.
 * Then a conversion rate's incident joins that of a funnel step that fell with it (foldConversionIntoSteps).
 *
 * A localisation that found a cause beats one that found nothing, whatever their sizes: an empty attribution
 * only says that the window it looked at (often the tail of the incident, after the cause had stopped) held
 * nothing that stands out from the noise, while the other one names the cohort that moved. Without that rule,
 * a larger but empty part would wipe out the attribution of the part that was localised. Likewise a product
 * cohort (a category) beats all traffic: localisation runs over visit cohorts and cannot name a category, so
 * its "all traffic" says that no visit cohort explains the fall, which the category's incident does.
 */
export function mergeLocalised(
  incidents: Incident[],
  sizes: Record<string, number>,
): { incidents: Incident[]; sizes: Record<string, number> } {
  const sorted = [...incidents].sort((a, b) => a.start.localeCompare(b.start));
  const kept: Incident[] = [];
  const keptSizes: Record<string, number> = {};
  for (const incident of sorted) {
    const into = kept.find(
      (k) =>
        k.metric === incident.metric &&
        k.direction === incident.direction &&
        incident.start <= k.end &&
        comparable(k.cohort, incident.cohort),
    );
    const size = sizes[incident.id] ?? 0;
    if (!into) {
      kept.push({ ...incident });
      keptSizes[incident.id] = size;
      continue;
    }
    const localised = incident.attribution.length > 0;
    const keptLocalised = into.attribution.length > 0;
    const product = isProductCohort(incident.cohort) && isAllTraffic(into.cohort);
    const keptProduct = isProductCohort(into.cohort) && isAllTraffic(incident.cohort);
    const takeIt =
      product || keptProduct
        ? product
        : localised !== keptLocalised
          ? localised
          : size > (keptSizes[into.id] ?? 0);
    if (takeIt) {
      into.cohort = incident.cohort;
      into.attribution = incident.attribution;
      keptSizes[into.id] = size;
    }
    absorb(into, incident);
  }
  return foldConversionIntoSteps(kept, keptSizes);
}

const isAllTraffic = (cohort: Record<string, string>) => Object.keys(cohort).length === 0;
const isProductCohort = (cohort: Record<string, string>) =>
  Object.keys(cohort).some((d) => !isSessionDimension(d));

/** The part of a merge that does not depend on which incident names the cohort. */
function absorb(into: Incident, incident: Incident): void {
  if (incident.start < into.start) into.start = incident.start;
  into.end = incident.end > into.end ? incident.end : into.end;
  if (incident.detectedAt < into.detectedAt) into.detectedAt = incident.detectedAt;
  if (SEVERITY_RANK[incident.severity] > SEVERITY_RANK[into.severity]) into.severity = incident.severity;
  into.score = Math.max(into.score, incident.score);
  into.expected = into.expected && incident.expected;
  into.impact = {
    lostConversions: Math.max(into.impact.lostConversions, incident.impact.lostConversions),
    revenueAtRisk: Math.max(into.impact.revenueAtRisk, incident.impact.revenueAtRisk),
  };
}

/**
 * A brand's incident during an incident of the category that holds the brand (same metric and direction,
 * overlapping in time) is the category's seen within one of its brands (sold-out shoes of every brand): it
 * joins the category's, which keeps its cohort and takes the earlier start and detection. A brand that fell
 * alone, or in a category that held, keeps its incident. `categoryOf` names the category that holds a brand
 * (undefined when none does).
 */
export function foldBrandsIntoCategories(
  merged: { incidents: Incident[]; sizes: Record<string, number> },
  categoryOf: (brand: string) => string | undefined,
): { incidents: Incident[]; sizes: Record<string, number> } {
  const only = (i: Incident, dim: string) =>
    Object.keys(i.cohort).length === 1 && i.cohort[dim] !== undefined;
  const categories = merged.incidents.filter((i) => only(i, 'category'));
  const incidents = merged.incidents.filter((brand) => {
    if (!only(brand, 'brand')) return true;
    const into = categories.find(
      (c) =>
        c.metric === brand.metric &&
        c.direction === brand.direction &&
        brand.start <= c.end &&
        c.start <= brand.end &&
        categoryOf(brand.cohort.brand as string) === c.cohort.category,
    );
    if (!into) return true;
    absorb(into, brand);
    return false;
  });
  return { incidents, sizes: Object.fromEntries(incidents.map((i) => [i.id, merged.sizes[i.id] ?? 0])) };
}

/** Two cohorts that name the same value of some dimension and no different value of any. */
function sharesAValue(a: Record<string, string>, b: Record<string, string>): boolean {
  return intersects(a, b) && Object.entries(a).some(([d, v]) => b[d] === v);
}

/** The funnel steps whose product is the conversion rate. */
const FUNNEL_STEPS = new Set(['add_to_cart_rate', 'begin_checkout_rate', 'checkout_conversion']);

/**
 * The conversion rate is the product of the funnel's steps: when it falls in a cohort while one of its
 * steps falls there (a cohort holding or inside the step's, or one naming the same value of a dimension
 * without contradicting it: iOS & mobile beside iOS & Safari; overlapping in time), it is that step's
 * incident seen again, later or sooner (the Android cart regression shows in add-to-cart within minutes and
 * in conversion hours later; the iOS Safari payment failure in checkout conversion, then in the conversion of
 * iOS phones). It joins the step's incident, which keeps its metric and takes the earlier start and detection,
 * and the cohort and attribution of the surer localisation of the two (the higher score of its first cause).
 * Cohorts that only could share visitors (US, Android) stay apart: two causes are as likely.
 */
function foldConversionIntoSteps(
  incidents: Incident[],
  sizes: Record<string, number>,
): { incidents: Incident[]; sizes: Record<string, number> } {
  const steps = incidents.filter((i) => FUNNEL_STEPS.has(i.metric));
  const kept = incidents.filter((incident) => {
    if (incident.metric !== 'conversion_rate') return true;
    const step = steps.find(
      (s) =>
        s.direction === incident.direction &&
        incident.start <= s.end &&
        s.start <= incident.end &&
        (comparable(s.cohort, incident.cohort) || sharesAValue(s.cohort, incident.cohort)),
    );
    if (!step) return true;
    // Of the two localisations, the surer names the cohort: the conversion rate's may have had the symptoms
    // (payment failures, latency) to tell iOS Safari from iOS phones where the step's had its checkouts only.
    if ((incident.attribution[0]?.score ?? 0) > (step.attribution[0]?.score ?? 0)) {
      step.cohort = incident.cohort;
      step.attribution = incident.attribution;
    }
    absorb(step, incident);
    return false;
  });
  const keptSizes = Object.fromEntries(kept.map((i) => [i.id, sizes[i.id] ?? 0]));
  return { incidents: kept, sizes: keptSizes };
}

import type { Incident, Severity } from '../../shared/incidents';
import { comparable } from './group';

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * After localisation, incidents of the same metric and direction that overlap in time and were localised to
 * nested cohorts are one incident seen twice (a bot burst reaches significance in one country after
 * another): they are merged, keeping the earliest start and detection and the larger incident's cohort.
 *
 * A localisation that found a cause beats one that found nothing, whatever their sizes: an empty attribution
 * only says that the window it looked at (often the tail of the incident, after the cause had stopped) held
 * nothing that stands out from the noise, while the other one names the cohort that moved. Without that rule,
 * a larger but empty part would wipe out the attribution of the part that was localised.
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
    into.end = incident.end > into.end ? incident.end : into.end;
    const localised = incident.attribution.length > 0;
    const keptLocalised = into.attribution.length > 0;
    if (localised !== keptLocalised ? localised : size > (keptSizes[into.id] ?? 0)) {
      into.cohort = incident.cohort;
      into.attribution = incident.attribution;
      keptSizes[into.id] = size;
    }
    if (SEVERITY_RANK[incident.severity] > SEVERITY_RANK[into.severity]) into.severity = incident.severity;
    into.score = Math.max(into.score, incident.score);
    into.expected = into.expected && incident.expected;
    into.impact = {
      lostConversions: Math.max(into.impact.lostConversions, incident.impact.lostConversions),
      revenueAtRisk: Math.max(into.impact.revenueAtRisk, incident.impact.revenueAtRisk),
    };
  }
  return { incidents: kept, sizes: keptSizes };
}

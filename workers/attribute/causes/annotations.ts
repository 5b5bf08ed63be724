import type { AnnotationEvidence, CohortRelation, EvidenceLine } from '../../../shared/attribution';
import { cohortText, formatClock, formatMinutes } from './words';

export interface AnnotationInput {
  start: number;
  kind: string;
  label: string;
  /** 'dim=value&dim=value'; '' for all traffic. */
  cohort: string;
}

/** Annotations this long before the onset are still looked at (scored low), and this long after. */
export const LOOK_BACK_MS = 6 * 3_600_000;
export const LOOK_AFTER_MS = 15 * 60_000;
/** Closeness halves roughly every half hour of lag beyond the slack. */
const DECAY_MINUTES = 45;

export function parseCohort(text: string): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(
    text.split('&').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)] as [string, string];
    }),
  );
}

/**
 * How close in time an annotation is to the onset, in 0..1. The onset is estimated to a bucket at best and
 * may still trail the real break by a few buckets, so the first `slack` minutes before it (a bucket, at
 * least 30 minutes) count as "right before"; beyond that the closeness decays exponentially, which leaves a
 * deploy three hours earlier with about 2 % of a deploy minutes before. An annotation after the onset can
 * only be the cause if it falls within the onset's uncertainty (a bucket, at least 15 minutes); later it
 * fades within minutes.
 */
export function timeCloseness(minutesBeforeOnset: number, bucketMinutes: number): number {
  const slack = Math.max(bucketMinutes, 30);
  if (minutesBeforeOnset >= 0) return Math.exp(-Math.max(0, minutesBeforeOnset - slack) / DECAY_MINUTES);
  // The estimated onset may lead the real one by a bucket or two.
  const after = -minutesBeforeOnset;
  const tolerance = Math.max(bucketMinutes, 15);
  if (after < tolerance) return 1;
  return Math.exp(-(after - tolerance) / 10);
}

export function cohortRelation(
  annotation: Record<string, string>,
  incident: Record<string, string>,
): CohortRelation {
  const a = Object.entries(annotation);
  const i = Object.entries(incident);
  if (a.some(([d, v]) => incident[d] !== undefined && incident[d] !== v)) return 'disjoint';
  const aInI = a.every(([d, v]) => incident[d] === v);
  const iInA = i.every(([d, v]) => annotation[d] === v);
  if (aInI && iInA) return 'same';
  if (a.length === 0) return 'all traffic';
  if (aInI) return 'broader';
  if (iInA) return 'narrower';
  return 'overlapping';
}

/**
 * Weight of the cohort relation: an annotation of exactly the incident's cohort is the strongest lead; a
 * release to all traffic often breaks only one cohort (one browser's payment sheet), so it stays a strong
 * lead; one aimed at a different value of the same dimension is hardly one.
 */
export const RELATION_WEIGHT: Record<CohortRelation, number> = {
  same: 1,
  broader: 0.9,
  'all traffic': 0.85,
  narrower: 0.7,
  overlapping: 0.5,
  disjoint: 0.1,
};

/**
 * Annotations around the onset, scored by closeness × cohort match, best first. With `detected` (the
 * incident's start, when the estimated onset is earlier) an annotation is measured against whichever of
 * the two it is closer to: the estimate can be off, and the detector saw the change at its start.
 */
export function rankAnnotations(
  annotations: readonly AnnotationInput[],
  incident: { cohort: Record<string, string> },
  estimatedOnset: number,
  bucketMs: number,
  detected = estimatedOnset,
): Extract<EvidenceLine, { kind: 'annotation' }>[] {
  const bucketMinutes = bucketMs / 60_000;
  const anchors = detected === estimatedOnset ? [estimatedOnset] : [estimatedOnset, detected];
  const inWindow = (t: number) =>
    anchors.some((o) => t >= o - LOOK_BACK_MS && t <= o + bucketMs + LOOK_AFTER_MS);
  return (
    annotations
      .filter((a) => inWindow(a.start))
      .map((a) => {
        const cohort = parseCohort(a.cohort);
        const closenessTo = (o: number) => timeCloseness(Math.round((o - a.start) / 60_000), bucketMinutes);
        const onset = anchors.reduce((best, o) => (closenessTo(o) > closenessTo(best) ? o : best));
        const minutesBeforeOnset = Math.round((onset - a.start) / 60_000);
        const relation = cohortRelation(cohort, incident.cohort);
        const closeness = closenessTo(onset);
        const cohortMatch = RELATION_WEIGHT[relation];
        const details: AnnotationEvidence = {
          label: a.label,
          annotationKind: a.kind,
          at: new Date(a.start).toISOString(),
          cohort,
          minutesBeforeOnset,
          relation,
          closeness,
          cohortMatch,
        };
        return {
          kind: 'annotation' as const,
          score: closeness * cohortMatch,
          summary: annotationSummary(
            details,
            onset,
            anchors.length === 1
              ? 'the onset'
              : onset === detected
                ? 'the detected start'
                : 'the estimated onset',
          ),
          details,
        };
      })
      // Hours away, or aimed at other visitors: not a lead, and it must not head an otherwise empty list.
      .filter((line) => line.score >= MIN_ANNOTATION_SCORE)
      .sort((x, y) => y.score - x.score)
  );
}

/** Closeness × cohort match below which an annotation is not shown as evidence. */
const MIN_ANNOTATION_SCORE = 0.05;

const RELATION_WORDS: Record<CohortRelation, string> = {
  same: 'the same cohort',
  'all traffic': 'all traffic, which includes the cohort',
  broader: 'a broader cohort that includes it',
  narrower: 'part of the cohort',
  overlapping: 'a cohort that overlaps it',
  disjoint: 'a different cohort',
};

function annotationSummary(a: AnnotationEvidence, onset: number, anchor: string): string {
  const when =
    a.minutesBeforeOnset >= 0
      ? `${formatMinutes(a.minutesBeforeOnset)} before ${anchor} (${formatClock(onset)})`
      : `${formatMinutes(-a.minutesBeforeOnset)} after ${anchor} (${formatClock(onset)})`;
  const scope = Object.keys(a.cohort).length === 0 ? 'all traffic' : cohortText(a.cohort);
  return (
    `${a.annotationKind} "${a.label}" (${scope}) at ${formatClock(Date.parse(a.at))}, ${when}; ` +
    `aimed at ${RELATION_WORDS[a.relation]}`
  );
}

import type { EvidenceLine, IncidentExplanation } from '../../shared/attribution';
import type { Incident } from '../../shared/incidents';
import { getIncident } from '../incidents/store';
import { dimensionNames, loadCube, type CubeTable } from '../metrics/rollup';
import type { Db } from '../store/workspace';
import { rankAnnotations, type AnnotationInput } from './causes/annotations';
import { confinementEvidence, EVIDENCE_MEASURES, metricEvidence } from './causes/metrics';
import { cohortWindows } from './causes/windows';

/**
 * Candidate causes of an incident around its onset, best first: annotations just before it, the cohort's
 * other metrics that moved with it, and whether the change stayed inside the cohort. Each line carries a
 * score in 0..1 and a sentence with the numbers, so the analyst can check the reasoning.
 */

/** The window after the onset that is compared: the incident's length, within these bounds. */
const MIN_WINDOW_MS = 30 * 60_000;
const MAX_WINDOW_MS = 6 * 3_600_000;
/** Enough cube for the window and the seven earlier days it is compared with. */
const CUBE_BEFORE_MS = 8 * 86_400_000;
/** Confinement of the strongest co-moving metric is worth a line when that move is at least this clear. */
const SECOND_CONFINEMENT_SCORE = 0.3;

export function explainIncident(db: Db, incident: Incident, cube?: CubeTable): IncidentExplanation {
  const onset = Date.parse(incident.start);
  const length = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, Date.parse(incident.end) - onset));
  const table = cube ?? loadCube(db, { from: onset - CUBE_BEFORE_MS, to: onset + MAX_WINDOW_MS });
  const bucketMs = table.bucketMs;
  const annotations = db
    .prepare('SELECT start_ts AS start, kind, label, cohort FROM annotations')
    .all() as AnnotationInput[];
  const evidence: EvidenceLine[] = rankAnnotations(annotations, incident, onset, bucketMs);
  const first = Math.floor((onset - table.start) / bucketMs);
  const buckets = Math.max(1, Math.round(length / bucketMs));
  const windows = cohortWindows(
    table,
    dimensionNames(db),
    incident.cohort,
    first,
    buckets,
    EVIDENCE_MEASURES,
  );
  let to = onset + length;
  if (windows) {
    to = table.start + (first + windows.buckets) * bucketMs;
    const metrics = metricEvidence(windows, incident.cohort, incident.metric, onset);
    evidence.push(...metrics);
    const own = confinementEvidence(windows, incident.cohort, incident.metric);
    if (own) evidence.push(own);
    const strongest = metrics[0];
    if (strongest && strongest.score >= SECOND_CONFINEMENT_SCORE) {
      const other = confinementEvidence(windows, incident.cohort, strongest.details.metric);
      if (other) evidence.push(other);
    }
  }
  evidence.sort((a, b) => b.score - a.score);
  for (const line of evidence) line.score = Math.round(line.score * 1000) / 1000;
  return {
    incident,
    localization: incident.attribution,
    window: { onset: new Date(onset).toISOString(), to: new Date(to).toISOString() },
    evidence,
  };
}

/** The explanation of a stored incident (BAD_ARGUMENT when the id is unknown). */
export function explainStoredIncident(db: Db, id: string): IncidentExplanation {
  return explainIncident(db, getIncident(db, id));
}

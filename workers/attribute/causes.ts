import type { EvidenceLine, IncidentExplanation } from '../../shared/attribution';
import type { Incident } from '../../shared/incidents';
import { getIncident } from '../incidents/store';
import { dimensionNames, loadCube, type CubeTable } from '../metrics/rollup';
import type { Db } from '../store/workspace';
import { rankAnnotations, type AnnotationInput } from './causes/annotations';
import { confinementEvidence, EVIDENCE_MEASURES, EVIDENCE_METRICS, metricEvidence } from './causes/metrics';
import { bucketScores, estimateOnset, ONSET_LOOK_BACK_MS } from './causes/onset';
import { addCustomEvents } from './causes/custom-events';
import { cohortWindows, productSplit, sessionSplit, type SplitSeries } from './causes/windows';
import { productCohorts } from '../metrics/product-cohorts';
import { isSessionDimension } from '../explore/cohort-filter';

/**
 * Candidate causes of an incident around its onset, best first: annotations just before it, the cohort's
 * other metrics that moved with it, and whether the change stayed inside the cohort. Each line carries a
 * score in 0..1 and a sentence with the numbers, so the analyst can check the reasoning.
 */

/** The window after the onset that is compared: the incident's length, within these bounds. */
const MIN_WINDOW_MS = 30 * 60_000;
const MAX_WINDOW_MS = 6 * 3_600_000;
/** Enough cube for the window and the seven earlier days it is compared with. */
const CUBE_BEFORE_MS = 8 * 86_400_000 + ONSET_LOOK_BACK_MS;
/** Confinement of the strongest co-moving metric is worth a line when that move is at least this clear. */
const SECOND_CONFINEMENT_SCORE = 0.3;

export function explainIncident(db: Db, incident: Incident, cube?: CubeTable): IncidentExplanation {
  const detected = Date.parse(incident.start);
  const end = Date.parse(incident.end);
  const table = cube ?? loadCube(db, { from: detected - CUBE_BEFORE_MS, to: detected + MAX_WINDOW_MS });
  const bucketMs = table.bucketMs;
  const names = dimensionNames(db);
  const split = splitOf(db, table, names, incident.cohort);
  const onset = split ? onsetOf(table, split, incident) : detected;
  const length = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, end - onset));
  const annotations = db
    .prepare('SELECT start_ts AS start, kind, label, cohort FROM annotations')
    .all() as AnnotationInput[];
  const evidence: EvidenceLine[] = rankAnnotations(annotations, incident, onset, bucketMs, detected);
  const first = Math.floor((onset - table.start) / bucketMs);
  const buckets = Math.max(1, Math.round(length / bucketMs));
  const windows = split ? cohortWindows(table, split, first, buckets, EVIDENCE_MEASURES) : null;
  let to = onset + length;
  if (windows) {
    to = table.start + (first + windows.buckets) * bucketMs;
    const watched = [
      ...EVIDENCE_METRICS,
      ...addCustomEvents(db, windows, incident.cohort, { start: table.start, bucketMs }),
    ];
    const metrics = metricEvidence(windows, incident.cohort, incident.metric, onset, watched);
    evidence.push(...metrics);
    const own = confinementEvidence(windows, incident.cohort, incident.metric);
    if (own) evidence.push(own);
    const strongest = metrics[0];
    if (strongest && strongest.score >= SECOND_CONFINEMENT_SCORE) {
      const other = confinementEvidence(windows, incident.cohort, strongest.details.metric, watched);
      if (other) evidence.push(other);
    }
  }
  evidence.sort((a, b) => b.score - a.score);
  for (const line of evidence) line.score = Math.round(line.score * 1000) / 1000;
  return {
    incident,
    localization: incident.attribution,
    window: {
      onset: new Date(onset).toISOString(),
      detected: new Date(detected).toISOString(),
      to: new Date(to).toISOString(),
    },
    evidence,
  };
}

/**
 * The cohort's evidence measures and the rest's, per bucket: from the visit cube for a visit cohort, from
 * the product cube for a category or brand (whose out-of-stock the whole visit cannot show). Null for a
 * cohort neither cube holds (a campaign of an e-mail table, a mix of visit and product dimensions).
 */
function splitOf(
  db: Db,
  table: CubeTable,
  names: Map<number, string>,
  cohort: Record<string, string>,
): SplitSeries | null {
  const dims = Object.keys(cohort);
  if (dims.every(isSessionDimension)) return sessionSplit(table, names, cohort, EVIDENCE_MEASURES);
  const [dimension] = dims;
  if (dims.length !== 1 || (dimension !== 'category' && dimension !== 'brand')) return null;
  const products = productCohorts(db, table, names, dimension);
  return productSplit(products, cohort, EVIDENCE_MEASURES, table.length);
}

/**
 * When the incident's change began: the detected start, or earlier when the cohort's own metric had already
 * left its usual level (see estimateOnset). Incidents of metrics the cube does not hold keep their start.
 */
function onsetOf(table: CubeTable, split: SplitSeries, incident: Incident): number {
  const detected = Date.parse(incident.start);
  const metric = EVIDENCE_METRICS.find((m) => m.metric === incident.metric && m.kind !== 'mean');
  if (!metric) return detected;
  const series = split.inside;
  const at = Math.floor((detected - table.start) / table.bucketMs);
  if (at < 0 || at >= table.length) return detected;
  const from = Math.max(0, at - Math.round(ONSET_LOOK_BACK_MS / table.bucketMs));
  const end = Math.min(
    table.length,
    Math.max(at + 1, Math.ceil((Date.parse(incident.end) - table.start) / table.bucketMs)),
  );
  const perDay = Math.round(86_400_000 / table.bucketMs);
  const scores = bucketScores(series, metric, perDay, from, end, incident.direction === 'up' ? 1 : -1);
  return table.start + (from + estimateOnset(scores, at - from)) * table.bucketMs;
}

/** The explanation of a stored incident (BAD_ARGUMENT when the id is unknown). */
export function explainStoredIncident(db: Db, id: string): IncidentExplanation {
  return explainIncident(db, getIncident(db, id));
}

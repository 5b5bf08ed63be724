import type { AnnotationRecord, IncidentRecord, TimeWindow } from '../../shared/explore';
import type { PlaybookKind } from '../../shared/alerts';
import { listAnnotations } from '../explore/annotations';
import type { Db } from '../store/workspace';
import { incidentWindow } from './evidence';
import { incidentKind } from './playbooks';

const HOUR = 3_600_000;

/** A deploy in the six hours up to the onset: the report then calls a conversion drop a checkout regression. */
export function deployBefore(annotations: readonly AnnotationRecord[], window: TimeWindow): boolean {
  return annotations.some(
    (a) => a.kind === 'deploy' && a.start <= window.from && a.start >= window.from - 6 * HOUR,
  );
}

/** The kind of a stored incident, decided as the report decides it (its metric, direction, a deploy before it). */
export function storedIncidentKind(db: Db, record: IncidentRecord): PlaybookKind {
  const window = incidentWindow(record);
  const annotations = listAnnotations(db, { from: window.from - 6 * HOUR, to: window.from + 1 });
  return incidentKind(record, deployBefore(annotations, window));
}

import type { AnnotationRecord, Cohort, IncidentRecord } from '../../../../shared/explore';
import { api } from '../../api';
import { DateTime } from '../../components/DateTime';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { cohortLabel } from '../../format/cohort';
import { DAY_MS, formatDurationMs } from '../../format/dates';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';

/** An annotation made for all traffic, or for a cohort that shares a dimension value with the incident's. */
function touches(annotation: Cohort, incident: Cohort): boolean {
  const entries = Object.entries(annotation);
  return entries.length === 0 || entries.some(([d, v]) => incident[d] === v);
}

function when(annotation: AnnotationRecord, onset: number): string {
  const gap = annotation.start - onset;
  if (Math.abs(gap) < 60_000) return 'at the onset';
  return `${formatDurationMs(Math.abs(gap))} ${gap < 0 ? 'before' : 'after'} the onset`;
}

/**
 * Deploys, promos and campaigns recorded in the day before the incident began (and during it), nearest to the
 * onset first, with whether they concern the incident's cohort.
 */
export function EvidenceList({ incident }: { incident: IncidentRecord }) {
  const { info } = useWorkspace();
  const onset = Date.parse(incident.start);
  const { state, reload } = useAsync(
    () => api().annotations.list(info.path, { from: onset - DAY_MS, to: Date.parse(incident.end) }),
    [info.path, incident.id],
  );
  if (state.status === 'error')
    return <ErrorMessage title="Annotations are unavailable" error={state.error} onRetry={reload} />;
  if (state.status !== 'ok') return <Loading label="Looking for deploys and promos around the onset…" />;
  const near = [...state.data].sort((a, b) => Math.abs(a.start - onset) - Math.abs(b.start - onset));
  if (near.length === 0)
    return <p className="muted">No deploy, promo or campaign was recorded in the day before the onset.</p>;
  return (
    <ul className="evidence">
      {near.map((a) => (
        <li key={a.id}>
          <span className="badge">{a.kind}</span> <strong>{a.label}</strong> — <DateTime ms={a.start} />,{' '}
          {when(a, onset)}
          {touches(a.cohort, incident.cohort) ? (
            <span className="muted small">
              {' '}
              · {Object.keys(a.cohort).length === 0 ? 'all traffic' : `for ${cohortLabel(a.cohort)}`}
            </span>
          ) : (
            <span className="muted small"> · another cohort ({cohortLabel(a.cohort)})</span>
          )}
        </li>
      ))}
    </ul>
  );
}

import type { IncidentRecord } from '../../../../shared/explore';
import { api } from '../../api';
import { DateTime } from '../../components/DateTime';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { formatDurationMs } from '../../format/dates';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';
import { EvidenceLineItem } from './EvidenceLineItem';

/**
 * The incident's candidate causes as the engine ranks them (attribution.explain): deploys and promos just
 * before the onset, metrics of the cohort that moved with it, and whether the change stayed inside the
 * cohort — each with the engine's own sentence saying why.
 */
export function EvidencePanel({ incident }: { incident: IncidentRecord }) {
  const { info } = useWorkspace();
  const { state, reload } = useAsync(
    () => api().attribution.explain(info.path, incident.id),
    [info.path, incident.id],
  );
  return (
    <section className="panel" aria-labelledby="evidence-title">
      <h3 id="evidence-title">Why: evidence, best first</h3>
      {state.status === 'error' && (
        <ErrorMessage title="The evidence could not be computed" error={state.error} onRetry={reload} />
      )}
      {(state.status === 'loading' || state.status === 'idle') && (
        <Loading label="Comparing the cohort's metrics and looking for deploys and promos around the onset…" />
      )}
      {state.status === 'ok' && (
        <>
          <OnsetNote
            onset={Date.parse(state.data.window.onset)}
            detected={Date.parse(state.data.window.detected)}
          />
          {state.data.evidence.length === 0 ? (
            <EmptyState title="No evidence found">
              <p>No deploy or promo near the onset, and no other metric of the cohort moved with it.</p>
            </EmptyState>
          ) : (
            <ol className="evidence">
              {state.data.evidence.map((line, i) => (
                <EvidenceLineItem key={i} line={line} />
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function OnsetNote({ onset, detected }: { onset: number; detected: number }) {
  if (!(detected - onset > 60_000))
    return (
      <p className="muted">
        Compared from the detected start, <DateTime ms={detected} />.
      </p>
    );
  return (
    <p className="muted">
      The change began about <DateTime ms={onset} />, {formatDurationMs(detected - onset)} before detection
      could see it; the evidence compares from there.
    </p>
  );
}

import { useState } from 'react';
import type { Cohort, IncidentRecord } from '../../../shared/explore';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { wholePeriod } from '../components/PeriodPicker';
import { cohortPhrase } from '../format/cohort';
import { DAY_MS, HOUR_MS } from '../format/dates';
import { metricLabel } from '../format/metric';
import { useAsync } from '../state/useAsync';
import { useCatalog } from '../state/useCatalog';
import { useWorkspace } from '../state/workspace';
import { incidentWindow } from './incidents/incidentWindow';
import { rankIncidents } from './overview/TopIncidents';
import { ReplayPlayer } from './replay/ReplayPlayer';
import { ReplayWindowForm, type ReplayWindow } from './replay/ReplayWindowForm';

/** An incident (optionally watched through a wider cohort than its own), or any window. */
type Subject =
  { kind: 'incident'; incident: IncidentRecord; cohort?: Cohort } | { kind: 'window'; window: ReplayWindow };

/** History shown before the replay starts moving, so the viewer sees what "normal" looked like. */
const LEAD_IN_MS = 6 * HOUR_MS;

/** Choose an incident (or any window) and play it bucket by bucket. */
export function ReplayView({ incidentId }: { incidentId?: string }) {
  const { info } = useWorkspace();
  const incidents = useAsync(() => api().incidents.list(info.path), [info.path]);
  const catalog = useCatalog();
  const dimensions = useAsync(() => api().cohorts.dimensions(info.path), [info.path]);
  const [chosen, setChosen] = useState<Subject | null>(null);
  const list = incidents.state.status === 'ok' ? rankIncidents(incidents.state.data) : [];
  const subject: Subject | null =
    chosen ??
    (() => {
      const preset = list.find((i) => i.id === incidentId);
      return preset ? { kind: 'incident', incident: preset } : null;
    })();
  const period = wholePeriod(info.timeSpan);

  return (
    <div className="view">
      <header className="view-header">
        <h1>Replay</h1>
        <p className="muted">
          Watch a stretch of time as it happened: the chart grows bucket by bucket, the expected band follows,
          and each detector's alarm appears when it would have fired.
        </p>
      </header>
      {incidents.state.status === 'error' && (
        <ErrorMessage
          title="Incidents are unavailable"
          error={incidents.state.error}
          onRetry={incidents.reload}
        />
      )}
      <div className="toolbar">
        <label className="field">
          <span className="label">Incident</span>
          <select
            aria-label="Incident to replay"
            value={subject?.kind === 'incident' ? subject.incident.id : ''}
            onChange={(e) => {
              const incident = list.find((i) => i.id === e.target.value);
              setChosen(incident ? { kind: 'incident', incident } : null);
            }}
          >
            <option value="">
              {incidents.state.status === 'error'
                ? '(incidents unavailable)'
                : list.length
                  ? '(choose an incident)'
                  : '(no incidents)'}
            </option>
            {list.map((i) => (
              <option key={i.id} value={i.id}>
                {i.severity} · {metricLabel(i.metric)} {i.direction} in {cohortPhrase(i.cohort)} ·{' '}
                {i.start.slice(0, 16).replace('T', ' ')} UTC
              </option>
            ))}
          </select>
        </label>
      </div>
      {catalog.state.status === 'error' && (
        <ErrorMessage
          title="The metric catalog is unavailable"
          error={catalog.state.error}
          onRetry={catalog.reload}
        />
      )}
      {dimensions.state.status === 'error' && (
        <ErrorMessage
          title="The cohort dimensions are unavailable"
          error={dimensions.state.error}
          onRetry={dimensions.reload}
        />
      )}
      {period && catalog.state.status === 'ok' && dimensions.state.status === 'ok' && (
        <details>
          <summary>…or replay any window</summary>
          <ReplayWindowForm
            catalog={catalog.state.data}
            dimensions={dimensions.state.data}
            initial={{ from: Math.max(period.from, period.to - 2 * DAY_MS), to: period.to }}
            onReplay={(window) => setChosen({ kind: 'window', window })}
          />
        </details>
      )}
      {subject ? (
        <ReplaySubject subject={subject} onChoose={setChosen} />
      ) : (
        <EmptyState title="Choose what to replay">
          <p>
            Pick an incident above — the most severe are first — or open an incident and press “Replay as it
            happened”.
          </p>
        </EmptyState>
      )}
    </div>
  );
}

function ReplaySubject({ subject, onChoose }: { subject: Subject; onChoose(subject: Subject): void }) {
  const { info } = useWorkspace();
  const query =
    subject.kind === 'incident'
      ? {
          metric: subject.incident.metric,
          cohort: subject.cohort ?? subject.incident.cohort,
          ...incidentWindow(subject.incident, info.timeSpan, 2 * DAY_MS, 6 * HOUR_MS),
        }
      : { metric: subject.window.metric, cohort: subject.window.cohort, ...subject.window.window };
  const key =
    subject.kind === 'incident'
      ? `${subject.incident.id}|${JSON.stringify(subject.cohort ?? null)}`
      : JSON.stringify(subject.window);
  const { state, reload } = useAsync(async () => {
    const [series, annotations] = await Promise.all([
      api().metrics.series(info.path, { ...query, baseline: true }),
      api().annotations.list(info.path, { from: query.from, to: query.to }),
    ]);
    return { series, annotations };
  }, [info.path, key]);

  if (state.status === 'error')
    return <ErrorMessage title="The replay could not be loaded" error={state.error} onRetry={reload} />;
  if (state.status !== 'ok') return <Loading label="Loading the series with its online baseline…" />;
  const { series, annotations } = state.data;
  if (series.times.length === 0)
    return <EmptyState title="No data in this window">Choose a wider window.</EmptyState>;
  const incident =
    subject.kind === 'incident'
      ? {
          start: Date.parse(subject.incident.start),
          end: Date.parse(subject.incident.end),
          detectedAt: Date.parse(subject.incident.detectedAt),
        }
      : null;
  const leadIn = incident ? series.times.findIndex((t) => t >= incident.start - LEAD_IN_MS) : 1;
  return (
    <ReplayPlayer
      key={key}
      series={series}
      annotations={annotations}
      incident={incident}
      startIndex={Math.max(1, leadIn)}
      onReplayCohort={subject.kind === 'incident' ? (cohort) => onChoose({ ...subject, cohort }) : undefined}
    />
  );
}

import { useState } from 'react';
import type { IncidentRecord } from '../../../shared/explore';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { RunDetectionButton } from '../components/RunDetectionButton';
import { useNavigate } from '../state/route';
import { useAsync } from '../state/useAsync';
import { useWorkspace } from '../state/workspace';
import { IncidentDetail } from './incidents/IncidentDetail';
import { IncidentList } from './incidents/IncidentList';

/** The incident list, or one incident's detail when the route names it. */
export function IncidentsView({ incidentId }: { incidentId?: string }) {
  const { info } = useWorkspace();
  const navigate = useNavigate();
  const [version, setVersion] = useState(0);
  const list = useAsync(() => api().incidents.list(info.path), [info.path, version]);
  const detail = useAsync<IncidentRecord | null>(
    incidentId ? () => api().incidents.get(info.path, incidentId) : () => Promise.resolve(null),
    [info.path, incidentId],
  );

  if (incidentId) {
    if (detail.state.status === 'error')
      return (
        <div className="view">
          <button type="button" className="link" onClick={() => navigate({ view: 'incidents' })}>
            ← All incidents
          </button>
          <ErrorMessage
            title="The incident could not be loaded"
            error={detail.state.error}
            onRetry={detail.reload}
          />
        </div>
      );
    if (detail.state.status !== 'ok' || !detail.state.data) return <Loading label="Loading the incident…" />;
    return (
      <IncidentDetail
        incident={detail.state.data}
        onBack={() => navigate({ view: 'incidents' })}
        onLabelled={(next) => {
          detail.setState({ status: 'ok', data: next });
          setVersion((v) => v + 1);
        }}
      />
    );
  }

  return (
    <div className="view">
      <header className="view-header">
        <h1>Incidents</h1>
      </header>
      <div className="toolbar">
        <RunDetectionButton onDone={() => setVersion((v) => v + 1)} />
      </div>
      {list.state.status === 'error' && (
        <ErrorMessage title="Incidents are unavailable" error={list.state.error} onRetry={list.reload} />
      )}
      {list.state.status === 'loading' && !list.state.data && <Loading label="Loading incidents…" />}
      {list.state.status === 'ok' && list.state.data.length === 0 && (
        <EmptyState title="No incidents stored yet">
          <p>Run detection after importing data; incidents it finds are listed here.</p>
          <RunDetectionButton primary onDone={() => setVersion((v) => v + 1)} />
        </EmptyState>
      )}
      {list.state.status === 'ok' && list.state.data.length > 0 && (
        <IncidentList
          incidents={list.state.data}
          onOpen={(i) => navigate({ view: 'incidents', incidentId: i.id })}
        />
      )}
    </div>
  );
}

import { useMemo, useState } from 'react';
import type { TimeWindow } from '../../../shared/explore';
import { api } from '../api';
import { EChart } from '../charts/EChart';
import { incidentTimelineOption } from '../charts/incidentTimelineOption';
import { palette } from '../charts/palette';
import { DateTime } from '../components/DateTime';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { KpiTile } from '../components/KpiTile';
import { Loading } from '../components/Loading';
import { PeriodPicker, wholePeriod } from '../components/PeriodPicker';
import { RunDetectionButton } from '../components/RunDetectionButton';
import { formatInteger, formatMoney } from '../format/numbers';
import { useNavigate } from '../state/route';
import { useAsync } from '../state/useAsync';
import { useWorkspace } from '../state/workspace';
import { DetectionKpiTiles } from './overview/DetectionKpiTiles';
import { TopIncidents } from './overview/TopIncidents';
import { TrafficKpis } from './overview/TrafficKpis';

/** KPI tiles for the period and the incident timeline with annotations. */
export function OverviewView() {
  const { info, dates, theme } = useWorkspace();
  const navigate = useNavigate();
  const [period, setPeriod] = useState<TimeWindow | null>(() => wholePeriod(info.timeSpan));
  const [version, setVersion] = useState(0);

  const incidents = useAsync(
    period ? () => api().incidents.list(info.path, { from: period.from, to: period.to }) : null,
    [info.path, period?.from, period?.to, version],
  );
  const annotations = useAsync(
    period ? () => api().annotations.list(info.path, { from: period.from, to: period.to }) : null,
    [info.path, period?.from, period?.to],
  );

  const timeline = useMemo(() => {
    if (!period || incidents.state.status !== 'ok') return null;
    const marks = annotations.state.status === 'ok' ? annotations.state.data : [];
    return incidentTimelineOption(incidents.state.data, marks, period, dates, palette(theme));
  }, [period, incidents.state, annotations.state, dates, theme]);

  const onTimelineEvents = useMemo(
    () => ({
      click: (p: { data?: { id?: string } }) =>
        p.data?.id && navigate({ view: 'incidents', incidentId: p.data.id }),
    }),
    [navigate],
  );

  if (!period)
    return (
      <div className="view">
        <h1>Overview</h1>
        <EmptyState title="This workspace has no data yet">
          <p>Import an event export, an orders file or a metric table to start.</p>
          <button type="button" className="primary" onClick={() => navigate({ view: 'import' })}>
            Import files
          </button>
        </EmptyState>
      </div>
    );

  const open =
    incidents.state.status === 'ok' ? incidents.state.data.filter((i) => i.status === 'open') : null;
  const incidentsError = incidents.state.status === 'error' ? incidents.state.error : null;
  return (
    <div className="view">
      <header className="view-header">
        <h1>Overview</h1>
        <p className="muted">
          {formatInteger(info.events)} events from {formatInteger(info.sources.length)} imported files,{' '}
          <DateTime ms={info.timeSpan?.from ?? NaN} dateOnly /> to{' '}
          <DateTime ms={info.timeSpan?.to ?? NaN} dateOnly />.
        </p>
      </header>
      <div className="toolbar">
        <PeriodPicker value={period} onChange={setPeriod} />
        <RunDetectionButton onDone={() => setVersion((v) => v + 1)} />
      </div>
      <div className="kpis">
        <TrafficKpis period={period} />
        <KpiTile label="Open incidents" value={open && formatInteger(open.length)} error={incidentsError} />
        <KpiTile
          label="Revenue at risk"
          value={open && formatMoney(open.reduce((sum, i) => sum + i.impact.revenueAtRisk, 0))}
          hint="over open incidents"
          error={incidentsError}
        />
        <DetectionKpiTiles version={version} />
      </div>
      {incidents.state.status === 'error' && (
        <ErrorMessage
          title="Incidents are unavailable"
          error={incidents.state.error}
          onRetry={incidents.reload}
        />
      )}
      {annotations.state.status === 'error' && (
        <ErrorMessage
          title="Annotations are unavailable"
          error={annotations.state.error}
          onRetry={annotations.reload}
        />
      )}
      {incidents.state.status === 'loading' && <Loading label="Loading incidents…" />}
      {incidents.state.status === 'ok' && incidents.state.data.length === 0 && (
        <EmptyState title="No incidents in this period">
          <p>Either nothing went wrong, or detection has not run since the last import. Run it to be sure.</p>
          <RunDetectionButton primary onDone={() => setVersion((v) => v + 1)} />
        </EmptyState>
      )}
      {timeline && incidents.state.status === 'ok' && incidents.state.data.length > 0 && (
        <>
          <EChart
            title="Incidents over the period"
            option={timeline}
            height={240}
            fileName="incident-timeline"
            onEvents={onTimelineEvents}
            description={`${incidents.state.data.length} incidents by severity over time, with annotations`}
          />
          <TopIncidents incidents={incidents.state.data} />
        </>
      )}
    </div>
  );
}

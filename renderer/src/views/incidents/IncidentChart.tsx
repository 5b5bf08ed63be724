import { useMemo } from 'react';
import type { IncidentRecord } from '../../../../shared/explore';
import { api } from '../../api';
import { EChart } from '../../charts/EChart';
import { metricSeriesOption } from '../../charts/metricSeriesOption';
import { palette } from '../../charts/palette';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { cohortLabel } from '../../format/cohort';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';
import { incidentWindow } from './incidentWindow';

/**
 * The metric of the incident's cohort with its online expected band and alarms, the incident shaded,
 * annotations as vertical marks, and all traffic for contrast.
 */
export function IncidentChart({ incident }: { incident: IncidentRecord }) {
  const { info, dates, theme } = useWorkspace();
  const window = incidentWindow(incident, info.timeSpan);
  const isAllTraffic = Object.keys(incident.cohort).length === 0;
  const { state, reload } = useAsync(async () => {
    const query = { metric: incident.metric, from: window.from, to: window.to };
    const [series, parent, annotations] = await Promise.all([
      api().metrics.series(info.path, { ...query, cohort: incident.cohort, baseline: true }),
      isAllTraffic ? Promise.resolve(null) : api().metrics.series(info.path, { ...query, cohort: {} }),
      api().annotations.list(info.path, window),
    ]);
    return { series, parent, annotations };
  }, [info.path, incident.id]);

  const option = useMemo(
    () =>
      state.status === 'ok'
        ? metricSeriesOption({
            ...state.data,
            window: { start: Date.parse(incident.start), end: Date.parse(incident.end) },
            dates,
            colors: palette(theme),
          })
        : null,
    [state, incident, dates, theme],
  );

  if (state.status === 'error')
    return (
      <ErrorMessage title="The incident's series could not be loaded" error={state.error} onRetry={reload} />
    );
  if (!option || state.status !== 'ok') return <Loading label="Loading the series and its expected band…" />;
  const alarms = state.data.series.baseline?.alarms.length ?? 0;
  return (
    <EChart
      title={`${state.data.series.metric.label} — ${cohortLabel(incident.cohort)}`}
      option={option}
      height={360}
      fileName={`incident-${incident.id}`}
      description={`${state.data.series.metric.label} for ${cohortLabel(incident.cohort)} with expected band; ${alarms} detector alarms; incident shaded`}
    />
  );
}

import { useMemo, useState } from 'react';
import type { AnnotationRecord, IncidentRecord, MetricSeries } from '../../../../shared/explore';
import { api } from '../../api';
import { EChart } from '../../charts/EChart';
import { metricSeriesOption } from '../../charts/metricSeriesOption';
import { palette } from '../../charts/palette';
import { defaultResolution, rollUpSeries } from '../../charts/rollupSeries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { ResolutionPicker, RollupNote } from '../../components/ResolutionPicker';
import { cohortLabel } from '../../format/cohort';
import { DAY_MS, HOUR_MS } from '../../format/dates';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';
import { incidentWindow } from './incidentWindow';

/**
 * The metric of the incident's cohort with its online expected band and alarms, the incident shaded,
 * annotations as vertical marks, and all traffic for contrast.
 */
export function IncidentChart({ incident }: { incident: IncidentRecord }) {
  const { info } = useWorkspace();
  const window = incidentWindow(incident, info.timeSpan, 2 * DAY_MS, 12 * HOUR_MS);
  const isAllTraffic = Object.keys(incident.cohort).length === 0;
  const { state, reload } = useAsync(async () => {
    const query = { metric: incident.metric, from: window.from, to: window.to };
    const [series, parent, annotations] = await Promise.all([
      api().metrics.series(info.path, { ...query, cohort: incident.cohort, baseline: true }),
      isAllTraffic ? Promise.resolve(null) : api().metrics.series(info.path, { ...query, cohort: {} }),
      api().annotations.list(info.path, window),
    ]);
    // A metric of the analyst's own carries its filter: its "all traffic" is the same series again.
    return { series, parent: series.metric.custom ? null : parent, annotations };
  }, [info.path, incident.id]);

  if (state.status === 'error')
    return (
      <ErrorMessage title="The incident's series could not be loaded" error={state.error} onRetry={reload} />
    );
  if (state.status !== 'ok') return <Loading label="Loading the series and its expected band…" />;
  return <IncidentSeriesChart incident={incident} {...state.data} />;
}

interface ChartProps {
  incident: IncidentRecord;
  series: MetricSeries;
  parent: MetricSeries | null;
  annotations: AnnotationRecord[];
}

function IncidentSeriesChart({ incident, series, parent, annotations }: ChartProps) {
  const { dates, theme } = useWorkspace();
  const [resolution, setResolution] = useState(() => defaultResolution(series));
  const option = useMemo(
    () =>
      metricSeriesOption({
        series: rollUpSeries(series, resolution),
        parent: parent && rollUpSeries(parent, resolution),
        annotations,
        window: { start: Date.parse(incident.start), end: Date.parse(incident.end) },
        dates,
        colors: palette(theme),
      }),
    [series, parent, annotations, resolution, incident, dates, theme],
  );
  const alarms = series.baseline?.alarms.length ?? 0;
  return (
    <>
      <div className="toolbar">
        <ResolutionPicker bucketMs={series.bucketMs} value={resolution} onChange={setResolution} />
      </div>
      <EChart
        title={`${series.metric.label} — ${cohortLabel(incident.cohort)}`}
        option={option}
        height={360}
        fileName={`incident-${incident.id}`}
        description={`${series.metric.label} for ${cohortLabel(incident.cohort)} with its expected value; ${alarms} detector alarms; incident shaded`}
      />
      <RollupNote bucketMs={series.bucketMs} resolutionMs={resolution} ratio={series.denominators !== null} />
    </>
  );
}

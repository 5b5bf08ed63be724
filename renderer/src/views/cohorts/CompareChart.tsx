import { useMemo, useState } from 'react';
import type { Cohort, MetricSeries, TimeWindow } from '../../../../shared/explore';
import { api } from '../../api';
import { compareOption } from '../../charts/compareOption';
import { EChart } from '../../charts/EChart';
import { palette } from '../../charts/palette';
import { defaultResolution, rollUpSeries } from '../../charts/rollupSeries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { ResolutionPicker, RollupNote } from '../../components/ResolutionPicker';
import { cohortKey, cohortLabel } from '../../format/cohort';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';

/** The chosen cohorts' series of the metric over the period, on one chart. */
export function CompareChart({
  metric,
  cohorts,
  period,
}: {
  metric: string;
  cohorts: Cohort[];
  period: TimeWindow;
}) {
  const { info } = useWorkspace();
  const { state, reload } = useAsync(
    () =>
      Promise.all(cohorts.map((cohort) => api().metrics.series(info.path, { metric, cohort, ...period }))),
    [info.path, metric, cohorts.map(cohortKey).join('|'), period.from, period.to],
  );
  if (state.status === 'error')
    return <ErrorMessage title="The comparison could not be loaded" error={state.error} onRetry={reload} />;
  if (state.status !== 'ok') return <Loading label="Loading both series…" />;
  return <CompareSeries key={cohorts.map(cohortKey).join('|')} series={state.data} cohorts={cohorts} />;
}

function CompareSeries({ series, cohorts }: { series: MetricSeries[]; cohorts: Cohort[] }) {
  const { dates, theme } = useWorkspace();
  const bucketMs = series[0]?.bucketMs ?? 60_000;
  // Both drawn at the resolution the sparser one needs to be readable.
  const [resolution, setResolution] = useState(() => Math.max(...series.map(defaultResolution)));
  const option = useMemo(
    () =>
      compareOption(
        series.map((s, i) => ({ name: cohortLabel(cohorts[i] ?? {}), series: rollUpSeries(s, resolution) })),
        dates,
        palette(theme),
      ),
    [series, cohorts, resolution, dates, theme],
  );
  return (
    <>
      <div className="toolbar">
        <ResolutionPicker bucketMs={bucketMs} value={resolution} onChange={setResolution} />
      </div>
      <EChart
        title={`${series[0]?.metric.label ?? ''}: ${cohorts.map(cohortLabel).join(' vs. ')}`}
        option={option}
        fileName="cohort-comparison"
      />
      <RollupNote
        bucketMs={bucketMs}
        resolutionMs={resolution}
        ratio={series[0]?.denominators !== null}
        band={false}
      />
    </>
  );
}

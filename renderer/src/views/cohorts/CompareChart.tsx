import { useMemo } from 'react';
import type { Cohort, TimeWindow } from '../../../../shared/explore';
import { api } from '../../api';
import { compareOption } from '../../charts/compareOption';
import { EChart } from '../../charts/EChart';
import { palette } from '../../charts/palette';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
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
  const { info, dates, theme } = useWorkspace();
  const { state, reload } = useAsync(
    () =>
      Promise.all(cohorts.map((cohort) => api().metrics.series(info.path, { metric, cohort, ...period }))),
    [info.path, metric, cohorts.map(cohortKey).join('|'), period.from, period.to],
  );
  const option = useMemo(
    () =>
      state.status === 'ok'
        ? compareOption(
            state.data.map((series, i) => ({ name: cohortLabel(cohorts[i] ?? {}), series })),
            dates,
            palette(theme),
          )
        : null,
    [state, cohorts, dates, theme],
  );
  if (state.status === 'error')
    return <ErrorMessage title="The comparison could not be loaded" error={state.error} onRetry={reload} />;
  if (!option || state.status !== 'ok') return <Loading label="Loading both series…" />;
  return (
    <EChart
      title={`${state.data[0]?.metric.label ?? metric}: ${cohorts.map(cohortLabel).join(' vs. ')}`}
      option={option}
      fileName="cohort-comparison"
    />
  );
}

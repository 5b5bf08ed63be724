import { useMemo } from 'react';
import type { Cohort, TimeWindow } from '../../../../shared/explore';
import { api } from '../../api';
import { EChart } from '../../charts/EChart';
import { funnelOption } from '../../charts/funnelOption';
import { palette } from '../../charts/palette';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { cohortKey, cohortLabel } from '../../format/cohort';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';

/** Views → cart → checkout → purchase for each cohort, as shares of its sessions. */
export function FunnelPanel({ cohorts, period }: { cohorts: Cohort[]; period: TimeWindow }) {
  const { info, theme } = useWorkspace();
  const { state, reload } = useAsync(
    () => Promise.all(cohorts.map((cohort) => api().cohorts.funnel(info.path, { cohort, ...period }))),
    [info.path, cohorts.map(cohortKey).join('|'), period.from, period.to],
  );
  const option = useMemo(
    () =>
      state.status === 'ok'
        ? funnelOption(
            state.data.map((steps, i) => ({ name: cohortLabel(cohorts[i] ?? {}), steps })),
            palette(theme),
          )
        : null,
    [state, cohorts, theme],
  );
  if (state.status === 'error')
    return <ErrorMessage title="The funnel could not be loaded" error={state.error} onRetry={reload} />;
  if (!option) return <Loading label="Loading the funnel…" />;
  return (
    <EChart
      title={`Funnel: ${cohorts.map(cohortLabel).join(' vs. ')}`}
      option={option}
      height={280}
      fileName="funnel"
    />
  );
}

import type { TimeWindow } from '../../../../shared/explore';
import { api } from '../../api';
import { KpiTile } from '../../components/KpiTile';
import { formatInteger, formatMoney, formatPercent } from '../../format/numbers';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';
import { ratio, total } from './totals';

/** Sessions, conversion rate and revenue of all traffic over the period, from the metric cube. */
export function TrafficKpis({ period }: { period: TimeWindow }) {
  const { info, settings } = useWorkspace();
  const { state } = useAsync(async () => {
    const query = { from: period.from, to: period.to };
    const [sessions, conversion, revenue] = await Promise.all([
      api().metrics.series(info.path, { metric: 'sessions', ...query }),
      api().metrics.series(info.path, { metric: 'conversion_rate', ...query }),
      api().metrics.series(info.path, { metric: 'revenue', ...query }),
    ]);
    return { sessions: total(sessions), conversion: ratio(conversion), revenue: total(revenue) };
  }, [info.path, period.from, period.to]);

  const data = state.status === 'ok' ? state.data : null;
  const error = state.status === 'error' ? state.error : null;
  return (
    <>
      <KpiTile label="Sessions" value={data && formatInteger(data.sessions)} error={error} />
      <KpiTile
        label="Conversion rate"
        value={data && formatPercent(data.conversion)}
        hint="purchases / sessions"
        error={error}
      />
      <KpiTile
        label="Revenue"
        value={data && formatMoney(data.revenue)}
        hint={settings?.currency ? undefined : "in the data's currency (set it in Settings)"}
        error={error}
      />
    </>
  );
}

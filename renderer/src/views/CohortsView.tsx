import { useCallback, useMemo, useState } from 'react';
import type { Cohort, DimensionValues, TimeWindow } from '../../../shared/explore';
import type { MetricDefinition } from '../../../shared/metrics';
import { api } from '../api';
import { breakdownBarOption, breakdownHeatmapOption } from '../charts/breakdownOption';
import { EChart } from '../charts/EChart';
import { palette } from '../charts/palette';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { PeriodPicker, wholePeriod } from '../components/PeriodPicker';
import { cohortKey, cohortLabel, cohortPhrase, sameCohort } from '../format/cohort';
import { isTableMetric } from '../format/metric';
import { useNavigate } from '../state/route';
import { useAsync } from '../state/useAsync';
import { useCatalog } from '../state/useCatalog';
import { useWorkspace } from '../state/workspace';
import { BreakdownControls, type BreakdownSettings } from './cohorts/BreakdownControls';
import { BreakdownTable } from './cohorts/BreakdownTable';
import { CohortPath } from './cohorts/CohortPath';
import { CompareChart } from './cohorts/CompareChart';
import { FunnelPanel } from './cohorts/FunnelPanel';

interface Props {
  metric?: string;
  within?: Cohort;
  from?: number;
  to?: number;
}

function firstFree(dimensions: DimensionValues[], within: Cohort): string {
  return dimensions.find((d) => !(d.dimension in within))?.dimension ?? '';
}

/** Loads what the view needs before it can ask for a breakdown: the metric catalog and the dimensions. */
export function CohortsView(props: Props) {
  const { info } = useWorkspace();
  const navigate = useNavigate();
  const catalog = useCatalog();
  const dimensions = useAsync(() => api().cohorts.dimensions(info.path), [info.path]);
  const period = wholePeriod(info.timeSpan);
  if (!period)
    return (
      <div className="view">
        <h1>Cohorts</h1>
        <EmptyState title="No data to break down yet">
          <button type="button" className="primary" onClick={() => navigate({ view: 'import' })}>
            Import files
          </button>
        </EmptyState>
      </div>
    );
  if (catalog.state.status === 'error')
    return (
      <ErrorMessage
        title="The metric catalog is unavailable"
        error={catalog.state.error}
        onRetry={catalog.reload}
      />
    );
  if (dimensions.state.status === 'error')
    return (
      <ErrorMessage
        title="The cohort dimensions are unavailable"
        error={dimensions.state.error}
        onRetry={dimensions.reload}
      />
    );
  if (catalog.state.status !== 'ok' || dimensions.state.status !== 'ok')
    return <Loading label="Loading metrics and dimensions…" />;
  return (
    <CohortExplorer
      {...props}
      catalog={catalog.state.data}
      dimensions={dimensions.state.data}
      initialPeriod={
        props.from !== undefined && props.to !== undefined ? { from: props.from, to: props.to } : period
      }
    />
  );
}

interface ExplorerProps extends Props {
  catalog: MetricDefinition[];
  dimensions: DimensionValues[];
  initialPeriod: TimeWindow;
}

/** Breakdown by one or two dimensions as table and chart, drill-in, comparison of two cohorts, funnels. */
function CohortExplorer({ catalog, dimensions, initialPeriod, ...props }: ExplorerProps) {
  const { info, theme } = useWorkspace();
  const [period, setPeriod] = useState(initialPeriod);
  const [within, setWithin] = useState<Cohort>(props.within ?? {});
  const [settings, setSettings] = useState<BreakdownSettings>(() => ({
    metric: catalog.some((m) => m.name === props.metric)
      ? (props.metric as string)
      : ((catalog.find((m) => m.name === 'conversion_rate') ?? catalog[0])?.name ?? ''),
    first: firstFree(dimensions, props.within ?? {}),
    second: '',
    minSessions: 0,
  }));
  const [compared, setCompared] = useState<Cohort[]>([]);
  const metric = catalog.find((m) => m.name === settings.metric);
  const dims = [settings.first, settings.second].filter(Boolean);
  const tableMetric = metric ? isTableMetric(metric) : false;
  // Asked before the engine refuses it: a table metric within a cohort, or by two dimensions.
  const unsupported = tableMetric && (Object.keys(within).length > 0 || dims.length > 1);

  const breakdown = useAsync(
    metric && dims.length > 0 && !unsupported
      ? () =>
          api().cohorts.breakdown(info.path, {
            metric: settings.metric,
            dimensions: dims,
            within,
            minSessions: settings.minSessions,
            ...period,
          })
      : null,
    [
      info.path,
      settings.metric,
      dims.join(','),
      cohortKey(within),
      settings.minSessions,
      period.from,
      period.to,
    ],
  );

  const drill = useCallback(
    (cohort: Cohort) => {
      const next = { ...within, ...cohort };
      setWithin(next);
      setCompared([]);
      const free = dimensions.map((d) => d.dimension).filter((d) => !(d in next));
      setSettings((s) => ({ ...s, first: free[0] ?? '', second: '' }));
    },
    [within, dimensions],
  );

  const toggleCompare = useCallback((cohort: Cohort) => {
    setCompared((list) =>
      list.some((c) => sameCohort(c, cohort))
        ? list.filter((c) => !sameCohort(c, cohort))
        : [...list, cohort].slice(-2),
    );
  }, []);

  const rows = breakdown.state.status === 'ok' ? breakdown.state.data : null;
  const chart = useMemo(() => {
    if (!rows || !metric || rows.length === 0) return null;
    const colors = palette(theme);
    return settings.second
      ? breakdownHeatmapOption(rows, [settings.first, settings.second], metric, colors)
      : breakdownBarOption(rows, settings.first, metric, colors);
  }, [rows, metric, settings.first, settings.second, theme]);
  const chartEvents = useMemo(
    () => ({
      click: (p: { data?: { row?: { cohort: Cohort } } }) => p.data?.row && drill(p.data.row.cohort),
    }),
    [drill],
  );
  const comparedFull = compared.map((c) => ({ ...within, ...c }));

  return (
    <div className="view">
      <header className="view-header">
        <h1>Cohorts</h1>
        <CohortPath
          within={within}
          onChange={(next) => {
            setWithin(next);
            setCompared([]);
            setSettings((s) => ({ ...s, first: firstFree(dimensions, next), second: '' }));
          }}
        />
      </header>
      <div className="toolbar">
        <PeriodPicker value={period} onChange={setPeriod} />
      </div>
      <BreakdownControls
        value={settings}
        onChange={setSettings}
        catalog={catalog}
        dimensions={dimensions}
        fixed={Object.keys(within)}
        singleDimension={tableMetric}
      />
      {unsupported && metric && (
        <EmptyState title={`${metric.label} comes from an imported table`}>
          <p>
            Its rows each carry one dimension, so it breaks down by one dimension at a time over all traffic
            {Object.keys(within).length > 0 ? `, not within ${cohortPhrase(within)}` : ''}.
          </p>
          <button
            type="button"
            onClick={() => {
              setWithin({});
              setSettings((s) => ({ ...s, first: firstFree(dimensions, {}), second: '' }));
            }}
          >
            Break it down over all traffic
          </button>
        </EmptyState>
      )}
      {dims.length === 0 && (
        <EmptyState title="Every dimension is already fixed by the drill-down">
          Go back up a level to break down further.
        </EmptyState>
      )}
      {breakdown.state.status === 'error' && (
        <ErrorMessage
          title="The breakdown could not be computed"
          error={breakdown.state.error}
          onRetry={breakdown.reload}
        />
      )}
      {breakdown.state.status === 'loading' && <Loading label="Computing the breakdown…" />}
      {rows && rows.length === 0 && (
        <EmptyState title="No cohort has data here">
          <p>Lower the minimum sessions, widen the period, or go back up the drill-down.</p>
        </EmptyState>
      )}
      {rows && rows.length > 0 && metric && (
        <div className="stack">
          <div>
            <p className="muted small">
              {rows.length} cohorts of {cohortLabel(within)}. Enter or double-click drills in; tick two to
              compare.
            </p>
            <BreakdownTable
              rows={rows}
              dimensions={dims}
              metric={metric}
              compared={compared}
              onToggleCompare={toggleCompare}
              onDrill={drill}
            />
          </div>
          {chart && (
            <EChart
              title={`${metric.label} by ${dims.join(' × ')}`}
              option={chart}
              height={settings.second ? 460 : Math.min(640, 60 + Math.min(rows.length, 30) * 22)}
              fileName={`breakdown-${settings.metric}-${dims.join('-')}`}
              onEvents={chartEvents}
            />
          )}
        </div>
      )}
      {comparedFull.length === 2 && metric && (
        <>
          <h2>Comparison</h2>
          <CompareChart metric={settings.metric} cohorts={comparedFull} period={period} />
        </>
      )}
      <h2>Funnel</h2>
      <FunnelPanel cohorts={comparedFull.length > 0 ? comparedFull : [within]} period={period} />
    </div>
  );
}

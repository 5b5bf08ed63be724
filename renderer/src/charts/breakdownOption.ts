import type { BreakdownRow } from '../../../shared/explore';
import type { MetricDefinition } from '../../../shared/metrics';
import { cohortLabel } from '../format/cohort';
import { formatAxis, formatInteger, formatMetric } from '../format/numbers';
import type { ChartOption } from './echarts';
import type { Palette } from './palette';
import { escapeHtml, valueAxisStyle } from './timeAxis';

/** Most rows a bar chart shows; the table below has them all. */
const MAX_BARS = 30;

/** One dimension: a horizontal bar per value, largest first; a click drills into that cohort. */
export function breakdownBarOption(
  rows: BreakdownRow[],
  dimension: string,
  metric: MetricDefinition,
  colors: Palette,
): ChartOption {
  const shown = [...rows]
    .filter((r) => r.value !== null)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
    .slice(0, MAX_BARS)
    .reverse();
  return {
    animation: false,
    aria: { enabled: true },
    grid: { left: 160, right: 48, top: 8, bottom: 28 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: { row: BreakdownRow } }) =>
        `${escapeHtml(cohortLabel(p.data.row.cohort))}<br/><b>${formatMetric(p.data.row.value, metric.unit)}</b> over ${formatInteger(p.data.row.sessions)} sessions`,
    },
    xAxis: {
      type: 'value',
      ...valueAxisStyle(colors),
      axisLabel: { color: colors.muted, formatter: (v: number) => formatAxis(v, metric.unit) },
    },
    yAxis: {
      type: 'category',
      // A row's cohort also holds the drill-down's fixed values; the bar is named by the broken-down one.
      data: shown.map((r) => r.cohort[dimension] ?? '—'),
      axisLabel: { color: colors.text, width: 150, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        data: shown.map((row) => ({ value: row.value, row })),
        itemStyle: { color: colors.actual },
        large: shown.length > 500,
      },
    ],
  } as ChartOption;
}

/** Two dimensions: a heatmap of the metric, first dimension across, second down; a click drills in. */
export function breakdownHeatmapOption(
  rows: BreakdownRow[],
  dimensions: [string, string],
  metric: MetricDefinition,
  colors: Palette,
): ChartOption {
  const [dx, dy] = dimensions;
  const volume = (values: Map<string, number>, key: string, sessions: number) =>
    values.set(key, (values.get(key) ?? 0) + sessions);
  const xs = new Map<string, number>();
  const ys = new Map<string, number>();
  for (const r of rows) {
    volume(xs, r.cohort[dx] ?? '', r.sessions);
    volume(ys, r.cohort[dy] ?? '', r.sessions);
  }
  // Biggest values first along each axis, limited so cells stay readable.
  const xValues = [...xs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([v]) => v);
  const yValues = [...ys.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([v]) => v);
  const data = rows
    .filter(
      (r) => r.value !== null && xValues.includes(r.cohort[dx] ?? '') && yValues.includes(r.cohort[dy] ?? ''),
    )
    .map((row) => ({
      value: [xValues.indexOf(row.cohort[dx] ?? ''), yValues.indexOf(row.cohort[dy] ?? ''), row.value],
      row,
    }));
  const values = data.map((d) => d.value[2] as number);
  return {
    animation: false,
    aria: { enabled: true },
    grid: { left: 130, right: 24, top: 8, bottom: 96 },
    tooltip: {
      formatter: (p: { data: { row: BreakdownRow } }) =>
        `${escapeHtml(cohortLabel(p.data.row.cohort))}<br/><b>${formatMetric(p.data.row.value, metric.unit)}</b> over ${formatInteger(p.data.row.sessions)} sessions`,
    },
    xAxis: {
      type: 'category',
      data: xValues,
      axisLabel: { color: colors.text, rotate: 35, width: 90, overflow: 'truncate' },
    },
    yAxis: {
      type: 'category',
      data: yValues,
      // Largest cohorts at the top, as in the table.
      inverse: true,
      axisLabel: { color: colors.text, width: 120, overflow: 'truncate' },
    },
    visualMap: {
      min: values.length ? Math.min(...values) : 0,
      max: values.length ? Math.max(...values) : 1,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 160,
      textStyle: { color: colors.muted },
      formatter: (v: number) => formatAxis(v, metric.unit),
      // Bad news in red: for a metric whose fall is bad, low values are red.
      inRange: { color: metric.badDirection === 'up' ? [...colors.heat].reverse() : colors.heat },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: data.length <= 120,
          color: colors.text,
          fontSize: 10,
          formatter: (p: { data: { row: BreakdownRow } }) => formatAxis(p.data.row.value ?? 0, metric.unit),
        },
        emphasis: { itemStyle: { borderColor: colors.text, borderWidth: 1 } },
      },
    ],
  } as ChartOption;
}

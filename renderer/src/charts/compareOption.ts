import type { MetricSeries } from '../../../shared/explore';
import type { DateFormatter } from '../format/dates';
import { formatAxis, formatMetric } from '../format/numbers';
import type { ChartOption } from './echarts';
import { axisTime, bucketIndex } from './lookup';
import type { Palette } from './palette';
import { escapeHtml, timeAxis, tooltipTime, valueAxisStyle } from './timeAxis';

/** Two (or more) cohorts' series of one metric on one chart. */
export function compareOption(
  series: { name: string; series: MetricSeries }[],
  dates: DateFormatter,
  colors: Palette,
): ChartOption {
  const first = series[0]?.series;
  const unit = first?.metric.unit ?? 'count';
  const times = series.flatMap((s) => [
    s.series.times[0] ?? 0,
    s.series.times[s.series.times.length - 1] ?? 0,
  ]);
  const span = { min: Math.min(...times), max: Math.max(...times) + (first?.bucketMs ?? 0) };
  return {
    animation: false,
    useUTC: true,
    aria: { enabled: true },
    grid: { left: 64, right: 24, top: 36, bottom: 64 },
    legend: { top: 0, textStyle: { color: colors.muted } },
    tooltip: {
      trigger: 'axis',
      formatter: (raw: unknown) => {
        const time = axisTime(raw);
        if (time === null) return '';
        const rows = series.map((s, k) => {
          const i = bucketIndex(s.series.times, time, s.series.bucketMs);
          const value = i < 0 ? null : (s.series.values[i] ?? null);
          const marker = `<span style="color:${colors.series[k % colors.series.length]}">●</span> `;
          return `${marker}${escapeHtml(s.name)}: <b>${formatMetric(value, unit)}</b>`;
        });
        return [tooltipTime(dates, time), ...rows].join('<br/>');
      },
    },
    xAxis: timeAxis(dates, colors, span),
    yAxis: {
      type: 'value',
      scale: true,
      ...valueAxisStyle(colors),
      axisLabel: { color: colors.muted, formatter: (v: number) => formatAxis(v, unit) },
    },
    dataZoom: [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', height: 18, bottom: 8, filterMode: 'none' },
    ],
    series: series.map((s, k) => ({
      name: s.name,
      type: 'line',
      symbol: 'none',
      sampling: 'lttb',
      large: s.series.times.length > 2000,
      data: s.series.times.map((t, i) => [t, s.series.values[i] ?? null]),
      lineStyle: { color: colors.series[k % colors.series.length], width: 1.5 },
      itemStyle: { color: colors.series[k % colors.series.length] },
    })),
  } as ChartOption;
}

import type { AnnotationRecord, DetectorAlarm, MetricSeries } from '../../../shared/explore';
import type { DateFormatter } from '../format/dates';
import { formatAxis, formatInteger, formatMetric } from '../format/numbers';
import type { ChartOption } from './echarts';
import { axisTime, bucketIndex } from './lookup';
import type { Palette } from './palette';
import { escapeHtml, timeAxis, tooltipTime, valueAxisStyle } from './timeAxis';

export interface MetricChartInput {
  series: MetricSeries;
  /** The all-traffic series of the same metric, for contrast (second axis for counts and sums). */
  parent?: MetricSeries | null;
  annotations?: AnnotationRecord[];
  /** The incident's window, shaded. */
  window?: { start: number; end: number } | null;
  /** Replay: how many buckets are revealed so far; all by default. */
  reveal?: number;
  /** The full x range to keep fixed while a replay grows. */
  span?: { min: number; max: number };
  dates: DateFormatter;
  colors: Palette;
}

type Point = [number, number | null];

function points(times: number[], values: (number | null)[], count: number): Point[] {
  const out: Point[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = [times[i] as number, values[i] ?? null];
  return out;
}

/** Alarms grouped by detector, each with the series value at its bucket (where the marker is drawn). */
function alarmPoints(series: MetricSeries, alarms: DetectorAlarm[], until: number) {
  const index = new Map(series.times.map((t, i) => [t, i]));
  const byDetector = new Map<string, { value: [number, number]; alarm: DetectorAlarm }[]>();
  for (const alarm of alarms) {
    if (alarm.at > until) continue;
    const i = index.get(alarm.at);
    const y = i === undefined ? null : series.values[i];
    if (y === null || y === undefined) continue;
    const list = byDetector.get(alarm.detector) ?? [];
    list.push({ value: [alarm.at, y], alarm });
    byDetector.set(alarm.detector, list);
  }
  return byDetector;
}

/**
 * The incident chart and the replay chart: the metric of a cohort, its online expected band, the buckets a
 * detector flagged, annotations as vertical marks and the parent series for contrast. Large series are drawn
 * with LTTB sampling so 20,000 buckets stay smooth.
 */
export function metricSeriesOption(input: MetricChartInput): ChartOption {
  const { series, parent, dates, colors } = input;
  const unit = series.metric.unit;
  const count = Math.min(input.reveal ?? series.times.length, series.times.length);
  const lastTime = count > 0 ? (series.times[count - 1] as number) : -Infinity;
  const span = input.span ?? {
    min: series.times[0] ?? 0,
    max: (series.times[series.times.length - 1] ?? 0) + series.bucketMs,
  };
  const large = series.times.length > 2000;
  const baseline = series.baseline;
  const parentOnOwnAxis = Boolean(parent) && unit !== 'ratio';
  const seriesList: object[] = [];

  const hasBand = Boolean(baseline?.lower.some((v) => v !== null));
  if (baseline && hasBand) {
    const lower = points(series.times, baseline.lower, count);
    const width = points(
      series.times,
      baseline.upper.map((u, i) => {
        const l = baseline.lower[i];
        return u === null || l === null || l === undefined ? null : u - l;
      }),
      count,
    );
    // The band is a stacked pair: an invisible lower edge and the band's width filled above it.
    seriesList.push(
      {
        name: 'lower',
        type: 'line',
        data: lower,
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        silent: true,
        // Not sampled: the two stacked edges must keep the same points.
        tooltip: { show: false },
      },
      {
        name: 'Expected band',
        type: 'line',
        data: width,
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        itemStyle: { color: colors.band },
        areaStyle: { color: colors.band },
        silent: true,
        // Not sampled: the two stacked edges must keep the same points.
      },
    );
  }
  if (baseline?.expected.some((v) => v !== null))
    seriesList.push({
      name: 'Expected',
      type: 'line',
      data: points(series.times, baseline.expected, count),
      symbol: 'none',
      lineStyle: { color: colors.expected, type: 'dashed', width: 1 },
      itemStyle: { color: colors.expected },
      sampling: 'lttb',
    });

  const marks: { markArea?: object; markLine?: object } = {};
  if (input.window)
    marks.markArea = {
      silent: true,
      itemStyle: { color: colors.incident },
      data: [[{ xAxis: input.window.start, name: 'Incident' }, { xAxis: input.window.end }]],
      label: { color: colors.alarm, position: 'insideTop' },
    };
  const annotations = (input.annotations ?? []).filter((a) => a.start >= span.min && a.start <= span.max);
  if (annotations.length > 0)
    marks.markLine = {
      symbol: 'none',
      silent: false,
      lineStyle: { color: colors.annotation, type: 'solid', width: 1 },
      label: {
        color: colors.annotation,
        formatter: (p: { name: string }) => p.name,
        position: 'insideEndTop',
        fontSize: 10,
      },
      data: annotations.map((a) => ({ xAxis: a.start, name: `${a.kind}: ${a.label}` })),
    };

  seriesList.push({
    name: series.metric.label,
    type: 'line',
    data: points(series.times, series.values, count),
    symbol: 'none',
    sampling: 'lttb',
    large,
    connectNulls: false,
    lineStyle: { color: colors.actual, width: 1.6 },
    itemStyle: { color: colors.actual },
    ...marks,
  });

  if (parent)
    seriesList.push({
      name: `${parent.metric.label} (all traffic)`,
      type: 'line',
      yAxisIndex: parentOnOwnAxis ? 1 : 0,
      data: points(parent.times, parent.values, parent.times.filter((t) => t <= lastTime).length),
      symbol: 'none',
      sampling: 'lttb',
      lineStyle: { color: colors.parent, width: 1, opacity: 0.55 },
      itemStyle: { color: colors.parent },
    });

  if (baseline) {
    const byDetector = alarmPoints(series, baseline.alarms, lastTime);
    let k = 0;
    for (const [detector, list] of byDetector) {
      seriesList.push({
        name: `Alarm: ${detector}`,
        type: 'scatter',
        data: list.map((p) => ({ value: p.value, alarm: p.alarm })),
        symbol: ['circle', 'diamond', 'triangle', 'rect', 'pin'][k % 5],
        symbolSize: 8,
        itemStyle: { color: colors.alarm, opacity: 0.85 },
        z: 5,
      });
      k += 1;
    }
  }

  const tooltipRows = (time: number): string[] => {
    const i = bucketIndex(series.times, time, series.bucketMs);
    if (i < 0 || i >= count) return [];
    const den = series.denominators?.[i];
    const counts =
      den === null || den === undefined
        ? ''
        : ` (${formatInteger(series.numerators[i])} / ${formatInteger(den)})`;
    const rows = [`${series.metric.label}: <b>${formatMetric(series.values[i], unit)}</b>${counts}`];
    if (baseline) {
      const band = hasBand
        ? ` (band ${formatMetric(baseline.lower[i], unit)} – ${formatMetric(baseline.upper[i], unit)})`
        : '';
      rows.push(`Expected: ${formatMetric(baseline.expected[i], unit)}${band}`);
      const fired = baseline.alarms
        .filter((a) => a.at === series.times[i])
        .map((a) => escapeHtml(a.detector));
      if (fired.length > 0)
        rows.push(`<span style="color:${colors.alarm}">Alarm: ${fired.join(', ')}</span>`);
    }
    if (parent) {
      const j = bucketIndex(parent.times, time, parent.bucketMs);
      if (j >= 0) rows.push(`All traffic: ${formatMetric(parent.values[j], parent.metric.unit)}`);
    }
    return rows;
  };

  return {
    animation: false,
    useUTC: true,
    aria: { enabled: true },
    grid: { left: 64, right: parentOnOwnAxis ? 64 : 24, top: 36, bottom: 64 },
    legend: {
      top: 0,
      textStyle: { color: colors.muted },
      data: seriesList.map((s) => (s as { name: string }).name).filter((n) => n !== 'lower'),
    },
    tooltip: {
      trigger: 'axis',
      formatter: (raw: unknown) => {
        const time = axisTime(raw);
        if (time === null) return '';
        const i = bucketIndex(series.times, time, series.bucketMs);
        const rows = tooltipRows(time);
        return rows.length > 0 ? [tooltipTime(dates, series.times[i] as number), ...rows].join('<br/>') : '';
      },
    },
    xAxis: timeAxis(dates, colors, span),
    yAxis: [
      {
        type: 'value',
        scale: true,
        ...valueAxisStyle(colors),
        axisLabel: { color: colors.muted, formatter: (v: number) => formatAxis(v, unit) },
      },
      ...(parentOnOwnAxis && parent
        ? [
            {
              type: 'value',
              scale: true,
              splitLine: { show: false },
              axisLabel: {
                color: colors.parent,
                formatter: (v: number) => formatAxis(v, parent.metric.unit),
              },
            },
          ]
        : []),
    ],
    dataZoom: [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', height: 18, bottom: 8, filterMode: 'none' },
    ],
    series: seriesList,
  } as ChartOption;
}

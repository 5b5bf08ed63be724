import * as echarts from 'echarts';
import type { ReportIncident } from './model';

/**
 * Charts as inline SVG from ECharts' server-side renderer: no canvas, no DOM, no script in the report.
 * The namespace attributes are dropped: inline SVG in HTML needs none, and the report must carry no URL.
 */
function render(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart
      .renderToSVGString()
      .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
      .replace(/\s+xlink:href="[^"]*"/g, '');
  } finally {
    chart.dispose();
  }
}

const pair = (time: string, value: number | null) => [Date.parse(time), value];

/** Observed metric against the online expected value and band, with the incident window shaded. */
export function seriesChart(incident: ReportIncident, width = 720, height = 240): string | null {
  const series = incident.series;
  if (!series || series.length === 0) return null;
  const lower = series.map((p) => pair(p.time, p.lower));
  const span = series.map((p) =>
    pair(p.time, p.upper !== null && p.lower !== null ? p.upper - p.lower : null),
  );
  return render(
    {
      grid: { left: 64, right: 16, top: 28, bottom: 36 },
      legend: { top: 0, data: ['observed', 'expected'] },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true, name: incident.metricLabel, nameTextStyle: { align: 'left' } },
      series: [
        {
          name: 'band-low',
          type: 'line',
          data: lower,
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
        },
        {
          name: 'band',
          type: 'line',
          data: span,
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { color: '#c9d8f0' },
        },
        {
          name: 'expected',
          type: 'line',
          data: series.map((p) => pair(p.time, p.expected)),
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#5470c6' },
          itemStyle: { color: '#5470c6' },
        },
        {
          name: 'observed',
          type: 'line',
          data: series.map((p) => pair(p.time, p.value)),
          symbol: 'none',
          lineStyle: { color: '#c23531', width: 2 },
          itemStyle: { color: '#c23531' },
          markArea: {
            itemStyle: { color: 'rgba(194, 53, 49, 0.12)' },
            data: [[{ xAxis: Date.parse(incident.start) }, { xAxis: Date.parse(incident.end) }]],
          },
        },
      ],
    },
    width,
    height,
  );
}

/** Revenue at risk per incident, largest first (the executive summary's chart). */
export function impactChart(incidents: ReportIncident[], width = 720): string | null {
  const top = incidents.filter((i) => i.revenueAtRisk > 0).slice(0, 10);
  if (top.length === 0) return null;
  return render(
    {
      grid: { left: 200, right: 32, top: 16, bottom: 24 },
      xAxis: { type: 'value', name: 'revenue at risk' },
      yAxis: {
        type: 'category',
        inverse: true,
        data: top.map((i, k) => `${k + 1}. ${i.metricLabel} ${i.direction}`),
      },
      series: [
        {
          type: 'bar',
          data: top.map((i) => Math.round(i.revenueAtRisk)),
          itemStyle: { color: '#c23531' },
          label: { show: true, position: 'right' },
        },
      ],
    },
    width,
    40 + top.length * 28,
  );
}

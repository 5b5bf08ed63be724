import type { AnnotationRecord, IncidentRecord, TimeWindow } from '../../../shared/explore';
import type { Severity } from '../../../shared/incidents';
import type { DateFormatter } from '../format/dates';
import { cohortPhrase } from '../format/cohort';
import { metricLabel } from '../format/metric';
import { formatMoney } from '../format/numbers';
import type { ChartOption } from './echarts';
import type { Palette } from './palette';
import { escapeHtml, timeAxis, tooltipTime } from './timeAxis';

const LANES: Severity[] = ['low', 'medium', 'high', 'critical'];
/** Shortest drawn bar, so a one-bucket incident is still something to click. */
const MIN_BAR_PX = 4;

interface RenderApi {
  value(dimension: number): number;
  coord(point: [number, number]): [number, number];
  size(point: [number, number]): [number, number];
  visual(key: 'color'): string;
}

/**
 * Incidents over the period, one lane per severity, each a bar from start to end; annotations (deploys,
 * promos, campaigns) as vertical marks. Clicking a bar opens the incident (the item carries its id).
 */
export function incidentTimelineOption(
  incidents: IncidentRecord[],
  annotations: AnnotationRecord[],
  period: TimeWindow,
  dates: DateFormatter,
  colors: Palette,
): ChartOption {
  const data = incidents.map((incident) => ({
    // Labelled incidents are drawn faded: the open ones are what needs attention.
    value: [
      LANES.indexOf(incident.severity),
      Date.parse(incident.start),
      Date.parse(incident.end),
      incident.status === 'open' ? 1 : 0.4,
    ],
    id: incident.id,
    incident,
    itemStyle: { color: colors.severity[incident.severity] },
  }));
  return {
    animation: false,
    useUTC: true,
    aria: { enabled: true },
    grid: { left: 72, right: 24, top: 16, bottom: 56 },
    tooltip: {
      formatter: (p: { data?: { incident?: IncidentRecord }; name?: string }) => {
        const i = p.data?.incident;
        if (!i) return escapeHtml(p.name ?? '');
        return [
          tooltipTime(dates, Date.parse(i.start)),
          `<b>${escapeHtml(metricLabel(i.metric))}</b> ${i.direction} in ${escapeHtml(cohortPhrase(i.cohort))}`,
          `Severity ${i.severity}, ${i.status.replace('_', ' ')}`,
          i.impact.revenueAtRisk > 0 ? `Revenue at risk ${formatMoney(i.impact.revenueAtRisk)}` : '',
        ]
          .filter(Boolean)
          .join('<br/>');
      },
    },
    xAxis: timeAxis(dates, colors, { min: period.from, max: period.to }),
    yAxis: {
      type: 'category',
      data: LANES,
      axisLabel: { color: colors.muted },
      axisLine: { lineStyle: { color: colors.grid } },
    },
    dataZoom: [
      { type: 'inside', filterMode: 'weakFilter' },
      { type: 'slider', height: 16, bottom: 8, filterMode: 'weakFilter' },
    ],
    series: [
      {
        type: 'custom',
        name: 'Incidents',
        encode: { x: [1, 2], y: 0 },
        data,
        renderItem: (_params: unknown, api: RenderApi) => {
          const lane = api.value(0);
          const [x0, y] = api.coord([api.value(1), lane]);
          const [x1] = api.coord([api.value(2), lane]);
          const height = api.size([0, 1])[1] * 0.5;
          return {
            type: 'rect',
            shape: { x: x0, y: y - height / 2, width: Math.max(MIN_BAR_PX, x1 - x0), height },
            style: { fill: api.visual('color'), opacity: api.value(3) },
            styleEmphasis: { stroke: colors.text, lineWidth: 1 },
          };
        },
        markLine: {
          symbol: 'none',
          lineStyle: { color: colors.annotation, type: 'dashed', width: 1 },
          // Labels of many annotations would overlap: each shows on hover.
          label: { show: false },
          emphasis: {
            label: {
              show: true,
              color: colors.annotation,
              fontSize: 11,
              formatter: (p: { name: string }) => p.name,
            },
          },
          data: annotations
            .filter((a) => a.start >= period.from && a.start <= period.to)
            .map((a) => ({ xAxis: a.start, name: a.label })),
        },
      },
    ],
  } as ChartOption;
}

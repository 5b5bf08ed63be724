import type { DateFormatter } from '../format/dates';
import type { Palette } from './palette';

/**
 * A time axis labelled in the workspace's time zone. ECharts lays out ticks in UTC (`useUTC` on the chart);
 * only the labels are converted, so hovering and axes agree with the rest of the app.
 */
export function timeAxis(dates: DateFormatter, colors: Palette, span: { min: number; max: number }) {
  const spanMs = span.max - span.min;
  return {
    type: 'time' as const,
    min: span.min,
    max: span.max,
    axisLabel: {
      color: colors.muted,
      hideOverlap: true,
      formatter: (value: number) => dates.axis(value, spanMs),
    },
    axisLine: { lineStyle: { color: colors.grid } },
    splitLine: { show: false },
  };
}

export function valueAxisStyle(colors: Palette) {
  return {
    axisLabel: { color: colors.muted },
    splitLine: { lineStyle: { color: colors.grid } },
  };
}

/** The tooltip header: the bucket in the workspace zone, with UTC beside it. */
export function tooltipTime(dates: DateFormatter, ms: number): string {
  return `<b>${dates.dateTime(ms)}</b> <span style="opacity:.7">(${dates.utc(ms)})</span>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

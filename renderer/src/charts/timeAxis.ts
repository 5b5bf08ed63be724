import type { DateFormatter } from '../format/dates';
import type { Palette } from './palette';
import { zonedTicks } from './zonedTicks';

type AxisTicks = (
  min: number,
  max: number,
) => {
  axisTick: { customValues: number[] };
  axisLabel: { customValues: number[]; formatter: (value: number) => string };
};

/** The tick maker of each time axis made here, so a chart can place ticks again for a zoomed window. */
const tickMakers = new WeakMap<object, AxisTicks>();

/**
 * A time axis in the workspace's time zone: ticks on its whole hours or days (ECharts would put them on UTC
 * boundaries; the charts use `useUTC`) and labels in its wall time, so hovering and axes agree with the rest
 * of the app.
 */
export function timeAxis(dates: DateFormatter, colors: Palette, span: { min: number; max: number }) {
  const ticks: AxisTicks = (min, max) => {
    const values = zonedTicks(min, max, dates.timeZone);
    return {
      axisTick: { customValues: values },
      axisLabel: { customValues: values, formatter: (value: number) => dates.axis(value, max - min) },
    };
  };
  const initial = ticks(span.min, span.max);
  const axis = {
    type: 'time' as const,
    min: span.min,
    max: span.max,
    axisLabel: { color: colors.muted, hideOverlap: true, ...initial.axisLabel },
    axisTick: initial.axisTick,
    axisLine: { lineStyle: { color: colors.grid } },
    splitLine: { show: false },
  };
  tickMakers.set(axis, ticks);
  return axis;
}

/**
 * The tick and label part of a time axis made by `timeAxis`, for the window `fromPercent`–`toPercent` of its
 * span (a data zoom); null for any other axis.
 */
export function zoomedTimeAxis(axis: unknown, fromPercent: number, toPercent: number) {
  if (!axis || typeof axis !== 'object') return null;
  const ticks = tickMakers.get(axis);
  const { min, max } = axis as { min?: unknown; max?: unknown };
  if (!ticks || typeof min !== 'number' || typeof max !== 'number') return null;
  const at = (percent: number) => min + ((max - min) * Math.min(100, Math.max(0, percent))) / 100;
  return ticks(at(fromPercent), at(toPercent));
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

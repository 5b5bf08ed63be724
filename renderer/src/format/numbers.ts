import type { MetricUnit } from '../../../shared/metrics';

// The user's locale decides separators; fixed fraction digits keep columns aligned.
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export const NO_VALUE = '—';

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? NO_VALUE : integer.format(value);
}

export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? NO_VALUE : decimal.format(value);
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? NO_VALUE : percent.format(value);
}

export function formatCompact(value: number): string {
  return compact.format(value);
}

/**
 * Money carries the workspace's currency (Settings) when one is set; otherwise no symbol: an imported file
 * does not say which currency it is in, and guessing one would be worse than none. Module state rather than a
 * context because every table, tile and chart tooltip formats money, and the workspace has one currency.
 */
let money: Intl.NumberFormat | null = null;

export function setMoneyCurrency(currency: string | null): void {
  if ((money?.resolvedOptions().currency ?? null) === currency) return;
  money = currency
    ? new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      })
    : null;
}

export function formatMoney(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return money ? money.format(value) : decimal.format(value);
}

/** A metric value with its unit: rates as percentages, counts with their noun, latency in ms. */
export function formatMetric(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'ratio':
      return formatPercent(value);
    case 'currency':
      return formatMoney(value);
    case 'ms':
      return `${formatInteger(value)} ms`;
    case 'sessions':
    case 'events':
    case 'orders':
      return `${formatInteger(value)} ${value === 1 ? unit.slice(0, -1) : unit}`;
    case 'count':
      return formatInteger(value);
  }
}

/** A short axis label for a metric value. */
export function formatAxis(value: number, unit: MetricUnit): string {
  if (unit === 'ratio') return percent.format(value).replace(/\.00/, '');
  if (unit === 'ms') return `${compact.format(value)} ms`;
  return compact.format(value);
}

/** A signed relative change, e.g. "−12.40 %"; null when there is nothing to compare with. */
export function formatChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null || previous === 0) return NO_VALUE;
  const change = (current - previous) / Math.abs(previous);
  return `${change > 0 ? '+' : ''}${percent.format(change)}`;
}

export function formatRowsPerSecond(value: number): string {
  return `${formatInteger(value)} rows/s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? integer.format(value) : decimal.format(value)} ${units[unit]}`;
}

export function formatMinutes(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return NO_VALUE;
  if (minutes < 120) return `${formatInteger(minutes)} min`;
  return `${decimal.format(minutes / 60)} h`;
}

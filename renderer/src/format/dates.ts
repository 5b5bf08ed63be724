/**
 * Dates are shown in the workspace's time zone (the analyst's business day), with the UTC instant one hover
 * away. Formatters are cached per zone: Intl.DateTimeFormat is costly to build and charts format thousands.
 */
export interface DateFormatter {
  timeZone: string;
  dateTime(ms: number): string;
  date(ms: number): string;
  time(ms: number): string;
  /** Short label for chart axes. */
  axis(ms: number, spanMs: number): string;
  utc(ms: number): string;
}

const cache = new Map<string, DateFormatter>();

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function parts(format: Intl.DateTimeFormat, ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of format.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

const FIELDS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

export function dateFormatter(requestedZone: string): DateFormatter {
  const timeZone = safeZone(requestedZone);
  const cached = cache.get(timeZone);
  if (cached) return cached;
  // ISO-like order (2026-10-23 14:05) reads the same in every locale and sorts as text.
  const full = new Intl.DateTimeFormat('en-CA', { ...FIELDS, timeZone });
  const utcFormat = new Intl.DateTimeFormat('en-CA', { ...FIELDS, timeZone: 'UTC' });
  const weekday = new Intl.DateTimeFormat('en', { timeZone, weekday: 'short' });
  const formatter: DateFormatter = {
    timeZone,
    dateTime(ms) {
      const p = parts(full, ms);
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    },
    date(ms) {
      const p = parts(full, ms);
      return `${p.year}-${p.month}-${p.day}`;
    },
    time(ms) {
      const p = parts(full, ms);
      return `${p.hour}:${p.minute}`;
    },
    axis(ms, spanMs) {
      const p = parts(full, ms);
      if (spanMs > 4 * 86_400_000) return `${weekday.format(ms)} ${p.month}-${p.day}`;
      if (p.hour === '00' && p.minute === '00') return `${p.month}-${p.day}`;
      return `${p.hour}:${p.minute}`;
    },
    utc(ms) {
      const p = parts(utcFormat, ms);
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} UTC`;
    },
  };
  cache.set(timeZone, formatter);
  return formatter;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function parseIso(value: string): number {
  return Date.parse(value);
}

export function formatDurationMs(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

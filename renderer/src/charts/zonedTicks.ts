import { zonedToEpoch } from '../format/zones';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_STEPS = [1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 7, 14, 28];

const pad = (n: number) => String(n).padStart(2, '0');

function wallDay(ms: number, timeZone: string): { y: number; m: number; d: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** The instant of a wall-clock hour in the zone (a day index counted in wall days since 1970-01-01). */
function instant(dayIndex: number, hour: number, timeZone: string): number | null {
  const day = new Date(dayIndex * DAY_MS);
  return zonedToEpoch(
    `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}T${pad(hour)}:00`,
    timeZone,
  );
}

/**
 * Tick instants on whole hours or days of the workspace's time zone, at most about `maxTicks` of them. ECharts
 * places time-axis ticks on UTC boundaries (the charts use `useUTC`); in New York or Kolkata those fall at odd
 * local hours, so the charts are given these instead.
 */
export function zonedTicks(min: number, max: number, timeZone: string, maxTicks = 8): number[] {
  if (!(max > min)) return [];
  const span = max - min;
  const hourStep = HOUR_STEPS.find((h) => span / (h * HOUR_MS) <= maxTicks);
  const dayStep = DAY_STEPS.find((d) => span / (d * DAY_MS) <= maxTicks) ?? 28;
  const first = wallDay(min, timeZone);
  const firstDay = Math.floor(Date.UTC(first.y, first.m - 1, first.d) / DAY_MS);
  const ticks: number[] = [];
  const keep = (t: number | null) => {
    if (t !== null && t >= min && t <= max && ticks.at(-1) !== t) ticks.push(t);
  };
  for (let day = firstDay; ; day++) {
    const start = instant(day, 0, timeZone);
    if (start === null || start > max) break;
    if (hourStep) {
      for (let hour = 0; hour < 24; hour += hourStep) keep(instant(day, hour, timeZone));
    } else {
      // Steps of weeks start on Mondays (1970-01-01, day 0, was a Thursday); others on a fixed grid of days.
      const monday = (day + 3) % 7 === 0;
      const aligned =
        dayStep % 7 === 0 ? monday && ((day + 3) / 7) % (dayStep / 7) === 0 : day % dayStep === 0;
      if (aligned) keep(start);
    }
  }
  return ticks.sort((a, b) => a - b).filter((t, i, all) => i === 0 || t !== all[i - 1]);
}

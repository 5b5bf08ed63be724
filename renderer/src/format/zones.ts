/** Offset of a time zone from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which a wall-clock time ("2026-10-23", "2026-10-23T14:00") happens in a time zone. Two passes
 * settle the offset across a daylight-saving change.
 */
export function zonedToEpoch(wall: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(wall);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0'] = match;
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

/** The zones the runtime knows, for the time-zone picker. */
export function knownTimeZones(): string[] {
  const withList = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return withList.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

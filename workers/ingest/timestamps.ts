/**
 * Time parsing for imports. This is on the hot path (one call per row of a million-row file), so:
 *
 * - the fixed-position ISO-like layouts are scanned by hand with `charCodeAt` (no regex, no `Date.parse`,
 *   no `Intl` per row) and turned into epoch milliseconds with integer arithmetic;
 * - strings that carry their own offset (`Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `+02`) never touch the zone
 *   code;
 * - naive wall-clock times are placed in the import's IANA zone through a per-zone cache keyed by the local
 *   (wall-clock) hour. Each new local hour costs a handful of `tzOffset` (`@date-fns/tz`) calls; every
 *   further row in that hour is one `Map` lookup (or none, when consecutive rows share the hour).
 *
 * DST rules for naive times (the same as Temporal's default `"compatible"` disambiguation):
 * - an ambiguous wall time (the repeated hour when clocks go back, e.g. Europe/Berlin 2019-10-27 02:30)
 *   resolves to the FIRST (earlier) occurrence, i.e. the summer-time instant 00:30Z;
 * - a non-existent wall time (the skipped hour when clocks go forward, e.g. Europe/Berlin 2019-03-31 02:30)
 *   is shifted FORWARD by the length of the gap: it becomes 03:30 summer time (01:30Z).
 *
 * Every parser returns integer epoch milliseconds (UTC), rounded down when the input is finer than a
 * millisecond, or `null` when the value is empty or cannot be read.
 */
import { tzOffset } from '@date-fns/tz';
import { FunnelscopeError } from '../../shared/errors';
import type { TimeFormat } from '../../shared/ingest';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** The range of a JavaScript Date; values outside it are rejected. */
const MAX_EPOCH_MS = 8.64e15;

// ---------------------------------------------------------------------------------------------------------
// Time zones

const zoneNameCache = new Map<string, string>();

/**
 * Throws BAD_ARGUMENT unless `zone` is a time zone the runtime knows (IANA names such as `Europe/Berlin`,
 * plus aliases like `UTC`). Returns the canonical name.
 */
export function assertTimeZone(zone: string): string {
  const known = typeof zone === 'string' ? zoneNameCache.get(zone) : undefined;
  if (known !== undefined) return known;
  let canonical: string | undefined;
  if (typeof zone === 'string' && zone.trim() !== '') {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      canonical = undefined;
    }
  }
  if (canonical === undefined || Number.isNaN(tzOffset(zone, new Date(0)))) {
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `Unknown time zone "${String(zone)}"; use an IANA name such as Europe/Berlin or UTC`,
      { timeZone: zone },
    );
  }
  zoneNameCache.set(zone, canonical);
  return canonical;
}

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Etc/Zulu',
]);

/** Offset of `zone` (ms, east positive) at UTC instant `utcMs`, straight from `@date-fns/tz`. */
function rawOffsetMs(zone: string, utcMs: number): number {
  return Math.round(tzOffset(zone, new Date(utcMs)) * MS_PER_MINUTE);
}

/**
 * Converts wall-clock milliseconds (the local fields read as if they were UTC) of one zone to UTC.
 * Results are cached per local hour: a plain hour stores its offset; an hour that contains a DST switch
 * stores the wall time at which the offset changes and the offsets before and after it.
 */
class ZoneResolver {
  private readonly zone: string;
  /** Local hour → offset (ms) to subtract, or the switch inside that hour. */
  private readonly hours = new Map<number, number | HourSwitch>();
  /** UTC hour → offset (ms) of the zone, or the switch inside that hour. */
  private readonly utcHours = new Map<number, number | HourSwitch>();
  private lastHour = Number.NaN;
  private lastOffset = 0;

  constructor(zone: string) {
    this.zone = zone;
  }

  /** UTC milliseconds of the wall time `wall` (see the module comment for DST handling). */
  toUtc(wall: number): number {
    const hour = Math.floor(wall / MS_PER_HOUR);
    if (hour === this.lastHour) return wall - this.lastOffset;
    let entry = this.hours.get(hour);
    if (entry === undefined) {
      if (this.hours.size >= 200_000) this.hours.clear();
      entry = this.localHourEntry(hour);
      this.hours.set(hour, entry);
    }
    if (typeof entry === 'number') {
      this.lastHour = hour;
      this.lastOffset = entry;
      return wall - entry;
    }
    return wall - (wall < entry.at ? entry.before : entry.after);
  }

  /** Offset at a UTC instant, cached per UTC hour (with the exact switch instant inside a switch hour). */
  offsetAt(utc: number): number {
    const hour = Math.floor(utc / MS_PER_HOUR);
    let entry = this.utcHours.get(hour);
    if (entry === undefined) {
      if (this.utcHours.size >= 200_000) this.utcHours.clear();
      entry = this.utcHourEntry(hour);
      this.utcHours.set(hour, entry);
    }
    if (typeof entry === 'number') return entry;
    return utc < entry.at ? entry.before : entry.after;
  }

  private utcHourEntry(hour: number): number | HourSwitch {
    const start = hour * MS_PER_HOUR;
    const before = rawOffsetMs(this.zone, start);
    const after = rawOffsetMs(this.zone, start + MS_PER_HOUR);
    if (before === after) return before;
    // Binary search the first millisecond that has the new offset.
    let lo = start;
    let hi = start + MS_PER_HOUR;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (rawOffsetMs(this.zone, mid) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi, before, after };
  }

  /**
   * Offset to subtract from a wall time (Temporal "compatible" disambiguation): looks at the offsets a day
   * before and after, and keeps the candidate instants that really show this wall time.
   */
  private resolveOffset(wall: number): number {
    const before = this.offsetAt(wall - MS_PER_DAY);
    const after = this.offsetAt(wall + MS_PER_DAY);
    const validBefore = this.offsetAt(wall - before) === before;
    if (before === after) return validBefore ? before : this.offsetAt(wall - before);
    const validAfter = this.offsetAt(wall - after) === after;
    if (validBefore && validAfter) return Math.max(before, after); // ambiguous: earlier instant
    if (validBefore) return before;
    if (validAfter) return after;
    return before; // in the gap: keep the pre-transition offset, which moves the time forward by the gap
  }

  private localHourEntry(hour: number): number | HourSwitch {
    const start = hour * MS_PER_HOUR;
    const end = start + MS_PER_HOUR - 1;
    const before = this.resolveOffset(start);
    const after = this.resolveOffset(end);
    if (before === after) return before;
    // The resolved offset changes once inside the hour: find the first wall millisecond using `after`.
    let lo = start;
    let hi = end;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.resolveOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi, before, after };
  }
}

interface HourSwitch {
  at: number;
  before: number;
  after: number;
}

const resolvers = new Map<string, ZoneResolver>();

function resolverFor(zone: string): ZoneResolver {
  let resolver = resolvers.get(zone);
  if (!resolver) {
    resolver = new ZoneResolver(zone);
    resolvers.set(zone, resolver);
  }
  return resolver;
}

// ---------------------------------------------------------------------------------------------------------
// ISO-like strings

/** Set by `scanIso`: whether the string carried an offset, and that offset in ms (east positive). */
let scanHasOffset = false;
let scanOffsetMs = 0;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Reads `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)fffffffff]]][ ][Z|z|UTC|GMT|±HH[:MM]|±HHMM]` (surrounding
 * whitespace allowed) and returns the wall-clock milliseconds, or NaN. Sets `scanHasOffset`/`scanOffsetMs`.
 */
function scanIso(s: string): number {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  if (end - start < 10) return Number.NaN;

  const y1 = two(s, start);
  const y2 = two(s, start + 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45) return Number.NaN;
  const year = y1 * 100 + y2;
  const month = two(s, start + 5);
  const day = two(s, start + 8);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;

  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
  scanHasOffset = false;
  scanOffsetMs = 0;
  let i = start + 10;
  if (i === end) return ms;

  const sep = s.charCodeAt(i);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) return Number.NaN;
  if (end - i < 6 || s.charCodeAt(i + 3) !== 58) return Number.NaN;
  const hour = two(s, i + 1);
  const minute = two(s, i + 4);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  ms += hour * MS_PER_HOUR + minute * MS_PER_MINUTE;
  i += 6;

  if (i < end && s.charCodeAt(i) === 58 /* : */) {
    const second = end - i >= 3 ? two(s, i + 1) : -1;
    if (second < 0 || second > 59) return Number.NaN;
    ms += second * 1000;
    i += 3;
    const dot = i < end ? s.charCodeAt(i) : 0;
    if (dot === 46 /* . */ || dot === 44 /* , */) {
      i++;
      const fracStart = i;
      let millis = 0;
      while (i < end && isDigit(s.charCodeAt(i))) {
        if (i - fracStart < 3) millis = millis * 10 + (s.charCodeAt(i) - 48);
        i++;
      }
      const digits = i - fracStart;
      if (digits === 0 || digits > 9) return Number.NaN;
      if (digits === 1) millis *= 100;
      else if (digits === 2) millis *= 10;
      ms += millis;
    }
  }
  if (i === end) return ms;

  // Zone designator, optionally after one space.
  if (s.charCodeAt(i) === 32) i++;
  const left = end - i;
  const c = s.charCodeAt(i);
  if (left === 1 && (c === 90 /* Z */ || c === 122) /* z */) {
    scanHasOffset = true;
    return ms;
  }
  if (left === 3) {
    const c1 = c | 32;
    const c2 = s.charCodeAt(i + 1) | 32;
    const c3 = s.charCodeAt(i + 2) | 32;
    // utc / gmt, any case
    if ((c1 === 117 && c2 === 116 && c3 === 99) || (c1 === 103 && c2 === 109 && c3 === 116)) {
      scanHasOffset = true;
      return ms;
    }
  }
  if (c === 43 /* + */ || c === 45 /* - */) {
    const oh = left >= 3 ? two(s, i + 1) : -1;
    let om = 0;
    if (left === 3) om = 0;
    else if (left === 5) om = two(s, i + 3);
    else if (left === 6 && s.charCodeAt(i + 3) === 58) om = two(s, i + 4);
    else return Number.NaN;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    const offset = oh * MS_PER_HOUR + om * MS_PER_MINUTE;
    scanHasOffset = true;
    scanOffsetMs = c === 43 ? offset : -offset;
    return ms;
  }
  return Number.NaN;
}

/** True when `s` starts (after whitespace) with `DDDD-`, i.e. looks like an ISO date rather than a number. */
function looksIso(s: string): boolean {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return (
    s.length - i >= 5 &&
    isDigit(s.charCodeAt(i)) &&
    isDigit(s.charCodeAt(i + 1)) &&
    isDigit(s.charCodeAt(i + 2)) &&
    isDigit(s.charCodeAt(i + 3)) &&
    s.charCodeAt(i + 4) === 45
  );
}

// ---------------------------------------------------------------------------------------------------------
// Epoch values

type EpochFormat = 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';

/** Decimal exponent that turns a value of the unit into milliseconds. */
const UNIT_EXPONENT: Record<EpochFormat, number> = { epoch_s: 3, epoch_ms: 0, epoch_us: -3, epoch_ns: -6 };

/** Unit by magnitude: seconds below 1e11 (year 5138), ms below 1e14, µs below 1e17, nanoseconds above. */
function unitOfMagnitude(abs: number): EpochFormat {
  if (abs < 1e11) return 'epoch_s';
  if (abs < 1e14) return 'epoch_ms';
  if (abs < 1e17) return 'epoch_us';
  return 'epoch_ns';
}

function inRange(ms: number): number | null {
  return ms >= -MAX_EPOCH_MS && ms <= MAX_EPOCH_MS ? ms : null;
}

function numberToMs(n: number, exponent: number): number | null {
  if (!Number.isFinite(n)) return null;
  let ms: number;
  if (exponent === 3) {
    if (Math.abs(n) > MAX_EPOCH_MS / 1000) return null;
    // Round to whole microseconds first so that 1570000000.123 (really ...122999...) gives ...123 ms.
    ms = Math.floor(Math.round(n * 1e6) / 1000);
  } else if (exponent === 0) ms = Math.floor(n);
  else if (exponent === -3) ms = Math.floor(n / 1e3);
  else ms = Math.floor(n / 1e6);
  return inRange(ms === 0 ? 0 : ms);
}

function bigintToMs(b: bigint, exponent: number): number | null {
  let ms: bigint;
  if (exponent === 3) ms = b * 1000n;
  else if (exponent === 0) ms = b;
  else {
    const divisor = exponent === -3 ? 1000n : 1_000_000n;
    ms = b / divisor;
    if (b < 0n && ms * divisor !== b) ms -= 1n; // floor, not truncation
  }
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) return null;
  return Number(ms);
}

/** Bounds of the number inside a numeric string, found by `scanNumber`. */
let numIntStart = 0;
let numIntLen = 0;
let numFracStart = 0;
let numFracLen = 0;
let numNegative = false;

/**
 * Scans `[ws][+|-]digits[.digits][ws]`; returns 1 when it matched, 0 when it is not a plain decimal, and 2
 * when it has an exponent (left to `Number`). Sets the `num*` bounds.
 */
function scanNumber(s: string): 0 | 1 | 2 {
  let i = 0;
  let end = s.length;
  while (i < end && s.charCodeAt(i) <= 32) i++;
  while (end > i && s.charCodeAt(end - 1) <= 32) end--;
  if (i === end) return 0;
  numNegative = false;
  const sign = s.charCodeAt(i);
  if (sign === 45 || sign === 43) {
    numNegative = sign === 45;
    i++;
  }
  numIntStart = i;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  numIntLen = i - numIntStart;
  numFracStart = i;
  numFracLen = 0;
  if (i < end && s.charCodeAt(i) === 46) {
    i++;
    numFracStart = i;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
    numFracLen = i - numFracStart;
  }
  if (numIntLen + numFracLen === 0) return 0;
  if (i === end) return 1;
  const e = s.charCodeAt(i) | 32;
  return e === 101 ? 2 : 0;
}

/** Epoch ms from a numeric string, exact (no floating point): shifts the decimal point by `exponent`. */
function decimalStringToMs(s: string, exponent: number): number | null {
  const total = numIntLen + numFracLen;
  const cut = numIntLen + exponent; // digits that make up the whole milliseconds
  let acc = 0;
  for (let k = 0; k < cut; k++) {
    const digit =
      k >= total
        ? 0
        : k < numIntLen
          ? s.charCodeAt(numIntStart + k) - 48
          : s.charCodeAt(numFracStart + k - numIntLen) - 48;
    acc = acc * 10 + digit;
    if (acc > MAX_EPOCH_MS) return null;
  }
  if (!numNegative) return acc;
  let remainder = false;
  for (let k = Math.max(cut, 0); k < total && !remainder; k++) {
    const code = k < numIntLen ? s.charCodeAt(numIntStart + k) : s.charCodeAt(numFracStart + k - numIntLen);
    remainder = code !== 48;
  }
  const ms = -acc - (remainder ? 1 : 0);
  return ms === 0 ? 0 : inRange(ms);
}

function epochToMs(raw: unknown, format: EpochFormat): number | null {
  const exponent = UNIT_EXPONENT[format];
  if (typeof raw === 'number') return numberToMs(raw, exponent);
  if (typeof raw === 'string') {
    const kind = scanNumber(raw);
    if (kind === 1) return decimalStringToMs(raw, exponent);
    if (kind === 2) return numberToMs(Number(raw), exponent);
    return null;
  }
  if (typeof raw === 'bigint') return bigintToMs(raw, exponent);
  if (raw instanceof Date) return dateToMs(raw);
  return null;
}

function dateToMs(d: Date): number | null {
  const t = d.getTime();
  return Number.isNaN(t) ? null : t;
}

// ---------------------------------------------------------------------------------------------------------
// Detection and parser factory

type Detected = 'iso' | EpochFormat | null;

/** The layout of one value, or null when it is empty or unreadable. */
function classify(raw: unknown): Detected {
  if (typeof raw === 'number') return Number.isFinite(raw) ? unitOfMagnitude(Math.abs(raw)) : null;
  if (typeof raw === 'bigint') return unitOfMagnitude(Math.abs(Number(raw)));
  if (typeof raw !== 'string') return null;
  if (looksIso(raw)) return Number.isNaN(scanIso(raw)) ? null : 'iso';
  const kind = scanNumber(raw);
  if (kind === 0) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? unitOfMagnitude(Math.abs(n)) : null;
}

/**
 * Decides the layout of a time column from a sample of its values, by majority: ISO-like strings give
 * `iso`; numbers, numeric strings and bigints give the epoch unit of their magnitude (seconds below 1e11,
 * milliseconds below 1e14, microseconds below 1e17, nanoseconds above), so `1570000000.123` is seconds.
 * Returns `auto` (decide per value) when no sampled value is readable (empty sample, only Date objects or
 * only garbage).
 */
export function detectTimeFormat(samples: unknown[]): TimeFormat {
  const counts = new Map<Exclude<Detected, null>, number>();
  for (const sample of samples) {
    const kind = classify(sample);
    if (kind !== null) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  let best: TimeFormat = 'auto';
  let bestCount = 0;
  for (const [kind, count] of counts) {
    if (count > bestCount) {
      best = kind;
      bestCount = count;
    }
  }
  return best;
}

/**
 * A parser from raw values (string, number, bigint or Date) of the given layout to epoch milliseconds UTC,
 * or null when a value cannot be read. Naive ISO times (no offset) are read in `timeZone`, which must be a
 * known IANA zone (else BAD_ARGUMENT). Date objects are accepted whatever the layout.
 */
export function makeTimeParser(format: TimeFormat, timeZone: string): (raw: unknown) => number | null {
  const zone = assertTimeZone(timeZone);
  const resolver = UTC_NAMES.has(zone) ? null : resolverFor(zone);

  const parseIso = (raw: unknown): number | null => {
    if (typeof raw !== 'string') return raw instanceof Date ? dateToMs(raw) : null;
    const wall = scanIso(raw);
    if (wall !== wall) return null; // NaN
    if (scanHasOffset) return inRange(wall - scanOffsetMs);
    return inRange(resolver === null ? wall : resolver.toUtc(wall));
  };

  switch (format) {
    case 'iso':
      return parseIso;
    case 'epoch_s':
    case 'epoch_ms':
    case 'epoch_us':
    case 'epoch_ns':
      return (raw) => epochToMs(raw, format);
    case 'auto':
      return (raw) => {
        if (raw instanceof Date) return dateToMs(raw);
        const kind = classify(raw);
        if (kind === null) return null;
        return kind === 'iso' ? parseIso(raw) : epochToMs(raw, kind);
      };
    default:
      throw new FunnelscopeError('BAD_ARGUMENT', `Unknown time format "${String(format)}"`);
  }
}

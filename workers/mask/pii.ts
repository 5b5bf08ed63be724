/**
 * Detection and redaction of personal data: e-mail addresses, phone numbers, IP addresses and payment card
 * numbers.
 *
 * The rules lean towards NOT flagging the identifiers an e-commerce export is full of: plain integer ids
 * (product 44600062, category 2103807459595387724), prices, dates, versions and UUIDs. So:
 * - a phone number needs a shape, not just digits: E.164 (`+` and 8–15 digits, separators allowed), the
 *   `00` international prefix, or a national layout with separators (`030 1234567`, `(030) 1234567`,
 *   `555-123-4567`, `01 23 45 67 89`); a bare run of digits counts only in a column whose name says phone;
 * - a card number is 13–19 digits (optionally grouped by spaces or dashes) with an issuer prefix and length
 *   of a major card network (see `cardLayout`) and a valid Luhn check digit;
 * - IP addresses are validated with `node:net` (IPv4 without leading zeros, IPv6 incl. `::` forms).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { PiiFinding } from '../../shared/ingest';

export type PiiKind = 'email' | 'phone' | 'ip' | 'card';

/** At most this many non-empty values of a sample are looked at. */
const MAX_SAMPLE = 2000;
/** Share of matching values from which a column is reported whatever its name. */
const MIN_SHARE = 0.3;

const EMAIL_WHOLE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const EMAIL_IN_TEXT =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9-])/g;
const IPV4_IN_TEXT = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g;
const IPV6_IN_TEXT =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:])/g;
/** Runs of digits and phone/card punctuation, starting and ending with a digit (or a closing parenthesis). */
const NUMBER_SPAN = /(?<![\w.@])\+?\(?\d[\d ()./-]*\d\)?/g;

// ---------------------------------------------------------------------------------------------------------
// Digit groups: the shared reading of phone and card layouts

interface Group {
  /** Start of the group in the text, including an opening parenthesis. */
  start: number;
  /** End (exclusive), including a closing parenthesis. */
  end: number;
  digits: string;
  paren: boolean;
  /** The separator before this group: '', ' ', '-', '.', '/'. */
  sep: string;
}

const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Reads digit groups from `pos` until the layout breaks: groups may be wrapped in parentheses and are
 * separated by at most one of `-./` with optional single spaces around it. Returns the groups and where
 * reading stopped (the start of what could not be read).
 */
function readGroups(text: string, pos: number, end: number): { groups: Group[]; stop: number } {
  const groups: Group[] = [];
  let sep = '';
  let i = pos;
  for (;;) {
    const groupStart = i;
    let paren = false;
    if (i < end && text.charCodeAt(i) === OPEN_PAREN) {
      paren = true;
      i++;
    }
    const digitsStart = i;
    while (i < end && isDigitCode(text.charCodeAt(i))) i++;
    if (i === digitsStart || (paren && (i >= end || text.charCodeAt(i) !== CLOSE_PAREN))) {
      return { groups, stop: groupStart };
    }
    const digits = text.slice(digitsStart, i);
    if (paren) i++;
    groups.push({ start: groupStart, end: i, digits, paren, sep });
    if (i >= end) return { groups, stop: i };
    // Separator: [space] [-./] [space], or nothing before a parenthesis.
    const sepStart = i;
    let mark = '';
    if (text.charCodeAt(i) === 32) i++;
    const c = i < end ? text.charCodeAt(i) : 0;
    if (c === 45 || c === 46 || c === 47) {
      mark = text[i] ?? '';
      i++;
      if (i < end && text.charCodeAt(i) === 32) i++;
    } else if (i > sepStart) mark = ' ';
    const next = i < end ? text.charCodeAt(i) : 0;
    if (!(isDigitCode(next) || next === OPEN_PAREN) || (mark === '' && next !== OPEN_PAREN && !paren)) {
      return { groups, stop: sepStart };
    }
    sep = mark;
  }
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let k = digits.length - 1; k >= 0; k--) {
    let d = digits.charCodeAt(k) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefix and length of the major card networks: Visa 4 (13/16/19), Mastercard 51–55 and 2221–2720
 * (16), Mir 2200–2204 (16), Amex 34/37 (15), Diners 30/36/38/39 (14–19), JCB 35 (16–19), Maestro 50/56–59
 * and Discover/UnionPay/Maestro 6 (13–19).
 */
function cardLayout(digits: string): boolean {
  const len = digits.length;
  const first = digits.charCodeAt(0) - 48;
  const second = digits.charCodeAt(1) - 48;
  switch (first) {
    case 2: {
      const p = Number(digits.slice(0, 4));
      return len === 16 && ((p >= 2221 && p <= 2720) || (p >= 2200 && p <= 2204));
    }
    case 3:
      if (second === 4 || second === 7) return len === 15;
      if (second === 5) return len >= 16;
      return (second === 0 || second === 6 || second === 8 || second === 9) && len >= 14;
    case 4:
      return len === 13 || len === 16 || len === 19;
    case 5:
      return second >= 1 && second <= 5 ? len === 16 : true;
    case 6:
      return true;
    default:
      return false;
  }
}

function joinDigits(groups: Group[], i: number, j: number): string {
  let digits = '';
  for (let k = i; k <= j; k++) digits += groups[k]?.digits ?? '';
  return digits;
}

function isCardGroups(groups: Group[], i: number, j: number, plus: boolean): boolean {
  if (plus) return false;
  for (let k = i; k <= j; k++) {
    const g = groups[k];
    if (!g || g.paren || (k > i && g.sep !== ' ' && g.sep !== '-')) return false;
  }
  const digits = joinDigits(groups, i, j);
  return digits.length >= 13 && digits.length <= 19 && cardLayout(digits) && luhnValid(digits);
}

/** `loose`: a bare run of 8–15 digits counts too (only used for columns whose name says phone). */
function isPhoneGroups(groups: Group[], i: number, j: number, plus: boolean, loose: boolean): boolean {
  const first = groups[i];
  if (!first) return false;
  const n = j - i + 1;
  const digits = joinDigits(groups, i, j);
  const count = digits.length;
  let dots = false;
  for (let k = i + 1; k <= j; k++) if (groups[k]?.sep === '.') dots = true;
  if (dots && n < 3) return false; // 1234567.89 is a number, not a phone
  if (dots && n === 4 && groups.slice(i, j + 1).every((g) => g.digits.length <= 3)) return false; // IP-like
  if (plus) return count >= 8 && count <= 15 && digits.charCodeAt(0) !== 48;
  if (n === 1) return loose && !first.paren && count >= 8 && count <= 15;
  // 0049 30 1234567: international prefix.
  if (digits.startsWith('00') && digits.charCodeAt(2) !== 48 && count >= 10 && count <= 15) return true;
  if (count < 8 || count > 13) return false;
  const lens: number[] = [];
  for (let k = i; k <= j; k++) lens.push(groups[k]?.digits.length ?? 0);
  // 1-800-555-1234
  if (n === 4 && first.digits === '1' && lens[1] === 3 && lens[2] === 3 && lens[3] === 4) return true;
  if (lens.some((len) => len < 2)) return false;
  // 2019-10-01, 01.10.2019, 10/01/2019 are dates.
  const second = groups[i + 1];
  const third = groups[i + 2];
  if (n === 3 && second && third && second.sep === third.sep && second.sep !== ' ') {
    if (
      (lens[0] === 4 && lens[1] === 2 && lens[2] === 2) ||
      (lens[0] === 2 && lens[1] === 2 && lens[2] === 4)
    )
      return false;
  }
  if (first.digits.charCodeAt(0) === 48 || first.paren) return true; // trunk prefix 0, or (area code)
  return n === 3 && lens[0] === 3 && lens[1] === 3 && lens[2] === 4; // 555-123-4567
}

/** Reads a whole value as digit groups; null unless the value is nothing but a (+)grouped number. */
function wholeGroups(value: string): { groups: Group[]; plus: boolean } | null {
  const plus = value.charCodeAt(0) === 43;
  const from = plus ? 1 : 0;
  const { groups, stop } = readGroups(value, from, value.length);
  return groups.length > 0 && stop === value.length ? { groups, plus } : null;
}

// ---------------------------------------------------------------------------------------------------------
// Whole values

function isEmail(value: string): boolean {
  return value.length <= 254 && value.includes('@') && EMAIL_WHOLE.test(value);
}

function isIp(value: string): boolean {
  if (isIPv4(value)) return true;
  return value.includes(':') && isIPv6(value) && /[0-9A-Fa-f]/.test(value);
}

/** The kind of one trimmed value, or null. */
function classifyValue(value: string, phoneHint: boolean): PiiKind | null {
  if (value.length < 3 || value.length > 320) return null;
  if (isEmail(value)) return 'email';
  if (isIp(value)) return 'ip';
  const whole = wholeGroups(value);
  if (!whole) return null;
  const last = whole.groups.length - 1;
  // In a phone column a Luhn-valid run of digits is a phone number, not a card.
  if (phoneHint && isPhoneGroups(whole.groups, 0, last, whole.plus, true)) return 'phone';
  if (isCardGroups(whole.groups, 0, last, whole.plus)) return 'card';
  if (isPhoneGroups(whole.groups, 0, last, whole.plus, false)) return 'phone';
  return null;
}

/** `userEmail`, `context.ip`, `Phone Number` → lower-case name tokens. */
function nameTokens(column: string): string[] {
  return column
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '');
}

const NAME_HINTS: Record<PiiKind, ReadonlySet<string>> = {
  email: new Set(['email', 'mail', 'emailaddress', 'mailaddress', 'emails']),
  phone: new Set([
    'phone',
    'phonenumber',
    'mobile',
    'mobilephone',
    'tel',
    'telephone',
    'msisdn',
    'cell',
    'fax',
  ]),
  ip: new Set(['ip', 'ips', 'ipv4', 'ipv6', 'ipaddress', 'ipaddr', 'remoteaddr', 'clientip', 'userip']),
  card: new Set(['card', 'cardnumber', 'cardno', 'creditcard', 'ccnumber', 'ccnum', 'pan']),
};

/** The kind a column's name points at, if it is an obvious identifier name. */
function hintedKind(column: string): PiiKind | null {
  const tokens = nameTokens(column);
  const joined = tokens.join('');
  for (const kind of ['email', 'phone', 'ip', 'card'] as const) {
    const hints = NAME_HINTS[kind];
    if (hints.has(joined) || tokens.some((token) => hints.has(token))) return kind;
    if (kind === 'card' && (joined.includes('creditcard') || joined.includes('cardnumber'))) return kind;
    if (kind === 'ip' && (joined.includes('ipaddress') || joined.includes('remoteaddr'))) return kind;
    if (kind === 'email' && joined.includes('emailaddress')) return kind;
  }
  return null;
}

function sampleString(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : null;
  if (typeof value === 'bigint') return String(value);
  return null;
}

/**
 * Looks at the non-empty values of a sampled column and reports personal data: the kind with the largest
 * share of matching values, when that share is at least 0.3, or when the column name is an obvious name for
 * that kind (`email`, `e_mail`, `phone`, `mobile`, `ip`, `ip_address`, `card`…) and at least one value
 * matches. Returns null for anything else. The action is always `pseudonymise` (the caller may change it).
 */
export function detectPii(column: string, values: unknown[]): PiiFinding | null {
  const hint = hintedKind(column);
  const counts: Record<PiiKind, number> = { email: 0, phone: 0, ip: 0, card: 0 };
  let total = 0;
  for (const raw of values) {
    const value = sampleString(raw);
    if (value === null) continue;
    total++;
    const kind = classifyValue(value, hint === 'phone');
    if (kind) counts[kind]++;
    if (total >= MAX_SAMPLE) break;
  }
  if (total === 0) return null;
  let best: PiiKind | null = null;
  let bestCount = 0;
  for (const kind of ['email', 'phone', 'ip', 'card'] as const) {
    const count = counts[kind];
    const qualifies = count / total >= MIN_SHARE || (kind === hint && count >= 1);
    if (qualifies && (count > bestCount || (count === bestCount && kind === hint))) {
      best = kind;
      bestCount = count;
    }
  }
  return best ? { column, kind: best, share: bestCount / total, action: 'pseudonymise' } : null;
}

// ---------------------------------------------------------------------------------------------------------
// Free text

/** Replaces card and phone numbers inside one run of digits and punctuation. */
function redactNumberSpan(span: string): string {
  let out = '';
  let copied = 0;
  let pos = 0;
  let plus = span.charCodeAt(0) === 43;
  if (plus) pos = 1;
  while (pos < span.length) {
    const { groups, stop } = readGroups(span, pos, span.length);
    let i = 0;
    while (i < groups.length) {
      let matched = -1;
      let label = '';
      const withPlus = plus && i === 0;
      for (let j = Math.min(groups.length - 1, i + 7); j >= i && matched < 0; j--) {
        if (isCardGroups(groups, i, j, withPlus)) {
          matched = j;
          label = '[card]';
        } else if (isPhoneGroups(groups, i, j, withPlus, false)) {
          matched = j;
          label = '[phone]';
        }
      }
      const from = groups[i];
      const to = groups[matched];
      if (from && to) {
        const start = withPlus ? from.start - 1 : from.start;
        out += span.slice(copied, start) + label;
        copied = to.end;
        i = matched + 1;
      } else i++;
    }
    plus = false;
    // Continue at the next digit or parenthesis after the place where the layout broke.
    pos = Math.max(stop, pos + 1);
    while (pos < span.length && !isDigitCode(span.charCodeAt(pos)) && span.charCodeAt(pos) !== OPEN_PAREN)
      pos++;
  }
  return copied === 0 ? span : out + span.slice(copied);
}

function ipv6Groups(candidate: string): number {
  let groups = 0;
  for (const part of candidate.split(':')) if (part !== '') groups++;
  return groups;
}

/** A quick pre-check: text without digits, `@` or `:` cannot contain anything this module redacts. */
function mayContainPii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 58) || c === 64) return true;
  }
  return false;
}

/**
 * Replaces e-mail addresses, IP addresses, card numbers and phone numbers inside free text with `[email]`,
 * `[ip]`, `[card]` and `[phone]`. Everything else (dates, times, versions, amounts, ids) is left as is.
 */
export function redactText(text: string): string {
  if (!mayContainPii(text)) return text;
  let out = text.includes('@') ? text.replace(EMAIL_IN_TEXT, '[email]') : text;
  out = out.replace(IPV4_IN_TEXT, (match) => (isIPv4(match) ? '[ip]' : match));
  if (out.includes(':')) {
    out = out.replace(IPV6_IN_TEXT, (match) =>
      match.length >= 3 && isIPv6(match) && ipv6Groups(match) >= 2 ? '[ip]' : match,
    );
  }
  return out.replace(NUMBER_SPAN, redactNumberSpan);
}

/** Whether `redactText` would change anything in `text`. */
export function containsPii(text: string): boolean {
  return mayContainPii(text) && redactText(text) !== text;
}

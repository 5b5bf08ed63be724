import crypto from 'node:crypto';
import { FunnelscopeError } from '../../shared/errors';

/**
 * An e-mail draft as an RFC 5322 message (.eml): headers, then a MIME multipart/alternative body with a
 * text/plain and a text/html part, both UTF-8 in quoted-printable. `X-Unsent: 1` makes Outlook (and others
 * that honour it) open the file as a draft to send, rather than as a received message. Nothing is sent here.
 */
export interface EmlDraft {
  from: string;
  to: string;
  subject: string;
  date: Date;
  text: string;
  html: string;
  /** Fixed in tests; random otherwise (letters only, so no digit run can look like an identifier). */
  boundary?: string;
  messageId?: string;
}

export const DEFAULT_FROM = 'Funnelscope <funnelscope@localhost>';
/** An empty group: a valid To header that names nobody, for the analyst to fill in. */
export const DEFAULT_TO = 'undisclosed-recipients:;';

const CRLF = '\r\n';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 date-time in UTC: "Tue, 24 Nov 2026 09:05:00 +0000". */
export function rfc5322Date(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Random lower-case letters: boundaries and message ids without digits. */
export function randomLetters(length: number): string {
  return [...crypto.randomBytes(length)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** RFC 2047 encoded words (UTF-8, base64) for a header value that is not plain ASCII, folded between words. */
export function encodeHeaderText(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  // At most 45 bytes per word keeps each encoded word under the 75 characters RFC 2047 allows.
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

const ADDR_SPEC = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;
const GROUP = /^[A-Za-z0-9 -]+:;$/;

function mailbox(part: string, field: string): string {
  const text = part.trim();
  if (ADDR_SPEC.test(text) || GROUP.test(text)) return text;
  const named = /^(.*)<([^<>]+)>$/.exec(text);
  if (named && ADDR_SPEC.test((named[2] as string).trim())) {
    const name = (named[1] as string).trim().replace(/^"(.*)"$/, '$1');
    const address = (named[2] as string).trim();
    if (!name) return `<${address}>`;
    const phrase = !isAscii(name)
      ? encodeHeaderText(name)
      : ATOM_PHRASE.test(name)
        ? name
        : `"${name.replace(/["\\]/g, '\\$&')}"`;
    return `${phrase} <${address}>`;
  }
  throw new FunnelscopeError(
    'BAD_ARGUMENT',
    `${field} "${text}" is not an e-mail address; write it as name@example.com or "Team <team@example.com>", ` +
      'several separated by commas.',
  );
}

/** Splits "a@x, \"Ops, on call\" <b@y>" at the commas outside quotes. */
function splitAddresses(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

/**
 * Checks a From or To value and writes it as a header value. Line breaks are refused outright: they would
 * let a value add headers of its own.
 */
export function addressHeader(value: string, field: 'From' | 'To'): string {
  if (/[\r\n]/.test(value)) throw new FunnelscopeError('BAD_ARGUMENT', `${field} must be on one line.`);
  const parts = splitAddresses(value);
  if (parts.length === 0) throw new FunnelscopeError('BAD_ARGUMENT', `${field} is empty; give an address.`);
  if (field === 'From' && parts.length > 1)
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      'From is one address (e.g. "Analytics <analytics@example.com>").',
    );
  return parts.map((p) => mailbox(p, field)).join(`,${CRLF} `);
}

const hex = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** Quoted-printable (RFC 2045) of UTF-8 text, lines ending in CRLF, none longer than 76 characters. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bytes = Buffer.from(line, 'utf8');
    const tokens = [...bytes].map((b, k) => {
      const last = k === bytes.length - 1;
      if ((b === 0x20 || b === 0x09) && last) return hex(b);
      if ((b >= 33 && b <= 126 && b !== 61) || b === 0x20 || b === 0x09) return String.fromCharCode(b);
      return hex(b);
    });
    let current = '';
    for (const token of tokens) {
      // 75 characters plus the soft break's "=" make 76.
      if (current.length + token.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += token;
    }
    out.push(current);
  }
  return out.join(CRLF);
}

/** The whole message, CRLF line endings throughout. */
export function buildEml(draft: EmlDraft): string {
  const boundary = `=_funnelscope_${draft.boundary ?? randomLetters(24)}`;
  const messageId = draft.messageId ?? `${randomLetters(24)}@funnelscope.localhost`;
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(body),
    ].join(CRLF);
  return [
    `From: ${addressHeader(draft.from, 'From')}`,
    `To: ${addressHeader(draft.to, 'To')}`,
    `Subject: ${encodeHeaderText(draft.subject)}`,
    `Date: ${rfc5322Date(draft.date)}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'X-Unsent: 1',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    part('text/plain', draft.text),
    part('text/html', draft.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

import zlib from 'node:zlib';
import { redactText } from '../mask/pii';
import type { Db } from '../store/workspace';

/** What a scan found: kinds and counts only, never the values (the message goes to the audit log). */
export type Finding = { kind: string; count: number };

const MARKERS = { email: '[email]', ip: '[ip]', phone: '[phone]', card: '[card]' } as const;
const LABELS: Record<string, string> = {
  email: 'e-mail address',
  ip: 'IP address',
  phone: 'phone number',
  card: 'card number',
  pseudonym: 'workspace pseudonym (user, session or order key)',
  identifier: 'identifier value seen at import',
};

const occurrences = (text: string, marker: string) => text.split(marker).length - 1;

/**
 * SVG geometry (path data, transforms, coordinates) is numbers the chart library wrote, not content:
 * runs of coordinates would otherwise look like phone numbers. Identifiers are still looked for there.
 */
function withoutGeometry(text: string): string {
  return text.replace(/\s(d|transform|points|viewBox|x|y|x1|y1|x2|y2|width|height|cx|cy|r)="[^"]*"/g, ' ');
}

/** E-mails, IP addresses, phone and card numbers, by the same rules as import's PII detection. */
export function piiFindings(text: string): Finding[] {
  const plain = withoutGeometry(text);
  const redacted = redactText(plain);
  if (redacted === plain) return [];
  return Object.entries(MARKERS).flatMap(([kind, marker]) => {
    const count = occurrences(redacted, marker) - occurrences(plain, marker);
    return count > 0 ? [{ kind, count }] : [];
  });
}

/** The identifiers a workspace knows: pseudonym integers of events, and identifier values seen at import. */
export interface KnownIdentifiers {
  /** Whether any of these decimal strings is a user, session or order key of the workspace. */
  pseudonymsAmong(candidates: Set<string>): number;
  values: Set<string>;
}

export function workspaceIdentifiers(db: Db, values: Set<string>): KnownIdentifiers {
  return {
    values,
    pseudonymsAmong(candidates) {
      if (candidates.size === 0) return 0;
      // One pass over the keys instead of holding millions of them: the candidates are few.
      const found = new Set<string>();
      const rows = db
        .prepare('SELECT user_key, session_key, order_key FROM events')
        .raw()
        .iterate() as Iterable<(number | null)[]>;
      for (const row of rows)
        for (const key of row) if (key !== null && candidates.has(String(key))) found.add(String(key));
      return found.size;
    },
  };
}

/** Text of a PDF for scanning: its raw bytes and its Flate-compressed streams inflated. */
export function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const parts = [raw];
  const stream = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = stream.exec(raw))) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      parts.push(zlib.inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      // Not Flate (an image, a font program): nothing readable to scan.
    }
    stream.lastIndex = end;
  }
  return parts.join('\n');
}

/** Scans the final bytes of an export: `content` for PII patterns, all of `text` for known identifiers. */
export function scanText(text: string, known: KnownIdentifiers, content = text): Finding[] {
  const findings = piiFindings(content);
  const digits = new Set((text.match(/\d{6,20}/g) ?? []).filter((d) => d.length <= 17));
  const pseudonyms = known.pseudonymsAmong(digits);
  if (pseudonyms > 0) findings.push({ kind: 'pseudonym', count: pseudonyms });
  let identifiers = 0;
  if (known.values.size > 0) {
    const tokens = new Set(text.match(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/g) ?? []);
    for (const value of known.values)
      if (tokens.has(value) || (value.length !== 22 && text.includes(value))) identifiers++;
  }
  if (identifiers > 0) findings.push({ kind: 'identifier', count: identifiers });
  return findings;
}

export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.count} ${LABELS[f.kind] ?? f.kind}${f.count === 1 ? '' : 's'}`).join(', ');
}

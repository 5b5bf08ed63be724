import Papa from 'papaparse';
import { FunnelscopeError } from '../../../shared/errors';
import { displayName } from './source';
import type { Compression } from './source';

/** How much of the (decompressed) start of a file is inspected for binary content and sniffing. */
export const SNIFF_BYTES = 64 * 1024;

export const DELIMITERS = [',', '\t', ';', '|'] as const;
export type Newline = '\n' | '\r\n' | '\r';

const PARQUET_MAGIC = Buffer.from('PAR1');

/** The extension that describes the content: `events.csv.gz` → `csv`. */
export function contentExtension(file: string): string {
  const name = displayName(file).toLowerCase();
  const parts = name.split('.');
  if (parts.length > 1 && (parts.at(-1) === 'gz' || parts.at(-1) === 'gzip')) parts.pop();
  return parts.length > 1 ? (parts.at(-1) ?? '') : '';
}

function hasGzipName(file: string): boolean {
  return /\.(gz|gzip|tgz)$/i.test(file);
}

const OTHER_COMPRESSIONS: { magic: number[]; name: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive (an Excel .xlsx workbook is one too)' },
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2-compressed' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
];

function startsWith(bytes: Uint8Array, magic: ArrayLike<number>): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

export function isParquet(bytes: Uint8Array): boolean {
  return startsWith(bytes, PARQUET_MAGIC);
}

/** gzip is recognised by its magic bytes; other compressions and archives are refused with a way out. */
export function detectCompression(rawHead: Buffer, file: string): Compression {
  if (rawHead[0] === 0x1f && rawHead[1] === 0x8b) return 'gzip';
  const name = displayName(file);
  for (const other of OTHER_COMPRESSIONS) {
    if (startsWith(rawHead, other.magic))
      throw new FunnelscopeError(
        'FILE_COMPRESSION',
        `${name} is ${other.name}, which Funnelscope cannot read. Extract or export the data as CSV, JSON Lines or Parquet (optionally gzip-compressed) and import that file.`,
        { path: file },
      );
  }
  if (hasGzipName(file))
    throw new FunnelscopeError(
      'FILE_COMPRESSION',
      `${name} is named like a gzip file but is not gzip-compressed. The file is damaged or misnamed; download it again, or rename it without ".gz" if it is plain text.`,
      { path: file },
    );
  return 'none';
}

/** Refuses UTF-16/32 text and binary content (NUL bytes) at the start of a text file. */
export function checkText(head: Buffer, file: string): void {
  const name = displayName(file);
  const utf16 = (endian: string) =>
    new FunnelscopeError(
      'FILE_ENCODING',
      `${name} is encoded as ${endian}, not UTF-8. Re-export it as UTF-8 (e.g. "CSV UTF-8" in Excel) and import it again.`,
      { path: file, encoding: endian },
    );
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00]) || startsWith(head, [0x00, 0x00, 0xfe, 0xff]))
    throw utf16('UTF-32');
  if (startsWith(head, [0xff, 0xfe])) throw utf16('UTF-16 (little-endian)');
  if (startsWith(head, [0xfe, 0xff])) throw utf16('UTF-16 (big-endian)');
  const firstNul = head.indexOf(0);
  if (firstNul === -1) return;
  // UTF-16 without a byte order mark: NULs in (nearly) every other byte.
  let even = 0;
  let odd = 0;
  const n = Math.min(head.length, 4096) & ~1;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (pairs >= 2 && odd > pairs * 0.6 && even < pairs * 0.1) throw utf16('UTF-16 (little-endian)');
  if (pairs >= 2 && even > pairs * 0.6 && odd < pairs * 0.1) throw utf16('UTF-16 (big-endian)');
  throw new FunnelscopeError(
    'FILE_BINARY',
    `${name} is a binary file, not text (it contains a NUL byte at offset ${firstNul}). Import a CSV, TSV, JSON Lines or Parquet export.`,
    { path: file, offset: firstNul },
  );
}

export type TextKind = 'jsonl' | 'delimited';

/** JSON Lines by extension or by a first `{`; refuses JSON arrays, pretty-printed JSON, HTML and XML. */
export function detectTextKind(text: string, file: string): TextKind {
  const name = displayName(file);
  const ext = contentExtension(file);
  const start = text.search(/\S/);
  const first = start === -1 ? '' : text[start];
  if (first === '[')
    throw new FunnelscopeError(
      'FORMAT_UNKNOWN',
      `${name} looks like a JSON array, not JSON Lines. Export one JSON object per line (.jsonl / .ndjson), or CSV.`,
      { path: file },
    );
  if (first === '<')
    throw new FunnelscopeError(
      'FORMAT_UNKNOWN',
      `${name} looks like HTML or XML, which Funnelscope cannot import. Export the data as CSV, JSON Lines or Parquet.`,
      { path: file },
    );
  if (ext === 'jsonl' || ext === 'ndjson' || first === '{') {
    const lineEnd = text.indexOf('\n', start);
    const firstLine = text.slice(start, lineEnd === -1 ? undefined : lineEnd).trim();
    if (firstLine === '{')
      throw new FunnelscopeError(
        'FORMAT_UNKNOWN',
        `${name} looks like pretty-printed JSON, not JSON Lines. Export one JSON object per line (.jsonl / .ndjson), or CSV.`,
        { path: file },
      );
    return 'jsonl';
  }
  return 'delimited';
}

export function sniffNewline(text: string): Newline {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr === -1) return '\n';
  if (lf === -1) return '\r';
  if (cr < lf) return cr + 1 === lf ? '\r\n' : '\r';
  return '\n';
}

/**
 * Picks the delimiter that splits the first rows into the most consistent number (> 1) of fields; ties go to more
 * fields. `.tsv`/`.tab` files prefer tab. Falls back to comma (a single-column file).
 */
export function sniffDelimiter(text: string, newline: Newline, complete: boolean, ext: string): string {
  let best: string | undefined;
  let bestDelta = Infinity;
  let bestFields = 0;
  const candidates =
    ext === 'tsv' || ext === 'tab' ? ['\t', ...DELIMITERS.filter((d) => d !== '\t')] : DELIMITERS;
  for (const delimiter of candidates) {
    const parser = new Papa.Parser({ delimiter, newline, preview: 20 });
    const rows = (parser.parse(text, 0, !complete) as { data: string[][] }).data.filter(
      (row) => !(row.length === 1 && row[0] === ''),
    );
    if (rows.length === 0) continue;
    let delta = 0;
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const fields = (rows[i] as string[]).length;
      total += fields;
      if (i > 0) delta += Math.abs(fields - (rows[i - 1] as string[]).length);
    }
    const average = total / rows.length;
    const headerFields = (rows[0] as string[]).length;
    if (headerFields < 2 || average < 1.99) continue;
    if (delta < bestDelta || (delta === bestDelta && average > bestFields)) {
      best = delimiter;
      bestDelta = delta;
      bestFields = average;
    }
  }
  return best ?? ',';
}

import { redactText } from '../mask/pii';
import type { OpenedFile } from './read/types';

const EXCERPT_LENGTH = 300;
const MASK = '[masked]';

/**
 * Rejected rows are kept for the analyst to inspect, so their excerpts are masked like imported data:
 * identifier and PII columns blanked, free text redacted.
 */
export class RejectMasker {
  private readonly indexes: Set<number>;
  private readonly delimiter: string;
  private readonly jsonKeys: RegExp | null;

  constructor(
    private readonly file: OpenedFile,
    private readonly sensitiveColumns: Set<string>,
  ) {
    this.indexes = new Set(file.columns.flatMap((c, i) => (sensitiveColumns.has(c) ? [i] : [])));
    this.delimiter = file.delimiter ?? ',';
    const leafKeys = [...sensitiveColumns].map((c) => c.split('.').pop() as string);
    this.jsonKeys =
      leafKeys.length > 0
        ? new RegExp(
            `("(?:${leafKeys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d[\\d.eE+-]*)`,
            'g',
          )
        : null;
  }

  record(record: unknown): string {
    if (Array.isArray(record))
      return this.cut(
        record.map((v, i) => (this.indexes.has(i) ? MASK : redactText(String(v ?? '')))).join(this.delimiter),
      );
    if (record && typeof record === 'object') {
      const masked: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record))
        masked[key] = this.sensitiveColumns.has(key)
          ? MASK
          : typeof value === 'string'
            ? redactText(value)
            : value;
      return this.cut(JSON.stringify(masked));
    }
    return this.cut(redactText(String(record)));
  }

  /** A raw line the reader could not parse: mask by position (delimited) or by key (JSON), then redact. */
  raw(raw: string): string {
    if (this.file.format === 'csv' || this.file.format === 'tsv') {
      const fields = raw.split(this.delimiter);
      return this.cut(
        fields.map((f, i) => (this.indexes.has(i) ? MASK : redactText(f))).join(this.delimiter),
      );
    }
    const keyed = this.jsonKeys ? raw.replace(this.jsonKeys, `$1"${MASK}"`) : raw;
    return this.cut(redactText(keyed));
  }

  private cut(text: string): string {
    return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
  }
}

import { Batcher, RAW_LIMIT, RECORD_OVERHEAD } from './batcher';
import { Utf8Decoder } from './decode';
import { flattenRecord } from './flatten';
import { openByteSource } from './source';
import type { Compression } from './source';
import type { CancelCheck, RecordBatch } from './types';

/** A line longer than this is rejected and skipped without being held in memory. */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** V8 echoes the start of the input in some messages; the reason must not carry row content (it is not masked). */
export function jsonErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `invalid JSON: ${message.replace(/, ".*" is not valid JSON$/s, '')}`;
}

function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

function handleLine(out: Batcher, text: string, start: number, end: number, line: number): void {
  let e = end;
  if (e > start && text.charCodeAt(e - 1) === 13) e--;
  if (e === start || (text.charCodeAt(start) !== 123 && isBlankLine(text, start, e))) return;
  const source = text.slice(start, e);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    out.reject(line, jsonErrorReason(error), source);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.reject(line, `expected a JSON object, found ${describe(value)}`, source);
    return;
  }
  out.records.push(flattenRecord(value as Record<string, unknown>));
  out.lines.push(line);
  out.weight += 2 * (e - start) + RECORD_OVERHEAD;
}

export interface JsonlReadOptions {
  batchSize: number;
  batchWeight?: number;
  isCancelled: CancelCheck;
}

/** Streams JSON Lines as flattened objects; blank lines are skipped, bad lines rejected with their line number. */
export async function* readJsonl(
  file: string,
  compression: Compression,
  options: JsonlReadOptions,
): AsyncGenerator<RecordBatch> {
  const { batchSize, isCancelled } = options;
  const source = openByteSource(file, compression);
  const decoder = new Utf8Decoder(file, compression === 'gzip');
  const out = new Batcher(batchSize, options.batchWeight);
  let partial = '';
  let line = 1;
  let skipping = false;
  try {
    for await (const chunk of source.chunks()) {
      if (isCancelled()) return;
      let text = decoder.decode(chunk);
      if (skipping) {
        const nl = text.indexOf('\n');
        if (nl === -1) continue;
        skipping = false;
        line++;
        text = text.slice(nl + 1);
      }
      const input = partial.length === 0 ? text : partial + text;
      let pos = 0;
      for (let nl = input.indexOf('\n'); nl !== -1; nl = input.indexOf('\n', pos)) {
        handleLine(out, input, pos, nl, line);
        line++;
        pos = nl + 1;
      }
      partial = input.slice(pos);
      if (partial.length > MAX_LINE_CHARS) {
        out.reject(
          line,
          `line is longer than ${MAX_LINE_CHARS / 1024 / 1024} MB`,
          partial.slice(0, RAW_LIMIT),
        );
        partial = '';
        skipping = true;
      }
      if (out.full) {
        while (out.full) yield out.take(source.bytesRead());
        if (isCancelled()) return;
      }
    }
    const last = partial + decoder.end();
    if (!skipping && last.length > 0) handleLine(out, last, 0, last.length, line);
    while (out.size > 0) {
      yield out.take(source.bytesRead());
      if (isCancelled()) return;
    }
  } finally {
    source.close();
  }
}

import Papa from 'papaparse';
import { FunnelscopeError } from '../../../shared/errors';
import { Batcher, FIELD_OVERHEAD, RECORD_OVERHEAD } from './batcher';
import { Utf8Decoder } from './decode';
import type { Newline } from './sniff';
import { displayName, openByteSource } from './source';
import type { Compression } from './source';
import type { CancelCheck, RecordBatch } from './types';

/** A record that has not ended after this many characters is treated as an unterminated quote. */
const MAX_RECORD_CHARS = 32 * 1024 * 1024;
const TAIL_AS_BYTES = 16 * 1024;

interface PapaResult {
  data: string[][];
  errors: { code: string; row?: number }[];
  meta: { cursor: number };
}

export interface CsvDialect {
  delimiter: string;
  newline: Newline;
}

export interface CsvHeader {
  /** Normalised column names (trimmed, empty → column_N, duplicates → name_2). */
  columns: string[];
  line: number;
}

/** Header cells become column names: trimmed, never empty, never duplicated (positions are kept). */
export function normaliseHeader(cells: string[]): string[] {
  const seen = new Set<string>();
  return cells.map((cell, i) => {
    let name = cell.trim();
    if (name === '') name = `column_${i + 1}`;
    if (seen.has(name)) {
      let k = 2;
      while (seen.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    seen.add(name);
    return name;
  });
}

function isBlank(row: string[]): boolean {
  return row.length === 1 && (row[0] as string).trim() === '';
}

function countChar(text: string, char: string, end: number): number {
  let n = 0;
  let i = text.indexOf(char);
  while (i !== -1 && i < end) {
    n++;
    i = text.indexOf(char, i + 1);
  }
  return n;
}

/** Finds where physical lines start in one piece of text; only moves forward (used for the raw text of rejects). */
class LineLocator {
  private pos = 0;
  constructor(
    private readonly text: string,
    private line: number,
    private readonly char: string,
  ) {}

  offsetOf(target: number): number {
    while (this.line < target) {
      const i = this.text.indexOf(this.char, this.pos);
      if (i === -1) return this.text.length;
      this.pos = i + 1;
      this.line++;
    }
    return this.pos;
  }
}

/** The parse state between chunks: header, the physical line of the unparsed text, and the batch in progress. */
class CsvState {
  header: CsvHeader | null = null;
  private ncols = 0;
  /** Physical line (1-based) at which the not-yet-parsed text starts. */
  line = 1;
  private readonly char: string;
  private readonly charCode: number;

  constructor(
    private readonly file: string,
    private readonly newline: Newline,
    readonly out: Batcher,
  ) {
    this.char = newline === '\r' ? '\r' : '\n';
    this.charCode = this.char.charCodeAt(0);
  }

  /** Rows parsed from text[0, end), which begins at `this.line`. */
  consume(rows: string[][], text: string, end: number): void {
    const newlines = countChar(text, this.char, end);
    const terminated = end > 0 && text.charCodeAt(end - 1) === this.charCode;
    // Every row ends with one newline (the last one maybe not, at the end of the file); any more newlines are
    // inside quoted fields, and only then are fields scanned to place each row on its physical line.
    const sequential = newlines === (terminated ? rows.length : rows.length - 1);
    const start = this.line;
    const before = this.out.records.length;
    this.take(rows, rows.length, text, sequential);
    this.line = start + newlines;
    this.out.weight +=
      end + (this.out.records.length - before) * (RECORD_OVERHEAD + FIELD_OVERHEAD * this.ncols);
  }

  /** Files rows[0, n) (rows begin at this.line); returns the line after them. */
  take(rows: string[][], n: number, text: string, sequential: boolean): number {
    let line = this.line;
    let locator: LineLocator | null = null;
    let ncols = this.ncols;
    const out = this.out;
    const char = this.char;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as string[];
      let span = 1;
      if (!sequential) {
        for (let f = 0; f < row.length; f++) {
          const field = row[f] as string;
          if (field.length > 0 && field.indexOf(char) !== -1) span += countChar(field, char, field.length);
        }
      }
      if (row.length === ncols && (ncols !== 1 || !isBlank(row))) {
        out.records.push(row);
        out.lines.push(line);
      } else if (isBlank(row)) {
        // blank line: skipped silently
      } else if (this.header === null) {
        this.header = { columns: normaliseHeader(row), line };
        ncols = this.ncols = row.length;
      } else {
        locator ??= new LineLocator(text, this.line, char);
        const from = locator.offsetOf(line);
        let to = locator.offsetOf(line + span);
        while (to > from && (text[to - 1] === '\n' || text[to - 1] === '\r')) to--;
        out.reject(line, `expected ${ncols} fields, found ${row.length}`, text.slice(from, to));
      }
      line += span;
    }
    return line;
  }

  /** Rejects the physical line `line` (which opens a quote that never closes); returns the text after it. */
  rejectUnterminated(text: string, line: number): { rest: string | null } {
    const locator = new LineLocator(text, this.line, this.char);
    const from = locator.offsetOf(line);
    const nl = text.indexOf(this.newline, from);
    const to = nl === -1 ? text.length : nl;
    if (this.header === null)
      throw new FunnelscopeError(
        'FORMAT_UNKNOWN',
        `The header line of ${displayName(this.file)} opens a quote that is never closed, so its columns cannot be read. Fix the header (or re-export the file) and import it again.`,
        { line },
      );
    this.out.reject(
      line,
      'unterminated quoted field: a quote opened on this line is never closed',
      text.slice(from, to),
    );
    this.line = line + 1;
    return { rest: nl === -1 ? null : text.slice(nl + this.newline.length) };
  }
}

export interface CsvReadOptions {
  batchSize: number;
  /** Estimated heap bytes after which a batch is handed out even if it has fewer than batchSize records. */
  batchWeight?: number;
  isCancelled: CancelCheck;
  /** Called once the header row has been read. */
  onHeader?: (header: CsvHeader) => void;
}

/**
 * Streams a delimited text file as batches of string[] records (header order). The header row is not a record.
 * Rows with the wrong number of fields and an unterminated quote are rejected, blank lines skipped.
 */
export async function* readCsv(
  file: string,
  compression: Compression,
  dialect: CsvDialect,
  options: CsvReadOptions,
): AsyncGenerator<RecordBatch> {
  const { batchSize, isCancelled } = options;
  const source = openByteSource(file, compression);
  const decoder = new Utf8Decoder(file, compression === 'gzip');
  const parser = new Papa.Parser({ delimiter: dialect.delimiter, newline: dialect.newline });
  const out = new Batcher(batchSize, options.batchWeight);
  const state = new CsvState(file, dialect.newline, out);
  let announced = false;
  const announce = () => {
    if (!announced && state.header) {
      announced = true;
      options.onHeader?.(state.header);
    }
  };
  // The unparsed tail of a chunk goes in front of the next one as bytes when short (decoding it again is cheaper
  // than concatenating and flattening two strings, and leaves less garbage), as text when long (a record that
  // spans many chunks is concatenated lazily instead of being re-encoded for each chunk).
  let tailBytes: Buffer | null = null;
  let tailText = '';
  let waitFor = 0;
  try {
    for await (const chunk of source.chunks()) {
      if (isCancelled()) return;
      const decoded = decoder.decode(chunk, tailBytes);
      let input = tailText.length === 0 ? decoded : tailText + decoded;
      tailBytes = null;
      tailText = '';
      if (input.length < waitFor) {
        tailText = input;
        continue;
      }
      let result = parser.parse(input, 0, true) as PapaResult;
      while (result.data.length === 0 && input.length > MAX_RECORD_CHARS) {
        // A record this long means a quote that never closes: give up on its first line and go on after it.
        const rest = state.rejectUnterminated(input, state.line).rest;
        if (rest === null) throw tooLong(file, state.line);
        input = rest;
        result = parser.parse(input, 0, true) as PapaResult;
      }
      if (result.data.length === 0) {
        // One record spans more than the text so far: read on (doubling, so long records stay linear).
        tailText = input;
        waitFor = input.length * 2;
        continue;
      }
      waitFor = 0;
      const end = result.meta.cursor;
      state.consume(result.data, input, end);
      if (end < input.length) {
        if (input.length - end <= TAIL_AS_BYTES) tailBytes = Buffer.from(input.slice(end));
        else tailText = input.slice(end);
      }
      announce();
      if (out.full) {
        while (out.full) yield out.take(source.bytesRead());
        if (isCancelled()) return;
      }
    }
    let input: string | null =
      tailText + (tailBytes ? decoder.decode(Buffer.alloc(0), tailBytes) : '') + decoder.end();
    while (input !== null && input.length > 0) {
      const result = parser.parse(input, 0, false) as PapaResult;
      const missing = result.errors.find((e) => e.code === 'MissingQuotes');
      if (!missing) {
        state.consume(result.data, input, input.length);
        break;
      }
      const good = missing.row ?? result.data.length - 1;
      const badLine = state.take(result.data, good, input, false);
      announce();
      input = state.rejectUnterminated(input, badLine).rest;
    }
    announce();
    while (out.size > 0) {
      yield out.take(source.bytesRead());
      if (isCancelled()) return;
    }
  } finally {
    source.close();
  }
}

function tooLong(file: string, line: number): FunnelscopeError {
  return new FunnelscopeError(
    'FORMAT_UNKNOWN',
    `Line ${line} of ${displayName(file)} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB without a line break; this does not look like a delimited text file. Export the data as CSV, JSON Lines or Parquet.`,
    { line },
  );
}

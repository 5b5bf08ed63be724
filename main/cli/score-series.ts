/**
 * `funnelscope score-series FILE.csv [--out FILE]`: scores a plain `timestamp,value` series with the generic
 * detectors (workers/detect/score-series.ts) and writes `timestamp,value,anomaly_score`, for benchmarks
 * against public time-series anomaly suites (NAB, Yahoo S5).
 *
 * The file is streamed: rows are parsed, scored and written one at a time, so memory does not grow with the
 * file. A header is optional (a first row whose timestamp cannot be read is one); with a header the columns
 * named `timestamp`/`timestamps`/`time` and `value` are used, otherwise the first two. Output rows keep the
 * input's timestamp and value text, so they join back to the input (and to a benchmark's labels) exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { FunnelscopeError } from '../../shared/errors';
import {
  SeriesScorer,
  describeSeriesScoring,
  detectTimeFormat,
  makeTimeParser,
} from '../../workers/pool/score-series';
import { CliUsageError, type StandaloneCommand } from './standalone';

const USAGE = 'score-series FILE.csv [--out FILE]';
const TIME_HEADERS = new Set(['timestamp', 'timestamps', 'time', 'datetime', 'date', 'ts']);
const OUTPUT_HEADER = 'timestamp,value,anomaly_score\n';
/** Output is written in chunks of about this many characters. */
const WRITE_CHUNK = 1 << 16;

type TimeParser = (raw: unknown) => number | null;

interface Columns {
  time: number;
  value: number;
}

function reasonOf(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (error as Error).message;
  }
}

function fileError(file: string, error: unknown): FunnelscopeError {
  return new FunnelscopeError('FILE_NOT_FOUND', `Cannot read ${file}: ${reasonOf(error)}.`);
}

function rowError(file: string, line: number, message: string): FunnelscopeError {
  return new FunnelscopeError('FORMAT_UNKNOWN', `${file} line ${line}: ${message}`);
}

/** A value cell as a number, or null when it is blank or not a finite number (missing data). */
function numericValue(cell: string | undefined): number | null {
  if (cell === undefined || cell.trim() === '') return null;
  const x = Number(cell);
  return Number.isFinite(x) ? x : null;
}

/** The columns named in a header row, else the first two. */
function columnsFromHeader(header: readonly string[]): Columns {
  const names = header.map((cell) => cell.trim().toLowerCase());
  const named = names.findIndex((name) => TIME_HEADERS.has(name));
  const time = named >= 0 ? named : 0;
  const valueNamed = names.findIndex((name, i) => i !== time && (name === 'value' || name === 'values'));
  const value = valueNamed >= 0 ? valueNamed : names.findIndex((_, i) => i !== time);
  return { time, value };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatScore(score: number): string {
  return String(Number(score.toFixed(6)));
}

/** Buffered writes with backpressure; a closed pipe (`| head`) ends the output quietly. */
class OutputWriter {
  private buffer = '';
  private failure: Error | null = null;
  closed = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.closed = true;
      else this.failure = error;
    });
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= WRITE_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer === '' || this.closed) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.stream.write(chunk)) return;
    // A full buffer drains, or the stream fails (EPIPE when the reader has gone): wait for either.
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('error', done);
    });
    if (this.failure) throw this.failure;
  }

  /** Flushes; ends the stream unless it is stdout. */
  async end(): Promise<void> {
    await this.flush();
    if (this.stream === process.stdout || this.closed) return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(resolve);
    });
  }
}

interface SeriesRow {
  line: number;
  /** The timestamp and value cells as written (trimmed). */
  rawTime: string;
  rawValue: string;
  time: number;
  value: number | null;
}

const UNREADABLE_TIME = (raw: string) => `cannot read the timestamp "${raw}" (ISO-8601 or epoch seconds/ms).`;

/** The rows of a parsed CSV as series rows: skips blank lines and a header, reads the timestamps. */
async function* seriesRows(file: string, cells: AsyncIterable<string[]>): AsyncGenerator<SeriesRow> {
  let line = 0;
  let columns: Columns | null = null;
  let parseTime: TimeParser | null = null;
  let dataRows = 0;
  for await (const row of cells) {
    line++;
    if (row.every((cell) => cell.trim() === '')) continue;
    if (line === 1 && row[0] !== undefined) row[0] = row[0].replace(/^\uFEFF/, '');
    if (columns === null && detectTimeFormat([row[0]?.trim()]) === 'auto') {
      columns = columnsFromHeader(row);
      if (columns.value < 0)
        throw rowError(file, line, 'the header has one column; expected timestamp,value.');
      continue;
    }
    columns ??= { time: 0, value: 1 };
    const rawTime = (row[columns.time] ?? '').trim();
    if (parseTime === null) {
      const format = detectTimeFormat([rawTime]);
      if (format === 'auto') throw rowError(file, line, UNREADABLE_TIME(rawTime));
      if (row.length < 2) throw rowError(file, line, 'only one column; expected timestamp,value rows.');
      parseTime = makeTimeParser(format, 'UTC');
    }
    const time = parseTime(rawTime);
    if (time === null) throw rowError(file, line, UNREADABLE_TIME(rawTime));
    const rawValue = (row[columns.value] ?? '').trim();
    dataRows++;
    yield { line, rawTime, rawValue, time, value: numericValue(rawValue) };
  }
  if (dataRows === 0)
    throw new FunnelscopeError(
      'FILE_EMPTY',
      `${file} ${columns === null ? 'is empty' : 'has a header but no rows'}: expected timestamp,value rows.`,
    );
}

/** Scores the rows in order and writes one output line per row; returns the scorer for its summary. */
async function scoreRows(
  file: string,
  rows: AsyncIterable<SeriesRow>,
  output: OutputWriter,
): Promise<SeriesScorer> {
  const scorer = new SeriesScorer();
  // Lines are held back until the first numeric value, so a file without one writes nothing.
  let pending: string[] | null = [OUTPUT_HEADER];
  for await (const row of rows) {
    let score: number;
    try {
      score = scorer.push(row).score;
    } catch (error) {
      throw rowError(file, row.line, `${(error as Error).message}.`);
    }
    const value = row.value === null ? '' : csvCell(row.rawValue);
    const text = `${csvCell(row.rawTime)},${value},${formatScore(score)}\n`;
    if (pending !== null) {
      pending.push(text);
      if (row.value === null) continue;
      for (const held of pending) await output.write(held);
      pending = null;
      continue;
    }
    await output.write(text);
    if (output.closed) break;
  }
  if (pending !== null)
    throw new FunnelscopeError(
      'NO_VALID_ROWS',
      `${file} has no numeric value in its value column: expected timestamp,value rows.`,
    );
  return scorer;
}

/** Streams `file` through the CSV parser, the scorer and `output`. */
async function scoreFile(file: string, output: OutputWriter): Promise<SeriesScorer> {
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const cells = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false }) as NodeJS.ReadWriteStream;
  input.on('error', (error) => cells.emit('error', fileError(file, error)));
  input.pipe(cells);
  try {
    return await scoreRows(file, seriesRows(file, cells as AsyncIterable<string[]>), output);
  } finally {
    input.destroy();
  }
}

/** Fails early, before any output file is created, when `file` is missing or a directory. */
function assertReadableFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw fileError(file, error);
  }
  if (stat.isDirectory()) throw fileError(file, { code: 'EISDIR' });
}

/** Writes to a temporary file beside `out`, renamed into place only when scoring succeeds. */
async function scoreToFile(file: string, out: string): Promise<SeriesScorer> {
  const temporary = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`);
  let stream: fs.WriteStream;
  try {
    // Created synchronously so that a missing folder is reported here, not as a later stream error.
    fs.writeFileSync(temporary, '');
    stream = fs.createWriteStream(temporary);
  } catch (error) {
    throw new FunnelscopeError('BAD_ARGUMENT', `Cannot write ${out}: ${reasonOf(error)}.`);
  }
  try {
    const output = new OutputWriter(stream);
    const scorer = await scoreFile(file, output);
    await output.end();
    fs.renameSync(temporary, out);
    return scorer;
  } catch (error) {
    stream.destroy();
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

export const scoreSeriesCommand: StandaloneCommand = {
  usage: USAGE,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CliUsageError(`score-series: ${(error as Error).message}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(`Usage: funnelscope ${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1)
      throw new CliUsageError(`score-series needs exactly one FILE.csv (usage: funnelscope ${USAGE}).`);
    if (values.out === '') throw new CliUsageError('--out needs a file name.');
    const file = positionals[0] as string;
    assertReadableFile(file);

    let scorer: SeriesScorer;
    if (values.out) scorer = await scoreToFile(file, values.out);
    else {
      const output = new OutputWriter(process.stdout);
      scorer = await scoreFile(file, output);
      await output.end();
    }
    for (const note of describeSeriesScoring(scorer.summary()))
      process.stderr.write(`score-series: ${note}\n`);
    return 0;
  },
};

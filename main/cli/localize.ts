/**
 * `funnelscope localize FILE.csv [--ratio] [--json]`: cohort localization (workers/attribute) on a plain
 * leaf table, for benchmarks against public root-cause datasets (RiskLoc, Squeeze).
 *
 * Input: a header row naming the columns; `real` and `predict` (with --ratio: `real_num`, `predict_num`,
 * `real_den`, `predict_den`) are the metric, every other column is a dimension. Output: one line, the
 * root-cause sets best first, separated by `;`, each written `dim=value&dim=value` with the pairs sorted
 * by dimension name (the papers' label format); `*` stands for the whole table when everything moved
 * together. With --json, the full result.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { FunnelscopeError } from '../../shared/errors';
import {
  LeafTableError,
  localize,
  type LeafTable,
  type LocalizationResult,
  type RootCause,
} from '../../workers/pool/attribute';
import { CliUsageError, type StandaloneCommand } from './standalone';

const USAGE = 'localize FILE.csv [--ratio] [--json]';
const ADDITIVE_COLUMNS = ['real', 'predict'] as const;
const RATIO_COLUMNS = ['real_num', 'predict_num', 'real_den', 'predict_den'] as const;

function expectedLayout(ratio: boolean): string {
  return `expected dimension columns, then ${(ratio ? RATIO_COLUMNS : ADDITIVE_COLUMNS).join(', ')}`;
}

function readText(file: string): string {
  try {
    if (fs.statSync(file).isDirectory())
      throw new FunnelscopeError('FILE_NOT_FOUND', `Cannot read ${file}: it is a directory.`);
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof FunnelscopeError) throw error;
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new FunnelscopeError('FILE_NOT_FOUND', `Cannot read ${file}: ${reason}.`);
  }
}

interface Layout {
  dimensions: string[];
  dimensionColumns: number[];
  metricColumns: number[];
}

/** Finds the metric columns by name; every other column is a dimension. */
function layoutOf(file: string, header: string[], ratio: boolean): Layout {
  const names = header.map((cell) => cell.trim());
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined)
    throw new FunnelscopeError('FORMAT_UNKNOWN', `${file}: the column "${repeated}" appears twice.`);
  const metrics = ratio ? RATIO_COLUMNS : ADDITIVE_COLUMNS;
  const lower = names.map((name) => name.toLowerCase());
  const metricColumns = metrics.map((metric) => lower.indexOf(metric));
  const missing = metrics.filter((_, k) => metricColumns[k]! < 0);
  if (missing.length > 0) {
    const hint = !ratio && lower.includes('real_num') ? ' (a ratio table? add --ratio)' : '';
    throw new FunnelscopeError(
      'FORMAT_UNKNOWN',
      `${file}: no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}${hint}; ${expectedLayout(ratio)}.`,
    );
  }
  const dimensionColumns = names.map((_, i) => i).filter((i) => !metricColumns.includes(i));
  if (dimensionColumns.length === 0)
    throw new FunnelscopeError('FORMAT_UNKNOWN', `${file}: no dimension column; ${expectedLayout(ratio)}.`);
  return { dimensions: dimensionColumns.map((i) => names[i]!), dimensionColumns, metricColumns };
}

/** The metric cells of a row as numbers ≥ 0, or an error naming the line and the column. */
function metricValues(file: string, line: number, cells: string[], layout: Layout, names: readonly string[]) {
  return layout.metricColumns.map((column, k) => {
    const cell = (cells[column] ?? '').trim();
    const value = cell === '' ? Number.NaN : Number(cell);
    if (!Number.isFinite(value))
      throw new FunnelscopeError(
        'FORMAT_UNKNOWN',
        `${file} line ${line}: ${names[k]} is ${cell === '' ? 'empty' : `not a number ("${cell}")`}.`,
      );
    if (value < 0)
      throw new FunnelscopeError(
        'FORMAT_UNKNOWN',
        `${file} line ${line}: ${names[k]} is negative (${cell}).`,
      );
    return value;
  });
}

/** Parses and checks the whole file into a leaf table. */
export function readLeafTable(file: string, ratio: boolean): LeafTable {
  const text = readText(file).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  // Papa reports lines as records; blank lines are kept so that record k is line k + 1.
  const records = parsed.data;
  const headerIndex = records.findIndex((row) => row.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0)
    throw new FunnelscopeError('FILE_EMPTY', `${file} is empty; ${expectedLayout(ratio)}.`);
  const header = records[headerIndex]!;
  const layout = layoutOf(file, header, ratio);
  const names = ratio ? RATIO_COLUMNS : ADDITIVE_COLUMNS;
  const additive: Extract<LeafTable, { kind: 'additive' }>['rows'] = [];
  const rates: Extract<LeafTable, { kind: 'ratio' }>['rows'] = [];
  for (let r = headerIndex + 1; r < records.length; r++) {
    const cells = records[r]!;
    const line = r + 1;
    if (cells.every((cell) => cell.trim() === '')) continue;
    if (cells.length !== header.length)
      throw new FunnelscopeError(
        'FORMAT_UNKNOWN',
        `${file} line ${line}: ${cells.length} columns where the header has ${header.length}.`,
      );
    const values = layout.dimensionColumns.map((i) => cells[i]!.trim());
    const numbers = metricValues(file, line, cells, layout, names);
    if (ratio) {
      const [realNum, predictNum, realDen, predictDen] = numbers as [number, number, number, number];
      rates.push({ values, realNum, predictNum, realDen, predictDen });
    } else {
      const [real, predict] = numbers as [number, number];
      additive.push({ values, real, predict });
    }
  }
  if (additive.length + rates.length === 0)
    throw new FunnelscopeError(
      'NO_VALID_ROWS',
      `${file} has a header but no rows; ${expectedLayout(ratio)}.`,
    );
  return ratio
    ? { kind: 'ratio', dimensions: layout.dimensions, rows: rates }
    : { kind: 'additive', dimensions: layout.dimensions, rows: additive };
}

/** `dim=value&dim=value`, pairs sorted by dimension name; `*` for the whole table. */
export function causeLabel(cause: RootCause): string {
  const names = Object.keys(cause.cohort).sort();
  return names.length === 0 ? '*' : names.map((name) => `${name}=${cause.cohort[name]}`).join('&');
}

function jsonReport(file: string, rows: number, result: LocalizationResult, durationMs: number) {
  return {
    file,
    rows,
    ...result,
    rootCauses: result.rootCauses.map((cause) => ({ set: causeLabel(cause), ...cause })),
    durationMs: Math.round(durationMs),
  };
}

export const localizeCommand: StandaloneCommand = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ratio: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`Usage: funnelscope ${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1)
      throw new CliUsageError(
        positionals.length === 0 ? 'localize needs a FILE.csv.' : 'localize takes one FILE.csv.',
      );
    const file = positionals[0]!;
    const table = readLeafTable(file, Boolean(values.ratio));
    const start = performance.now();
    let result: LocalizationResult;
    try {
      result = localize(table);
    } catch (error) {
      if (error instanceof LeafTableError)
        throw new FunnelscopeError('FORMAT_UNKNOWN', `${file}: ${error.message}.`);
      throw error;
    }
    const durationMs = performance.now() - start;
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify(jsonReport(file, table.rows.length, result, durationMs), null, 2)}\n`,
      );
      return 0;
    }
    process.stdout.write(`${result.rootCauses.map(causeLabel).join(';')}\n`);
    if (result.rootCauses.length === 0) process.stderr.write('No cohort stands out from the noise.\n');
    return 0;
  },
};

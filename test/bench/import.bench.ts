// npm run bench: Funnelscope's import (masking + dictionary encoding) against sqlite3's .import and DuckDB's
// read_csv on the same generated clickstream file, at 1M and 4M rows. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeClickstream } from './generate-clickstream';

const SIZES = (process.env.BENCH_ROWS ?? '1000000,4000000').split(',').map(Number);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-bench-'));

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function funnelscopeImport(file: string): { seconds: number; peakRssMb: number; rows: number } {
  const workspace = path.join(dir, `fs-${path.basename(file)}.fscope`);
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ['dist/cli.js', 'import', file, '--workspace', workspace, '--json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const elapsed = seconds(start);
  if (run.status !== 0) throw new Error(`funnelscope import failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout);
  return { seconds: elapsed, peakRssMb: out.resources.peakRssMb, rows: out.results[0].rowsImported };
}

function sqliteImport(file: string): number {
  const db = path.join(dir, `sqlite-${path.basename(file)}.db`);
  const start = process.hrtime.bigint();
  const run = spawnSync('sqlite3', [db, '.mode csv', `.import ${file} events`], { encoding: 'utf8' });
  const elapsed = seconds(start);
  if (run.status !== 0) throw new Error(`sqlite3 .import failed (install Debian's sqlite3): ${run.stderr}`);
  return elapsed;
}

async function duckdbImport(file: string): Promise<number> {
  const db = path.join(dir, `duck-${path.basename(file)}.duckdb`);
  const start = process.hrtime.bigint();
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE events AS SELECT * FROM read_csv('${file}')`);
  connection.closeSync();
  instance.closeSync();
  return seconds(start);
}

const bundle = spawnSync(process.execPath, ['build/scripts/bundle.mjs'], { stdio: 'inherit' });
if (bundle.status !== 0) process.exit(1);
const rows: string[] = [];
try {
  for (const size of SIZES) {
    const file = path.join(dir, `clickstream-${size}.csv`);
    const bytes = await writeClickstream(file, size);
    const fsRun = funnelscopeImport(file);
    if (fsRun.rows !== size) throw new Error(`imported ${fsRun.rows} of ${size} rows`);
    const sqliteSeconds = sqliteImport(file);
    const duckSeconds = await duckdbImport(file);
    const rate = (s: number) => `${Math.round(size / s).toLocaleString('en-US')} rows/s`;
    rows.push(
      `| ${size.toLocaleString('en-US')} | ${(bytes / 1e6).toFixed(0)} MB | ${fsRun.seconds.toFixed(2)} s (${rate(fsRun.seconds)}) | ` +
        `${fsRun.peakRssMb.toFixed(0)} MB | ${sqliteSeconds.toFixed(2)} s (${rate(sqliteSeconds)}) | ${(sqliteSeconds / fsRun.seconds).toFixed(2)}× | ` +
        `${duckSeconds.toFixed(2)} s (${rate(duckSeconds)}) | ${(duckSeconds / fsRun.seconds).toFixed(2)}× |`,
    );
    fs.rmSync(file);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(
  '\nImport benchmark (speed-up = reference time / Funnelscope time; > 1 means Funnelscope is faster)',
);
console.log(
  '| rows | file | Funnelscope import | peak RSS | sqlite3 .import | speed-up | DuckDB read_csv | speed-up |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);

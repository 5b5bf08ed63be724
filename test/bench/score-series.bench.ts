// npx tsx test/bench/score-series.bench.ts: throughput and memory of the plain-series scorer over 1M points
// (in process, then `funnelscope score-series` end to end on the same series as a CSV). Prints figures,
// asserts nothing. BENCH_POINTS (default 1000000), BENCH_STEP_MINUTES (default 5), BENCH_CLI=0 to skip
// the CLI run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SeriesScorer } from '../../workers/detect/score-series';
import { mulberry32 } from '../unit/support/random';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const STEP_MS = Number(process.env.BENCH_STEP_MINUTES ?? 5) * 60_000;
const T0 = Date.UTC(2015, 0, 1);

/** Daily wave, noise, a spike every 10 000 rows and a level shift every 50 000 (so alarms happen). */
function* series(): Generator<{ time: number; value: number | null }> {
  const rand = mulberry32(1);
  const perDay = 86_400_000 / STEP_MS;
  for (let i = 0; i < POINTS; i++) {
    const noise = Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
    const value =
      100 +
      30 * Math.sin((2 * Math.PI * i) / perDay) +
      3 * noise +
      (i % 10_000 === 5_000 ? 40 : 0) +
      (Math.floor(i / 50_000) % 2) * 15;
    yield { time: T0 + i * STEP_MS, value: i % 1_000 === 999 ? null : value };
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function inProcess(): void {
  const scorer = new SeriesScorer();
  const checkpoint = Math.max(1, Math.floor(POINTS / 4));
  let alarms = 0;
  let n = 0;
  const start = process.hrtime.bigint();
  for (const point of series()) {
    if (scorer.push(point).score > 0.9) alarms++;
    if (++n % checkpoint === 0) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const { heapUsed } = process.memoryUsage();
      console.log(
        `  ${n.toLocaleString('en-US')} points: ${Math.round(n / seconds).toLocaleString('en-US')} points/s, ` +
          `heap ${mb(heapUsed)}, rss ${mb(process.memoryUsage().rss)}`,
      );
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `scorer: ${POINTS.toLocaleString('en-US')} points in ${seconds.toFixed(1)} s = ` +
      `${Math.round(POINTS / seconds).toLocaleString('en-US')} points/s; ${alarms} rows scored > 0.9; ` +
      `peak rss ${mb(process.resourceUsage().maxRSS * 1024)}`,
  );
}

function endToEnd(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-bench-'));
  const file = path.join(dir, 'series.csv');
  const out = fs.openSync(file, 'w');
  let chunk = 'timestamp,value\n';
  for (const { time, value } of series()) {
    chunk += `${new Date(time).toISOString()},${value === null ? '' : value.toFixed(3)}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      // Report the child's own peak memory after the command has run.
      `const { main } = await import(${JSON.stringify(path.resolve('main/cli.ts'))});` +
        `const code = await main(['score-series', ${JSON.stringify(file)}, '--out', ${JSON.stringify(`${file}.scores`)}]);` +
        `process.stderr.write('peak rss ' + Math.round(process.resourceUsage().maxRSS / 1024) + ' MB\\n'); process.exitCode = code;`,
    ],
    { encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`score-series failed: ${run.stderr}`);
  const peak = /peak rss (\d+) MB/.exec(run.stderr)?.[1];
  console.log(
    `funnelscope score-series (CSV in, CSV out, incl. start-up): ${seconds.toFixed(1)} s = ` +
      `${Math.round(POINTS / seconds).toLocaleString('en-US')} rows/s, peak rss ${peak} MB`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`score-series bench: ${POINTS.toLocaleString('en-US')} points every ${STEP_MS / 60_000} min`);
inProcess();
if (process.env.BENCH_CLI !== '0') endToEnd();

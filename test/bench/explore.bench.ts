// npx tsx test/bench/explore.bench.ts [WORKSPACE]: timings of the explore API (series with and without the
// online baseline, breakdowns, drill-downs, funnel, dimensions) through the worker pool, as the renderer
// calls it. Without WORKSPACE a 14-day demo of 30,000 sessions a day (about 1.3M events) is made first
// (about 30 s). BENCH_RUNS (default 15) timed runs per query after one cold run. Prints figures, asserts
// nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi } from '../../main/api';
import type { FunnelscopeApi } from '../../shared/api';
import { loadOrCreateKey } from '../../workers/mask/keyfile';
import { EnginePool } from '../../workers/pool/pool';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const DAY = 86_400_000;

function demoWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-explore-bench-'));
  const workspace = path.join(dir, 'big.fscope');
  console.log(`Making a 14-day demo of 30,000 sessions a day in ${workspace} …`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve('main/cli.ts'),
      'demo',
      '--workspace',
      workspace,
      '--days',
      '14',
      '--sessions-per-day',
      '30000',
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`demo failed: ${run.stderr}`);
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return workspace;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

async function time(label: string, call: () => Promise<unknown>): Promise<void> {
  let started = performance.now();
  const result = await call();
  const cold = performance.now() - started;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    started = performance.now();
    await call();
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  const size = Array.isArray(result)
    ? `${result.length} rows`
    : result && typeof result === 'object' && 'times' in result
      ? `${(result as { times: unknown[] }).times.length} points`
      : '';
  console.log(
    `${label.padEnd(58)} first ${cold.toFixed(0).padStart(5)} ms   median ${quantile(runs, 0.5)
      .toFixed(0)
      .padStart(4)} ms   p95 ${quantile(runs, 0.95).toFixed(0).padStart(4)} ms   ${size}`,
  );
}

async function bench(api: FunnelscopeApi, workspace: string): Promise<void> {
  const info = await api.workspace.info(workspace);
  console.log(`${workspace}: ${JSON.stringify(info).slice(0, 200)}`);
  const all = await api.metrics.series(workspace, { metric: 'sessions' });
  const end = (all.times.at(-1) as number) + all.bucketMs;
  const start = all.times[0] as number;
  const lastWeek = { from: end - 7 * DAY, to: end };
  const lastDay = { from: end - DAY, to: end };
  const whole = { from: start, to: end };
  console.log(`${all.times.length} buckets of ${all.bucketMs / 60_000} minutes; ${RUNS} timed runs each\n`);

  await time('cohorts.dimensions', () => api.cohorts.dimensions(workspace));
  await time('metrics.catalog', () => api.metrics.catalog(workspace));
  for (const metric of ['sessions', 'conversion_rate', 'revenue']) {
    await time(`series ${metric}, all traffic, whole period`, () =>
      api.metrics.series(workspace, { metric }),
    );
    await time(`series ${metric}, all traffic, whole period, baseline`, () =>
      api.metrics.series(workspace, { metric, baseline: true }),
    );
  }
  await time('series revenue, all traffic, last day, baseline', () =>
    api.metrics.series(workspace, { metric: 'revenue', baseline: true, ...lastDay }),
  );
  await time('series checkout_conversion, iOS × Safari, last day, baseline', () =>
    api.metrics.series(workspace, {
      metric: 'checkout_conversion',
      cohort: { os: 'iOS', browser: 'Safari' },
      baseline: true,
      ...lastDay,
    }),
  );
  await time('series bounce_rate (e-mail table), baseline', () =>
    api.metrics.series(workspace, { metric: 'bounce_rate', baseline: true }),
  );
  for (const [label, window] of [
    ['last day', lastDay],
    ['last week', lastWeek],
    ['whole period', whole],
  ] as const) {
    await time(`breakdown conversion_rate by os, ${label}`, () =>
      api.cohorts.breakdown(workspace, { metric: 'conversion_rate', dimensions: ['os'], ...window }),
    );
    await time(`breakdown conversion_rate by os × browser, ${label}`, () =>
      api.cohorts.breakdown(workspace, {
        metric: 'conversion_rate',
        dimensions: ['os', 'browser'],
        ...window,
      }),
    );
    await time(`drill-down: mobile by country, ${label}`, () =>
      api.cohorts.breakdown(workspace, {
        metric: 'conversion_rate',
        dimensions: ['country'],
        within: { device: 'mobile' },
        ...window,
      }),
    );
  }
  // A metric of one's own is counted from the events, not the cube: defined for the run, then removed.
  const own = 'bench_failures_per_checkout';
  await api.metrics.define(workspace, {
    name: own,
    kind: 'ratio',
    numerator: { eventTypes: ['payment_failed'] },
    denominator: { eventTypes: ['begin_checkout'] },
    badDirection: 'up',
  });
  try {
    for (const [label, window] of [
      ['last day', lastDay],
      ['whole period', whole],
    ] as const)
      await time(`breakdown of a metric of your own by os × browser, ${label}`, () =>
        api.cohorts.breakdown(workspace, { metric: own, dimensions: ['os', 'browser'], ...window }),
      );
  } finally {
    await api.metrics.remove(workspace, own);
  }
  await time('funnel, all traffic, whole period', () => api.cohorts.funnel(workspace, whole));
  await time('funnel, iOS, last week', () =>
    api.cohorts.funnel(workspace, { cohort: { os: 'iOS' }, ...lastWeek }),
  );
  await time('annotations.list', () => api.annotations.list(workspace, whole));
}

const workspace = process.argv[2] ?? demoWorkspace();
const pool = new EnginePool({ readers: 1 });
const api = createApi({
  pool,
  secrets: {
    // Reads, and defines one metric of its own for a while: the workspace's own key file, never a new one.
    secretFor: async (path) => loadOrCreateKey(path, { create: false }).secret,
  },
});
try {
  await bench(api, workspace);
} finally {
  await pool.close();
}

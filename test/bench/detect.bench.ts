// Detection quality and speed on simulated stores (issue 3). Quality: for each seed, a 14-day demo store at
// 30,000 sessions a day (about 1.3M events), detection at medium sensitivity, scored against the injected
// incidents of its ground truth. Speed: the time per stage of detection through the worker pool and the peak
// memory of the process. Prints figures; asserts nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApi } from '../../main/api';
import { EnginePool } from '../../workers/pool/pool';
import { scoreDetection } from './support/score-detection';

const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const DAYS = Number(process.env.BENCH_DAYS ?? 14);
const SESSIONS_PER_DAY = Number(process.env.BENCH_SESSIONS_PER_DAY ?? 30_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fscope-detect-bench-'));
const pool = new EnginePool();
const secret = crypto.randomBytes(32);
const api = createApi({ pool, secrets: { secretFor: async () => secret } });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[s.length >> 1]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(
  `Detection quality: ${SEEDS.length} seeds, ${DAYS} days, ${SESSIONS_PER_DAY} sessions/day, medium sensitivity\n`,
);
const rows: string[] = [];
const totals = {
  truth: 0,
  found: 0,
  reported: 0,
  matchedReported: 0,
  cohortRight: 0,
  onPromos: 0,
  delays: [] as number[],
  eventDelays: [] as number[],
};
try {
  for (const seed of SEEDS) {
    const workspace = path.join(dir, `seed-${seed}.fscope`);
    const demo = await api.workspace.createDemo(workspace, {
      days: DAYS,
      seed,
      sessionsPerDay: SESSIONS_PER_DAY,
    });
    const events = demo.imports.reduce((sum, i) => sum + i.rowsImported, 0);
    const started = process.hrtime.bigint();
    const run = await api.detection.run(workspace, { sensitivity: 'medium' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const truth = JSON.parse(fs.readFileSync(demo.groundTruthFile, 'utf8'));
    const score = scoreDetection(run.incidents, truth.incidents, truth.expected);
    const reported = run.incidents.filter((i) => !i.expected).length;
    totals.truth += score.truth;
    totals.found += score.found;
    totals.reported += reported;
    totals.matchedReported += Math.round(score.precision * reported);
    totals.cohortRight += score.cohortRight;
    totals.onPromos += score.onPromos;
    totals.delays.push(...score.delaysMinutes);
    totals.eventDelays.push(...score.eventDelaysMinutes);
    for (const r of score.rows)
      console.log(
        `  seed ${seed} ${r.truth.id.padEnd(34)} ${r.match ? `found ${r.match.metric} on ${JSON.stringify(r.match.cohort)}, delay ${r.delayMinutes} min` : 'MISSED'}`,
      );
    for (const f of score.falseAlarms)
      console.log(
        `  seed ${seed} false alarm: ${f.metric} ${f.direction} on ${JSON.stringify(f.cohort)}, ${f.start.slice(5, 16)} – ${f.end.slice(5, 16)}`,
      );
    const s = run.stats;
    rows.push(
      `| ${seed} | ${events.toLocaleString('en-US')} | ${score.found}/${score.truth} | ${score.precision.toFixed(2)} (${reported} reported) | ${score.cohortRight} | ${median(score.delaysMinutes).toFixed(0)} | ${score.onPromos} | ${seconds.toFixed(1)} s (cube ${s.stageMs.cube} ms, detectors ${s.stageMs.detectors} ms, grouping ${s.stageMs.grouping} ms) |`,
    );
    await api.workspace.close(workspace);
    fs.rmSync(workspace, { force: true });
  }
} finally {
  await pool.close();
}
console.log(
  '\n| seed | events | recall | precision | right cohort | median delay (min) | on promos | detection time |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log(
  `\nAll seeds: recall ${(totals.found / totals.truth).toFixed(2)}, precision ${(totals.matchedReported / Math.max(1, totals.reported)).toFixed(2)}, ` +
    `right cohort ${totals.cohortRight}/${totals.found}, median delay ${median(totals.delays).toFixed(0)} min ` +
    `(${median(totals.eventDelays).toFixed(0)} min over the ${totals.eventDelays.length} found in the events, the hourly e-mail table's apart), incidents on promos ${totals.onPromos}; ` +
    `peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (workers included: they are threads)`,
);
fs.rmSync(dir, { recursive: true, force: true });

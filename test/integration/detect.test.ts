import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { harness, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = harness();
});
after(async () => {
  await h.close();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test('detect --json prints exactly the documented incident schema', async () => {
  const workspace = path.join(h.dir, 'cli.fscope');
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.resolve('main/cli.ts'), ...args], {
      encoding: 'utf8',
    });
  const demo = cli(['demo', '--workspace', workspace, '--days', '8', '--seed', '5', '--json']);
  assert.equal(demo.status, 0, demo.stderr);
  const run = cli(['detect', '--workspace', workspace, '--sensitivity', 'low', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { incidents: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(out), ['incidents']);
  assert.ok(Array.isArray(out.incidents));
  for (const incident of out.incidents) {
    assert.deepEqual(Object.keys(incident).sort(), [
      'attribution',
      'cohort',
      'detectedAt',
      'direction',
      'end',
      'expected',
      'id',
      'impact',
      'metric',
      'score',
      'severity',
      'start',
    ]);
    for (const field of ['start', 'end', 'detectedAt']) assert.match(String(incident[field]), ISO);
    assert.ok(['down', 'up'].includes(String(incident.direction)));
    assert.ok(['critical', 'high', 'medium', 'low'].includes(String(incident.severity)));
    const score = incident.score as number;
    assert.ok(score >= 0 && score <= 1);
    assert.ok(String(incident.detectedAt) > String(incident.start));
    assert.equal(typeof incident.cohort, 'object');
    assert.deepEqual(Object.keys(incident.impact as object).sort(), ['lostConversions', 'revenueAtRisk']);
  }
  const bad = cli(['detect', '--workspace', workspace, '--sensitivity', 'extreme']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /low, medium or high/);
});

test('detection through the API reports its stages and never scores a bucket from later data', async () => {
  await h.api.workspace.createDemo(h.workspace, { days: 8, seed: 9, sessionsPerDay: 600 });
  const full = await h.api.detection.run(h.workspace, { sensitivity: 'medium' });
  assert.ok(full.stats.series > 0);
  assert.ok(full.stats.cohorts > 0);
  for (const stage of ['cube', 'detectors', 'grouping'] as const) assert.ok(full.stats.stageMs[stage] >= 0);
  // Online: every bucket is scored from earlier buckets only, and which cohorts are tested in a bucket is
  // decided from the past, so cutting the period after day 6 changes no candidate anomaly before the cut.
  const { loadCube, dimensionNames } = await import('../../workers/metrics/rollup');
  const { scanCohorts } = await import('../../workers/incidents/scan');
  const { openWorkspace } = await import('../../workers/store/workspace');
  await h.api.workspace.close(h.workspace);
  const db = openWorkspace(h.workspace, { readonly: true });
  try {
    const whole = loadCube(db);
    const cut = whole.start + 6 * 86_400_000;
    const early = loadCube(db, { to: cut - 1 });
    const options = { sensitivity: 'medium' as const, q: 0.01, minSessions: 300 };
    const names = dimensionNames(db);
    const describe = (scan: ReturnType<typeof scanCohorts>, limit: number) =>
      scan.candidates
        .filter((c) => c.bucket < limit)
        .map((c) => {
          const s = scan.series[c.series]!;
          return `${s.metric.metric}|${s.cohort.key}|${c.bucket}|${c.pValue}|${scan.tested[c.bucket]}`;
        })
        .sort();
    const a = scanCohorts(whole, names, options);
    const b = scanCohorts(early, names, options);
    assert.ok(a.candidates.length > 0);
    assert.deepEqual(describe(b, early.length), describe(a, early.length));
  } finally {
    db.close();
  }
});

test('detection.run reports its stages in order; a cancelled run keeps the incidents of the previous run', async () => {
  const stages: string[] = [];
  const run = await h.api.detection.run(
    h.workspace,
    {},
    { onProgress: (p) => stages.push(`${p.stage}:${p.done}/${p.total}`) },
  );
  assert.ok(run.stats.series > 0);
  const order = [...new Set(stages.map((s) => s.split(':')[0]))];
  assert.deepEqual(
    order.filter((s) => s !== 'grouping'),
    ['cube', 'detectors', 'saving'],
  );
  const scanned = stages.filter((s) => s.startsWith('detectors:')).map((s) => Number(s.split(/[:/]/)[1]));
  assert.deepEqual(
    scanned,
    [...scanned].sort((a, b) => a - b),
  );

  const before = (await h.api.incidents.list(h.workspace)).map((i) => i.id).sort();
  await assert.rejects(
    h.api.detection.run(
      h.workspace,
      { sensitivity: 'high' },
      { jobId: 'detect-cancel', onProgress: () => void h.api.jobs.cancel('detect-cancel') },
    ),
    (error: { code?: string; message?: string }) =>
      error.code === 'CANCELLED' && /previous run are kept/.test(String(error.message)),
  );
  const after = (await h.api.incidents.list(h.workspace)).map((i) => i.id).sort();
  assert.deepEqual(after, before);
  assert.equal(await h.api.jobs.cancel('detect-cancel'), false, 'a finished job is forgotten');
});

test('the detectors stop between cohort groupings once cancelled', async () => {
  const { detectIncidents } = await import('../../workers/incidents/detect');
  const { openWorkspace } = await import('../../workers/store/workspace');
  const db = openWorkspace(h.workspace, { readonly: true });
  try {
    const seen: string[] = [];
    assert.throws(
      () =>
        detectIncidents(
          db,
          {},
          {
            cancelled: () => seen.length >= 2,
            onProgress: (p) => seen.push(p.detail),
          },
        ),
      (error: { code?: string }) => error.code === 'CANCELLED',
    );
    assert.deepEqual(seen.slice(0, 1), ['all traffic']);
    assert.equal(seen.length, 2, 'no grouping is scanned after the cancel');
  } finally {
    db.close();
  }
});

test('a per-metric sensitivity changes that metric only: more candidates when higher, fewer when lower', async () => {
  const { loadCube, dimensionNames } = await import('../../workers/metrics/rollup');
  const { scanCohorts } = await import('../../workers/incidents/scan');
  const { openWorkspace } = await import('../../workers/store/workspace');
  await h.api.workspace.close(h.workspace);
  const db = openWorkspace(h.workspace, { readonly: true });
  try {
    const table = loadCube(db);
    const names = dimensionNames(db);
    const base = { sensitivity: 'medium' as const, q: 0.01, minSessions: 300 };
    const count = (scan: ReturnType<typeof scanCohorts>, metric: string, same: boolean) =>
      scan.candidates.filter((c) => (scan.series[c.series]!.metric.metric === metric) === same);
    const medium = scanCohorts(table, names, base);
    const high = scanCohorts(table, names, { ...base, metricSensitivity: { sessions: 'high' } });
    const low = scanCohorts(table, names, { ...base, metricSensitivity: { sessions: 'low' } });
    const sessions = [low, medium, high].map((s) => count(s, 'sessions', true).length);
    console.log(`sessions candidates at low, medium, high: ${sessions.join(', ')}`);
    assert.ok(sessions[0]! < sessions[1]! && sessions[1]! < sessions[2]!, sessions.join(' < '));
    const others = (s: ReturnType<typeof scanCohorts>) =>
      count(s, 'sessions', false).map((c) => `${c.series}|${c.bucket}|${c.pValue}`);
    assert.deepEqual(others(high), others(medium));
    assert.deepEqual(others(low), others(medium));
  } finally {
    db.close();
  }
});

test("detection.run applies the workspace's per-metric sensitivity from Settings", async () => {
  await h.api.settings.update(h.workspace, { sensitivity: 'medium', metricSensitivity: {} });
  const plain = await h.api.detection.run(h.workspace);
  await h.api.settings.update(h.workspace, { metricSensitivity: { sessions: 'high' } });
  const raised = await h.api.detection.run(h.workspace);
  await h.api.settings.update(h.workspace, { metricSensitivity: {} });
  assert.ok(
    raised.stats.anomalies > plain.stats.anomalies,
    `${raised.stats.anomalies} anomalies with sessions at high, ${plain.stats.anomalies} without`,
  );
});

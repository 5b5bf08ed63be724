import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { harness, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = harness();
  await h.api.workspace.createDemo(h.workspace, { days: 8, seed: 3, sessionsPerDay: 4000 });
});
after(async () => {
  await h.close();
});

test('a detection run is stored; labels survive a re-run; a false alarm suppresses its pattern', async () => {
  const first = await h.api.detection.run(h.workspace, { sensitivity: 'high' });
  assert.ok(first.incidents.length >= 2, `the demo should raise incidents, got ${first.incidents.length}`);
  const stored = await h.api.incidents.list(h.workspace);
  assert.deepEqual(stored.map((i) => i.id).sort(), first.incidents.map((i) => i.id).sort());
  assert.ok(stored.every((i) => i.status === 'open' && i.note === null));

  const [falseOne, trueOne] = first.incidents as [(typeof first.incidents)[0], (typeof first.incidents)[0]];
  const labelled = await h.api.incidents.label(
    h.workspace,
    falseOne.id,
    'false_alarm',
    'ad-hoc test traffic',
  );
  assert.equal(labelled.status, 'false_alarm');
  assert.equal(labelled.note, 'ad-hoc test traffic');
  await h.api.incidents.label(h.workspace, trueOne.id, 'true_alarm');

  const kpis = await h.api.incidents.kpis(h.workspace);
  assert.equal(kpis.trueAlarms, 1);
  assert.equal(kpis.falseAlarms, 1);
  assert.equal(kpis.precision, 0.5);
  assert.equal(kpis.open, first.incidents.length - 2);
  const expectedDelay = (Date.parse(trueOne.detectedAt) - Date.parse(trueOne.start)) / 60_000;
  assert.equal(kpis.meanTimeToDetectMinutes, expectedDelay);

  // The same data again: the labelled incidents keep their verdicts, nothing else changes.
  const second = await h.api.detection.run(h.workspace, { sensitivity: 'high' });
  assert.equal((await h.api.incidents.get(h.workspace, falseOne.id)).status, 'false_alarm');
  assert.equal((await h.api.incidents.get(h.workspace, trueOne.id)).status, 'true_alarm');
  assert.equal(second.suppressed, 0, 'a labelled incident is kept, not suppressed');

  // Other incidents of the false alarm's pattern (metric, cohort, direction) at no larger size are left out.
  const samePattern = first.incidents.filter(
    (i) =>
      i.id !== falseOne.id &&
      i.metric === falseOne.metric &&
      i.direction === falseOne.direction &&
      JSON.stringify(i.cohort) === JSON.stringify(falseOne.cohort) &&
      (first.sizes[i.id] ?? Infinity) <= (first.sizes[falseOne.id] ?? 0) * 1.25,
  );
  assert.equal(second.suppressed, 0 + samePattern.length);
  for (const i of samePattern) assert.ok(!second.incidents.some((s) => s.id === i.id));
});

test('labelling an unknown incident says what to do; kpis and label work from the CLI', async () => {
  await assert.rejects(h.api.incidents.label(h.workspace, 'inc-nope', 'true_alarm'), (error: Error) => {
    assert.match(error.message, /No incident inc-nope.*Run detection again/);
    return true;
  });
  const workspace = path.join(h.dir, 'cli.fscope');
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.resolve('main/cli.ts'), ...args], {
      encoding: 'utf8',
    });
  assert.equal(
    cli(['demo', '--workspace', workspace, '--days', '8', '--sessions-per-day', '3000']).status,
    0,
  );
  const detect = cli(['detect', '--workspace', workspace, '--sensitivity', 'high', '--json']);
  assert.equal(detect.status, 0, detect.stderr);
  const id = (JSON.parse(detect.stdout) as { incidents: { id: string }[] }).incidents[0]?.id;
  assert.ok(id, 'the demo should raise an incident');
  const label = cli([
    'label',
    '--workspace',
    workspace,
    '--incident',
    id,
    '--as',
    'expected',
    '--note',
    'promo',
    '--json',
  ]);
  assert.equal(label.status, 0, label.stderr);
  assert.equal(JSON.parse(label.stdout).status, 'expected');
  const kpis = cli(['kpis', '--workspace', workspace, '--json']);
  assert.equal(kpis.status, 0, kpis.stderr);
  assert.equal(JSON.parse(kpis.stdout).expected, 1);
  const bad = cli(['label', '--workspace', workspace, '--incident', id, '--as', 'maybe']);
  assert.equal(bad.status, 2);
});

test('a false alarm suppresses its metric, cohort and direction up to 1.25 × its size, and nothing else', async () => {
  const { openWorkspace } = await import('../../workers/store/workspace');
  const { saveDetectionRun, labelIncident } = await import('../../workers/incidents/store');
  const db = openWorkspace(path.join(h.dir, 'patterns.fscope'), { create: true });
  const incident = (id: string, start: string, cohort: Record<string, string>, direction: 'up' | 'down') => ({
    id,
    metric: 'sessions',
    direction,
    start,
    end: start,
    detectedAt: start,
    severity: 'low' as const,
    score: 0.999,
    cohort,
    expected: false,
    impact: { lostConversions: 0, revenueAtRisk: 0 },
    attribution: [],
  });
  const stats = {
    bucketMinutes: 5,
    series: 1,
    cohorts: 1,
    anomalies: 1,
    stageMs: { cube: 0, detectors: 0, grouping: 0 },
  };
  const us = { country: 'US' };
  saveDetectionRun(db, {
    incidents: [incident('a', '2026-01-01T00:00:00.000Z', us, 'up')],
    sizes: { a: 0.2 },
    suppressed: 0,
    stats,
  });
  labelIncident(db, 'a', 'false_alarm', 'crawler');
  const later = [
    incident('b', '2026-01-02T00:00:00.000Z', us, 'up'), // same pattern, 1.2 × the size: suppressed
    incident('c', '2026-01-03T00:00:00.000Z', us, 'up'), // same pattern, 2 × the size: kept
    incident('d', '2026-01-04T00:00:00.000Z', us, 'down'), // other direction: kept
    incident('e', '2026-01-05T00:00:00.000Z', { country: 'DE' }, 'up'), // other cohort: kept
  ];
  const run = saveDetectionRun(db, {
    incidents: later,
    sizes: { b: 0.24, c: 0.4, d: 0.1, e: 0.1 },
    suppressed: 0,
    stats,
  });
  assert.deepEqual(
    run.incidents.map((i) => i.id),
    ['c', 'd', 'e'],
  );
  assert.equal(run.suppressed, 1);
  // The labelled incident is gone from this run's data but its verdict and pattern stay.
  assert.deepEqual(
    (
      db.prepare('SELECT id, status FROM incidents ORDER BY id').all() as { id: string; status: string }[]
    ).map((r) => `${r.id}:${r.status}`),
    ['a:false_alarm', 'c:open', 'd:open', 'e:open'],
  );
  db.close();
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildCube, chooseBucketMinutes } from '../../workers/metrics/cube';
import { openWorkspace, setSetting } from '../../workers/store/workspace';
import { harness, imported, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = harness();
  await h.api.workspace.createDemo(h.workspace, { days: 7, seed: 3, sessionsPerDay: 800 });
  await h.api.workspace.close(h.workspace);
});
after(async () => {
  await h.close();
});

function cubeRows(db: Database.Database) {
  return {
    cube: db
      .prepare('SELECT * FROM cube ORDER BY bucket, device, os, browser, country, region, channel, campaign')
      .all(),
    products: db.prepare('SELECT * FROM cube_products ORDER BY dim, value, bucket').all(),
    measures: db.prepare('SELECT * FROM cube_measures ORDER BY measure_id, dim, value, bucket').all(),
  };
}

test('the cube built after the demo import adds up to the events it comes from', () => {
  const db = new Database(h.workspace, { readonly: true });
  try {
    const bucketMinutes = Number(
      db.prepare("SELECT value FROM settings WHERE key = 'cube_bucket_minutes'").pluck().get(),
    );
    assert.ok([1, 5, 15, 60].includes(bucketMinutes));
    const cube = db
      .prepare(
        'SELECT SUM(sessions) s, SUM(sessions_with_purchase) sp, SUM(orders) o, ROUND(SUM(revenue), 2) r, SUM(page_views) pv FROM cube',
      )
      .get();
    const direct = db
      .prepare(
        `SELECT COUNT(DISTINCT session_key) s,
           COUNT(DISTINCT CASE WHEN t.value = 'purchase' THEN session_key END) sp,
           SUM(t.value = 'purchase') o, ROUND(TOTAL(CASE WHEN t.value = 'purchase' THEN revenue END), 2) r,
           SUM(t.value = 'page_view') pv
         FROM events e JOIN dim_values t ON t.id = e.type_id`,
      )
      .get();
    assert.deepEqual(cube, direct);
    // One cohort checked from scratch: iOS Safari checkout sessions per bucket.
    const bucketMs = bucketMinutes * 60_000;
    const fromCube = db
      .prepare(
        `SELECT bucket, SUM(sessions_with_checkout) n FROM cube c
         WHERE os = (SELECT id FROM dim_values WHERE dim = 'os' AND value = 'iOS')
           AND browser = (SELECT id FROM dim_values WHERE dim = 'browser' AND value = 'Safari')
         GROUP BY bucket HAVING n > 0 ORDER BY bucket`,
      )
      .all();
    const fromEvents = db
      .prepare(
        `SELECT start - start % ${bucketMs} AS bucket, COUNT(*) n FROM (
           SELECT session_key, MIN(ts) AS start, os, browser, MAX(t.value = 'begin_checkout') AS checkout
           FROM events e JOIN dim_values t ON t.id = e.type_id GROUP BY session_key)
         WHERE checkout AND os = (SELECT id FROM dim_values WHERE dim = 'os' AND value = 'iOS')
           AND browser = (SELECT id FROM dim_values WHERE dim = 'browser' AND value = 'Safari')
         GROUP BY bucket ORDER BY bucket`,
      )
      .all();
    assert.deepEqual(fromCube, fromEvents);
    const measures = db.prepare("SELECT TOTAL(amount) FROM cube_measures WHERE dim = ''").pluck().get();
    assert.equal(measures, db.prepare('SELECT TOTAL(value) FROM metric_values').pluck().get());
  } finally {
    db.close();
  }
});

test('extending the cube import by import equals building it in one go', async () => {
  const copy = path.join(h.dir, 'rebuilt.fscope');
  fs.copyFileSync(h.workspace, copy);
  const db = openWorkspace(copy);
  try {
    const incremental = cubeRows(db);
    db.exec("DELETE FROM settings WHERE key = 'cube_bucket_minutes'");
    const summary = buildCube(db);
    assert.equal(summary.rebuilt, true);
    assert.equal(summary.sourcesAdded, 3);
    assert.deepEqual(cubeRows(db), incremental);
    // A bucket override rebuilds at that size.
    setSetting(db, 'bucket_minutes', '5');
    assert.equal(chooseBucketMinutes(db), 5);
    const fine = buildCube(db); // this store is small enough for fine buckets by default
    assert.equal(fine.bucketMinutes, 5);
    assert.ok(fine.rebuilt);
    assert.equal(
      db.prepare('SELECT SUM(sessions) FROM cube').pluck().get(),
      db.prepare('SELECT COUNT(*) FROM sessions').pluck().get(),
    );
    const odd = db.prepare('SELECT COUNT(*) FROM cube WHERE bucket % 300000 != 0').pluck().get();
    assert.equal(odd, 0);
  } finally {
    db.close();
  }
});

test('a later import extends the cube without rebuilding it', async () => {
  const file = path.join(h.dir, 'more.csv');
  const db0 = new Database(h.workspace, { readonly: true });
  const lastTs = db0.prepare('SELECT MAX(ts) FROM events').pluck().get() as number;
  const before = db0.prepare('SELECT SUM(sessions) FROM cube').pluck().get() as number;
  db0.close();
  const t = new Date(lastTs + 3 * 3_600_000).toISOString();
  fs.writeFileSync(
    file,
    `event_time,event_name,user_id,session_id,os\n${t},page_view,late-user,late-session,iOS\n`,
  );
  const summary = imported((await h.api.ingest.importFiles(h.workspace, [file]))[0]);
  assert.ok(
    summary.notes.some((n) => /Metric cube: \d+-minute buckets/.test(n)),
    summary.notes.join('\n'),
  );
  assert.ok(!summary.notes.some((n) => /rebuilt/.test(n)));
  await h.api.workspace.close(h.workspace);
  const db = new Database(h.workspace, { readonly: true });
  assert.equal(db.prepare('SELECT SUM(sessions) FROM cube').pluck().get(), before + 1);
  db.close();
});

test('rolling the fine cube up gives each cohort its series; gaps are marked, not zero-filled', async () => {
  const { loadCube, rollUp, dimensionNames } = await import('../../workers/metrics/rollup');
  const { EVENT_GROUPINGS } = await import('../../workers/metrics/groupings');
  const db = new Database(h.workspace, { readonly: true });
  try {
    const table = loadCube(db);
    const names = dimensionNames(db);
    const all = rollUp(table, EVENT_GROUPINGS[0]!, ['sessions', 'orders'], names);
    assert.equal(all.length, 1);
    assert.equal(all[0]?.key, '');
    assert.equal(all[0]?.totals.sessions, db.prepare('SELECT SUM(sessions) FROM cube').pluck().get());
    const pair = EVENT_GROUPINGS.find((g) => g.key === 'os,browser')!;
    const cohorts = rollUp(table, pair, ['sessions_with_checkout'], names);
    const iosSafari = cohorts.find((c) => c.key === 'browser=Safari&os=iOS');
    assert.ok(iosSafari);
    const expected = db
      .prepare(
        `SELECT SUM(sessions_with_checkout) FROM cube WHERE os = (SELECT id FROM dim_values WHERE dim = 'os' AND value = 'iOS')
           AND browser = (SELECT id FROM dim_values WHERE dim = 'browser' AND value = 'Safari')`,
      )
      .pluck()
      .get();
    assert.equal(iosSafari.totals.sessions_with_checkout, expected);
    // The late single event imported by an earlier test sits three hours after the rest: the buckets between are gaps.
    const gaps = table.present.reduce((n, p) => n + (p === 0 ? 1 : 0), 0);
    assert.ok(gaps >= 1 && gaps < table.length / 10, `${gaps} gaps of ${table.length}`);
    // A volume floor leaves small cohorts out.
    assert.ok(rollUp(table, pair, ['sessions'], names, 1e9).length === 0);
  } finally {
    db.close();
  }
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MetricSeries } from '../../shared/explore';
import { harness, imported, type Harness } from './helpers';

/**
 * The explore API (metrics, cohorts, annotations, settings) on a small demo workspace, checked against
 * independent SQL over the raw events and metric rows rather than against the cube it reads.
 */
let h: Harness;
let db: Database.Database;
let bucketMs: number;
let dataStart: number;
const DAY = 86_400_000;
const GAP_HOURS = 5;

before(async () => {
  h = harness();
  await h.api.workspace.createDemo(h.workspace, { days: 8, seed: 11, sessionsPerDay: 600 });
  // One event well after the rest: the buckets in between hold no data at all (gaps, not zeros).
  const probe = new Database(h.workspace, { readonly: true });
  const last = probe.prepare('SELECT MAX(ts) FROM events').pluck().get() as number;
  probe.close();
  const late = path.join(h.dir, 'late.csv');
  fs.writeFileSync(
    late,
    `event_time,event_name,user_id,session_id,os,browser\n${new Date(last + GAP_HOURS * 3_600_000).toISOString()},page_view,late-user,late-session,iOS,Safari\n`,
  );
  imported((await h.api.ingest.importFiles(h.workspace, [late]))[0]);
  db = new Database(h.workspace, { readonly: true });
  bucketMs =
    Number(db.prepare("SELECT value FROM settings WHERE key = 'cube_bucket_minutes'").pluck().get()) * 60_000;
  dataStart = db.prepare('SELECT MIN(ts) - MIN(ts) % ? FROM events').pluck().get(bucketMs) as number;
});
after(async () => {
  db.close();
  await h.close();
});

const id = (dim: string, value: string) =>
  db.prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?').pluck().get(dim, value) as number;

/** Sessions straight from the events: start = first event, dimensions of that event, funnel flags. */
const SESSIONS_SQL = `
  SELECT session_key, MIN(ts) AS start, os, browser, device,
    MAX(t.value = 'view_item') AS viewed, MAX(t.value = 'add_to_cart') AS carted,
    MAX(t.value = 'begin_checkout') AS checkout, MAX(t.value = 'purchase') AS purchased
  FROM events e JOIN dim_values t ON t.id = e.type_id WHERE session_key IS NOT NULL GROUP BY session_key`;

function byTime(series: MetricSeries, field: 'values' | 'numerators' | 'denominators') {
  const out = new Map<number, number | null>();
  series.times.forEach((t, i) => out.set(t, series[field]?.[i] ?? null));
  return out;
}

const badArgument = (pattern: RegExp) => (error: { code?: string; message: string }) => {
  assert.equal(error.code, 'BAD_ARGUMENT');
  assert.match(error.message, pattern);
  return true;
};

test('the catalog offers the event metrics, the e-mail rates and each imported measure once', async () => {
  const catalog = await h.api.metrics.catalog(h.workspace);
  const names = catalog.map((m) => m.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of [
    'sessions',
    'page_views',
    'conversion_rate',
    'revenue',
    'aov',
    'bounce_rate',
    'open_rate',
  ])
    assert.ok(names.includes(name), name);
  const sent = catalog.find((m) => m.name === 'sent');
  assert.deepEqual(sent && { kind: sent.kind, family: sent.family, numerator: sent.numerator }, {
    kind: 'count',
    family: 'email',
    numerator: 'sent',
  });
  await assert.rejects(
    h.api.metrics.series(h.workspace, { metric: 'no_such_metric' }),
    badArgument(/no metric "no_such_metric".*conversion_rate/),
  );
});

test('a cohort series counts the sessions of each bucket as the events do, and gaps are null', async () => {
  const from = dataStart + 2 * DAY;
  const series = await h.api.metrics.series(h.workspace, {
    metric: 'sessions',
    cohort: { os: 'iOS', browser: 'Safari' },
    from,
  });
  assert.equal(series.bucketMs, bucketMs);
  assert.equal(series.denominators, null);
  assert.equal(series.times[0], from);
  const expected = new Map(
    (
      db
        .prepare(
          `SELECT start - start % ? AS b, COUNT(*) FROM (${SESSIONS_SQL}) WHERE os = ? AND browser = ? AND start >= ? GROUP BY b`,
        )
        .raw()
        .all(bucketMs, id('os', 'iOS'), id('browser', 'Safari'), from) as [number, number][]
    ).map(([b, n]) => [b, n]),
  );
  const present = new Set(
    db
      .prepare('SELECT DISTINCT ts - ts % ? FROM events WHERE ts >= ?')
      .pluck()
      .all(bucketMs, from) as number[],
  );
  assert.ok(expected.size > 24, `${expected.size} buckets with iOS Safari sessions`);
  const values = byTime(series, 'values');
  let gaps = 0;
  for (const [t, value] of values) {
    if (!present.has(t)) {
      gaps++;
      assert.equal(value, null, `bucket ${new Date(t).toISOString()} has no data: null, not 0`);
    } else assert.equal(value, expected.get(t) ?? 0, new Date(t).toISOString());
  }
  assert.ok(gaps >= GAP_HOURS * (3_600_000 / bucketMs) - 2, `${gaps} gap buckets`);
  for (const t of expected.keys()) assert.ok(values.has(t));
});

test('conversion rate keeps numerator and denominator per bucket; a window rate is Σnum / Σden', async () => {
  const from = dataStart + 3 * DAY;
  const to = dataStart + 5 * DAY;
  const series = await h.api.metrics.series(h.workspace, { metric: 'conversion_rate', from, to });
  const rows = db
    .prepare(
      `SELECT start - start % ? AS b, SUM(purchased), COUNT(*) FROM (${SESSIONS_SQL})
       WHERE start >= ? AND start < ? GROUP BY b`,
    )
    .raw()
    .all(bucketMs, from, to) as [number, number, number][];
  assert.ok(rows.some(([, purchased]) => purchased > 0));
  const numerators = byTime(series, 'numerators');
  const denominators = byTime(series, 'denominators');
  for (const [b, purchased, sessions] of rows) {
    assert.equal(numerators.get(b), purchased);
    assert.equal(denominators.get(b), sessions);
  }
  assert.equal(series.times.length, (to - from) / bucketMs);
  series.values.forEach((v, i) => {
    const d = series.denominators?.[i];
    if (v !== null) assert.equal(v, (series.numerators[i] as number) / (d as number));
  });
});

test('the funnel counts the sessions reaching each step, as the events say', async () => {
  const from = dataStart + DAY;
  const to = dataStart + 4 * DAY;
  const funnel = await h.api.cohorts.funnel(h.workspace, { from, to, cohort: { device: 'mobile' } });
  const direct = db
    .prepare(
      `SELECT COUNT(*), SUM(viewed), SUM(carted), SUM(checkout), SUM(purchased) FROM (${SESSIONS_SQL})
       WHERE start >= ? AND start < ? AND device = ?`,
    )
    .raw()
    .get(from, to, id('device', 'mobile')) as number[];
  assert.ok((direct[4] as number) > 0);
  assert.deepEqual(
    funnel.map((s) => s.step),
    ['sessions', 'viewed', 'added_to_cart', 'began_checkout', 'purchased'],
  );
  assert.deepEqual(
    funnel.map((s) => s.sessions),
    direct,
  );
  assert.equal(funnel[0]?.rateFromPrevious, null);
  for (let i = 1; i < funnel.length; i++)
    assert.equal(funnel[i]?.rateFromPrevious, direct[i]! / direct[i - 1]!);
});

test('a breakdown adds up to the total, pairs add up to their parent, and "previous" is the window before', async () => {
  const from = dataStart + 4 * DAY;
  const to = dataStart + 6 * DAY;
  const rows = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'conversion_rate',
    from,
    to,
    dimensions: ['os'],
  });
  const total = await h.api.cohorts.funnel(h.workspace, { from, to });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  assert.equal(sum(rows.map((r) => r.denominator ?? 0)), total[0]?.sessions);
  assert.equal(sum(rows.map((r) => r.numerator)), total[4]?.sessions);
  assert.deepEqual(
    rows.map((r) => r.sessions),
    [...rows.map((r) => r.sessions)].sort((a, b) => b - a),
  );
  for (const row of rows) assert.equal(row.value, row.numerator / (row.denominator as number));
  // previous = the same metric over the two days before `from`, from the series of that cohort.
  const ios = rows.find((r) => r.cohort.os === 'iOS');
  assert.ok(ios);
  const before = await h.api.metrics.series(h.workspace, {
    metric: 'conversion_rate',
    cohort: { os: 'iOS' },
    from: from - (to - from),
    to: from,
  });
  const num = sum(before.numerators.map((x) => x ?? 0));
  const den = sum((before.denominators ?? []).map((x) => x ?? 0));
  assert.equal(ios.previous, num / den);
  // Drill-down: device × os within desktop adds up to desktop's row of the device breakdown.
  const devices = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'sessions',
    from,
    to,
    dimensions: ['device'],
  });
  const pairs = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'sessions',
    from,
    to,
    dimensions: ['os'],
    within: { device: 'desktop' },
  });
  assert.ok(pairs.every((r) => r.cohort.device === 'desktop' && r.denominator === null));
  assert.equal(
    sum(pairs.map((r) => r.numerator)),
    devices.find((r) => r.cohort.device === 'desktop')?.numerator,
  );
  const both = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'sessions',
    from,
    to,
    dimensions: ['device', 'os'],
  });
  assert.equal(sum(both.map((r) => r.sessions)), total[0]?.sessions);
  const big = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'sessions',
    from,
    to,
    dimensions: ['device', 'os'],
    minSessions: 100,
  });
  assert.ok(big.length < both.length && big.every((r) => r.sessions >= 100));
  // Before the data starts there is nothing to compare with: previous is unknown, not 0.
  const first = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'sessions',
    from: dataStart,
    to: dataStart + DAY,
    dimensions: ['device'],
  });
  assert.ok(first.length > 0 && first.every((r) => r.previous === null));
  await assert.rejects(
    h.api.cohorts.breakdown(h.workspace, { metric: 'sessions', from, to, dimensions: ['os', 'os'] }),
    badArgument(/one dimension or by two different ones/),
  );
  await assert.rejects(
    h.api.cohorts.breakdown(h.workspace, { metric: 'sessions', from, to, dimensions: ['shoe_size'] }),
    badArgument(/cohorts are made of device, os/),
  );
});

test('dimensions list each visit dimension by session volume', async () => {
  const dims = await h.api.cohorts.dimensions(h.workspace);
  const os = dims.find((d) => d.dimension === 'os');
  assert.ok(os);
  const direct = db
    .prepare(
      `SELECT v.value, COUNT(*) n FROM (${SESSIONS_SQL}) s JOIN dim_values v ON v.id = s.os GROUP BY v.value ORDER BY n DESC, v.value`,
    )
    .raw()
    .all() as [string, number][];
  assert.deepEqual(
    os.values.map((v) => [v.value, v.sessions]),
    direct,
  );
  // The demo has no region column: a dimension without values is left out.
  assert.ok(!dims.some((d) => d.dimension === 'region'));
  assert.ok(
    dims.every((d) =>
      d.values.every((v, i, xs) => i === 0 || (xs[i - 1] as typeof v).sessions >= v.sessions),
    ),
  );
});

test('an e-mail rate comes from the imported table, summed per hour and per campaign', async () => {
  const series = await h.api.metrics.series(h.workspace, { metric: 'bounce_rate' });
  const direct = db
    .prepare(
      `SELECT ts - ts % 3600000 AS b, TOTAL(CASE WHEN m.value = 'bounced' THEN v.value END),
         TOTAL(CASE WHEN m.value = 'sent' THEN v.value END)
       FROM metric_values v JOIN dim_values m ON m.id = v.measure_id GROUP BY b`,
    )
    .raw()
    .all() as [number, number, number][];
  assert.equal(series.bucketMs, 3_600_000);
  assert.ok(direct.length > 24);
  const numerators = byTime(series, 'numerators');
  const denominators = byTime(series, 'denominators');
  for (const [b, bounced, sent] of direct) {
    assert.equal(numerators.get(b), bounced);
    assert.equal(denominators.get(b), sent);
  }
  const rows = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'bounce_rate',
    from: series.times[0]!,
    to: series.times.at(-1)! + series.bucketMs,
    dimensions: ['campaign'],
  });
  assert.equal(
    rows.reduce((a, r) => a + (r.denominator ?? 0), 0),
    direct.reduce((a, [, , sent]) => a + sent, 0),
  );
});

test('the baseline is online: it runs from the first bucket, and later data never changes an earlier band', async () => {
  const cut = dataStart + 7 * DAY;
  const full = await h.api.metrics.series(h.workspace, { metric: 'sessions', baseline: true });
  const early = await h.api.metrics.series(h.workspace, { metric: 'sessions', baseline: true, to: cut });
  assert.ok(full.baseline && early.baseline);
  for (const s of [full, early]) {
    assert.equal(s.baseline?.expected.length, s.times.length);
    assert.equal(s.baseline?.lower.length, s.times.length);
    assert.equal(s.baseline?.upper.length, s.times.length);
  }
  assert.equal(early.times.length, (cut - dataStart) / bucketMs);
  assert.deepEqual(early.baseline.expected, full.baseline.expected.slice(0, early.times.length));
  assert.deepEqual(early.baseline.upper, full.baseline.upper.slice(0, early.times.length));
  const scored = full.baseline.expected.filter((x) => x !== null).length;
  assert.ok(scored > full.times.length * 0.8, `${scored} of ${full.times.length} buckets scored`);
  full.baseline.expected.forEach((e, i) => {
    if (full.values[i] === null) assert.equal(e, null, 'no score in a gap');
    if (e === null) return;
    assert.ok((full.baseline?.lower[i] as number) <= e && e <= (full.baseline?.upper[i] as number));
  });
  // A window late in the data: the detector still ran from the start (same band), and the profile of a
  // week of history is seasonal.
  const from = dataStart + 7 * DAY + 6 * 3_600_000;
  const late = await h.api.metrics.series(h.workspace, {
    metric: 'sessions',
    baseline: true,
    from,
    to: from + DAY / 2,
  });
  const offset = (from - dataStart) / bucketMs;
  assert.deepEqual(late.baseline?.expected, full.baseline.expected.slice(offset, offset + late.times.length));
  assert.equal(late.baseline?.seasonal, true);
  assert.equal(full.baseline.seasonal, false, 'the first week used the level-only baseline');
  for (const alarm of full.baseline.alarms) {
    assert.ok(full.times.includes(alarm.at));
    assert.ok(alarm.score >= 0 && alarm.score <= 1 && ['up', 'down'].includes(alarm.direction));
    assert.match(alarm.detector, /count/);
  }
  // A ratio's band is in rates, a sum's in its own unit.
  const conversion = await h.api.metrics.series(h.workspace, { metric: 'add_to_cart_rate', baseline: true });
  const rates = conversion.baseline?.expected.filter((x): x is number => x !== null) ?? [];
  assert.ok(rates.length > 0 && rates.every((r) => r > 0 && r < 1));
  const revenue = await h.api.metrics.series(h.workspace, { metric: 'revenue', baseline: true });
  assert.ok((revenue.baseline?.expected.filter((x) => x !== null).length ?? 0) > 0);
  assert.ok(revenue.baseline?.lower.every((x) => x === null || x >= 0));
  // The generic detector only learns before the window; the band inside it is the same as over the whole.
  const lateRevenue = await h.api.metrics.series(h.workspace, {
    metric: 'revenue',
    baseline: true,
    from,
    to: from + DAY / 2,
  });
  assert.deepEqual(
    lateRevenue.baseline?.upper,
    revenue.baseline?.upper.slice(offset, offset + lateRevenue.times.length),
  );
  assert.deepEqual(
    lateRevenue.baseline?.alarms,
    revenue.baseline?.alarms.filter((a) => a.at >= from && a.at < from + DAY / 2),
  );
});

test('the fast generic band equals GenericEnsemble bucket by bucket on real revenue and order value', async () => {
  const { GenericEnsemble } = await import('../../workers/detect');
  const { GenericBandDetector } = await import('../../workers/explore/generic-track');
  for (const metric of ['revenue', 'aov']) {
    const series = await h.api.metrics.series(h.workspace, { metric });
    const minutes = series.bucketMs / 60_000;
    const reference = new GenericEnsemble({ bucketMinutes: minutes, sensitivity: 'high' });
    const fast = new GenericBandDetector(minutes, 'high');
    let compared = 0;
    series.times.forEach((time, i) => {
      const value = series.values[i] ?? null;
      const a = reference.push({ time, value });
      const b = fast.push(time, value);
      assert.equal(b === null, a === null, `bucket ${i}`);
      if (!a || !b) return;
      compared++;
      assert.deepEqual(
        [b.expected, b.lower, b.upper, b.alarm, b.direction, b.score, b.baselineKind],
        [a.expected, a.lower, a.upper, a.alarm, a.direction, a.score, a.baseline],
        `${metric} bucket ${i}`,
      );
    });
    assert.ok(compared > series.times.length / 2, `${metric}: ${compared} buckets compared`);
  }
});

test('cohorts name known dimensions and values, and windows must be real', async () => {
  await assert.rejects(
    h.api.metrics.series(h.workspace, { metric: 'sessions', cohort: { os: 'BeOS' } }),
    badArgument(/os "BeOS"/),
  );
  // A category alone is a cohort of its own (the cube's product rows); combined with visit dimensions it is not.
  const category = (await h.api.workspace.info(h.workspace, { profile: true })).profile?.dimensions.find(
    (d) => d.dimension === 'category',
  )?.topValues[0]?.value;
  assert.ok(category, 'the workspace has categories');
  const own = await h.api.metrics.series(h.workspace, { metric: 'sessions', cohort: { category } });
  assert.ok(own.values.some((v) => (v ?? 0) > 0));
  await assert.rejects(
    h.api.metrics.series(h.workspace, { metric: 'sessions', cohort: { category, os: 'iOS' } }),
    badArgument(/not a cohort dimension/),
  );
  await assert.rejects(
    h.api.cohorts.funnel(h.workspace, { from: dataStart + DAY, to: dataStart }),
    badArgument(/window is empty/),
  );
});

test('a new workspace answers with empty results, not errors', async () => {
  const empty = path.join(h.dir, 'empty.fscope');
  await h.api.workspace.open(empty, { create: true });
  assert.deepEqual(await h.api.metrics.catalog(empty), []);
  const series = await h.api.metrics.series(empty, { metric: 'conversion_rate', baseline: true });
  assert.deepEqual([series.times, series.values, series.baseline?.expected], [[], [], []]);
  assert.deepEqual(await h.api.cohorts.dimensions(empty), []);
  assert.deepEqual(
    await h.api.cohorts.breakdown(empty, { metric: 'sessions', from: 0, to: DAY, dimensions: ['os'] }),
    [],
  );
  assert.ok((await h.api.cohorts.funnel(empty, { from: 0, to: DAY })).every((s) => s.sessions === 0));
  assert.deepEqual(await h.api.annotations.list(empty), []);
  await assert.rejects(h.api.metrics.series(empty, { metric: 'sesions' }), badArgument(/holds no data yet/));
});

test('annotations overlapping a window, with their cohorts parsed', async () => {
  const from = dataStart + 2 * DAY;
  const to = dataStart + 4 * DAY;
  const list = await h.api.annotations.list(h.workspace, { from, to });
  const direct = db
    .prepare(
      'SELECT id FROM annotations WHERE start_ts < ? AND COALESCE(end_ts, start_ts) >= ? ORDER BY start_ts, id',
    )
    .pluck()
    .all(to, from);
  assert.deepEqual(
    list.map((a) => a.id),
    direct,
  );
  const all = await h.api.annotations.list(h.workspace);
  assert.equal(all.length, db.prepare('SELECT COUNT(*) FROM annotations').pluck().get());
  const scoped = all.find((a) => Object.keys(a.cohort).length > 0);
  assert.ok(scoped);
  const stored = db.prepare('SELECT cohort FROM annotations WHERE id = ?').pluck().get(scoped.id) as string;
  assert.equal(
    Object.entries(scoped.cohort)
      .map(([d, v]) => `${d}=${v}`)
      .join('&'),
    stored,
  );
});

// Last: it changes the bucket size of the workspace.
test('settings: defaults, a round trip, errors that say what is allowed, and a bucket change rebuilds the cube', async () => {
  assert.deepEqual(await h.api.settings.get(h.workspace), {
    timeZone: 'UTC',
    sensitivity: 'medium',
    metricSensitivity: {},
    bucketMinutes: null,
    reportMinUsers: 10,
    notifications: true,
    currency: null,
  });
  const updated = await h.api.settings.update(h.workspace, {
    currency: 'EUR',
    sensitivity: 'high',
    metricSensitivity: { conversion_rate: 'low' },
    reportMinUsers: 25,
    notifications: false,
    timeZone: 'Europe/Berlin',
  });
  assert.deepEqual(await h.api.settings.get(h.workspace), updated);
  assert.equal(updated.sensitivity, 'high');
  assert.deepEqual(updated.metricSensitivity, { conversion_rate: 'low' });
  assert.equal(updated.currency, 'EUR');
  await assert.rejects(
    h.api.settings.update(h.workspace, { currency: 'euro' }),
    badArgument(/currency must be an ISO 4217 currency code/),
  );
  assert.equal((await h.api.settings.update(h.workspace, { currency: null })).currency, null);
  await h.api.settings.update(h.workspace, { currency: 'EUR' });
  await assert.rejects(
    h.api.settings.update(h.workspace, { sensitivity: 'extreme' as 'high' }),
    badArgument(/sensitivity must be low, medium or high/),
  );
  await assert.rejects(
    h.api.settings.update(h.workspace, { bucketMinutes: 7 as 5, reportMinUsers: 0 }),
    badArgument(/bucketMinutes must be one of 1, 5, 15, 60.*reportMinUsers must be a whole number/),
  );
  await assert.rejects(
    h.api.settings.update(h.workspace, { timeZone: 'Mars/Olympus' }),
    badArgument(/IANA time zone/),
  );
  await assert.rejects(
    h.api.settings.update(h.workspace, { metricSensitivity: { conversoin_rate: 'low' } }),
    badArgument(/unknown metric conversoin_rate/),
  );
  await assert.rejects(
    h.api.settings.update(h.workspace, { colour: 'red' } as object),
    badArgument(/unknown setting colour/),
  );
  assert.deepEqual(await h.api.settings.get(h.workspace), updated, 'a refused patch changes nothing');
  // A new bucket size takes effect at the next cube build (here the one detection runs first).
  const other = bucketMs === 15 * 60_000 ? 60 : 15;
  await h.api.settings.update(h.workspace, { bucketMinutes: other });
  await h.api.detection.run(h.workspace);
  const series = await h.api.metrics.series(h.workspace, { metric: 'sessions' });
  assert.equal(series.bucketMs, other * 60_000);
  const total = db.prepare(`SELECT COUNT(*) FROM (${SESSIONS_SQL})`).pluck().get();
  assert.equal(
    series.values.reduce<number>((a, v) => a + (v ?? 0), 0),
    total,
  );
  assert.equal((await h.api.settings.update(h.workspace, { bucketMinutes: null })).bucketMinutes, null);
});

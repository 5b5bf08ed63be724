import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Incident } from '../../shared/incidents';
import { harness, REES46, runCli, tempDir, type Harness } from './helpers';

interface Truth {
  incidents: { kind: string; cohort: Record<string, string>; start: number; end: number }[];
}

let h: Harness;
let truth: Truth;
before(async () => {
  h = harness();
  const demo = await h.api.workspace.createDemo(h.workspace, { days: 14, seed: 3, sessionsPerDay: 12_000 });
  truth = JSON.parse(fs.readFileSync(demo.groundTruthFile, 'utf8')) as Truth;
});
after(async () => {
  await h.close();
});

const overlaps = (i: Incident, t: { start: number; end: number }) =>
  Date.parse(i.start) < t.end && Date.parse(i.end) > t.start;

test('metrics of your own are stored in the workspace, listed, charted from the events and watched by detection', async () => {
  await h.api.metrics.define(h.workspace, {
    name: 'de_views',
    kind: 'count',
    numerator: { eventTypes: ['page_view'], where: { country: 'DE' } },
    badDirection: 'down',
  });
  const ios = await h.api.metrics.define(h.workspace, {
    name: 'ios_payment_failures',
    label: 'Payment failures on iOS',
    kind: 'count',
    numerator: { eventTypes: ['payment_failed'], where: { os: 'iOS' } },
    badDirection: 'up',
  });
  assert.equal(ios.label, 'Payment failures on iOS');
  await h.api.metrics.define(h.workspace, {
    name: 'de_revenue',
    kind: 'sum',
    sumOf: 'revenue',
    numerator: { eventTypes: ['purchase'], where: { country: 'DE' } },
    badDirection: 'down',
  });

  // Persisted: still there once the workspace is closed and opened again.
  await h.api.workspace.close(h.workspace);
  const catalog = await h.api.metrics.catalog(h.workspace);
  const own = catalog.filter((m) => m.custom).map((m) => [m.name, m.kind, m.family]);
  assert.deepEqual(own, [
    ['de_revenue', 'sum', 'custom'],
    ['de_views', 'count', 'custom'],
    ['ios_payment_failures', 'count', 'custom'],
  ]);
  assert.equal(catalog.find((m) => m.name === 'de_views')?.label, 'Count of page_view where country=DE');

  // The series against a count made here from the raw events, bucket by bucket.
  const series = await h.api.metrics.series(h.workspace, { metric: 'de_views' });
  await h.api.workspace.close(h.workspace);
  const db = new Database(h.workspace, { readonly: true });
  const expected = new Map<number, number>();
  try {
    const bucketMs = series.bucketMs;
    const id = (dim: string, value: string) =>
      db.prepare('SELECT id FROM dim_values WHERE dim = ? AND value = ?').pluck().get(dim, value) as number;
    const view = id('event_type', 'page_view');
    const de = id('country', 'DE');
    for (const [ts, type, country] of db
      .prepare('SELECT ts, type_id, country FROM events')
      .raw()
      .iterate() as Iterable<[number, number, number]>) {
      if (type !== view || country !== de) continue;
      const bucket = ts - (ts % bucketMs);
      expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
    }
  } finally {
    db.close();
  }
  let total = 0;
  series.times.forEach((t, i) => {
    assert.equal(series.values[i] ?? 0, expected.get(t) ?? 0, new Date(t).toISOString());
    total += series.values[i] ?? 0;
  });
  assert.equal(
    total,
    [...expected.values()].reduce((a, b) => a + b, 0),
  );
  assert.ok(total > 10_000);
  const charted = await h.api.metrics.series(h.workspace, { metric: 'ios_payment_failures', baseline: true });
  assert.ok(charted.baseline?.expected.some((x) => x !== null));

  const run = await h.api.detection.run(h.workspace);
  const loss = truth.incidents.find((t) => t.kind === 'regional_traffic_loss')!;
  const payment = truth.incidents.find((t) => t.kind === 'payment_failure')!;
  const views = run.incidents.filter((i) => i.metric === 'de_views');
  const failures = run.incidents.filter((i) => i.metric === 'ios_payment_failures');
  // Found, on the metric's own cohort, while the store was still losing Germany (within an hour).
  const lossFound = views.find((i) => overlaps(i, loss));
  assert.ok(lossFound, JSON.stringify(views));
  assert.deepEqual(lossFound.cohort, { country: 'DE' });
  assert.equal(lossFound.direction, 'down');
  assert.ok(Date.parse(lossFound.detectedAt) - loss.start <= 3_600_000, lossFound.detectedAt);
  const paymentFound = failures.find((i) => overlaps(i, payment));
  assert.ok(paymentFound, JSON.stringify(failures));
  assert.equal(paymentFound.direction, 'up');
  // Nothing else on these metrics over the fortnight: each matches an injected incident.
  const injected = truth.incidents.filter((t) => t.kind !== 'email_bounce_spike');
  for (const i of [...views, ...failures])
    assert.ok(
      injected.some((t) => overlaps(i, t)),
      `false alarm: ${i.metric} ${i.direction} ${i.start}`,
    );
  for (const i of [...views, ...failures]) assert.deepEqual(i.attribution, []);

  // Removed: no longer listed, no longer watched.
  await h.api.metrics.remove(h.workspace, 'de_views');
  const after = await h.api.metrics.catalog(h.workspace);
  assert.ok(!after.some((m) => m.name === 'de_views'));
  const rerun = await h.api.detection.run(h.workspace);
  assert.ok(!rerun.incidents.some((i) => i.metric === 'de_views'));
});

test('a definition that cannot work is refused with what to change, and nothing is stored', async () => {
  const refused = async (definition: unknown, message: RegExp) =>
    assert.rejects(
      h.api.metrics.define(h.workspace, definition as Parameters<typeof h.api.metrics.define>[1]),
      (error: { code?: string; message: string }) =>
        error.code === 'BAD_ARGUMENT' && message.test(error.message),
    );
  await refused(
    { name: 'carts', kind: 'count', numerator: { eventTypes: ['add_to_chart'] } },
    /no event type "add_to_chart".*add_to_cart/,
  );
  await refused(
    { name: 'sessions', kind: 'count', numerator: { eventTypes: ['purchase'] } },
    /already a metric/,
  );
  await refused(
    { name: 'Bad Name', kind: 'count', numerator: { eventTypes: ['purchase'] } },
    /lower-case letters/,
  );
  await refused({ name: 'x', kind: 'ratio', numerator: { eventTypes: ['purchase'] } }, /denominator/);
  await refused({ name: 'x', kind: 'sum', numerator: { eventTypes: ['purchase'] } }, /sumOf/);
  await refused(
    { name: 'x', kind: 'count', numerator: { eventTypes: ['purchase'], where: { planet: 'Mars' } } },
    /"planet" is not a dimension/,
  );
  await refused(
    { name: 'x', kind: 'count', numerator: { eventTypes: ['purchase'], where: { country: 'Atlantis' } } },
    /No event has country "Atlantis"/,
  );
  await assert.rejects(h.api.metrics.remove(h.workspace, 'never_defined'), /no metric of its own named/);
  const catalog = await h.api.metrics.catalog(h.workspace);
  assert.ok(!catalog.some((m) => m.name === 'carts' || m.name === 'x'));
});

test('a metric of your own is broken down by cohort, counted from the raw events', async () => {
  await h.api.metrics.define(h.workspace, {
    name: 'failures_per_checkout',
    kind: 'ratio',
    numerator: { eventTypes: ['payment_failed'] },
    denominator: { eventTypes: ['begin_checkout'] },
    badDirection: 'up',
  });
  const from = Date.UTC(2026, 9, 10);
  const to = Date.UTC(2026, 9, 12);
  const byBrowser = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'failures_per_checkout',
    dimensions: ['os', 'browser'],
    within: { device: 'mobile' },
    from,
    to,
  });
  const revenue = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'de_revenue',
    dimensions: ['channel'],
    from,
    to,
  });
  // Its filter and the cohort name different values: no event can be in both.
  const none = await h.api.cohorts.breakdown(h.workspace, {
    metric: 'ios_payment_failures',
    dimensions: ['browser'],
    within: { os: 'Android' },
    from,
    to,
  });
  assert.deepEqual(none, []);
  await h.api.workspace.close(h.workspace);

  // The same figures from the events and sessions, one row at a time, here.
  const db = new Database(h.workspace, { readonly: true });
  const failures = new Map<string, number>();
  const checkouts = new Map<string, number>();
  const sessions = new Map<string, number>();
  const deRevenue = new Map<string, number>();
  const deRevenueBefore = new Map<string, number>();
  try {
    const value = new Map(
      (db.prepare('SELECT id, value FROM dim_values').raw().all() as [number, string][]).map(([id, v]) => [
        id,
        v,
      ]),
    );
    const add = (m: Map<string, number>, k: string, x = 1) => m.set(k, (m.get(k) ?? 0) + x);
    for (const [ts, type, device, os, browser, country, channel, amount] of db
      .prepare('SELECT ts, type_id, device, os, browser, country, channel, revenue FROM events')
      .raw()
      .iterate() as Iterable<number[]>) {
      const name = value.get(type as number);
      const pair = `${value.get(os as number)}/${value.get(browser as number)}`;
      const mobile = value.get(device as number) === 'mobile';
      if (ts! >= from && ts! < to && mobile && os && browser) {
        if (name === 'payment_failed') add(failures, pair);
        if (name === 'begin_checkout') add(checkouts, pair);
      }
      if (name === 'purchase' && value.get(country as number) === 'DE' && channel) {
        if (ts! >= from && ts! < to) add(deRevenue, value.get(channel)!, amount ?? 0);
        if (ts! >= from - (to - from) && ts! < from) add(deRevenueBefore, value.get(channel)!, amount ?? 0);
      }
    }
    for (const [start, device, os, browser] of db
      .prepare('SELECT start_ts, device, os, browser FROM sessions')
      .raw()
      .iterate() as Iterable<number[]>)
      if (start! >= from && start! < to && value.get(device!) === 'mobile' && os && browser)
        add(sessions, `${value.get(os)}/${value.get(browser)}`);
  } finally {
    db.close();
  }
  const rows = new Map(byBrowser.map((r) => [`${r.cohort.os}/${r.cohort.browser}`, r]));
  assert.deepEqual([...rows.keys()].sort(), [...new Set([...failures.keys(), ...checkouts.keys()])].sort());
  for (const [pair, row] of rows) {
    assert.equal(row.cohort.device, 'mobile');
    assert.equal(row.numerator, failures.get(pair) ?? 0, pair);
    assert.equal(row.denominator, checkouts.get(pair) ?? 0, pair);
    assert.equal(row.sessions, sessions.get(pair) ?? 0, pair);
    if (row.denominator) assert.equal(row.value, row.numerator / row.denominator);
  }
  // The injected payment failure (iOS Safari) is outside this window: failures exist, but not only there.
  assert.ok([...failures.values()].reduce((a, b) => a + b, 0) > 0);
  // Most sessions first.
  assert.deepEqual(
    byBrowser.map((r) => r.sessions),
    [...byBrowser.map((r) => r.sessions)].sort((a, b) => b - a),
  );
  assert.ok(deRevenue.size >= 3, 'German orders came through several channels');
  assert.equal(revenue.length, deRevenue.size);
  for (const row of revenue) {
    const channel = row.cohort.channel as string;
    assert.ok(Math.abs((row.value ?? -1) - (deRevenue.get(channel) ?? 0)) < 1e-6, channel);
    assert.ok(Math.abs((row.previous ?? -1) - (deRevenueBefore.get(channel) ?? 0)) < 1e-6, channel);
  }
});

test('funnelscope metrics define, list and remove', () => {
  const cli = runCli;
  const workspace = path.join(tempDir(), 'metrics.fscope');
  assert.equal(cli(['import', REES46, '--workspace', workspace]).code, 0);
  const defined = cli([
    'metrics',
    'define',
    '--workspace',
    workspace,
    '--name',
    'cart_adds',
    '--count',
    'add_to_cart',
    '--bad',
    'down',
    '--json',
  ]);
  assert.equal(defined.code, 0, defined.stderr);
  assert.equal(JSON.parse(defined.stdout).name, 'cart_adds');
  const listed = cli(['metrics', '--workspace', workspace]);
  assert.match(listed.stdout, /Your own metrics:\n\s+cart_adds\s+count\s+Count of add_to_cart/);
  const typo = cli(['metrics', 'define', '--workspace', workspace, '--name', 'c', '--count', 'add_to_chart']);
  assert.equal(typo.code, 1);
  assert.equal(typo.stderr.trim().split('\n').length, 1);
  assert.match(typo.stderr, /no event type "add_to_chart"/);
  const twoKinds = cli([
    'metrics',
    'define',
    '--workspace',
    workspace,
    '--name',
    'c',
    '--count',
    'purchase',
    '--ratio',
    'purchase',
  ]);
  assert.equal(twoKinds.code, 2);
  assert.match(twoKinds.stderr, /exactly one of/);
  assert.equal(cli(['metrics', 'remove', '--workspace', workspace, '--name', 'cart_adds']).code, 0);
  assert.doesNotMatch(cli(['metrics', '--workspace', workspace]).stdout, /cart_adds/);
});

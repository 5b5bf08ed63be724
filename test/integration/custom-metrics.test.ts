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
  // A breakdown by cohort is not built for them yet, and says so.
  await assert.rejects(
    h.api.cohorts.breakdown(h.workspace, {
      metric: 'ios_payment_failures',
      dimensions: ['browser'],
      from: Date.UTC(2026, 9, 10),
      to: Date.UTC(2026, 9, 11),
    }),
    /metric of your own.*not built yet/,
  );
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

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { harness, type Harness } from './helpers';

let h: Harness;
before(() => {
  h = harness();
});
after(async () => {
  await h.close();
});

test('an out-of-stock category is found on the category itself, where the whole visit hides it', async () => {
  const demo = await h.api.workspace.createDemo(h.workspace, { days: 14, seed: 4, sessionsPerDay: 12_000 });
  const truth = JSON.parse(fs.readFileSync(demo.groundTruthFile, 'utf8')) as {
    incidents: { kind: string; cohort: Record<string, string>; start: number; end: number }[];
  };
  const stock = truth.incidents.find((i) => i.kind === 'out_of_stock');
  assert.ok(stock, 'the demo injects an out-of-stock');
  const run = await h.api.detection.run(h.workspace);
  const found = run.incidents.filter(
    (i) =>
      i.cohort.category === stock.cohort.category &&
      i.direction === 'down' &&
      Date.parse(i.start) < stock.end &&
      Date.parse(i.end) > stock.start,
  );
  assert.ok(found.length > 0, JSON.stringify(run.incidents.map((i) => [i.metric, i.cohort, i.start])));
  // Known while the shelves are still empty; attributed to the category itself, not to visit cohorts.
  const first = found.sort((a, b) => a.detectedAt.localeCompare(b.detectedAt))[0]!;
  assert.ok(
    Date.parse(first.detectedAt) < stock.end,
    `${first.detectedAt} after ${new Date(stock.end).toISOString()}`,
  );
  assert.deepEqual(
    first.attribution.map((a) => [a.cohort, a.share]),
    [[{ category: stock.cohort.category }, 1]],
  );
});

test('category cohorts are read from the cube with their sums', async () => {
  const { openWorkspace } = await import('../../workers/store/workspace');
  const { loadCube, dimensionNames } = await import('../../workers/metrics/rollup');
  const { productCohorts } = await import('../../workers/metrics/product-cohorts');
  await h.api.workspace.close(h.workspace);
  const db = openWorkspace(h.workspace, { readonly: true });
  try {
    const table = loadCube(db);
    const cohorts = productCohorts(db, table, dimensionNames(db), 'category');
    assert.ok(cohorts.some((c) => c.cohort.category === 'shoes'));
    const sums = db
      .prepare("SELECT value, SUM(sessions) AS s FROM cube_products WHERE dim = 'category' GROUP BY value")
      .all() as { value: number; s: number }[];
    assert.equal(cohorts.length, sums.length);
    const total = (c: (typeof cohorts)[number]) => Array.from(c.series.sessions!).reduce((a, b) => a + b, 0);
    assert.deepEqual(
      cohorts.map((c) => total(c)).sort((a, b) => a - b),
      sums.map((s) => s.s).sort((a, b) => a - b),
    );
    for (const c of cohorts) assert.equal(c.totals.sessions, total(c));
  } finally {
    db.close();
  }
});

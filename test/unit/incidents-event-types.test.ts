import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanCohorts, type CustomSeriesMetric } from '../../workers/incidents/scan';
import type { CubeTable } from '../../workers/metrics/rollup';

const BUCKET_MS = 300_000;
const PER_DAY = 288;
const OUT_OF_STOCK: CustomSeriesMetric = {
  metric: 'out_of_stock',
  kind: 'count',
  numerator: 'out_of_stock',
  family: 'backend',
  watch: 'up',
};

/** Nine days of a store whose export has an out_of_stock event type, counted into one all-traffic series. */
function scanWith(events: Record<number, number>) {
  const length = 9 * PER_DAY;
  const table: CubeTable = {
    bucketMs: BUCKET_MS,
    start: Date.UTC(2026, 9, 5),
    length,
    present: new Uint8Array(length).fill(1),
    rows: 0,
    bucketIndex: new Int32Array(0),
    dims: {},
    measures: {},
  };
  const counts = new Float64Array(length);
  for (const [b, n] of Object.entries(events)) counts[Number(b)] = n;
  const cohort = {
    key: 'event_type=out_of_stock',
    cohort: {},
    series: { out_of_stock: counts, sessions: new Float64Array(length).fill(40) },
    totals: { out_of_stock: counts.reduce((a, b) => a + b, 0) },
  };
  return scanCohorts(table, new Map(), {
    sensitivity: 'medium',
    q: 1e-2,
    minSessions: 300,
    eventSeries: [{ cohort, metric: OUT_OF_STOCK }],
  });
}

describe("an export's own event types", () => {
  it('a burst where a whole week had none is a candidate, though no seasonal profile can form of zeros', () => {
    const burst = 8 * PER_DAY + 100;
    const scan = scanWith({ [burst]: 3 });
    assert.deepEqual(
      scan.candidates.map((c) => [c.bucket, c.direction]),
      [[burst, 'up']],
    );
    assert.ok(scan.candidates[0]!.pValue < 1e-4);
    assert.equal(scan.tested[burst], 1, 'one test in the visit family');
  });

  it('in the first week (no week of history to call quiet) a level-only count is not tested', () => {
    const burst = 3 * PER_DAY + 100;
    assert.deepEqual(scanWith({ [burst]: 3 }).candidates, []);
  });
});

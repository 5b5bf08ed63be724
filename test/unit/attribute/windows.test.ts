import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cohortWindows, productSplit } from '../../../workers/attribute/causes/windows';
import type { CohortSeries } from '../../../workers/metrics/rollup';

const HOUR = 3_600_000;
/** Three days of hourly buckets. */
const LENGTH = 72;
const table = { length: LENGTH, bucketMs: HOUR, present: new Uint8Array(LENGTH).fill(1) };

/** A category whose sessions per hour are `perHour(bucket)`. */
function category(name: string, perHour: (b: number) => number): CohortSeries {
  const sessions = Float64Array.from({ length: LENGTH }, (_, b) => perHour(b));
  return {
    key: `category=${name}`,
    cohort: { category: name },
    series: { sessions },
    totals: { sessions: sessions.reduce((a, b) => a + b, 0) },
  };
}

describe('product cohort windows', () => {
  const products = [
    category('shoes', (b) => (b >= 60 ? 2 : 10)),
    category('bags', () => 5),
    category('hats', () => 1),
  ];

  it("sums the category's window and the same hours of earlier days, against the other categories", () => {
    const split = productSplit(products, { category: 'shoes' }, ['sessions'], LENGTH);
    assert.ok(split);
    const windows = cohortWindows(table, split, 60, 4, ['sessions']);
    assert.ok(windows);
    assert.equal(windows.baseline, 'same hours of earlier days');
    assert.equal(windows.hours, 4);
    assert.deepEqual(windows.inside.after, { sessions: 8 });
    assert.deepEqual(
      windows.inside.baseline.map((b) => b.sessions),
      [40, 40],
    );
    assert.deepEqual(windows.outside.after, { sessions: 24 });
    assert.deepEqual(
      windows.outside.baseline.map((b) => b.sessions),
      [24, 24],
    );
  });

  it('is null for a category without a series or a cohort of two dimensions', () => {
    assert.equal(productSplit(products, { category: 'socks' }, ['sessions'], LENGTH), null);
    assert.equal(productSplit(products, { category: 'shoes', brand: 'Acme' }, ['sessions'], LENGTH), null);
  });

  it('falls back to the preceding hours when no earlier day is in the table', () => {
    const split = productSplit(products, { category: 'shoes' }, ['sessions'], LENGTH)!;
    const windows = cohortWindows(table, split, 10, 4, ['sessions']);
    assert.equal(windows?.baseline, 'preceding hours');
    assert.deepEqual(
      windows?.inside.baseline.map((b) => b.sessions),
      [40],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Ewma,
  MAD_TO_SIGMA,
  alphaFromHalfLife,
  bucketMs,
  ewmaSeries,
  isMissing,
  median,
  medianMad,
  seasonPosition,
  selectInPlace,
} from '../../workers/detect/series';

const MONDAY = Date.UTC(2024, 0, 1); // 2024-01-01 was a Monday
const H = 3_600_000;

describe('bucket timestamps → calendar positions', () => {
  it('hour of day, ISO day of week (0 = Monday), hour of week', () => {
    const p = seasonPosition(MONDAY + 13.5 * H);
    assert.equal(p.hourOfDay, 13);
    assert.equal(p.dayOfWeek, 0);
    assert.equal(p.hourOfWeek, 13);
    assert.equal(p.timeOfDay, 13.5);
    const sunday = seasonPosition(MONDAY + 6 * 24 * H + 23 * H);
    assert.equal(sunday.dayOfWeek, 6);
    assert.equal(sunday.hourOfWeek, 6 * 24 + 23);
  });

  it('uses the centre of the bucket', () => {
    assert.equal(seasonPosition(MONDAY + 13 * H, 60).timeOfDay, 13.5);
    assert.equal(seasonPosition(MONDAY + 13 * H, 5).timeOfDay, 13 + 2.5 / 60);
    assert.equal(bucketMs(15), 900_000);
  });

  it('applies the local offset, across midnight in both directions', () => {
    assert.equal(seasonPosition(MONDAY + 13 * H, 0, () => 120).hourOfDay, 15);
    // Sunday 23:30 UTC is Monday 00:30 at UTC+1
    const p = seasonPosition(MONDAY - 0.5 * H, 0, () => 60);
    assert.equal(p.dayOfWeek, 0);
    assert.equal(p.hourOfDay, 0);
    // Monday 00:30 UTC is Sunday 23:30 at UTC−1
    const q = seasonPosition(MONDAY + 0.5 * H, 0, () => -60);
    assert.equal(q.dayOfWeek, 6);
    assert.equal(q.hourOfDay, 23);
  });
});

describe('median and MAD', () => {
  it('odd and even counts, ignoring missing values', () => {
    assert.equal(median([5, 1, 4, 2, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7, Number.NaN, 1, 4]), 4);
    assert.ok(Number.isNaN(median([])), 'Number.isNaN(median([]))');
  });

  it('MAD of [1, 2, 3, 4, 100] is 1 (the outlier does not move it)', () => {
    const m = medianMad([1, 2, 3, 4, 100]);
    assert.equal(m.median, 3);
    assert.equal(m.mad, 1);
    assert.equal(m.scale, MAD_TO_SIGMA);
    assert.equal(m.n, 5);
  });

  it('MAD of [1, 2, 3, 4] is 1 (deviations 1.5, 0.5, 0.5, 1.5)', () => {
    const m = medianMad([1, 2, 3, 4]);
    assert.equal(m.median, 2.5);
    assert.equal(m.mad, 1);
  });

  it('falls back to the mean absolute deviation when more than half the values tie', () => {
    const m = medianMad([1, 1, 1, 1, 5]);
    assert.equal(m.mad, 0);
    assert.ok(
      Math.abs(m.scale - (1.2533141373155003 * 4) / 5) < 1e-15,
      'Math.abs(m.scale - (1.2533141373155003 * 4) / 5) < 1e-15',
    );
    assert.equal(medianMad([2, 2, 2]).scale, 0);
  });

  it('quickselect returns the k-th smallest for every k, on sorted and reversed input', () => {
    const base = [9, 3, 7, 1, 8, 2, 6, 4, 5, 0];
    for (const input of [base, [...base].sort((a, b) => a - b), [...base].sort((a, b) => b - a)]) {
      for (let k = 0; k < 10; k++) assert.equal(selectInPlace([...input], k), k);
    }
  });
});

describe('online EWMA', () => {
  it('bias-corrected values: α = 0.5 over 2, 4, 8 gives 2, 10/3, 6', () => {
    const xs = ewmaSeries([2, 4, 8], 0.5);
    assert.equal(xs[0], 2);
    assert.ok(Math.abs((xs[1] as number) - 10 / 3) < 1e-15, 'Math.abs((xs[1] as number) - 10 / 3) < 1e-15');
    assert.equal(xs[2], 6); // (0.25·2 + 0.5·4 + 1·8) / 1.75
  });

  it('skips missing values: no update, no decay', () => {
    const e = new Ewma(0.5);
    e.update(2);
    e.update(Number.NaN);
    assert.equal(e.value, 2);
    assert.ok(Math.abs(e.update(4) - 10 / 3) < 1e-15, 'Math.abs(e.update(4) - 10 / 3) < 1e-15');
    assert.equal(e.n, 2);
    assert.ok(Number.isNaN(new Ewma(0.1).value), 'Number.isNaN(new Ewma(0.1).value)');
    assert.throws(() => new Ewma(0));
  });

  it('half-life ↔ α', () => {
    assert.equal(alphaFromHalfLife(1), 0.5);
    assert.ok(
      Math.abs(Math.pow(1 - alphaFromHalfLife(12), 12) - 0.5) < 1e-12,
      'Math.abs(Math.pow(1 - alphaFromHalfLife(12), 12) - 0.5) < 1e-12',
    );
  });

  it('missing values', () => {
    assert.equal(isMissing(null), true);
    assert.equal(isMissing(undefined), true);
    assert.equal(isMissing(Number.NaN), true);
    assert.equal(isMissing(0), false);
  });
});

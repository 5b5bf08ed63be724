import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateChangePoint } from '../../workers/incidents/change-point';

const TRIALS = 100;

/** Successes per bucket at `rate(b)` of TRIALS trials, rounded: the exact expected counts, no noise. */
function series(length: number, rate: (b: number) => number) {
  return {
    successes: Float64Array.from({ length }, (_, b) => Math.round(TRIALS * rate(b))),
    trials: new Float64Array(length).fill(TRIALS),
  };
}

describe('rateChangePoint', () => {
  it('dates a large drop at its break, not at the start of a slightly low stretch before it', () => {
    // 0.47 for 20 buckets (a little under the expected 0.5, as a weekday may run), then 0.3.
    const { successes, trials } = series(40, (b) => (b < 20 ? 0.47 : 0.3));
    const at = rateChangePoint(successes, trials, 0.5, { from: 0, first: 25, end: 39 }, 'down');
    assert.equal(at, 20);
  });

  it('keeps a start where the rate was already as low', () => {
    const { successes, trials } = series(40, (b) => (b < 5 ? 0.5 : 0.3));
    assert.equal(rateChangePoint(successes, trials, 0.5, { from: 5, first: 25, end: 39 }, 'down'), 5);
  });

  it('dates a rise the same way', () => {
    const { successes, trials } = series(40, (b) => (b < 12 ? 0.06 : 0.2));
    assert.equal(rateChangePoint(successes, trials, 0.05, { from: 0, first: 30, end: 39 }, 'up'), 12);
  });

  it('claims nothing before the first significant bucket when the rate did not move that way', () => {
    const { successes, trials } = series(40, () => 0.6);
    assert.equal(rateChangePoint(successes, trials, 0.5, { from: 0, first: 25, end: 39 }, 'down'), 25);
  });

  it('leaves the onset alone without a usable expected rate', () => {
    const { successes, trials } = series(40, () => 0.3);
    assert.equal(rateChangePoint(successes, trials, 0, { from: 3, first: 25, end: 39 }, 'down'), 3);
    assert.equal(rateChangePoint(successes, trials, 1, { from: 3, first: 25, end: 39 }, 'down'), 3);
  });
});

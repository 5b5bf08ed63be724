import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changePoint, type ShiftedSeries } from '../../workers/incidents/change-point';

const TRIALS = 100;

/** Successes per bucket at `rate(b)` of TRIALS trials, rounded: the exact expected counts, no noise. */
function series(length: number, rate: (b: number) => number) {
  return {
    successes: Float64Array.from({ length }, (_, b) => Math.round(TRIALS * rate(b))),
    trials: new Float64Array(length).fill(TRIALS),
  };
}

/** One binomial series: the rate alone. */
const rateChangePoint = (
  successes: Float64Array,
  trials: Float64Array,
  range: { before: number; from: number; first: number; end: number },
  direction: 'up' | 'down',
) => changePoint([{ kind: 'binomial', successes, trials, direction }], range);

describe('changePoint', () => {
  it('dates a large drop at its break, not at the start of a slightly low stretch before it', () => {
    // 0.5 until 20, 0.47 for 20 buckets (a little under, as a weekday may run), then 0.3 from 40.
    const { successes, trials } = series(60, (b) => (b < 20 ? 0.5 : b < 40 ? 0.47 : 0.3));
    const at = rateChangePoint(successes, trials, { before: 0, from: 20, first: 45, end: 59 }, 'down');
    assert.equal(at, 40);
  });

  it('keeps a start where the rate already fell', () => {
    const { successes, trials } = series(60, (b) => (b < 25 ? 0.5 : 0.3));
    assert.equal(rateChangePoint(successes, trials, { before: 0, from: 25, first: 45, end: 59 }, 'down'), 25);
  });

  it('dates a rise the same way', () => {
    const { successes, trials } = series(60, (b) => (b < 20 ? 0.05 : b < 32 ? 0.06 : 0.2));
    assert.equal(rateChangePoint(successes, trials, { before: 0, from: 20, first: 50, end: 59 }, 'up'), 32);
  });

  it('does not follow a rate that the detector has partly absorbed: the rate before is read from the data', () => {
    // The break at 30 is from 0.6 to 0.3; whatever the detector expected by its alarm at 50 does not enter.
    const { successes, trials } = series(80, (b) => (b < 30 ? 0.6 : 0.3));
    assert.equal(rateChangePoint(successes, trials, { before: 0, from: 10, first: 50, end: 79 }, 'down'), 30);
  });

  it('leaves the onset alone without data before it, or when the rate did not move that way', () => {
    const low = series(60, () => 0.3);
    assert.equal(
      rateChangePoint(low.successes, low.trials, { before: 5, from: 5, first: 45, end: 59 }, 'down'),
      5,
    );
    const rising = series(60, (b) => (b < 20 ? 0.3 : 0.6));
    const at = rateChangePoint(
      rising.successes,
      rising.trials,
      { before: 0, from: 10, first: 45, end: 59 },
      'down',
    );
    assert.equal(at, 10);
  });

  it('dates a shift by a rate and its symptom together: the clean symptom settles what the noisy rate cannot', () => {
    // A small cohort's conversion: a few checkouts a bucket, falling from 0.6 to 0.3 at 30 but with noise
    // that makes 24..29 look low too. Its payment failures per checkout jump at 30 and nowhere else.
    const checkouts = new Float64Array(60).fill(4);
    const purchases = Float64Array.from({ length: 60 }, (_, b) =>
      b >= 30 ? 1 : b >= 24 ? 1 : [2, 3][b % 2]!,
    );
    const failures = Float64Array.from({ length: 60 }, (_, b) => (b >= 30 ? 3 : b % 10 === 0 ? 1 : 0));
    const range = { before: 0, from: 10, first: 45, end: 59 };
    const conversion: ShiftedSeries = {
      kind: 'binomial',
      successes: purchases,
      trials: checkouts,
      direction: 'down',
    };
    const symptom: ShiftedSeries = {
      kind: 'poisson',
      successes: failures,
      trials: checkouts,
      direction: 'up',
    };
    assert.equal(changePoint([conversion], range), 24);
    assert.equal(changePoint([conversion, symptom], range), 30);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dimensionSurprises, encodeLeaves, jensenShannon, surpriseTerm } from '../../../workers/attribute';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

describe('Jensen–Shannon surprise (Adtributor)', () => {
  it('matches a hand computation for one element', () => {
    // p = 0.5, q = 0.25, m = 0.75: ½·(0.5·ln(1/0.75) + 0.25·ln(0.5/0.75))
    //   = ½·(0.5 × 0.2876821 − 0.25 × 0.4054651) = ½·(0.1438410 − 0.1013663) = 0.0212374
    close(surpriseTerm(0.5, 0.25), 0.0212374, 1e-7);
    close(surpriseTerm(0.25, 0.5), 0.0212374, 1e-7);
  });

  it('is 0 for an unchanged share and ½·p·ln 2 for a share that vanished', () => {
    assert.equal(surpriseTerm(0.3, 0.3), 0);
    close(surpriseTerm(0.4, 0), 0.5 * 0.4 * Math.LN2);
    assert.equal(surpriseTerm(0, 0), 0);
  });

  it('sums to ln 2 for disjoint distributions and 0 for proportional ones', () => {
    close(jensenShannon([1, 0], [0, 1]), Math.LN2);
    close(jensenShannon([2, 6, 2], [1, 3, 1]), 0);
    // [0.5, 0.5] against [0.75, 0.25]: two terms computed by hand as above.
    close(jensenShannon([1, 1], [3, 1]), surpriseTerm(0.5, 0.75) + surpriseTerm(0.5, 0.25));
    // ½·(0.5·ln 0.8 + 0.75·ln 1.2) = 0.0125847, plus 0.0212374 from above.
    close(surpriseTerm(0.5, 0.75) + surpriseTerm(0.5, 0.25), 0.0338221, 1e-7);
  });

  it('gives no surprise to a dimension whose values all shrank with the total', () => {
    // iOS halves; each country holds the same mix of systems, so every country shrinks by the same 25%.
    const rows = ['US', 'DE', 'FR'].flatMap((country, c) =>
      ['iOS', 'Android'].map((os) => {
        const predict = 100 * (c + 1);
        return { values: [os, country], real: os === 'iOS' ? predict / 2 : predict, predict };
      }),
    );
    const leaves = encodeLeaves({ kind: 'additive', dimensions: ['os', 'country'], rows });
    const [first, second] = dimensionSurprises(leaves);
    assert.equal(first?.dimension, 'os');
    // os: expected shares ½, ½; observed ¼/¾ and ½/¾ = ⅓, ⅔.
    close(first!.surprise, surpriseTerm(0.5, 1 / 3) + surpriseTerm(0.5, 2 / 3));
    assert.equal(second?.dimension, 'country');
    close(second!.surprise, 0);
    // The largest country still explains the largest part of the drop: explanatory power alone would
    // blame it. US: −50 of −300.
    const us = second!.values.find((v) => v.value === 'US');
    close(us!.explanatoryPower, 50 / 300);
  });
});

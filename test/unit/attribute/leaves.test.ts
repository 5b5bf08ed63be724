import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeafTableError, encodeLeaves } from '../../../workers/attribute';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

describe('leaf encoding', () => {
  it('splits a rate change into rate and mix effects that add up to it', () => {
    // Total rate 15/150 = 0.1 against a forecast 30/200 = 0.15.
    const leaves = encodeLeaves({
      kind: 'ratio',
      dimensions: ['os'],
      rows: [
        // Rate halved (0.1 → 0.05) at the expected traffic.
        { values: ['iOS'], realNum: 5, realDen: 100, predictNum: 10, predictDen: 100 },
        // Rate held at 0.2, traffic halved.
        { values: ['Android'], realNum: 10, realDen: 50, predictNum: 20, predictDen: 100 },
      ],
    });
    close(leaves.totalActual, 0.1);
    close(leaves.totalExpected, 0.15);
    // iOS: rate effect (5 − 100 × 0.1)/150 = −1/30; mix (100/150 − 100/200)(0.1 − 0.15) = −1/120.
    close(leaves.contribution[0]!, -1 / 30 - 1 / 120);
    // Android: no rate effect; mix (50/150 − 100/200)(0.2 − 0.15) = −1/120.
    close(leaves.contribution[1]!, -1 / 120);
    close(leaves.contribution[0]! + leaves.contribution[1]!, 0.1 - 0.15);
    // The search compares numerators with denominators × forecast rates.
    assert.deepEqual([...leaves.actual], [5, 10]);
    assert.deepEqual([...leaves.expected], [10, 10]);
  });

  it('expects a leaf with no forecast traffic at the total forecast rate', () => {
    const leaves = encodeLeaves({
      kind: 'ratio',
      dimensions: ['os'],
      rows: [
        { values: ['iOS'], realNum: 10, realDen: 100, predictNum: 10, predictDen: 100 },
        { values: ['Linux'], realNum: 1, realDen: 20, predictNum: 0, predictDen: 0 },
      ],
    });
    close(leaves.expected[1]!, 20 * 0.1);
  });

  it('dictionary-encodes dimension values', () => {
    const leaves = encodeLeaves({
      kind: 'additive',
      dimensions: ['os', 'country'],
      rows: [
        { values: ['iOS', 'US'], real: 1, predict: 2 },
        { values: ['Android', 'US'], real: 3, predict: 3 },
        { values: ['iOS', 'DE'], real: 4, predict: 4 },
      ],
    });
    assert.deepEqual(leaves.labels, [
      ['iOS', 'Android'],
      ['US', 'DE'],
    ]);
    assert.deepEqual([...leaves.codes[0]!], [0, 1, 0]);
    assert.deepEqual([...leaves.codes[1]!], [0, 0, 1]);
    assert.equal(leaves.totalActual - leaves.totalExpected, -1);
  });

  it('refuses malformed tables, naming the row', () => {
    const bad =
      (rows: { values: string[]; real: number; predict: number }[], dimensions = ['os']) =>
      () =>
        encodeLeaves({ kind: 'additive', dimensions, rows });
    assert.throws(
      bad([{ values: ['iOS'], real: Number.NaN, predict: 1 }]),
      /row 1: real is not a finite number/,
    );
    assert.throws(bad([{ values: ['iOS'], real: 1, predict: -2 }]), /row 1: predict is negative/);
    assert.throws(
      bad([
        { values: ['iOS'], real: 1, predict: 1 },
        { values: ['iOS', 'US'], real: 1, predict: 1 },
      ]),
      /row 2: 2 dimension values for 1 dimensions/,
    );
    assert.throws(bad([], []), LeafTableError);
    assert.throws(bad([], ['os', 'os']), /dimension names repeat/);
  });
});

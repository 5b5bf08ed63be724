import type { LeafTable, RatioLeaf } from './types';

/**
 * A leaf table in the form the search works on: dimension values dictionary-encoded per dimension, and
 * every metric reduced to an additive pair (actual, expected) per leaf.
 *
 * Additive metric: actual = real, expected = predict.
 *
 * Ratio metric: actual = real numerator, expected = real denominator × forecast rate of the leaf. A leaf
 * whose rate holds has actual ≈ expected whatever happened to its traffic, and a cohort whose rate fell
 * by x% has every leaf at (1 − x) × expected: the ripple effect of additive metrics, in numerator units.
 * So a cohort that merely lost traffic with the total is not mistaken for one whose rate changed.
 */
export interface EncodedLeaves {
  kind: LeafTable['kind'];
  dimensions: string[];
  /** Per dimension, code → value. */
  labels: string[][];
  /** Per dimension, leaf → code. */
  codes: Int32Array[];
  actual: Float64Array;
  expected: Float64Array;
  /**
   * Each leaf's part of the total deviation, in metric units; they sum to `totalActual − totalExpected`.
   * Additive: actual − expected. Ratio: the leaf's rate effect plus its mix effect (see ratioContributions).
   */
  contribution: Float64Array;
  /** Ratio metric: the observed denominator per leaf, to turn sums of actual and expected into rates. */
  denominator: Float64Array | null;
  /** Observed and expected total in metric units (sums, or rates for a ratio metric). */
  totalActual: number;
  totalExpected: number;
}

export class LeafTableError extends Error {}

function checkValue(value: number, row: number, column: string): number {
  if (!Number.isFinite(value)) throw new LeafTableError(`row ${row + 1}: ${column} is not a finite number`);
  if (value < 0) throw new LeafTableError(`row ${row + 1}: ${column} is negative (${value})`);
  return value;
}

function encodeDimensions(table: LeafTable): { labels: string[][]; codes: Int32Array[] } {
  const width = table.dimensions.length;
  if (width === 0) throw new LeafTableError('the table has no dimension');
  if (new Set(table.dimensions).size !== width) throw new LeafTableError('dimension names repeat');
  const dictionaries = table.dimensions.map(() => new Map<string, number>());
  const labels: string[][] = table.dimensions.map(() => []);
  const codes = table.dimensions.map(() => new Int32Array(table.rows.length));
  table.rows.forEach((row, i) => {
    if (row.values.length !== width)
      throw new LeafTableError(`row ${i + 1}: ${row.values.length} dimension values for ${width} dimensions`);
    for (let d = 0; d < width; d++) {
      const value = row.values[d]!;
      let code = dictionaries[d]!.get(value);
      if (code === undefined) {
        code = labels[d]!.length;
        dictionaries[d]!.set(value, code);
        labels[d]!.push(value);
      }
      codes[d]![i] = code;
    }
  });
  return { labels, codes };
}

/**
 * Splits the change of a ratio R = ΣN/ΣD against its forecast F = ΣN̂/ΣD̂ exactly over the leaves:
 *
 *   R − F = Σᵢ (dᵢ/D)(rᵢ − r̂ᵢ)  +  Σᵢ (dᵢ/D − d̂ᵢ/D̂)(r̂ᵢ − F)
 *           rate effect            mix effect
 *
 * A leaf whose rate held and whose traffic moved with the total contributes nothing; one that gained
 * traffic contributes only as far as its expected rate differs from the total's.
 */
function ratioContributions(
  rows: RatioLeaf[],
  forecastRate: Float64Array,
  totals: { den: number; predictDen: number; forecast: number },
): Float64Array {
  const contribution = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const rate = forecastRate[i]!;
    const rateEffect = totals.den > 0 ? (row.realNum - row.realDen * rate) / totals.den : 0;
    const actualMix = totals.den > 0 ? row.realDen / totals.den : 0;
    const expectedMix = totals.predictDen > 0 ? row.predictDen / totals.predictDen : 0;
    contribution[i] = rateEffect + (actualMix - expectedMix) * (rate - totals.forecast);
  });
  return contribution;
}

function encodeRatio(table: Extract<LeafTable, { kind: 'ratio' }>, n: number) {
  let num = 0;
  let den = 0;
  let predictNum = 0;
  let predictDen = 0;
  table.rows.forEach((row, i) => {
    num += checkValue(row.realNum, i, 'real_num');
    den += checkValue(row.realDen, i, 'real_den');
    predictNum += checkValue(row.predictNum, i, 'predict_num');
    predictDen += checkValue(row.predictDen, i, 'predict_den');
  });
  const forecast = predictDen > 0 ? predictNum / predictDen : 0;
  // A leaf with no expected traffic has no rate of its own to expect: it is expected at the total's.
  const forecastRate = new Float64Array(n);
  table.rows.forEach((row, i) => {
    forecastRate[i] = row.predictDen > 0 ? row.predictNum / row.predictDen : forecast;
  });
  const actual = new Float64Array(n);
  const expected = new Float64Array(n);
  const denominator = new Float64Array(n);
  table.rows.forEach((row, i) => {
    actual[i] = row.realNum;
    expected[i] = row.realDen * forecastRate[i]!;
    denominator[i] = row.realDen;
  });
  return {
    actual,
    expected,
    contribution: ratioContributions(table.rows, forecastRate, { den, predictDen, forecast }),
    denominator,
    totalActual: den > 0 ? num / den : 0,
    totalExpected: forecast,
  };
}

function encodeAdditive(table: Extract<LeafTable, { kind: 'additive' }>) {
  // Plain loops: TypedArray.from with a mapping function is many times slower in V8.
  const n = table.rows.length;
  const actual = new Float64Array(n);
  const expected = new Float64Array(n);
  const contribution = new Float64Array(n);
  table.rows.forEach((row, i) => {
    actual[i] = checkValue(row.real, i, 'real');
    expected[i] = checkValue(row.predict, i, 'predict');
    contribution[i] = actual[i]! - expected[i]!;
  });
  return {
    actual,
    expected,
    contribution,
    denominator: null,
    totalActual: actual.reduce((s, v) => s + v, 0),
    totalExpected: expected.reduce((s, v) => s + v, 0),
  };
}

/** Validates and encodes a leaf table; throws LeafTableError with the offending row on bad input. */
export function encodeLeaves(table: LeafTable): EncodedLeaves {
  const { labels, codes } = encodeDimensions(table);
  const metric = table.kind === 'ratio' ? encodeRatio(table, table.rows.length) : encodeAdditive(table);
  return { kind: table.kind, dimensions: [...table.dimensions], labels, codes, ...metric };
}

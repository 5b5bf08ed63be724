/**
 * Synthetic leaf tables built the way the RiskLoc and Squeeze papers build theirs: every combination of a
 * few dimensions is a leaf, leaf values are heavy-tailed (Weibull, shape 0.5–1) with some leaves empty,
 * forecasts carry relative noise in both directions, and 1 to 3 root-cause cohorts of one layer are moved
 * by a severity of their own (each leaf around it), all down or all up.
 *
 * Ratio tables add what only a rate has: root causes whose traffic also changed (their rate is the cause,
 * not their volume) and a decoy cohort whose traffic fell while its rate held, which must not be blamed.
 */
import type { Cohort } from '../../../shared/explore';
import type { AdditiveLeaf, LeafTable, RatioLeaf } from '../../../workers/attribute';
import { mulberry32 } from '../support/random';

export type MetricKind = 'additive' | 'ratio';

export interface SyntheticSettings {
  /** Values per dimension are drawn from this range, one dimension per entry of `dimensions`. */
  dimensions: string[];
  valuesPerDimension: [number, number];
  /** Range of the relative forecast noise σ of a table. */
  noise: [number, number];
  /** Range of the share of empty leaves. */
  zeroRate: [number, number];
  /** Range of a root cause's severity (relative change), to which the table's noise level is added. */
  severity: [number, number];
  /** Spread of the severity from leaf to leaf inside a root cause. */
  severitySpread: [number, number];
  rootCauses: [number, number];
  /**
   * Keep the forecast noise on the leaves of a root cause. The RiskLoc generator resets it (a cause moves
   * its leaves exactly); real causes do not silence the noise.
   */
  noiseInCauses: boolean;
}

/** The ranges of RiskLoc's generator (its S dataset), on 4 dimensions of 5 to 10 values. */
export const PAPER_SETTINGS: SyntheticSettings = {
  dimensions: ['a', 'b', 'c', 'd'],
  valuesPerDimension: [5, 10],
  noise: [0, 0.25],
  zeroRate: [0, 0.25],
  severity: [0.2, 1],
  severitySpread: [0, 0.1],
  rootCauses: [1, 3],
  noiseInCauses: false,
};

export interface SyntheticCase {
  table: LeafTable;
  /** The injected root causes, written as `localize` prints them. */
  truth: string[];
}

/** `dim=value&dim=value`, pairs sorted by dimension name (the CLI's and the papers' label format). */
export function cohortKey(cohort: Cohort): string {
  return Object.keys(cohort)
    .sort()
    .map((d) => `${d}=${cohort[d]}`)
    .join('&');
}

class Sampler {
  private readonly rand: () => number;
  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rand();
  }
  integer(lo: number, hi: number): number {
    return Math.floor(this.uniform(lo, hi + 1));
  }
  normal(mean = 0, sd = 1): number {
    const u = this.rand() || 1e-300;
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rand());
  }
  weibull(shape: number, scale: number): number {
    return scale * Math.pow(-Math.log(1 - this.rand()), 1 / shape);
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  pick<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0)
      chosen.push(pool.splice(this.integer(0, pool.length - 1), 1)[0]!);
    return chosen;
  }
}

function allCombinations(values: string[][]): string[][] {
  return values.reduce<string[][]>(
    (rows, column) => rows.flatMap((row) => column.map((v) => [...row, v])),
    [[]],
  );
}

function overlaps(x: Cohort, y: Cohort): boolean {
  return Object.keys(x).every((d) => !(d in y) || x[d] === y[d]);
}

function matches(cohort: Cohort, dimensions: string[], values: string[]): boolean {
  return dimensions.every((d, k) => !(d in cohort) || cohort[d] === values[k]);
}

/** 1 to 3 disjoint cohorts of `layer` dimensions, each holding at least one non-empty leaf. */
function pickRootCauses(
  s: Sampler,
  settings: SyntheticSettings,
  values: string[][],
  layer: number,
  nonEmpty: (cohort: Cohort) => boolean,
): Cohort[] {
  const count = s.integer(...settings.rootCauses);
  const causes: Cohort[] = [];
  for (let attempt = 0; causes.length < count && attempt < 1000; attempt++) {
    const dims = s.pick(
      settings.dimensions.map((_, d) => d),
      layer,
    );
    const cohort: Cohort = {};
    for (const d of dims) cohort[settings.dimensions[d]!] = s.pick(values[d]!, 1)[0]!;
    if (causes.some((c) => overlaps(c, cohort)) || !nonEmpty(cohort)) continue;
    causes.push(cohort);
  }
  return causes;
}

interface Injection {
  cohort: Cohort;
  severity: number;
  spread: number;
}

function leafSeverity(s: Sampler, injection: Injection): number {
  return Math.min(1, Math.max(0, s.normal(injection.severity, injection.spread)));
}

function additiveRows(
  s: Sampler,
  settings: SyntheticSettings,
  combos: string[][],
  noise: number,
  zeroRate: number,
) {
  const shape = s.uniform(0.5, 1);
  return combos.map((values): AdditiveLeaf => {
    const real = s.chance(zeroRate) ? 0 : s.weibull(shape, 100);
    const noisy = Math.max(0, real * (1 + s.normal(0, noise)));
    // Swap at random so that forecasts err on both sides, as in the RiskLoc generator.
    return s.chance(0.5) ? { values, real, predict: noisy } : { values, real: noisy, predict: real };
  });
}

function ratioRows(s: Sampler, combos: string[][], noise: number, zeroRate: number) {
  const shape = s.uniform(0.5, 1);
  return combos.map((values): RatioLeaf => {
    const den = s.chance(zeroRate) ? 0 : s.weibull(shape, 1000);
    const rate = s.uniform(0.01, 0.1);
    const predictDen = Math.max(0, den * (1 + s.normal(0, noise)));
    return {
      values,
      realDen: den,
      realNum: Math.min(den, Math.max(0, den * rate * (1 + s.normal(0, noise)))),
      predictDen,
      predictNum: predictDen * rate,
    };
  });
}

/** Actual minus expected, in numerator units for a ratio leaf (its rate effect). */
function additiveDeviation(row: AdditiveLeaf | RatioLeaf): number {
  if ('real' in row) return row.real - row.predict;
  return row.predictDen > 0 ? row.realNum - (row.realDen * row.predictNum) / row.predictDen : 0;
}

/** One synthetic table of `kind` with its root causes in `layer`. */
export function syntheticCase(
  kind: MetricKind,
  layer: number,
  seed: number,
  settings: SyntheticSettings = PAPER_SETTINGS,
): SyntheticCase {
  const s = new Sampler(seed);
  const dims = settings.dimensions;
  const values = dims.map((d) => {
    const n = s.integer(...settings.valuesPerDimension);
    return Array.from({ length: n }, (_, i) => `${d}${i + 1}`);
  });
  const combos = allCombinations(values);
  const noise = s.uniform(...settings.noise);
  const zeroRate = s.uniform(...settings.zeroRate);
  const rows =
    kind === 'additive'
      ? additiveRows(s, settings, combos, noise, zeroRate)
      : ratioRows(s, combos, noise, zeroRate);
  // As in the RiskLoc generator, the anomalies go the way the forecast errors of the normal leaves add up
  // to, so that noise does not cancel what there is to explain.
  const down = rows.reduce((sum, row) => sum + additiveDeviation(row), 0) < 0;
  const volume = (row: AdditiveLeaf | RatioLeaf) => ('real' in row ? row.real : row.realDen);
  const nonEmpty = (cohort: Cohort) =>
    rows.some((row) => matches(cohort, dims, row.values) && volume(row) > 0);
  const injections: Injection[] = pickRootCauses(s, settings, values, layer, nonEmpty).map((cohort) => ({
    cohort,
    severity: s.uniform(...settings.severity) + noise,
    spread: s.uniform(...settings.severitySpread),
  }));

  for (const injection of injections) {
    const trafficFactor = s.uniform(0.7, 1.3);
    for (const row of rows) {
      if (!matches(injection.cohort, dims, row.values)) continue;
      const r = leafSeverity(s, injection);
      const kept = settings.noiseInCauses ? 1 + s.normal(0, noise) : 1;
      if ('real' in row) {
        // Reset the noise, then move the leaf: down to (1 − r)·forecast, or up so that forecast = (1 − r)·real.
        if (down) row.real = Math.max(0, row.predict * (1 - r) * kept);
        else row.predict = Math.max(0, (row.real * (1 - r)) / kept);
      } else {
        const rate = row.predictDen > 0 ? row.predictNum / row.predictDen : 0;
        const moved = down ? 1 - r : 1 / Math.max(1 - r, 0.1);
        row.realDen *= trafficFactor;
        row.realNum = Math.min(row.realDen, Math.max(0, row.realDen * rate * moved * kept));
      }
    }
  }

  if (kind === 'ratio') {
    // A decoy: one value of a dimension loses a third of its traffic while its rates hold.
    const decoy: Cohort = {};
    const d = s.integer(0, dims.length - 1);
    decoy[dims[d]!] = s.pick(values[d]!, 1)[0]!;
    for (const row of rows as RatioLeaf[]) {
      if (!matches(decoy, dims, row.values) || injections.some((i) => matches(i.cohort, dims, row.values)))
        continue;
      const rate = row.realDen > 0 ? row.realNum / row.realDen : 0;
      row.realDen *= 0.65;
      row.realNum = row.realDen * rate;
    }
  }

  const table: LeafTable =
    kind === 'additive'
      ? { kind, dimensions: dims, rows: rows as AdditiveLeaf[] }
      : { kind, dimensions: dims, rows: rows as RatioLeaf[] };
  return { table, truth: injections.map((i) => cohortKey(i.cohort)) };
}

/** Precision, recall and F1 of predicted against true root-cause sets, pooled over many cases. */
export function pooledF1(cases: { predicted: string[]; truth: string[] }[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { predicted, truth } of cases) {
    const hits = predicted.filter((p) => truth.includes(p)).length;
    tp += hits;
    fp += predicted.length - hits;
    fn += truth.length - hits;
  }
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 1,
    recall: tp + fn > 0 ? tp / (tp + fn) : 1,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 1,
  };
}

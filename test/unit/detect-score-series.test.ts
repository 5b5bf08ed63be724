import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeriesPoint, SeriesScore } from '../../workers/detect/score-series';
import {
  SeriesScorer,
  anomalyScoreFromP,
  describeSeriesScoring,
  scoreSeries,
} from '../../workers/detect/score-series';
import { SPACING_SAMPLE, inferSeasonPlan } from '../../workers/detect/season-plan';
import { GenericEnsemble } from '../../workers/detect/combine';
import type { EnsembleOptions } from '../../workers/detect/combine';
import { seasonalEnsembleOptions } from '../../workers/detect/score-series';
import { SeriesEnsemble } from '../../workers/detect/series-ensemble';
import { ShesdDetector } from '../../workers/detect/shesd';
import type { ShesdOptions } from '../../workers/detect/shesd';
import { StreamingShesd } from '../../workers/detect/shesd-stream';
import { SortedValues } from '../../workers/detect/sorted-values';
import type { ValueObservation } from '../../workers/detect/types';
import { mulberry32 } from './support/random';

const T0 = Date.UTC(2024, 0, 1); // a Monday
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
}

/** Daily sine (amplitude 30) around 100 plus N(0, 2²) noise, every `step` ms from T0. */
function dailySeries(days: number, step: number, seed: number, extra: (i: number) => number = () => 0) {
  const rand = mulberry32(seed);
  const perDay = DAY / step;
  return Array.from({ length: days * perDay }, (_, i) => ({
    time: T0 + i * step,
    value: 100 + 30 * Math.sin((2 * Math.PI * i) / perDay) + 2 * gauss(rand) + extra(i),
  }));
}

function scores(points: Iterable<SeriesPoint>): SeriesScore[] {
  return [...scoreSeries(points)];
}

function quantile(xs: readonly number[], q: number): number {
  const sorted = xs.slice().sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('season plan from the spacing', () => {
  const regular = (ms: number) => Array.from({ length: SPACING_SAMPLE }, () => ms);

  it('5-minute rows get a daily season of 288 points, hourly rows one of 24', () => {
    assert.deepEqual(inferSeasonPlan(regular(5 * MIN)), {
      kind: 'seasonal',
      period: 'day',
      intervalMs: 5 * MIN,
      pointsPerSeason: 288,
    });
    const hourly = inferSeasonPlan(regular(HOUR));
    assert.equal(hourly.kind === 'seasonal' && hourly.pointsPerSeason, 24);
  });

  it('daily rows get a weekly season of 7 points; weekly rows and 1-second rows get none', () => {
    const daily = inferSeasonPlan(regular(DAY));
    assert.ok(daily.kind === 'seasonal' && daily.period === 'week' && daily.pointsPerSeason === 7);
    assert.equal(inferSeasonPlan(regular(7 * DAY)).kind, 'level');
    const fine = inferSeasonPlan(regular(SEC));
    assert.ok(fine.kind === 'level' && /finer than 1 min/.test(fine.reason), JSON.stringify(fine));
  });

  it('a few long gaps keep a series regular; exponential arrivals are irregular', () => {
    const gappy = regular(5 * MIN);
    gappy[3] = 2 * HOUR;
    gappy[20] = DAY;
    assert.equal(inferSeasonPlan(gappy).kind, 'seasonal');
    const rand = mulberry32(3);
    const poisson = Array.from({ length: SPACING_SAMPLE }, () => -Math.log(rand() || 1e-300) * 5 * MIN);
    const plan = inferSeasonPlan(poisson);
    assert.ok(plan.kind === 'level' && /irregular/.test(plan.reason), JSON.stringify(plan));
  });
});

describe('anomaly score from the p-value', () => {
  it('0 without evidence, 0.5 at 2p = 1e-3, 1 from 2p = 1e-6 on, monotone in between', () => {
    assert.equal(anomalyScoreFromP(0.5), 0);
    assert.equal(anomalyScoreFromP(1), 0);
    assert.ok(Math.abs(anomalyScoreFromP(0.5e-3) - 0.5) < 1e-12);
    assert.equal(anomalyScoreFromP(0.5e-6), 1);
    assert.equal(anomalyScoreFromP(1e-300), 1);
    assert.ok(anomalyScoreFromP(1e-4) > anomalyScoreFromP(1e-3));
  });
});

describe('scoring a clean seasonal series (5-minute rows, 10 days)', () => {
  const spike = Math.round(6.3 * 288);
  const shift = Math.round(9.2 * 288);
  const series = dailySeries(10, 5 * MIN, 11, (i) => (i === spike ? 30 : 0) + (i >= shift ? 20 : 0));
  const scorer = new SeriesScorer();
  const result = series.map((p) => scorer.push(p));

  it('infers the daily season and scores from the seasonal baseline after 3 days', () => {
    assert.deepEqual(scorer.seasonPlan, {
      kind: 'seasonal',
      period: 'day',
      intervalMs: 5 * MIN,
      pointsPerSeason: 288,
    });
    assert.equal(result[4 * 288]?.baseline, 'seasonal');
  });

  it('the injected spike and the first rows of the level shift score above 0.9', () => {
    assert.ok((result[spike]?.score ?? 0) > 0.9, `spike ${result[spike]?.score}`);
    for (let i = shift; i < shift + 3; i++)
      assert.ok((result[i]?.score ?? 0) > 0.9, `shift row ${i - shift}: ${result[i]?.score}`);
    assert.equal(result[spike]?.direction, 'up');
  });

  it('ordinary rows score low: mean under 0.1, 99th percentile under 0.5', () => {
    const ordinary = result
      .map((r) => r.score)
      .filter((_, i) => i >= 3 * 288 && i < shift && Math.abs(i - spike) > 2);
    assert.ok(mean(ordinary) < 0.1, `mean ${mean(ordinary)}`);
    assert.ok(quantile(ordinary, 0.99) < 0.5, `q99 ${quantile(ordinary, 0.99)}`);
  });

  it('every score is in [0, 1], also for constant stretches, zeros and extreme values', () => {
    assert.ok(result.every((r) => r.score >= 0 && r.score <= 1));
    const rough = series.map((p, i) => ({
      time: p.time,
      value: i % 500 < 100 ? 7 : i % 97 === 0 ? 1e12 : i % 89 === 0 ? 0 : p.value,
    }));
    for (const r of scores(rough)) assert.ok(r.score >= 0 && r.score <= 1, String(r.score));
  });

  it('online: a prefix scores exactly as the first rows of the whole series', () => {
    for (const n of [20, SPACING_SAMPLE, SPACING_SAMPLE + 1, SPACING_SAMPLE + 2, 900, spike + 1]) {
      assert.deepEqual(scores(series.slice(0, n)), result.slice(0, n), `prefix of ${n}`);
    }
  });
});

describe('scoring a daily series with a weekly season', () => {
  it('weekends are not anomalies once 3 weeks are known; a spike is', () => {
    const rand = mulberry32(5);
    const spike = 7 * 15 + 2;
    const series = Array.from({ length: 7 * 20 }, (_, i) => ({
      time: T0 + i * DAY,
      value: (i % 7 >= 5 ? 40 : 100) + 2 * gauss(rand) + (i === spike ? 30 : 0),
    }));
    const scorer = new SeriesScorer();
    const result = series.map((p) => scorer.push(p));
    const plan = scorer.seasonPlan;
    assert.ok(plan?.kind === 'seasonal' && plan.period === 'week', JSON.stringify(plan));
    assert.ok((result[spike]?.score ?? 0) > 0.9, `spike ${result[spike]?.score}`);
    const weekends = result.filter((r, i) => i >= 7 * 6 && i % 7 >= 5 && r.baseline !== null);
    assert.ok(weekends.length > 20);
    assert.ok(
      weekends.every((r) => r.score < 0.5 && r.baseline === 'seasonal'),
      weekends.map((r) => r.score).join(),
    );
  });
});

describe('irregular spacing and missing values', () => {
  it('exponential arrivals fall back to a level-only baseline, say so, and still find a spike', () => {
    const rand = mulberry32(8);
    let time = T0;
    const series = Array.from({ length: 2000 }, (_, i) => {
      time += Math.ceil(-Math.log(rand() || 1e-300) * 5 * MIN);
      return { time, value: 50 + 2 * gauss(rand) + (i === 1500 ? 25 : 0) };
    });
    const scorer = new SeriesScorer();
    const result = series.map((p) => scorer.push(p));
    assert.equal(scorer.seasonPlan?.kind, 'level');
    assert.match(describeSeriesScoring(scorer.summary())[0] as string, /level-only baseline.*irregular/);
    assert.ok((result[1500]?.score ?? 0) > 0.9, `spike ${result[1500]?.score}`);
    assert.ok(result.every((r) => r.score >= 0 && r.score <= 1 && r.baseline !== 'seasonal'));
    const ordinary = result.slice(100).filter((_, i) => i + 100 !== 1500);
    assert.ok(mean(ordinary.map((r) => r.score)) < 0.1);
  });

  it('jittered timestamps keep the daily season', () => {
    const rand = mulberry32(9);
    const series = dailySeries(5, 5 * MIN, 12).map((p) => ({
      ...p,
      time: p.time + Math.round((rand() - 0.5) * 40 * SEC),
    }));
    const scorer = new SeriesScorer();
    const result = series.map((p) => scorer.push(p));
    assert.equal(scorer.seasonPlan?.kind, 'seasonal');
    assert.equal(result.at(-1)?.baseline, 'seasonal');
  });

  it('a missing value scores 0 and is not a zero: the other rows score as if it were not there', () => {
    const series = dailySeries(6, 5 * MIN, 13);
    const blanks = new Set([1000, 1001, 1002, 1500]);
    const withBlanks = series.map((p, i) =>
      blanks.has(i) ? { time: p.time, value: i === 1500 ? NaN : null } : p,
    );
    const withoutRows = series.filter((_, i) => !blanks.has(i));
    const scored = scores(withBlanks);
    for (const i of blanks)
      assert.deepEqual(scored[i], { score: 0, pValue: null, direction: null, baseline: null });
    assert.deepEqual(
      scored.filter((_, i) => !blanks.has(i)),
      scores(withoutRows),
    );
    const withZero = scores(series.map((p, i) => (i === 1500 ? { time: p.time, value: 0 } : p)));
    assert.ok((withZero[1500]?.score ?? 0) > 0.9, 'a real zero is an anomaly');
    const scorer = new SeriesScorer();
    withBlanks.forEach((p) => scorer.push(p));
    assert.equal(scorer.summary().missing, 4);
  });
});

describe('short series and bad input', () => {
  it('too few rows for a plan, or for a seasonal baseline, are scored level-only and say so', () => {
    const tiny = new SeriesScorer();
    dailySeries(1, 5 * MIN, 14)
      .slice(0, 20)
      .forEach((p) => tiny.push(p));
    assert.match(describeSeriesScoring(tiny.summary())[0] as string, /only 20 rows, too few/);

    const short = new SeriesScorer();
    dailySeries(2, 5 * MIN, 15).forEach((p) => short.push(p));
    const summary = short.summary();
    assert.equal(summary.scored.seasonal, 0);
    assert.ok(summary.scored.level > 500);
    assert.match(describeSeriesScoring(summary).join('\n'), /shorter than the 3 days/);
  });

  it('rows out of time order are refused', () => {
    const scorer = new SeriesScorer();
    scorer.push({ time: T0, value: 1 });
    assert.throws(() => scorer.push({ time: T0, value: 2 }), /increasing time order/);
    assert.throws(() => scorer.push({ time: Number.NaN, value: 2 }), RangeError);
  });
});

describe("the fast path gives the library detectors' results exactly", () => {
  const T = Date.UTC(2024, 0, 1);
  const rand = mulberry32(31);
  const sine = (n: number, step: number, perDay: number) =>
    Array.from({ length: n }, (_, i) => ({
      time: T + i * step,
      value:
        i % 997 === 0
          ? null
          : 100 + 30 * Math.sin((2 * Math.PI * i) / perDay) + 3 * gauss(rand) + (i % 1500 === 700 ? 40 : 0),
    }));
  const cases: [string, ValueObservation[]][] = [
    ['5-minute daily wave with spikes and blanks', sine(4000, 5 * MIN, 288)],
    [
      'hourly with a level shift',
      Array.from({ length: 1500 }, (_, i) => ({
        time: T + i * HOUR,
        value: 50 + 10 * Math.sin((2 * Math.PI * i) / 24) + gauss(rand) + (i > 900 ? 5 : 0),
      })),
    ],
    [
      'small integers (many ties)',
      Array.from({ length: 3000 }, (_, i) => ({ time: T + i * 15 * MIN, value: Math.round(3 * rand()) })),
    ],
    [
      'constant with outliers (MAD 0)',
      Array.from({ length: 2000 }, (_, i) => ({ time: T + i * 15 * MIN, value: i % 300 === 250 ? 9 : 5 })),
    ],
    [
      'repeated identical outliers (ties at the extreme)',
      Array.from({ length: 2000 }, (_, i) => ({
        time: T + i * 15 * MIN,
        value: i % 40 === 13 ? 50 : 10 + gauss(rand),
      })),
    ],
    [
      'irregular arrivals (phases of one point)',
      (() => {
        let time = T;
        return Array.from({ length: 2500 }, () => {
          time += Math.ceil(-Math.log(rand() || 1e-300) * 40 * MIN);
          return { time, value: 20 + 5 * Math.sin((2 * Math.PI * (time - T)) / DAY) + gauss(rand) };
        });
      })(),
    ],
    [
      'a three-day gap',
      Array.from({ length: 3000 }, (_, i) => ({
        time: T + i * 5 * MIN + (i > 1500 ? 3 * DAY : 0),
        value: 10 + gauss(rand),
      })),
    ],
  ];

  it('StreamingShesd: the same p-value and direction as ShesdDetector for every bucket', () => {
    const options: ShesdOptions[] = [{ bucketMinutes: 5, maxPoints: 1008 }, { bucketMinutes: 60 }];
    for (const [name, series] of cases)
      for (const option of options) {
        const reference = new ShesdDetector(option);
        const fast = new StreamingShesd(option);
        series.forEach((o, i) => {
          const a = reference.push(o);
          const b = fast.push(o);
          assert.deepEqual(b, a && { pValue: a.pValue, direction: a.direction }, `${name}, bucket ${i}`);
        });
      }
  });

  it('SeriesEnsemble: the same p-value, direction and baseline as GenericEnsemble for every bucket', () => {
    const options: EnsembleOptions[] = [
      seasonalEnsembleOptions({ kind: 'seasonal', period: 'day', intervalMs: 5 * MIN, pointsPerSeason: 288 }),
      { bucketMinutes: 15 },
    ];
    for (const [name, series] of cases)
      for (const option of options) {
        const reference = new GenericEnsemble(option);
        const fast = new SeriesEnsemble(option);
        series.forEach((o, i) => {
          const a = reference.push(o);
          const b = fast.push(o);
          assert.deepEqual(
            b,
            a && { pValue: a.pValue, direction: a.direction, baseline: a.baseline },
            `${name}, bucket ${i}`,
          );
        });
      }
  });

  it('SortedValues stays sorted through inserts, removals and merged replacements', () => {
    const sorted = new SortedValues(4);
    const reference: number[] = [];
    const check = () => {
      const copy = reference.slice().sort((a, b) => a - b);
      assert.equal(sorted.length, copy.length);
      copy.forEach((v, i) => assert.equal(sorted.at(i), v));
    };
    for (let step = 0; step < 300; step++) {
      const v = Math.round(rand() * 20);
      if (step % 3 !== 2 || reference.length === 0) {
        sorted.insert(v);
        reference.push(v);
      } else {
        const out = reference.splice(Math.floor(rand() * reference.length), 1)[0] as number;
        sorted.remove(out);
      }
      if (step % 25 === 24) {
        const leaving = reference.splice(0, 5).sort((a, b) => a - b);
        const entering = [3, 3, 7, 30, -1].sort((a, b) => a - b);
        reference.push(...entering);
        sorted.replace(Float64Array.from(leaving), Float64Array.from(entering));
      }
      check();
    }
    assert.throws(() => sorted.remove(1000), RangeError);
    assert.throws(() => sorted.replace(Float64Array.of(1000), Float64Array.of()), RangeError);
  });
});

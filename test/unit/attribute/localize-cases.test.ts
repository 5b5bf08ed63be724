import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cohort } from '../../../shared/explore';
import { localize, type AdditiveLeaf, type RatioLeaf } from '../../../workers/attribute';
import { mulberry32 } from '../support/random';

const DIMENSIONS = ['os', 'browser', 'country'];
const VALUES = [
  ['iOS', 'Android', 'Windows'],
  ['Safari', 'Chrome', 'Firefox', 'Edge'],
  ['US', 'DE', 'FR', 'GB', 'PL'],
];

/** Every combination of VALUES; sizes differ by country (US largest) and a little by leaf. */
function store(
  seed: number,
  noise: number,
  move: (values: Record<string, string>) => number,
): AdditiveLeaf[] {
  const rand = mulberry32(seed);
  const rows: AdditiveLeaf[] = [];
  VALUES[0]!.forEach((os) =>
    VALUES[1]!.forEach((browser) =>
      VALUES[2]!.forEach((country, c) => {
        const predict = (1000 / (c + 1)) * (0.5 + rand());
        const values = { os, browser, country };
        const real = predict * move(values) * (1 + noise * (2 * rand() - 1));
        rows.push({ values: [os, browser, country], real, predict });
      }),
    ),
  );
  return rows;
}

const cohorts = (result: ReturnType<typeof localize>): Cohort[] => result.rootCauses.map((c) => c.cohort);

/**
 * Per country, each (os, browser, n) leaf's n trials drawn at `rate` (binomial sampling noise), against a
 * forecast of `base` per trial.
 */
function binomialLeaves(
  seed: number,
  leaves: readonly [string, string, number][],
  rate: (os: string, browser: string) => number,
  base: number,
): RatioLeaf[] {
  const rand = mulberry32(seed);
  const rows: RatioLeaf[] = [];
  for (const [os, browser, n] of leaves)
    for (const country of VALUES[2]!) {
      let k = 0;
      for (let i = 0; i < n; i++) if (rand() < rate(os, browser)) k++;
      rows.push({
        values: [os, browser, country],
        realNum: k,
        realDen: n,
        predictNum: base * n,
        predictDen: n,
      });
    }
  return rows;
}

describe('localize', () => {
  it('names the parent cohort, not the list of its children', () => {
    const rows = store(1, 0.05, (v) => (v.os === 'iOS' ? 0.5 : 1));
    const result = localize({ kind: 'additive', dimensions: DIMENSIONS, rows });
    assert.deepEqual(cohorts(result), [{ os: 'iOS' }]);
    assert.equal(result.direction, 'down');
    assert.ok(result.rootCauses[0]!.share > 0.9, `share ${result.rootCauses[0]!.share}`);
    assert.ok(result.rootCauses[0]!.score > 0.9, `score ${result.rootCauses[0]!.score}`);
    // iOS is a third of the traffic: 0.5 × 1/3 of it gone.
    const { actual, expected } = result.rootCauses[0]!;
    assert.ok(Math.abs(actual / expected - 0.5) < 0.03, `${actual} / ${expected}`);
  });

  it('names the two-dimension cohort when only part of the parent moved', () => {
    const rows = store(2, 0.05, (v) => (v.os === 'iOS' && v.browser === 'Safari' ? 0.3 : 1));
    const result = localize({ kind: 'additive', dimensions: DIMENSIONS, rows });
    assert.deepEqual(cohorts(result), [{ os: 'iOS', browser: 'Safari' }]);
  });

  it('does not blame the largest cohort for shrinking with the total', () => {
    // US is the largest country and loses the most visits in absolute terms, but only in proportion.
    const rows = store(3, 0.05, (v) => (v.browser === 'Firefox' ? 0.4 : 1));
    const result = localize({ kind: 'additive', dimensions: DIMENSIONS, rows });
    assert.deepEqual(cohorts(result), [{ browser: 'Firefox' }]);
    const country = result.dimensions.find((d) => d.dimension === 'country')!;
    const browser = result.dimensions.find((d) => d.dimension === 'browser')!;
    assert.equal(country.values.find((v) => v.value === 'US') !== undefined, true);
    assert.ok(country.surprise < browser.surprise / 20, `${country.surprise} vs ${browser.surprise}`);
  });

  it('blames all traffic, not one of its cohorts, when everything shrank together', () => {
    const rows = store(4, 0.05, () => 0.8);
    const result = localize({ kind: 'additive', dimensions: DIMENSIONS, rows });
    assert.deepEqual(cohorts(result), [{}]);
    assert.equal(result.rootCauses[0]!.layer, 0);
    assert.ok(result.rootCauses[0]!.share > 0.999);
  });

  it('finds separate causes in different layers', () => {
    const rows = store(5, 0.05, (v) =>
      v.country === 'DE' ? 0.4 : v.os === 'Android' && v.browser === 'Chrome' ? 0.6 : 1,
    );
    const result = localize({ kind: 'additive', dimensions: DIMENSIONS, rows });
    const found = cohorts(result);
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.ok(found.some((c) => JSON.stringify(c) === JSON.stringify({ country: 'DE' })));
    assert.ok(found.some((c) => JSON.stringify(c) === JSON.stringify({ os: 'Android', browser: 'Chrome' })));
    const explained = result.rootCauses.reduce((s, c) => s + c.share, 0);
    // The two overlap on Android + Chrome in DE, counted in both shares but once in `explained`.
    assert.ok(result.explained <= explained + 1e-9 && result.explained > 0.9, `${result.explained}`);
    assert.ok(result.fit > 0.8, `fit ${result.fit}`);
  });

  it('names the parent when the cohort that moved is nearly all of it', () => {
    // Visits (counts): iOS is nearly all Safari (its other browsers see a few visits per country). Safari
    // on iOS halved; the rest of iOS is too small to tell, so iOS as a whole is the answer.
    const rand = mulberry32(5);
    const rows: AdditiveLeaf[] = [];
    VALUES[0]!.forEach((os) =>
      VALUES[1]!.forEach((browser) =>
        VALUES[2]!.forEach((country, c) => {
          const predict = (os === 'iOS' && browser !== 'Safari' ? 3 : 1000 / (c + 1)) * (0.5 + rand());
          const move = os === 'iOS' && browser === 'Safari' ? 0.5 : 1;
          const real = Math.round(predict * move * (1 + 0.05 * (2 * rand() - 1)));
          rows.push({ values: [os, browser, country], real, predict });
        }),
      ),
    );
    assert.deepEqual(cohorts(localize({ kind: 'additive', dimensions: DIMENSIONS, rows })), [{ os: 'iOS' }]);
  });

  it('answers with the strongest cohort, at its lower score, when none reaches the significance asked', () => {
    // iOS fell by 3% under ±5% forecast noise: its chance of being noise among the cohorts tried is
    // between 1e-16 and 1e-14, so a significance of 1e-20 is not reached.
    const table = {
      kind: 'additive' as const,
      dimensions: DIMENSIONS,
      rows: store(22, 0.05, (v) => (v.os === 'iOS' ? 0.97 : 1)),
    };
    const sure = localize(table);
    assert.deepEqual(cohorts(sure), [{ os: 'iOS' }]);
    const tentative = localize(table, { significance: 1e-20 });
    assert.deepEqual(cohorts(tentative), [{ os: 'iOS' }]);
    assert.equal(tentative.rootCauses[0]!.score, sure.rootCauses[0]!.score);
    assert.ok(tentative.rootCauses[0]!.score < 0.99, `score ${tentative.rootCauses[0]!.score}`);
    assert.deepEqual(cohorts(localize(table, { significance: 1e-20, tentativeSignificance: 1e-20 })), []);
    assert.throws(() => localize(table, { significance: 0.05, tentativeSignificance: 0.01 }), RangeError);
  });

  it('finds nothing in noise, and nothing in a direction the data did not move', () => {
    const noise = localize({ kind: 'additive', dimensions: DIMENSIONS, rows: store(6, 0.05, () => 1) });
    assert.deepEqual(cohorts(noise), []);
    assert.equal(noise.explained, 0);
    const fell = store(7, 0.05, (v) => (v.os === 'iOS' ? 0.5 : 1));
    assert.deepEqual(
      cohorts(localize({ kind: 'additive', dimensions: DIMENSIONS, rows: fell }, { direction: 'up' })),
      [],
    );
    const still = localize({
      kind: 'additive',
      dimensions: ['os'],
      rows: [{ values: ['iOS'], real: 5, predict: 5 }],
    });
    assert.equal(still.direction, null);
  });

  it('finds the cohort whose rate fell when the rest ran high enough to net the total out', () => {
    const rand = mulberry32(12);
    const rows: RatioLeaf[] = [];
    VALUES[0]!.forEach((os) =>
      VALUES[1]!.forEach((browser) =>
        VALUES[2]!.forEach((country, c) => {
          const den = Math.round((400 / (c + 1)) * (0.5 + rand()));
          // iOS Safari's payment step broke (0.6 → 0.2); every other leaf converted a little above its usual.
          const broken = os === 'iOS' && browser === 'Safari';
          const rate = broken ? 0.2 : 0.64 + 0.02 * (2 * rand() - 1);
          rows.push({
            values: [os, browser, country],
            realNum: Math.round(den * rate),
            realDen: den,
            predictNum: den * 0.6,
            predictDen: den,
          });
        }),
      ),
    );
    const table = { kind: 'ratio' as const, dimensions: DIMENSIONS, rows };
    const result = localize(table, { direction: 'down' });
    assert.ok(
      result.actual >= result.expected - 0.005,
      `the total barely moved: ${result.actual} vs ${result.expected}`,
    );
    assert.deepEqual(cohorts(result)[0], { os: 'iOS', browser: 'Safari' });
  });

  it('compares rates, not volumes, for a ratio metric', () => {
    const rand = mulberry32(8);
    const rows: RatioLeaf[] = [];
    VALUES[0]!.forEach((os) =>
      VALUES[1]!.forEach((browser) =>
        VALUES[2]!.forEach((country, c) => {
          const predictDen = (5000 / (c + 1)) * (0.5 + rand());
          const rate = 0.02 + 0.06 * rand();
          // Germany lost half its visits at its usual rates; Safari's conversion rate fell by 40%.
          const realDen = predictDen * (country === 'DE' ? 0.5 : 1) * (1 + 0.04 * (2 * rand() - 1));
          const realRate = rate * (browser === 'Safari' ? 0.6 : 1) * (1 + 0.04 * (2 * rand() - 1));
          rows.push({
            values: [os, browser, country],
            realNum: realDen * realRate,
            realDen,
            predictNum: predictDen * rate,
            predictDen,
          });
        }),
      ),
    );
    const result = localize({ kind: 'ratio', dimensions: DIMENSIONS, rows });
    assert.deepEqual(cohorts(result), [{ browser: 'Safari' }]);
    const safari = result.rootCauses[0]!;
    assert.ok(
      Math.abs(safari.actual / safari.expected - 0.6) < 0.03,
      `${safari.actual} / ${safari.expected}`,
    );
    assert.ok(result.actual < result.expected);
  });

  it('copes with the sampling noise of small counts', () => {
    // Poisson counts around forecasts of 0.2 to 400 visits: small leaves swing wildly on their own.
    const rand = mulberry32(9);
    const poisson = (lambda: number) => {
      let k = 0;
      for (let p = rand(), limit = Math.exp(-lambda); p > limit; p *= rand()) k++;
      return k;
    };
    const rows = store(10, 0, () => 1).map((row) => {
      const predict = row.predict / 10 + 0.2;
      const [os, browser] = row.values;
      return { ...row, predict, real: poisson(predict * (os === 'Windows' && browser === 'Edge' ? 0.3 : 1)) };
    });
    const result = localize({ kind: 'additive', dimensions: DIMENSIONS, rows });
    assert.deepEqual(cohorts(result), [{ os: 'Windows', browser: 'Edge' }]);
    assert.ok(result.noise.size > 0.3, `size noise ${result.noise.size}`);
  });

  it('refuses bad options', () => {
    const table = {
      kind: 'additive' as const,
      dimensions: ['os'],
      rows: [{ values: ['iOS'], real: 1, predict: 2 }],
    };
    assert.throws(() => localize(table, { maxLayer: 4 }), RangeError);
    assert.throws(() => localize(table, { significance: 0 }), RangeError);
    assert.throws(() => localize(table, { minShare: 1 }), RangeError);
    assert.throws(() => localize(table, { maxRootCauses: 0 }), RangeError);
  });
});

describe('localize: a small cohort whose parent is mostly, not all, of it', () => {
  // Checkout conversion over a few hours of a small store: per country, iOS has 24 checkouts on Safari and 4
  // on Chrome, Android 24 on Chrome and 6 on Firefox, macOS 12 on Safari and 8 on Chrome, Windows 30 on Chrome
  // and 10 on Edge; the rate is 0.6 everywhere. Binomial sampling noise. (With half as many checkouts, a
  // third of the seeds give no significant answer at all.)
  const BROWSERS: Record<string, [string, number][]> = {
    iOS: [
      ['Safari', 24],
      ['Chrome', 4],
    ],
    Android: [
      ['Chrome', 24],
      ['Firefox', 6],
    ],
    macOS: [
      ['Safari', 12],
      ['Chrome', 8],
    ],
    Windows: [
      ['Chrome', 30],
      ['Edge', 10],
    ],
  };
  const LEAVES = Object.entries(BROWSERS).flatMap(([os, browsers]) =>
    browsers.map(([browser, n]) => [os, browser, n] as [string, string, number]),
  );
  const checkouts = (seed: number, rate: (os: string, browser: string) => number) =>
    binomialLeaves(seed, LEAVES, rate, 0.6);
  const answers = (rate: (os: string, browser: string) => number) =>
    Array.from({ length: 12 }, (_, seed) =>
      JSON.stringify(
        cohorts(localize({ kind: 'ratio', dimensions: DIMENSIONS, rows: checkouts(40 + seed, rate) }))[0] ??
          null,
      ),
    );

  it('names iOS & Safari when the other iOS browser held (a seventh of iOS)', () => {
    const found = answers((os, browser) => (os === 'iOS' && browser === 'Safari' ? 0.25 : 0.6));
    const right = found.filter((f) => f === JSON.stringify({ os: 'iOS', browser: 'Safari' })).length;
    assert.ok(right >= 10, `iOS & Safari in ${right} of 12: ${found.join(' ')}`);
  });

  it('names iOS & Safari when the other iOS browser dipped by chance, short of significance', () => {
    // Chrome on iOS a little low (0.5 for 0.6): half the Safari shift or more in many draws, yet a few dozen
    // checkouts cannot show it moved; the most specific cohort that carries the change is still Safari's.
    const found = answers((os, browser) => (os === 'iOS' ? (browser === 'Safari' ? 0.25 : 0.45) : 0.6));
    const right = found.filter((f) => f === JSON.stringify({ os: 'iOS', browser: 'Safari' })).length;
    assert.ok(right >= 9, `iOS & Safari in ${right} of 12: ${found.join(' ')}`);
  });

  it('and when payment failures, the symptom, also ticked up on the other iOS browser', () => {
    const rate = (os: string, browser: string) => (os === 'iOS' ? (browser === 'Safari' ? 0.25 : 0.45) : 0.6);
    const failureRate = (os: string, browser: string) =>
      os === 'iOS' ? (browser === 'Safari' ? 0.3 : 0.12) : 0.05;
    const found = Array.from({ length: 12 }, (_, seed) => {
      const rows = checkouts(40 + seed, rate);
      const rand = mulberry32(90 + seed);
      const failures = rows.map((row) => {
        const [os, browser] = row.values as [string, string];
        let k = 0;
        for (let i = 0; i < row.realDen; i++) if (rand() < failureRate(os, browser)) k++;
        return { ...row, realNum: k, predictNum: 0.05 * row.realDen };
      });
      const symptom = {
        table: { kind: 'ratio' as const, dimensions: DIMENSIONS, rows: failures },
        direction: 'up' as const,
      };
      const result = localize({ kind: 'ratio', dimensions: DIMENSIONS, rows }, { symptoms: [symptom] });
      return JSON.stringify(cohorts(result)[0] ?? null);
    });
    const right = found.filter((f) => f === JSON.stringify({ os: 'iOS', browser: 'Safari' })).length;
    assert.ok(right >= 9, `iOS & Safari in ${right} of 12: ${found.join(' ')}`);
  });

  it('names iOS when every iOS browser fell', () => {
    const found = answers((os) => (os === 'iOS' ? 0.25 : 0.6));
    const right = found.filter((f) => f === JSON.stringify({ os: 'iOS' })).length;
    assert.ok(right >= 10, `iOS in ${right} of 12: ${found.join(' ')}`);
  });
});

describe('localize: a rest too small for the metric to tell leaves nested cohorts to the symptoms', () => {
  // Per country, iOS has 24 checkouts on Safari and 2 on Chrome (under a tenth of iOS): whether Chrome on
  // iOS converted as usual says next to nothing. Payment failures per checkout, the symptom, are counted on
  // the same checkouts (base 0.05).
  const LEAVES: [string, string, number][] = [
    ['iOS', 'Safari', 24],
    ['iOS', 'Chrome', 2],
    ['Android', 'Chrome', 24],
    ['Android', 'Firefox', 6],
    ['macOS', 'Safari', 12],
    ['macOS', 'Chrome', 8],
    ['Windows', 'Chrome', 30],
    ['Windows', 'Edge', 10],
  ];
  const draw = (seed: number, rate: (os: string, browser: string) => number, base: number) =>
    binomialLeaves(seed, LEAVES, rate, base);
  const answers = (
    conversion: (os: string, browser: string) => number,
    failures: (os: string, browser: string) => number,
  ) =>
    Array.from({ length: 12 }, (_, seed) => {
      const rows = draw(140 + seed, conversion, 0.6);
      const symptom = {
        table: { kind: 'ratio' as const, dimensions: DIMENSIONS, rows: draw(190 + seed, failures, 0.05) },
        direction: 'up' as const,
      };
      const result = localize({ kind: 'ratio', dimensions: DIMENSIONS, rows }, { symptoms: [symptom] });
      return JSON.stringify(cohorts(result)[0] ?? null);
    });

  it('names iOS & Safari when only Safari failed payments', () => {
    const found = answers(
      (os, browser) => (os === 'iOS' && browser === 'Safari' ? 0.25 : 0.6),
      (os, browser) => (os === 'iOS' && browser === 'Safari' ? 0.4 : 0.05),
    );
    const right = found.filter((f) => f === JSON.stringify({ os: 'iOS', browser: 'Safari' })).length;
    assert.ok(right >= 10, `iOS & Safari in ${right} of 12: ${found.join(' ')}`);
  });

  it('names iOS when every iOS browser failed them', () => {
    const found = answers(
      (os) => (os === 'iOS' ? 0.25 : 0.6),
      (os) => (os === 'iOS' ? 0.4 : 0.05),
    );
    const right = found.filter((f) => f === JSON.stringify({ os: 'iOS' })).length;
    assert.ok(right >= 10, `iOS in ${right} of 12: ${found.join(' ')}`);
  });
});

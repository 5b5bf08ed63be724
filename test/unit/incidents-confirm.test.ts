import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cohortShareSeries,
  seasonalConfirmation,
  seasonalRateConfirmation,
} from '../../workers/incidents/confirm';
import { groupEpisodes, type Episode } from '../../workers/incidents/group';
import { WATCHED_METRICS, type ScannedSeries } from '../../workers/incidents/scan';
import type { CubeTable } from '../../workers/metrics/rollup';

const BUCKET_MS = 3_600_000;
const DAYS = 10;
// Monday 2026-10-05 00:00 UTC: the first five days are weekdays.
const START = Date.UTC(2026, 9, 5);

function table(length: number): CubeTable {
  return {
    bucketMs: BUCKET_MS,
    start: START,
    length,
    present: new Uint8Array(length).fill(1),
    rows: 0,
    bucketIndex: new Int32Array(0),
    dims: {},
    measures: {},
  };
}

function series(
  metric: string,
  cohort: Record<string, string>,
  values: Record<string, Float64Array>,
): ScannedSeries {
  const watched = WATCHED_METRICS.find((m) => m.metric === metric)!;
  const key = Object.entries(cohort)
    .map(([d, v]) => `${d}=${v}`)
    .join('&');
  return {
    metric: watched,
    cohort: { key, cohort, series: values, totals: {} },
    level: Object.keys(cohort).length,
  };
}

function episode(
  s: ScannedSeries,
  direction: 'up' | 'down',
  first: number,
  last: number,
  shortfall = 50,
): Episode {
  return {
    series: s,
    direction,
    first,
    last,
    minP: 1e-6,
    maxScore: 1,
    shortfall,
    expectedTotal: 100,
    onset: first,
    settled: last,
  };
}

/** 100 sessions an hour every day, with the day-to-day noise of a fixed pattern (±5). */
function steady(length: number): Float64Array {
  return Float64Array.from({ length }, (_, b) => 100 + ((b * 7) % 11) - 5);
}

describe('seasonal confirmation of count episodes', () => {
  const t = table(DAYS * 24);
  const dayNine = 8 * 24; // Tuesday of the second week

  it('confirms a real fall at the bucket where the earlier days agree', () => {
    const values = steady(t.length);
    for (let b = dayNine + 10; b < dayNine + 14; b++) values[b] = 30;
    const known = seasonalConfirmation(
      t,
      episode(series('sessions', {}, { sessions: values }), 'down', dayNine + 10, dayNine + 13),
    );
    assert.equal(known, dayNine + 10);
  });

  it('refuses a "fall" while traffic is above every earlier day (a baseline inflated by a surge)', () => {
    const values = steady(t.length);
    for (let b = dayNine + 10; b < dayNine + 14; b++) values[b] = 160;
    const e = episode(series('sessions', {}, { sessions: values }), 'down', dayNine + 10, dayNine + 13);
    assert.equal(seasonalConfirmation(t, e), null);
  });

  it('waits for accumulated evidence on a small cohort, and says "known" only then', () => {
    const values = Float64Array.from({ length: t.length }, () => 10);
    for (let b = dayNine + 10; b < dayNine + 14; b++) values[b] = 3;
    const known = seasonalConfirmation(
      t,
      episode(
        series('sessions', { country: 'DE' }, { sessions: values }),
        'down',
        dayNine + 10,
        dayNine + 13,
      ),
    );
    // One hour at 3 against 10 is z ≈ −2.2; two hours give z ≈ −3.1.
    assert.equal(known, dayNine + 11);
    // At 4 against 10 two hours (z ≈ −2.7) are not enough, and the second opinion has only two hours.
    for (let b = dayNine + 10; b < dayNine + 14; b++) values[b] = 4;
    assert.equal(
      seasonalConfirmation(
        t,
        episode(
          series('sessions', { country: 'DE' }, { sessions: values }),
          'down',
          dayNine + 10,
          dayNine + 13,
        ),
      ),
      null,
    );
  });

  it('cannot judge without two earlier days, and then does not stand in the way', () => {
    const values = steady(t.length);
    const e = episode(series('sessions', {}, { sessions: values }), 'down', 30, 32);
    assert.equal(seasonalConfirmation(t, e), 30);
  });
});

describe('seasonal confirmation of rate episodes', () => {
  const t = table(DAYS * 24);
  const dayNine = 8 * 24;
  // 200 sessions an hour; 10 % add to cart, but only 5 % in the evening (18:00–23:00) of every day.
  const sessions = Float64Array.from({ length: t.length }, () => 200);
  const usual = (b: number) => (b % 24 >= 18 ? 10 : 20);
  const rateSeries = (adds: Float64Array) =>
    series('add_to_cart_rate', {}, { sessions, sessions_with_add_to_cart: adds });

  it('an evening that is as low as every evening is not an incident', () => {
    const adds = Float64Array.from({ length: t.length }, (_, b) => usual(b));
    assert.equal(
      seasonalRateConfirmation(t, episode(rateSeries(adds), 'down', dayNine + 18, dayNine + 22)),
      null,
    );
  });

  it('a rate that halves against the same hours of earlier days is confirmed once the evidence is there', () => {
    const adds = Float64Array.from({ length: t.length }, (_, b) => usual(b));
    for (let b = dayNine + 10; b < dayNine + 16; b++) adds[b] = 10;
    // Counted from the detector's onset, here the episode's first bucket: 10 short of 20 an hour (sd ≈ 4.4)
    // is z ≈ −2.3 after one hour, −3.2 after two.
    const e = (onset: number) => ({
      ...episode(rateSeries(adds), 'down', dayNine + 10, dayNine + 15),
      onset,
    });
    assert.equal(seasonalRateConfirmation(t, e(dayNine + 10)), dayNine + 11);
    // When the fall began before the detector's alarm, that evidence is already there at the alarm.
    for (let b = dayNine + 6; b < dayNine + 10; b++) adds[b] = 10;
    assert.equal(seasonalRateConfirmation(t, e(dayNine + 6)), dayNine + 10);
    // Hours of normal rates before the onset are not counted: had they been (from six hours before the
    // episode), the same fall would be confirmed later.
    adds.set(
      Float64Array.from({ length: 4 }, (_, i) => usual(dayNine + 6 + i)),
      dayNine + 6,
    );
    assert.equal(seasonalRateConfirmation(t, e(dayNine + 4)), dayNine + 13);
  });

  it('a low night is no news when the nights themselves differ that much', () => {
    // 1,000 sessions an hour; from 2 to 6 o'clock 8 % add to cart on some nights and 4 % on others; 3.5 % on
    // day nine.
    const nightly = (b: number, rate: number) => (b % 24 >= 2 && b % 24 < 6 ? rate * 1000 : 100);
    const night = (b: number) => Math.floor(b / 24);
    const sessions = Float64Array.from({ length: t.length }, () => 1000);
    const e = (earlier: (day: number) => number) => {
      const adds = Float64Array.from({ length: t.length }, (_, b) =>
        nightly(b, night(b) === 8 ? 0.035 : earlier(night(b))),
      );
      return episode(
        series('add_to_cart_rate', {}, { sessions, sessions_with_add_to_cart: adds }),
        'down',
        dayNine + 2,
        dayNine + 5,
      );
    };
    // Every earlier night at 8 %: 35 of 1,000 against 80 is z ≈ −5 in the first hour, confirmed.
    assert.equal(
      seasonalRateConfirmation(
        t,
        e(() => 0.08),
      ),
      dayNine + 2,
    );
    // Nights alternating between 8 % and 4 % (their rates differ by far more than sampling explains): 3.5 %
    // is about 1.3 of their spread below their mean, and never confirmed. As binomial counts around a pooled
    // 6 % it would have been z ≈ −3 in the first hour.
    assert.equal(
      seasonalRateConfirmation(
        t,
        e((day) => (day % 2 ? 0.08 : 0.04)),
      ),
      null,
    );
  });

  it("a campaign's visitors, who convert their own way, are left out on every day", () => {
    // 200 own sessions an hour at 10 %; on day nine a newsletter adds 300 readers an hour who add to cart at 2 %.
    const own = Float64Array.from({ length: t.length }, () => 200);
    const readers = Float64Array.from({ length: t.length }, (_, b) =>
      b >= dayNine + 9 && b < dayNine + 15 ? 300 : 0,
    );
    const readerAdds = readers.map((r) => r * 0.02);
    const sessionsWithReaders = own.map((v, b) => v + (readers[b] as number));
    const adds = Float64Array.from({ length: t.length }, (_, b) => usual(b) + (readerAdds[b] as number));
    const e = episode(
      series('add_to_cart_rate', {}, { sessions: sessionsWithReaders, sessions_with_add_to_cart: adds }),
      'down',
      dayNine + 10,
      dayNine + 14,
    );
    // The mix alone drags the rate from 10 % to 5.2 %: confirmed as a fall.
    assert.equal(seasonalRateConfirmation(t, { ...e, onset: dayNine + 9 }), dayNine + 10);
    // Without the readers, the cohort's own visitors converted as usual.
    assert.equal(
      seasonalRateConfirmation(t, { ...e, onset: dayNine + 9 }, { num: readerAdds, den: readers }),
      null,
    );
  });

  it('cannot judge without two earlier days, and then does not stand in the way', () => {
    const adds = Float64Array.from({ length: t.length }, (_, b) => usual(b));
    assert.equal(seasonalRateConfirmation(t, episode(rateSeries(adds), 'down', 20, 22)), 20);
  });
});

describe("leaving a promo's visitors out of the second opinion", () => {
  const t = table(DAYS * 24);
  const dayNine = 8 * 24;
  // A cohort of 100 visits an hour of its own, plus 40 from a campaign on every earlier day at 10:00–13:00,
  // and none on day nine: the campaign is over.
  const campaign = Float64Array.from({ length: t.length }, (_, b) =>
    b < dayNine && b % 24 >= 10 && b % 24 < 14 ? 40 : 0,
  );
  const own = () => Float64Array.from({ length: t.length }, () => 100);

  it('the end of a campaign is not a fall of the cohort once its visitors are left out', () => {
    const values = own().map((v, b) => v + (campaign[b] as number));
    const e = episode(
      series('sessions', { device: 'mobile' }, { sessions: values }),
      'down',
      dayNine + 10,
      dayNine + 13,
    );
    assert.equal(seasonalConfirmation(t, e), dayNine + 10, 'judged with them, it looks like a fall');
    assert.equal(seasonalConfirmation(t, e, campaign), null);
  });

  it("a real fall of the cohort's own visits is still confirmed", () => {
    const values = own().map(
      (v, b) => (b >= dayNine + 10 && b < dayNine + 14 ? 30 : v) + (campaign[b] as number),
    );
    const e = episode(
      series('sessions', { device: 'mobile' }, { sessions: values }),
      'down',
      dayNine + 10,
      dayNine + 13,
    );
    assert.equal(seasonalConfirmation(t, e, campaign), dayNine + 10);
  });

  it('adds up, per bucket, the rows of the cohort that are in any of the given parts', () => {
    const names = new Map([
      [1, 'mobile'],
      [2, 'desktop'],
      [3, 'ig_sale'],
      [4, 'newsletter'],
    ]);
    const small: CubeTable = {
      ...table(3),
      rows: 5,
      bucketIndex: Int32Array.from([0, 0, 1, 2, 2]),
      dims: { device: Int32Array.from([1, 1, 1, 2, 1]), campaign: Int32Array.from([3, 4, 3, 3, 0]) },
      measures: { sessions: Float64Array.from([5, 7, 11, 13, 17]) },
    };
    const share = cohortShareSeries(small, names, 'sessions', { device: 'mobile' }, [
      { campaign: 'ig_sale' },
    ]);
    assert.deepEqual([...share], [5, 11, 0]);
    const both = cohortShareSeries(small, names, 'sessions', { device: 'mobile' }, [
      { campaign: 'ig_sale' },
      { campaign: 'newsletter' },
    ]);
    assert.deepEqual([...both], [12, 11, 0]);
  });
});

describe('grouping a surge with the funnel rates it dilutes', () => {
  const bots = { channel: 'tiktok', device: 'desktop' };
  const zeros = new Float64Array(10);
  const surge = episode(series('sessions', bots, { sessions: zeros }), 'up', 100, 136, -300);
  const diluted = episode(
    series('add_to_cart_rate', bots, { sessions: zeros, sessions_with_add_to_cart: zeros }),
    'down',
    115,
    140,
    20,
  );

  it('a rate that falls during a large surge of its cohort is part of the surge, which stays the primary', () => {
    surge.expectedTotal = 100; // +300 %
    const groups = groupEpisodes([surge, diluted]);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.primary, surge);
  });

  it('a rate whose evidence came after the surge ended, but whose shift began during it, is part of it', () => {
    surge.expectedTotal = 100;
    const late = { ...diluted, first: 150, last: 160, onset: 120, settled: 140 };
    assert.equal(groupEpisodes([surge, late]).length, 1);
    assert.equal(groupEpisodes([surge, { ...late, onset: 150 }]).length, 2);
  });

  it("a category's funnel rate falling as bots look at its products is part of the bots' surge", () => {
    surge.expectedTotal = 100;
    const apparel = {
      ...episode(
        series(
          'add_to_cart_rate',
          { category: 'apparel' },
          { sessions: zeros, sessions_with_add_to_cart: zeros },
        ),
        'down',
        110,
        150,
      ),
    };
    apparel.series = { ...apparel.series, product: true };
    assert.equal(groupEpisodes([surge, apparel]).length, 1);
    // A visit cohort must contain or lie inside the surge's: Chrome's rates are not tiktok-desktop's.
    const chrome = episode(
      series(
        'add_to_cart_rate',
        { browser: 'Chrome' },
        { sessions: zeros, sessions_with_add_to_cart: zeros },
      ),
      'down',
      110,
      150,
    );
    assert.equal(groupEpisodes([surge, chrome]).length, 2);
  });

  it('a small rise or a fall in a disjoint cohort is not a dilution', () => {
    const mild = { ...surge, shortfall: -20, expectedTotal: 100 };
    assert.equal(groupEpisodes([mild, diluted]).length, 2);
    const elsewhere = episode(
      series('add_to_cart_rate', { channel: 'email' }, { sessions: zeros, sessions_with_add_to_cart: zeros }),
      'down',
      115,
      140,
    );
    assert.equal(groupEpisodes([{ ...surge, expectedTotal: 100 }, elsewhere]).length, 2);
  });
});

describe('grouping errors and payment failures with the incident they are symptoms of', () => {
  const zeros = new Float64Array(10);
  const conversion = episode(
    series(
      'checkout_conversion',
      { os: 'iOS', browser: 'Safari' },
      {
        sessions_with_checkout: zeros,
        sessions_with_purchase: zeros,
      },
    ),
    'down',
    100,
    130,
  );
  const failures = (cohort: Record<string, string>, first: number, last: number) =>
    episode(series('payment_failures', cohort, { payment_failures: zeros }), 'up', first, last, -40);

  it('payment failures rising in all traffic as conversion falls join its incident, which they do not lead', () => {
    const symptom = { ...failures({}, 96, 128), knownAt: 97, minP: 1e-12 };
    const groups = groupEpisodes([conversion, symptom]);
    assert.equal(groups.length, 1);
    assert.equal(
      groups[0]!.primary,
      conversion,
      'the business metric is the primary, not the stronger symptom',
    );
  });

  it('a rise that began long before, or in a cohort with no shared visitors, is an incident of its own', () => {
    assert.equal(groupEpisodes([conversion, failures({}, 40, 128)]).length, 2);
    assert.equal(groupEpisodes([conversion, failures({ os: 'Android' }, 100, 120)]).length, 2);
    assert.equal(groupEpisodes([conversion, failures({}, 140, 150)]).length, 2);
  });

  it('payment failures with no business metric moving are an incident of their own', () => {
    const groups = groupEpisodes([failures({}, 10, 20)]);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.primary.series.metric.metric, 'payment_failures');
  });

  it('a minor symptom (under the floor) dates the move it joins, only from its onset, and never leads', () => {
    const minor = { ...failures({}, 102, 103), shortfall: -3, knownAt: 102, minor: true };
    const groups = groupEpisodes([conversion, minor]);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.primary, conversion);
    // Before the move began it is not its sign (a full episode may lead by the slack; a minor one may not).
    const early = { ...minor, first: conversion.onset - 2, onset: conversion.onset - 2 };
    assert.equal(groupEpisodes([conversion, early]).length, 2);
    assert.equal(groupEpisodes([conversion, { ...early, minor: false }]).length, 1);
    // Nor does it group with other symptoms: two minor blips are not an incident.
    const other = { ...failures({ os: 'iOS' }, 103, 104), minor: true };
    assert.equal(groupEpisodes([minor, other]).length, 2);
    // Nor with a full symptom of its family: alone, that one is an incident of its own, without it.
    const full = failures({}, 97, 120);
    assert.equal(groupEpisodes([minor, full]).length, 2);
  });
});

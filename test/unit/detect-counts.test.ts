import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CountScore } from '../../workers/detect/counts';
import { CountDetector, countInterval, countPValue, scoreCountSeries } from '../../workers/detect/counts';
import { poissonCdf, poissonSf } from '../../workers/detect/distributions';
import type { CountObservation } from '../../workers/detect/types';
import { assertSameWithoutGaps } from './support/gaps';
import { mulberry32, gamma } from './support/random';
import { alarmRate } from './support/alarms';

// ---------------------------------------------------------------------------------------------------------
// Seeded sampling

/** Poisson by inversion (λ up to a few hundred). */
function poisson(rand: () => number, lambda: number): number {
  const u = rand();
  let x = 0;
  let p = Math.exp(-lambda);
  let s = p;
  while (u > s && x < 10 * lambda + 100) {
    x++;
    p *= lambda / x;
    s += p;
  }
  return x;
}

const T0 = Date.UTC(2024, 0, 1); // a Monday
const FIVE_MIN = 5 * 60_000;
const PER_DAY = 288; // 5-minute buckets

function series(n: number, rate: (i: number) => number, seed: number): CountObservation[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({ time: T0 + i * FIVE_MIN, count: poisson(rand, rate(i)) }));
}

// ---------------------------------------------------------------------------------------------------------

describe('count p-values and intervals', () => {
  it('uses the exact Poisson tail when there is no overdispersion', () => {
    const low = countPValue(2, 10, 0);
    assert.equal(low.direction, 'down');
    assert.ok(
      Math.abs(low.pValue - 0.0027693957155115775) < 1e-15,
      'Math.abs(low.pValue - 0.0027693957155115775) < 1e-15',
    );
    const high = countPValue(20, 10, 0);
    assert.equal(high.direction, 'up');
    assert.ok(
      Math.abs(high.pValue - 0.0034543419758568) < 1e-14,
      'Math.abs(high.pValue - 0.0034543419758568) < 1e-14',
    );
  });

  it('interval = the counts whose tails are both ≥ α/2', () => {
    const { lower, upper } = countInterval(50, 0, 1e-3);
    assert.ok(poissonCdf(lower, 50) >= 5e-4 && poissonCdf(lower - 1, 50) < 5e-4, `lower ${lower}`);
    assert.ok(poissonSf(upper, 50) >= 5e-4 && poissonSf(upper + 1, 50) < 5e-4, `upper ${upper}`);
    const wide = countInterval(50, 0.1, 1e-3); // NB with k = 10 is wider
    assert.ok(wide.lower < lower && wide.upper > upper, 'wide.lower < lower && wide.upper > upper');
  });
});

describe('CountDetector: calibration on a stationary Poisson series', () => {
  // The exact single-bucket test at λ = 50 cannot spend all of α/2 per tail (discreteness): its attainable
  // rate is P(X ≤ 27) + P(X ≥ 76) = 6.5e-4 at α = 1e-3; the CUSUM adds its share on top.
  const attainable = poissonCdf(27, 50) + poissonSf(76, 50);

  it('λ = 50, 20,000 buckets, medium: alarm rate within a factor 3 of 1e-3 (after 2,000 warm-up buckets)', () => {
    const obs = series(20_000, () => 50, 1);
    const scores = scoreCountSeries(obs, { bucketMinutes: 5, sensitivity: 'medium' });
    const rate = alarmRate(scores, 2000);
    assert.ok(rate >= 1e-3 / 3 && rate <= 3e-3, `rate ${rate}`);
    assert.ok(Math.abs(attainable - 6.47e-4) < 1e-5, 'Math.abs(attainable - 6.47e-4) < 1e-5');
    // the estimated overdispersion stays near zero (Poisson)
    const last = scores[scores.length - 1] as CountScore;
    assert.ok(last.overdispersion < 0.005, `1/k = ${last.overdispersion}`);
    assert.equal(last.baseline, 'seasonal');
  });

  it('same at high (1e-2), where there are enough alarms for a tighter check (factor 1.5)', () => {
    const obs = series(20_000, () => 50, 2);
    const rate = alarmRate(scoreCountSeries(obs, { bucketMinutes: 5, sensitivity: 'high' }), 2000);
    assert.ok(rate >= 1e-2 / 1.5 && rate <= 1.5e-2, `rate ${rate}`);
  });

  it('an overdispersed series (negative binomial, k = 10, 11× the Poisson variance) does not alarm constantly', () => {
    const rand = mulberry32(3);
    const obs = Array.from({ length: 8000 }, (_, i) => ({
      time: T0 + i * FIVE_MIN,
      count: poisson(rand, 10 * gamma(rand, 10)), // mean 100, variance 100 + 100²/10
    }));
    const scores = scoreCountSeries(obs, { bucketMinutes: 5, sensitivity: 'high' });
    const rate = alarmRate(scores, 2000);
    assert.ok(rate <= 2e-2, `rate ${rate}`);
    const last = scores[scores.length - 1] as CountScore;
    assert.ok(last.overdispersion > 0.06 && last.overdispersion < 0.15, `1/k = ${last.overdispersion}`);
    // a Poisson test on the same buckets would alarm in a third of them
    let poissonAlarms = 0;
    let n = 0;
    for (let i = 2000; i < scores.length; i++) {
      const s = scores[i] as CountScore;
      n++;
      if (2 * countPValue(s.observed, s.expected, 0).pValue <= 1e-2) poissonAlarms++;
    }
    assert.ok(poissonAlarms / n > 0.2, `Poisson-only rate ${poissonAlarms / n}`);
  });
});

describe('CountDetector: detection', () => {
  it('a 50 % drop of a λ = 200 series at bucket 3000 is alarmed in the first changed bucket (delay 0, bound ≤ 1)', () => {
    // Predicted: after the drop X ~ Poisson(100) while the lower bound at medium is ≈ 200 − 3.3·√200 ≈ 154;
    // P(X ≥ 154 | 100) < 1e-6, so the first changed bucket alarms.
    for (const seed of [1, 2, 3, 4, 5]) {
      const obs = series(3300, (i) => (i < 3000 ? 200 : 100), seed);
      const scores = scoreCountSeries(obs, { bucketMinutes: 5 });
      const first = scores.findIndex((s, i) => i >= 3000 && s?.alarm);
      assert.ok(first >= 3000 && first - 3000 <= 1, `seed ${seed}: first alarm ${first}`);
      const s = scores[3000] as CountScore;
      assert.equal(s.direction, 'down');
      assert.ok(s.observed < s.lower && s.lower > 150 && s.expected > 185, `band ${s.lower}–${s.upper}`);
      // the alarm persists (CUSUM) while the baseline slowly accepts the new level
      const held = scores.slice(3000, 3060).filter((x) => x?.alarm).length;
      assert.ok(held >= 55, `seed ${seed}: ${held} of 60`);
    }
  });

  it('a sustained +50 % shift of a λ = 80 series alarms throughout (CUSUM), not only on lucky buckets', () => {
    // +50 % is ≈ 4.5 σ per bucket: the single-bucket test alone catches only some buckets. The CUSUM
    // (design shift 25 %, LLR ≈ 80·(1.5 ln 1.25 − 0.25) ≈ 6.8 per bucket against h = 7.6) holds the alarm,
    // and the level is not learnt while in alarm. The shift lasts 5 hours (< the 6-hour relearn delay).
    const obs = series(3200, (i) => (i < 3000 ? 80 : i < 3060 ? 120 : 80), 9);
    const scores = scoreCountSeries(obs, { bucketMinutes: 5 });
    const during = scores.slice(3000, 3060);
    const first = during.findIndex((s) => s?.alarm);
    assert.ok(first >= 0 && first <= 2, `first ${first}`);
    const held = during.filter((s) => s?.alarm).length;
    assert.ok(held >= 57, `${held} of 60`);
    const single = during.filter((s) => s && s.observed > s.upper).length;
    assert.ok(single < 45, `single-bucket ${single}`);
    // after the shift ends the capped CUSUM lets go within a few buckets
    const after = scores.slice(3070).filter((s) => s?.alarm).length;
    assert.equal(after, 0, `${after} alarms after the shift`);
  });

  it('a sparse count rising twelvefold is found by the ×8 chart in about half the buckets the ×2 chart needs', () => {
    // Payment failures of one cohort: 0.07 a bucket (under one an hour), then 0.84 for 5 hours. Per bucket the
    // ×8 chart gains about 0.84 ln 8 − 0.49 ≈ 1.3 nats, the ×2 chart 0.84 ln 2 − 0.07 ≈ 0.5.
    const delays = (hugeFactor: number) =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
        const obs = series(3060, (i) => (i < 3000 ? 0.07 : 0.84), seed);
        const scores = scoreCountSeries(obs, {
          bucketMinutes: 5,
          seasonal: false,
          cusumHugeFactor: hugeFactor,
        });
        const first = scores.slice(3000).findIndex((s) => s?.alarm && s.direction === 'up');
        return first < 0 ? 60 : first;
      });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    const withHuge = median(delays(8));
    const without = median(delays(1));
    assert.ok(withHuge <= 12, `×8 chart: ${withHuge} buckets`);
    assert.ok(withHuge <= 0.6 * without, `×8 chart ${withHuge} buckets, ×2 chart alone ${without}`);
  });

  it('a change that outlasts the relearn delay (6 hours) becomes the new normal', () => {
    const obs = series(3300, (i) => (i < 3000 ? 80 : 120), 10);
    const scores = scoreCountSeries(obs, { bucketMinutes: 5 });
    const run = scores.slice(3000, 3072).filter((s) => s?.alarm).length;
    assert.ok(run >= 70, `${run} of 72`);
    const later = scores.slice(3080).filter((s) => s?.alarm).length;
    assert.ok(later <= 2, `${later} alarms after relearning`);
    assert.ok(
      Math.abs((scores[3299] as CountScore).expected - 120) < 12,
      'Math.abs((scores[3299] as CountScore).expected - 120) < 12',
    );
  });

  it('alarms whenever the observation leaves [lower, upper], otherwise only on CUSUM evidence', () => {
    const obs = series(4000, (i) => (i < 3000 ? 80 : i < 3100 ? 120 : 80), 9);
    const scores = scoreCountSeries(obs, { bucketMinutes: 5 });
    for (const s of scores) {
      if (!s) continue;
      const outside = s.observed < s.lower || s.observed > s.upper;
      // three CUSUM charts per direction (25 %, ×2 and ×8), Bonferroni: alarm at S ≥ ln(2·3/α)
      const cusum = Math.max(s.cusumUp, s.cusumDown) >= Math.log(6 / 1e-3);
      assert.equal(s.alarm, outside || cusum, `bucket ${s.index}`);
      // score and alarm follow the evidence p-value (the stronger of the bucket's tail and the CUSUM)
      assert.equal(s.evidencePValue, Math.min(s.pValue, 3 * Math.exp(-Math.max(s.cusumUp, s.cusumDown)), 1));
      assert.equal(s.score, 1 - Math.min(1, 2 * s.evidencePValue));
      assert.equal(s.alarm, 2 * s.evidencePValue <= 1e-3, `bucket ${s.index}`);
      assert.ok(s.pValue > 0 && s.pValue <= 1 && s.score >= 0 && s.score <= 1, `bucket ${s.index}`);
    }
  });
});

describe('CountDetector: seasonal baseline', () => {
  // Daily sine on 5-minute buckets over 10 days: λ = 100 (1 + 0.5 sin(2π t / day)).
  const rate = (i: number) => 100 * (1 + 0.5 * Math.sin((2 * Math.PI * i) / PER_DAY));
  const obs = series(10 * PER_DAY, rate, 4);

  it('switches from level to seasonal after 7 days and then tracks the daily curve within 6 %', () => {
    const scores = scoreCountSeries(obs, { bucketMinutes: 5 });
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      if (!s) continue;
      assert.equal(s.baseline, i < 7 * PER_DAY ? 'level' : 'seasonal', `bucket ${i}`);
      if (i >= 7 * PER_DAY) {
        const err = Math.abs(s.expected / rate(i) - 1);
        assert.ok(err < 0.06, `bucket ${i}: expected ${s.expected}, true ${rate(i)}`);
        // the band is about as narrow as the Poisson band of the true rate (2 × 3.29 σ ≈ 6.6 √λ)
        assert.ok(s.upper - s.lower < 7.6 * Math.sqrt(rate(i)), `bucket ${i}: band ${s.lower}–${s.upper}`);
      }
    }
  });

  it('does not alarm at the daily peaks and troughs once the seasonal baseline is in use', () => {
    const scores = scoreCountSeries(obs, { bucketMinutes: 5 });
    for (let day = 7; day < 10; day++) {
      for (const centre of [PER_DAY / 4, (3 * PER_DAY) / 4]) {
        for (let i = day * PER_DAY + centre - 12; i <= day * PER_DAY + centre + 12; i++) {
          assert.equal(scores[i]?.alarm, false, `bucket ${i}`);
        }
      }
    }
    assert.ok(
      scores.slice(7 * PER_DAY).filter((s) => s?.alarm).length <= 3,
      'scores.slice(7 * PER_DAY).filter((s) => s?.alarm).length <= 3',
    );
  });

  it('without the seasonal baseline the expectation lags the curve by more than 20 %', () => {
    const scores = scoreCountSeries(obs, { bucketMinutes: 5, seasonal: false });
    let worst = 0;
    for (let i = 7 * PER_DAY; i < scores.length; i++) {
      const s = scores[i] as CountScore;
      worst = Math.max(worst, Math.abs(s.expected / rate(i) - 1));
      assert.equal(s.baseline, 'level');
    }
    assert.ok(worst > 0.2, `worst ${worst}`);
  });

  it('detects a 30 % dip at the daily trough within a few buckets', () => {
    const dipStart = 8 * PER_DAY + 200;
    const dipped = obs.map((o, i) =>
      i >= dipStart && i < dipStart + 24 ? { ...o, count: Math.round((o.count as number) * 0.7) } : o,
    );
    const scores = scoreCountSeries(dipped, { bucketMinutes: 5 });
    const window = scores.slice(dipStart, dipStart + 24);
    const first = window.findIndex((s) => s?.alarm);
    assert.ok(first >= 0 && first <= 4, `first ${first}`);
    assert.ok(window.filter((s) => s?.alarm).length >= 18, `${window.filter((s) => s?.alarm).length} of 24`);
    assert.ok(
      window.every((s) => s?.direction === 'down' || !s?.alarm),
      "window.every((s) => s?.direction === 'down' || !s?.alarm)",
    );
    const clean = scoreCountSeries(obs, { bucketMinutes: 5 }).slice(dipStart, dipStart + 24);
    assert.ok(
      clean.every((s) => !s?.alarm),
      'clean.every((s) => !s?.alarm)',
    );
  });
});

describe('CountDetector: gaps, warm-up and replay', () => {
  it('missing buckets return null, do not alarm and do not disturb the baseline', () => {
    const obs = series(9 * PER_DAY, (i) => 60 * (1 + 0.3 * Math.sin((2 * Math.PI * i) / PER_DAY)), 5);
    const rand = mulberry32(99);
    const gap = (i: number) => (i >= 5 * PER_DAY && i < 5 * PER_DAY + 72) || rand() < 0.05;
    const withGaps = obs.map((o, i) => (gap(i) ? { ...o, count: i % 2 ? Number.NaN : null } : o));
    const kept = withGaps.filter((o) => o.count !== null && !Number.isNaN(o.count));
    const a = scoreCountSeries(withGaps, { bucketMinutes: 5 });
    const b = scoreCountSeries(kept, { bucketMinutes: 5 });
    assertSameWithoutGaps(a, b, (i) => {
      const count = withGaps[i]?.count;
      return count === null || count === undefined || Number.isNaN(count);
    });
    // zeros instead of gaps would have been alarms
    const zeros = scoreCountSeries(
      withGaps.map((o) => ({ ...o, count: o.count === null || Number.isNaN(o.count) ? 0 : o.count })),
      { bucketMinutes: 5 },
    );
    assert.ok(zeros.filter((s) => s?.alarm).length > 50, 'zeros.filter((s) => s?.alarm).length > 50');
  });

  it('returns null during warm-up and rejects buckets out of time order', () => {
    const d = new CountDetector({ bucketMinutes: 5 });
    const obs = series(30, () => 40, 6);
    const scores = d.scoreSeries(obs);
    assert.ok(
      scores.slice(0, 24).every((s) => s === null),
      'scores.slice(0, 24).every((s) => s === null)',
    );
    assert.ok(
      scores.slice(24).every((s) => s !== null),
      'scores.slice(24).every((s) => s !== null)',
    );
    assert.throws(() => d.push({ time: T0, count: 3 }), RangeError);
  });

  it('replay: the score of bucket t is the same whether or not later buckets exist', () => {
    const obs = series(8 * PER_DAY, (i) => (i < 2000 ? 70 : 45), 7);
    const full = scoreCountSeries(obs, { bucketMinutes: 5 });
    for (const t of [30, 1000, 2000, 2010, 8 * PER_DAY - 1]) {
      assert.deepEqual(
        scoreCountSeries(obs.slice(0, t + 1), { bucketMinutes: 5 }),
        full.slice(0, t + 1),
        `t=${t}`,
      );
    }
    const online = new CountDetector({ bucketMinutes: 5 });
    assert.deepEqual(
      obs.map((o) => online.push(o)),
      full,
    );
  });
});

describe('a cohort that appears mid-history', () => {
  it(
    'keeps its expectation on the scale of what it has seen (no runaway level factor)',
    { timeout: 60_000 },
    () => {
      // A campaign with no orders for eleven and a half days, then a few per bucket: its hour profile is all zeros when
      // the first visitors arrive, which once blew the level factor up to 1e14.
      const rand = mulberry32(11);
      const detector = new CountDetector({ bucketMinutes: 5, sensitivity: 'medium' });
      let maxSeen = 0;
      let maxExpected = 0;
      for (let i = 0; i < 14 * PER_DAY; i++) {
        const count = i < 3354 ? 0 : poisson(rand, 2);
        maxSeen = Math.max(maxSeen, count);
        const score = detector.push({ time: T0 + i * FIVE_MIN, count });
        if (score) maxExpected = Math.max(maxExpected, score.expected);
      }
      assert.ok(maxExpected <= 4 * maxSeen, `expected up to ${maxExpected} for counts up to ${maxSeen}`);
    },
  );

  it('does not feed a burst back into its own expectation', { timeout: 60_000 }, () => {
    // An e-mail send: nothing for ten days, an hour of 40 visits per bucket, then a trickle. Clipping the
    // profile's input around factor × profile once fed the expectation back into itself (×8 per bucket).
    const rand = mulberry32(12);
    const detector = new CountDetector({ bucketMinutes: 5, sensitivity: 'medium' });
    let maxExpected = 0;
    const burst = 10 * PER_DAY;
    for (let i = 0; i < 14 * PER_DAY; i++) {
      const mean = i < burst ? 0 : i < burst + 12 ? 40 : 40 * Math.exp(-(i - burst) / 100) + 0.5;
      const score = detector.push({ time: T0 + i * FIVE_MIN, count: poisson(rand, mean) });
      if (score) maxExpected = Math.max(maxExpected, score.expected);
    }
    assert.ok(maxExpected <= 200, `expected up to ${maxExpected} for a burst of about 40 per bucket`);
  });
});
